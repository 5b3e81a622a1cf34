/**
 * The add-on catalogue: every cluster add-on as typed data (chart, pinned version,
 * namespace, sync wave, where it is needed, its per-cluster Helm values, and the model of
 * what it provides: CRDs, controllers, webhooks). A source of truth beside the fleet: the
 * builders turn it into ApplicationSets (builders/addons.ts), and the bootstrap check reads
 * its models (check/bootstrap/). One file per add-on under catalogue/; this list orders them.
 */
import { stringify } from "yaml";
import type { ClusterSpec, Fleet } from "../fleet/fleet.js";
import { envSpec } from "../fleet/fleet.js";
import type { Addon, AddonContext } from "./addon.js";
import { awsLoadBalancerController } from "./catalogue/aws-load-balancer-controller.js";
import { awsEbsCsiDriver } from "./catalogue/aws-ebs-csi-driver.js";
import { awsEfsCsiDriver } from "./catalogue/aws-efs-csi-driver.js";
import { metricsServer } from "./catalogue/metrics-server.js";
import { istioBase } from "./catalogue/istio-base.js";
import { gatewayApiCrds } from "./catalogue/gateway-api-crds.js";
import { istioCni } from "./catalogue/istio-cni.js";
import { kubePrometheusStack } from "./catalogue/kube-prometheus-stack.js";
import { prometheusOperatorCrds } from "./catalogue/prometheus-operator-crds.js";
import { certManager } from "./catalogue/cert-manager.js";
import { externalSecrets } from "./catalogue/external-secrets.js";
import { karpenter } from "./catalogue/karpenter.js";
import { keda } from "./catalogue/keda.js";
import { prometheusAdapter } from "./catalogue/prometheus-adapter.js";
import { otelCollector } from "./catalogue/otel-collector.js";
import { istiod } from "./catalogue/istiod.js";
import { vpa } from "./catalogue/vpa.js";
import { istioIngressgateway } from "./catalogue/istio-ingressgateway.js";
import { externalDns } from "./catalogue/external-dns.js";
import { gpuOperator } from "./catalogue/gpu-operator.js";
import { cloudnativePg } from "./catalogue/cloudnative-pg.js";
import { pluginBarmanCloud } from "./catalogue/plugin-barman-cloud.js";
import { snapshotController } from "./catalogue/snapshot-controller.js";
import { velero } from "./catalogue/velero.js";

export type { Addon, AddonContext, RemovalPolicy } from "./addon.js";

/** Every add-on, in the order apps/ lists them. */
export const ADDONS: readonly Addon[] = [
  awsLoadBalancerController,
  awsEbsCsiDriver,
  awsEfsCsiDriver,
  metricsServer,
  istioBase,
  gatewayApiCrds,
  istioCni,
  prometheusOperatorCrds,
  snapshotController,
  kubePrometheusStack,
  certManager,
  externalSecrets,
  karpenter,
  keda,
  cloudnativePg,
  pluginBarmanCloud,
  velero,
  prometheusAdapter,
  otelCollector,
  istiod,
  vpa,
  istioIngressgateway,
  externalDns,
  gpuOperator,
];

export function addonContext(fleet: Fleet, cluster: ClusterSpec): AddonContext {
  const env = envSpec(fleet, cluster.env);
  return { fleet, cluster, production: env.production };
}

/** The clusters that run an add-on, in fleet order. */
export function addonClusters(fleet: Fleet, addon: Addon): ClusterSpec[] {
  return fleet.clusters.filter((c) => addon.needs(addonContext(fleet, c)));
}

/** The Helm values an add-on gets on a cluster, as the YAML string its Application carries. */
export function addonValues(fleet: Fleet, addon: Addon, cluster: ClusterSpec): string {
  return stringify(addon.values(addonContext(fleet, cluster)), { lineWidth: 0 });
}

/** Cluster-scoped kinds the add-on charts create. Adding a chart that needs another kind fails its sync until it is listed here. */
export const ADDON_CLUSTER_KINDS: readonly { group: string; kind: string }[] = [
  { group: "", kind: "Namespace" },
  { group: "apiextensions.k8s.io", kind: "CustomResourceDefinition" },
  { group: "rbac.authorization.k8s.io", kind: "ClusterRole" },
  { group: "rbac.authorization.k8s.io", kind: "ClusterRoleBinding" },
  { group: "admissionregistration.k8s.io", kind: "MutatingWebhookConfiguration" },
  { group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration" },
  { group: "admissionregistration.k8s.io", kind: "ValidatingAdmissionPolicy" },
  { group: "admissionregistration.k8s.io", kind: "ValidatingAdmissionPolicyBinding" },
  { group: "apiregistration.k8s.io", kind: "APIService" },
  { group: "scheduling.k8s.io", kind: "PriorityClass" },
  { group: "networking.k8s.io", kind: "IngressClass" },
  { group: "elbv2.k8s.aws", kind: "IngressClassParams" },
  { group: "storage.k8s.io", kind: "StorageClass" },
  { group: "storage.k8s.io", kind: "CSIDriver" },
  { group: "node.k8s.io", kind: "RuntimeClass" },
  { group: "nvidia.com", kind: "ClusterPolicy" },
  { group: "nfd.k8s-sigs.io", kind: "NodeFeatureRule" },
];
