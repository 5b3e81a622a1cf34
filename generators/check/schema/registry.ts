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
 */

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
  const mod: Record<string, unknown> = await import(moduleUrl(module));
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
