/**
 * What a cluster part provides and what it creates, as typed data. Every add-on in the
 * catalogue (generators/addons/catalogue.ts) and every EKS-managed part (generators/addons/eks.ts)
 * describes itself with a `PartModel`; the bootstrap-closure pass
 * (generators/check/bootstrap/) simulates a sync from an empty cluster over these models
 * and the rendered tenant folders, and reports every object whose prerequisite is not
 * provided strictly earlier.
 *
 * A model is derived from the add-on's Helm values, the same values its Application
 * carries, so a change to the values (or a hand edit of the tree) changes the model.
 */
import type { ServedMetric } from "./metrics.js";

/** A Kubernetes API group and kind; "" is the core group. */
export interface GroupKind {
  group: string;
  kind: string;
}

/** A rendered or chart-created object, as parsed from YAML. */
export type ModelObject = Record<string, unknown>;

/** Custom resource definitions an add-on installs: one API group and its kinds. */
export interface CrdGroup {
  group: string;
  kinds: readonly string[];
}

/**
 * An admission webhook the add-on registers. Objects it intercepts cannot be created
 * (failurePolicy Fail) or are silently not mutated (Ignore) until the add-on's pods run,
 * i.e. until the Application that installs it is Healthy.
 */
export interface WebhookSpec {
  /** The webhook configuration's name. */
  name: string;
  type: "validating" | "mutating";
  failurePolicy: "Fail" | "Ignore";
  /** What it intercepts; kind "*" is every kind of the group. */
  rules: readonly GroupKind[];
  /** Pods only: namespace labels (any one matching) that select the webhook. */
  namespaceLabels?: readonly Record<string, string>[];
  /** Pods only: pod labels (any one matching) that select the webhook. */
  podLabels?: readonly Record<string, string>[];
  /** Only Services of type LoadBalancer (the AWS Load Balancer Controller's service mutator). */
  loadBalancerServicesOnly?: boolean;
}

/** A field a controller rewrites at run time; the Application must ignore it or selfHeal fights the controller. */
export interface RewrittenField {
  group: string;
  kind: string;
  name: string;
  /** A jq path expression as Argo CD's ignoreDifferences spells it, e.g. `.webhooks[]?.failurePolicy`. */
  jqPathExpression: string;
  /** Upstream evidence. */
  source: string;
}

/** A controller that reconciles Services of type LoadBalancer carrying an annotation value (or a loadBalancerClass). */
export interface LoadBalancerController {
  /** `service.beta.kubernetes.io/aws-load-balancer-type` values it handles; "" is "annotation absent". */
  types: readonly string[];
  /** spec.loadBalancerClass values it handles. */
  classes: readonly string[];
}

export interface StorageClassSpec {
  name: string;
  provisioner: string;
  default: boolean;
}

/** Resource metrics, custom metrics (Pods/Object HPA metrics) and external metrics (KEDA). */
export type MetricsApi = "metrics.k8s.io" | "custom.metrics.k8s.io" | "external.metrics.k8s.io";

/** A gateway proxy deployment: Istio Gateways select it by its pod labels. */
export interface GatewayWorkload {
  namespace: string;
  labels: Readonly<Record<string, string>>;
  serviceAccount: string;
}

/** Istio sidecar injection; `cni` says whether injected pods use the Istio CNI plugin instead of the privileged istio-init. */
export interface SidecarInjection {
  cni: boolean;
}

export interface Provides {
  crds?: readonly CrdGroup[];
  webhooks?: readonly WebhookSpec[];
  loadBalancers?: readonly LoadBalancerController[];
  /** IngressClass names whose Ingresses a controller serves. */
  ingressClasses?: readonly { name: string; default: boolean }[];
  /** CSI driver names (StorageClass provisioners) it installs. */
  csiDrivers?: readonly string[];
  storageClasses?: readonly StorageClassSpec[];
  metricsApis?: readonly MetricsApi[];
  /** Per-pod custom metrics an adapter serves, from its rules over the declared series (addons/metrics.ts). */
  podMetrics?: readonly ServedMetric[];
  sidecarInjection?: SidecarInjection;
  /** The Istio CNI node agent (makes injected pods fit Pod Security "restricted"). */
  istioCni?: boolean;
  /** NetworkPolicy enforcement (the VPC CNI's network policy agent). */
  networkPolicy?: boolean;
  gatewayWorkloads?: readonly GatewayWorkload[];
  /** Namespaces whose workloads carry a mesh identity (injected sidecars or gateway proxies). */
  meshedNamespaces?: readonly string[];
  /** Services other objects address (`<name>.<namespace>`), e.g. the Prometheus a scaler queries. */
  services?: readonly { name: string; namespace: string }[];
  /** Namespaces it creates (Argo CD CreateNamespace for add-ons, EKS's own namespaces). */
  namespaces?: readonly string[];
  /** Namespace KEDA's scalers run in: trigger addresses must resolve from there. */
  scalerNamespace?: string;
  /** Secrets the chart creates that other objects may reference. */
  secrets?: readonly { namespace: string; name: string }[];
  /** cert-manager issuers the chart creates. */
  issuers?: readonly { kind: "Issuer" | "ClusterIssuer"; namespace?: string; name: string }[];
}

/** One cluster part: what it provides, what it creates that has prerequisites of its own, and what its controllers rewrite. */
export interface PartModel {
  provides: Provides;
  /** Summaries of chart-created objects with prerequisites (a PVC from a volumeClaimTemplate, a LoadBalancer Service, a ServiceMonitor, an injected Deployment). */
  objects: readonly ModelObject[];
  /** CRDs its controller needs to start (istiod needs Istio's CRDs). */
  requiresCrds?: readonly GroupKind[];
  rewrites?: readonly RewrittenField[];
  /** Existing Secrets the chart's pods mount or read (values naming an existing Secret): someone must produce them. */
  needsSecrets?: readonly SecretNeed[];
  /** Values the chart generates at render time (helm `genCA`, `randAlphaNum`): they change on every manifest generation. */
  renderRandom?: readonly RenderRandom[];
}

/** A Secret a chart's pod needs before it can start. */
export interface SecretNeed {
  namespace: string;
  name: string;
  /** The Helm value that names it. */
  path: string;
  /** The chart object that reads it. */
  consumer: string;
}

/**
 * A value a chart generates anew at each render, in an object that pairs with another
 * (a webhook's serving certificate and the caBundle its configuration carries). Argo CD's
 * repo-server renders with `helm template`, where `lookup` finds nothing, so each
 * regeneration makes a new value.
 */
export interface RenderRandom {
  /** The object holding the generated value. */
  group: string;
  kind: string;
  name: string;
  /** jq path of the generated field. */
  jqPathExpression: string;
  /** The field that must stay paired with it. */
  pairedWith: { group: string; kind: string; name: string; jqPathExpression: string };
  source: string;
}

export const NO_MODEL: PartModel = { provides: {}, objects: [] };

/** A minimal object summary: the fields the bootstrap pass reads. */
export function summary(
  apiVersion: string,
  kind: string,
  name: string,
  namespace: string | undefined,
  rest: Record<string, unknown> = {},
): ModelObject {
  const { metadata, ...spec } = rest as { metadata?: Record<string, unknown> };
  return { apiVersion, kind, metadata: { name, ...(namespace !== undefined ? { namespace } : {}), ...(metadata ?? {}) }, ...spec };
}

/** A ServiceMonitor a chart creates: it needs the Prometheus Operator's CRDs. */
export function serviceMonitor(name: string, namespace: string): ModelObject {
  return summary("monitoring.coreos.com/v1", "ServiceMonitor", name, namespace);
}

/** A Service of type LoadBalancer a chart creates, with its annotations. */
export function loadBalancerService(name: string, namespace: string, annotations: Record<string, string>): ModelObject {
  return summary("v1", "Service", name, namespace, { metadata: { annotations }, spec: { type: "LoadBalancer" } });
}

/** A PVC a chart's volumeClaimTemplate creates; no class means the default class. */
export function claim(name: string, namespace: string, storageClassName: string | undefined): ModelObject {
  return summary("v1", "PersistentVolumeClaim", name, namespace, { spec: storageClassName !== undefined ? { storageClassName } : {} });
}

/** A Deployment a chart creates, with its pod labels (sidecar injection selects by them). */
export function deployment(name: string, namespace: string, podLabels: Record<string, string> = {}): ModelObject {
  return summary("apps/v1", "Deployment", name, namespace, {
    spec: { template: { metadata: { labels: podLabels }, spec: { containers: [] } } },
  });
}
