/**
 * Registry of every apiVersion/kind the strict validator knows.
 *
 * Each entry is ONE line: the per-kind subpath of a model package (exported by the
 * package's `"./<group>/<version>/*"` export), e.g. "kubernetes-models/apps/v1/Deployment".
 * From it we derive everything else:
 *   - the model class: the module's export named after the last path segment (`Deployment`);
 *   - apiVersion and kind: the class's static `apiVersion` / `kind` (generated from the schema);
 *   - the TypeScript interface the strict field walker starts from: `I<Kind>` in the same .d.ts.
 *
 * Per-kind subpaths (rather than "kubernetes-models/apps/v1") are used on purpose: importing a
 * group/version index loads every model and compiled schema of that group (~0.7 s for all groups
 * below), a per-kind module loads only what the kind references (~0.3 s), and the .d.ts next to
 * it is exactly the root file the TypeScript program needs.
 *
 * An apiVersion/kind that is not listed here is an error in `validateStrict`: strict means
 * nothing passes unvalidated.
 *
 * Every module is also imported statically below (the MODELS map), so that a bundled CLI
 * (cli/bundled.mjs) carries the models instead of importing them at run time from wherever the
 * bundle lives: adding a kind is its line in MODEL_MODULES and its line in MODELS.
 */
import * as m_kubernetes_models_v1_Namespace from "kubernetes-models/v1/Namespace";
import * as m_kubernetes_models_v1_ServiceAccount from "kubernetes-models/v1/ServiceAccount";
import * as m_kubernetes_models_v1_Service from "kubernetes-models/v1/Service";
import * as m_kubernetes_models_v1_ConfigMap from "kubernetes-models/v1/ConfigMap";
import * as m_kubernetes_models_v1_Secret from "kubernetes-models/v1/Secret";
import * as m_kubernetes_models_v1_PersistentVolumeClaim from "kubernetes-models/v1/PersistentVolumeClaim";
import * as m_kubernetes_models_v1_ResourceQuota from "kubernetes-models/v1/ResourceQuota";
import * as m_kubernetes_models_v1_LimitRange from "kubernetes-models/v1/LimitRange";
import * as m_kubernetes_models_apps_v1_Deployment from "kubernetes-models/apps/v1/Deployment";
import * as m_kubernetes_models_apps_v1_StatefulSet from "kubernetes-models/apps/v1/StatefulSet";
import * as m_kubernetes_models_apps_v1_DaemonSet from "kubernetes-models/apps/v1/DaemonSet";
import * as m_kubernetes_models_batch_v1_Job from "kubernetes-models/batch/v1/Job";
import * as m_kubernetes_models_batch_v1_CronJob from "kubernetes-models/batch/v1/CronJob";
import * as m_kubernetes_models_autoscaling_v2_HorizontalPodAutoscaler from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import * as m_kubernetes_models_policy_v1_PodDisruptionBudget from "kubernetes-models/policy/v1/PodDisruptionBudget";
import * as m_kubernetes_models_networking_k8s_io_v1_NetworkPolicy from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import * as m_kubernetes_models_networking_k8s_io_v1_Ingress from "kubernetes-models/networking.k8s.io/v1/Ingress";
import * as m_kubernetes_models_rbac_authorization_k8s_io_v1_Role from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import * as m_kubernetes_models_rbac_authorization_k8s_io_v1_RoleBinding from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import * as m_kubernetes_models_rbac_authorization_k8s_io_v1_ClusterRole from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import * as m_kubernetes_models_rbac_authorization_k8s_io_v1_ClusterRoleBinding from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import * as m_kubernetes_models_storage_k8s_io_v1_StorageClass from "kubernetes-models/storage.k8s.io/v1/StorageClass";
import * as m_kubernetes_models_scheduling_k8s_io_v1_PriorityClass from "kubernetes-models/scheduling.k8s.io/v1/PriorityClass";
import * as m_kubernetes_models_admissionregistration_k8s_io_v1_ValidatingAdmissionPolicy from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy";
import * as m_kubernetes_models_admissionregistration_k8s_io_v1_ValidatingAdmissionPolicyBinding from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding";
import * as m_karpenter_karpenter_sh_v1_NodePool from "@kubernetes-models/karpenter/karpenter.sh/v1/NodePool";
import * as m_karpenter_karpenter_k8s_aws_v1_EC2NodeClass from "@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass";
import * as m_external_secrets_external_secrets_io_v1_ExternalSecret from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret";
import * as m_external_secrets_external_secrets_io_v1_ClusterSecretStore from "@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore";
import * as m_external_secrets_external_secrets_io_v1_SecretStore from "@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore";
import * as m_external_secrets_external_secrets_io_v1alpha1_PushSecret from "@kubernetes-models/external-secrets/external-secrets.io/v1alpha1/PushSecret";
import * as m_gateway_api_gateway_networking_k8s_io_v1_Gateway from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway";
import * as m_gateway_api_gateway_networking_k8s_io_v1_HTTPRoute from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute";
import * as m_cert_manager_cert_manager_io_v1_ClusterIssuer from "@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer";
import * as m_cert_manager_cert_manager_io_v1_Issuer from "@kubernetes-models/cert-manager/cert-manager.io/v1/Issuer";
import * as m_cert_manager_cert_manager_io_v1_Certificate from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate";
import * as m_prometheus_operator_monitoring_coreos_com_v1_ServiceMonitor from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import * as m_prometheus_operator_monitoring_coreos_com_v1_PodMonitor from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import * as m_prometheus_operator_monitoring_coreos_com_v1_PrometheusRule from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import * as m_autoscaler_autoscaling_k8s_io_v1_VerticalPodAutoscaler from "@kubernetes-models/autoscaler/autoscaling.k8s.io/v1/VerticalPodAutoscaler";
import * as m_keda_keda_sh_v1alpha1_ScaledObject from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";
import * as m_keda_keda_sh_v1alpha1_ScaledJob from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledJob";
import * as m_keda_keda_sh_v1alpha1_TriggerAuthentication from "@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication";
import * as m_istio_networking_istio_io_v1_Gateway from "@kubernetes-models/istio/networking.istio.io/v1/Gateway";
import * as m_istio_networking_istio_io_v1_VirtualService from "@kubernetes-models/istio/networking.istio.io/v1/VirtualService";
import * as m_istio_networking_istio_io_v1_DestinationRule from "@kubernetes-models/istio/networking.istio.io/v1/DestinationRule";
import * as m_istio_networking_istio_io_v1alpha3_EnvoyFilter from "@kubernetes-models/istio/networking.istio.io/v1alpha3/EnvoyFilter";
import * as m_istio_security_istio_io_v1_PeerAuthentication from "@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication";
import * as m_istio_security_istio_io_v1_AuthorizationPolicy from "@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy";
import * as m_argo_cd_argoproj_io_v1alpha1_Application from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import * as m_argo_cd_argoproj_io_v1alpha1_ApplicationSet from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet";
import * as m_argo_cd_argoproj_io_v1alpha1_AppProject from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject";
import * as m_local_cnpg_Cluster from "../../addons/models/cnpg/Cluster.js";
import * as m_local_cnpg_Pooler from "../../addons/models/cnpg/Pooler.js";
import * as m_local_cnpg_ScheduledBackup from "../../addons/models/cnpg/ScheduledBackup.js";
import * as m_local_cnpg_ObjectStore from "../../addons/models/cnpg/ObjectStore.js";
import * as m_local_snapshot_VolumeSnapshotClass from "../../addons/models/snapshot/VolumeSnapshotClass.js";
import * as m_local_velero_BackupStorageLocation from "../../addons/models/velero/BackupStorageLocation.js";
import * as m_local_velero_Schedule from "../../addons/models/velero/Schedule.js";

/** Add a kind: append its model module here. */
export const MODEL_MODULES = [
  // core/v1
  "kubernetes-models/v1/Namespace",
  "kubernetes-models/v1/ServiceAccount",
  "kubernetes-models/v1/Service",
  "kubernetes-models/v1/ConfigMap",
  "kubernetes-models/v1/Secret",
  "kubernetes-models/v1/PersistentVolumeClaim",
  "kubernetes-models/v1/ResourceQuota",
  "kubernetes-models/v1/LimitRange",
  // apps, batch, autoscaling, policy
  "kubernetes-models/apps/v1/Deployment",
  "kubernetes-models/apps/v1/StatefulSet",
  "kubernetes-models/apps/v1/DaemonSet",
  "kubernetes-models/batch/v1/Job",
  "kubernetes-models/batch/v1/CronJob",
  "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler",
  "kubernetes-models/policy/v1/PodDisruptionBudget",
  // networking, rbac, storage
  "kubernetes-models/networking.k8s.io/v1/NetworkPolicy",
  "kubernetes-models/networking.k8s.io/v1/Ingress",
  "kubernetes-models/rbac.authorization.k8s.io/v1/Role",
  "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding",
  "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole",
  "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding",
  "kubernetes-models/storage.k8s.io/v1/StorageClass",
  "kubernetes-models/scheduling.k8s.io/v1/PriorityClass",
  // admission (the platform's tenant guardrails)
  "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy",
  "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding",
  // Karpenter
  "@kubernetes-models/karpenter/karpenter.sh/v1/NodePool",
  "@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass",
  // External Secrets
  "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret",
  "@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore",
  "@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore",
  "@kubernetes-models/external-secrets/external-secrets.io/v1alpha1/PushSecret",
  // Gateway API (the edge: builders/edge.ts)
  "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway",
  "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute",
  // cert-manager
  "@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer",
  "@kubernetes-models/cert-manager/cert-manager.io/v1/Issuer",
  "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate",
  // Prometheus Operator
  "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor",
  "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor",
  "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule",
  // Vertical Pod Autoscaler
  "@kubernetes-models/autoscaler/autoscaling.k8s.io/v1/VerticalPodAutoscaler",
  // KEDA
  "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject",
  "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledJob",
  "@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication",
  // Istio (v1 APIs)
  "@kubernetes-models/istio/networking.istio.io/v1/Gateway",
  "@kubernetes-models/istio/networking.istio.io/v1/VirtualService",
  "@kubernetes-models/istio/networking.istio.io/v1/DestinationRule",
  // The edge options on the Gateway edge (builders/edge-filters.ts)
  "@kubernetes-models/istio/networking.istio.io/v1alpha3/EnvoyFilter",
  "@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication",
  "@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy",
  // Argo CD
  "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application",
  "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet",
  "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject",
  // CloudNativePG and its Barman Cloud plugin: no model package exists; typed here from the pinned CRDs
  // (generators/addons/models/cnpg/schema.ts). A "./" entry is a module of this repository, relative to its root.
  "./generators/addons/models/cnpg/Cluster.js",
  "./generators/addons/models/cnpg/Pooler.js",
  "./generators/addons/models/cnpg/ScheduledBackup.js",
  "./generators/addons/models/cnpg/ObjectStore.js",
  // The CSI snapshot API and Velero: no model packages either; typed from their CRDs the same way.
  "./generators/addons/models/snapshot/VolumeSnapshotClass.js",
  "./generators/addons/models/velero/BackupStorageLocation.js",
  "./generators/addons/models/velero/Schedule.js",
] as const;

/** Each registry module's namespace, statically imported (see the header). */
const MODELS: Readonly<Record<(typeof MODEL_MODULES)[number], Readonly<Record<string, unknown>>>> = {
  "kubernetes-models/v1/Namespace": m_kubernetes_models_v1_Namespace,
  "kubernetes-models/v1/ServiceAccount": m_kubernetes_models_v1_ServiceAccount,
  "kubernetes-models/v1/Service": m_kubernetes_models_v1_Service,
  "kubernetes-models/v1/ConfigMap": m_kubernetes_models_v1_ConfigMap,
  "kubernetes-models/v1/Secret": m_kubernetes_models_v1_Secret,
  "kubernetes-models/v1/PersistentVolumeClaim": m_kubernetes_models_v1_PersistentVolumeClaim,
  "kubernetes-models/v1/ResourceQuota": m_kubernetes_models_v1_ResourceQuota,
  "kubernetes-models/v1/LimitRange": m_kubernetes_models_v1_LimitRange,
  "kubernetes-models/apps/v1/Deployment": m_kubernetes_models_apps_v1_Deployment,
  "kubernetes-models/apps/v1/StatefulSet": m_kubernetes_models_apps_v1_StatefulSet,
  "kubernetes-models/apps/v1/DaemonSet": m_kubernetes_models_apps_v1_DaemonSet,
  "kubernetes-models/batch/v1/Job": m_kubernetes_models_batch_v1_Job,
  "kubernetes-models/batch/v1/CronJob": m_kubernetes_models_batch_v1_CronJob,
  "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler": m_kubernetes_models_autoscaling_v2_HorizontalPodAutoscaler,
  "kubernetes-models/policy/v1/PodDisruptionBudget": m_kubernetes_models_policy_v1_PodDisruptionBudget,
  "kubernetes-models/networking.k8s.io/v1/NetworkPolicy": m_kubernetes_models_networking_k8s_io_v1_NetworkPolicy,
  "kubernetes-models/networking.k8s.io/v1/Ingress": m_kubernetes_models_networking_k8s_io_v1_Ingress,
  "kubernetes-models/rbac.authorization.k8s.io/v1/Role": m_kubernetes_models_rbac_authorization_k8s_io_v1_Role,
  "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding": m_kubernetes_models_rbac_authorization_k8s_io_v1_RoleBinding,
  "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole": m_kubernetes_models_rbac_authorization_k8s_io_v1_ClusterRole,
  "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding": m_kubernetes_models_rbac_authorization_k8s_io_v1_ClusterRoleBinding,
  "kubernetes-models/storage.k8s.io/v1/StorageClass": m_kubernetes_models_storage_k8s_io_v1_StorageClass,
  "kubernetes-models/scheduling.k8s.io/v1/PriorityClass": m_kubernetes_models_scheduling_k8s_io_v1_PriorityClass,
  "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy":
    m_kubernetes_models_admissionregistration_k8s_io_v1_ValidatingAdmissionPolicy,
  "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding":
    m_kubernetes_models_admissionregistration_k8s_io_v1_ValidatingAdmissionPolicyBinding,
  "@kubernetes-models/karpenter/karpenter.sh/v1/NodePool": m_karpenter_karpenter_sh_v1_NodePool,
  "@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass": m_karpenter_karpenter_k8s_aws_v1_EC2NodeClass,
  "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret": m_external_secrets_external_secrets_io_v1_ExternalSecret,
  "@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore":
    m_external_secrets_external_secrets_io_v1_ClusterSecretStore,
  "@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore": m_external_secrets_external_secrets_io_v1_SecretStore,
  "@kubernetes-models/external-secrets/external-secrets.io/v1alpha1/PushSecret": m_external_secrets_external_secrets_io_v1alpha1_PushSecret,
  "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway": m_gateway_api_gateway_networking_k8s_io_v1_Gateway,
  "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute": m_gateway_api_gateway_networking_k8s_io_v1_HTTPRoute,
  "@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer": m_cert_manager_cert_manager_io_v1_ClusterIssuer,
  "@kubernetes-models/cert-manager/cert-manager.io/v1/Issuer": m_cert_manager_cert_manager_io_v1_Issuer,
  "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate": m_cert_manager_cert_manager_io_v1_Certificate,
  "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor":
    m_prometheus_operator_monitoring_coreos_com_v1_ServiceMonitor,
  "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor": m_prometheus_operator_monitoring_coreos_com_v1_PodMonitor,
  "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule":
    m_prometheus_operator_monitoring_coreos_com_v1_PrometheusRule,
  "@kubernetes-models/autoscaler/autoscaling.k8s.io/v1/VerticalPodAutoscaler": m_autoscaler_autoscaling_k8s_io_v1_VerticalPodAutoscaler,
  "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject": m_keda_keda_sh_v1alpha1_ScaledObject,
  "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledJob": m_keda_keda_sh_v1alpha1_ScaledJob,
  "@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication": m_keda_keda_sh_v1alpha1_TriggerAuthentication,
  "@kubernetes-models/istio/networking.istio.io/v1/Gateway": m_istio_networking_istio_io_v1_Gateway,
  "@kubernetes-models/istio/networking.istio.io/v1/VirtualService": m_istio_networking_istio_io_v1_VirtualService,
  "@kubernetes-models/istio/networking.istio.io/v1/DestinationRule": m_istio_networking_istio_io_v1_DestinationRule,
  "@kubernetes-models/istio/networking.istio.io/v1alpha3/EnvoyFilter": m_istio_networking_istio_io_v1alpha3_EnvoyFilter,
  "@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication": m_istio_security_istio_io_v1_PeerAuthentication,
  "@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy": m_istio_security_istio_io_v1_AuthorizationPolicy,
  "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application": m_argo_cd_argoproj_io_v1alpha1_Application,
  "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet": m_argo_cd_argoproj_io_v1alpha1_ApplicationSet,
  "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject": m_argo_cd_argoproj_io_v1alpha1_AppProject,
  "./generators/addons/models/cnpg/Cluster.js": m_local_cnpg_Cluster,
  "./generators/addons/models/cnpg/Pooler.js": m_local_cnpg_Pooler,
  "./generators/addons/models/cnpg/ScheduledBackup.js": m_local_cnpg_ScheduledBackup,
  "./generators/addons/models/cnpg/ObjectStore.js": m_local_cnpg_ObjectStore,
  "./generators/addons/models/snapshot/VolumeSnapshotClass.js": m_local_snapshot_VolumeSnapshotClass,
  "./generators/addons/models/velero/BackupStorageLocation.js": m_local_velero_BackupStorageLocation,
  "./generators/addons/models/velero/Schedule.js": m_local_velero_Schedule,
};

/** Where a registry module is imported from: a package specifier as is, a "./" module from the repository root. */
export function moduleUrl(module: string): string {
  return module.startsWith("./") ? new URL(`../../../${module.slice(2)}`, import.meta.url).href : module;
}

/** What validate.ts needs from a kubernetes-models class. */
export interface ModelClass {
  new (data?: object): { validate(): void };
  readonly apiVersion: string;
  readonly kind: string;
}

export interface RegistryEntry {
  apiVersion: string;
  kind: string;
  /** The model class; `new model(obj).validate()` runs the package's compiled JSON schema. */
  model: ModelClass;
  /** Module specifier the class and its .d.ts come from, e.g. "kubernetes-models/apps/v1/Deployment". */
  module: string;
  /** Exported interface in that module's .d.ts the strict field walker starts from, e.g. "IDeployment". */
  interfaceName: string;
}

export const REGISTRY_FILE = "generators/check/schema/registry.ts";

function isModelClass(value: unknown): value is ModelClass {
  if (typeof value !== "function") return false;
  const statics = value as unknown as { apiVersion?: unknown; kind?: unknown; prototype?: { validate?: unknown } };
  return typeof statics.apiVersion === "string" && typeof statics.kind === "string" && typeof statics.prototype?.validate === "function";
}

/** Loads one registry module and returns its entry; throws a clear error when the module is not a model. */
export async function loadEntry(module: string): Promise<RegistryEntry> {
  const exportName = module.slice(module.lastIndexOf("/") + 1).replace(/\.js$/, "");
  const mod =
    (MODELS as Readonly<Record<string, Readonly<Record<string, unknown>>>>)[module] ??
    ((await import(moduleUrl(module))) as Record<string, unknown>);
  const model = mod[exportName];
  if (!isModelClass(model)) {
    throw new Error(`${REGISTRY_FILE}: "${module}" does not export a model class named ${exportName}`);
  }
  return { apiVersion: model.apiVersion, kind: model.kind, model, module, interfaceName: `I${exportName}` };
}

export function registryKey(apiVersion: string, kind: string): string {
  return `${apiVersion}|${kind}`;
}

const entries = await Promise.all(MODEL_MODULES.map(loadEntry));

/** apiVersion|kind → entry. */
const REGISTRY: ReadonlyMap<string, RegistryEntry> = new Map(entries.map((e) => [registryKey(e.apiVersion, e.kind), e] as const));

export function lookupKind(apiVersion: string, kind: string): RegistryEntry | undefined {
  return REGISTRY.get(registryKey(apiVersion, kind));
}

export function registryEntries(): readonly RegistryEntry[] {
  return entries;
}
