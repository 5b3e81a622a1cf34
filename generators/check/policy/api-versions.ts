/**
 * Deprecated and removed Kubernetes APIs, from the Kubernetes Deprecated API Migration Guide:
 * https://kubernetes.io/docs/reference/using-api/deprecation-guide/
 * plus the API deprecation policy (https://kubernetes.io/docs/reference/using-api/deprecation-policy/)
 * for the minor version each API was first marked deprecated.
 *
 * `kind` "*" means every resource of that group/version.
 */
export interface ApiLifecycle {
  apiVersion: string;
  kind: string;
  /** Minor version the API was deprecated in (warnings start), e.g. "1.21". */
  deprecated: string;
  /** Minor version the API is no longer served in. */
  removed: string;
  /** What to use instead. */
  replacement: string;
}

export const API_LIFECYCLE: readonly ApiLifecycle[] = [
  // v1.32
  {
    apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3",
    kind: "*",
    deprecated: "1.29",
    removed: "1.32",
    replacement: "flowcontrol.apiserver.k8s.io/v1",
  },
  // v1.29
  {
    apiVersion: "flowcontrol.apiserver.k8s.io/v1beta2",
    kind: "*",
    deprecated: "1.26",
    removed: "1.29",
    replacement: "flowcontrol.apiserver.k8s.io/v1",
  },
  // v1.27
  {
    apiVersion: "storage.k8s.io/v1beta1",
    kind: "CSIStorageCapacity",
    deprecated: "1.24",
    removed: "1.27",
    replacement: "storage.k8s.io/v1",
  },
  // v1.26
  {
    apiVersion: "flowcontrol.apiserver.k8s.io/v1beta1",
    kind: "*",
    deprecated: "1.23",
    removed: "1.26",
    replacement: "flowcontrol.apiserver.k8s.io/v1",
  },
  {
    apiVersion: "autoscaling/v2beta2",
    kind: "HorizontalPodAutoscaler",
    deprecated: "1.23",
    removed: "1.26",
    replacement: "autoscaling/v2",
  },
  // v1.25
  { apiVersion: "batch/v1beta1", kind: "CronJob", deprecated: "1.21", removed: "1.25", replacement: "batch/v1" },
  {
    apiVersion: "discovery.k8s.io/v1beta1",
    kind: "EndpointSlice",
    deprecated: "1.21",
    removed: "1.25",
    replacement: "discovery.k8s.io/v1",
  },
  { apiVersion: "events.k8s.io/v1beta1", kind: "Event", deprecated: "1.19", removed: "1.25", replacement: "events.k8s.io/v1" },
  {
    apiVersion: "autoscaling/v2beta1",
    kind: "HorizontalPodAutoscaler",
    deprecated: "1.22",
    removed: "1.25",
    replacement: "autoscaling/v2",
  },
  { apiVersion: "policy/v1beta1", kind: "PodDisruptionBudget", deprecated: "1.21", removed: "1.25", replacement: "policy/v1" },
  {
    apiVersion: "policy/v1beta1",
    kind: "PodSecurityPolicy",
    deprecated: "1.21",
    removed: "1.25",
    replacement: "Pod Security Admission (namespace labels)",
  },
  { apiVersion: "node.k8s.io/v1beta1", kind: "RuntimeClass", deprecated: "1.20", removed: "1.25", replacement: "node.k8s.io/v1" },
  // v1.22
  {
    apiVersion: "admissionregistration.k8s.io/v1beta1",
    kind: "*",
    deprecated: "1.16",
    removed: "1.22",
    replacement: "admissionregistration.k8s.io/v1",
  },
  {
    apiVersion: "apiextensions.k8s.io/v1beta1",
    kind: "CustomResourceDefinition",
    deprecated: "1.16",
    removed: "1.22",
    replacement: "apiextensions.k8s.io/v1",
  },
  {
    apiVersion: "apiregistration.k8s.io/v1beta1",
    kind: "APIService",
    deprecated: "1.19",
    removed: "1.22",
    replacement: "apiregistration.k8s.io/v1",
  },
  {
    apiVersion: "authentication.k8s.io/v1beta1",
    kind: "TokenReview",
    deprecated: "1.19",
    removed: "1.22",
    replacement: "authentication.k8s.io/v1",
  },
  { apiVersion: "authorization.k8s.io/v1beta1", kind: "*", deprecated: "1.19", removed: "1.22", replacement: "authorization.k8s.io/v1" },
  {
    apiVersion: "certificates.k8s.io/v1beta1",
    kind: "CertificateSigningRequest",
    deprecated: "1.19",
    removed: "1.22",
    replacement: "certificates.k8s.io/v1",
  },
  { apiVersion: "coordination.k8s.io/v1beta1", kind: "Lease", deprecated: "1.19", removed: "1.22", replacement: "coordination.k8s.io/v1" },
  { apiVersion: "extensions/v1beta1", kind: "Ingress", deprecated: "1.14", removed: "1.22", replacement: "networking.k8s.io/v1" },
  { apiVersion: "networking.k8s.io/v1beta1", kind: "Ingress", deprecated: "1.19", removed: "1.22", replacement: "networking.k8s.io/v1" },
  {
    apiVersion: "networking.k8s.io/v1beta1",
    kind: "IngressClass",
    deprecated: "1.19",
    removed: "1.22",
    replacement: "networking.k8s.io/v1",
  },
  {
    apiVersion: "rbac.authorization.k8s.io/v1beta1",
    kind: "*",
    deprecated: "1.17",
    removed: "1.22",
    replacement: "rbac.authorization.k8s.io/v1",
  },
  {
    apiVersion: "scheduling.k8s.io/v1beta1",
    kind: "PriorityClass",
    deprecated: "1.14",
    removed: "1.22",
    replacement: "scheduling.k8s.io/v1",
  },
  { apiVersion: "storage.k8s.io/v1beta1", kind: "CSIDriver", deprecated: "1.19", removed: "1.22", replacement: "storage.k8s.io/v1" },
  { apiVersion: "storage.k8s.io/v1beta1", kind: "CSINode", deprecated: "1.17", removed: "1.22", replacement: "storage.k8s.io/v1" },
  { apiVersion: "storage.k8s.io/v1beta1", kind: "StorageClass", deprecated: "1.19", removed: "1.22", replacement: "storage.k8s.io/v1" },
  { apiVersion: "storage.k8s.io/v1beta1", kind: "VolumeAttachment", deprecated: "1.19", removed: "1.22", replacement: "storage.k8s.io/v1" },
  // v1.16
  {
    apiVersion: "extensions/v1beta1",
    kind: "*",
    deprecated: "1.8",
    removed: "1.16",
    replacement: "apps/v1, networking.k8s.io/v1, policy/v1",
  },
  { apiVersion: "apps/v1beta1", kind: "*", deprecated: "1.9", removed: "1.16", replacement: "apps/v1" },
  { apiVersion: "apps/v1beta2", kind: "*", deprecated: "1.9", removed: "1.16", replacement: "apps/v1" },
];

/**
 * Groups built into Kubernetes: their versions are fine unless the table above retires them.
 * Every other group is a CRD and must be on CRD_API_ALLOWLIST.
 */
export const BUILTIN_GROUPS: readonly string[] = [
  "",
  "admissionregistration.k8s.io",
  "apiextensions.k8s.io",
  "apiregistration.k8s.io",
  "apps",
  "authentication.k8s.io",
  "authorization.k8s.io",
  "autoscaling",
  "batch",
  "certificates.k8s.io",
  "coordination.k8s.io",
  "discovery.k8s.io",
  "events.k8s.io",
  "extensions",
  "flowcontrol.apiserver.k8s.io",
  "networking.k8s.io",
  "node.k8s.io",
  "policy",
  "rbac.authorization.k8s.io",
  "resource.k8s.io",
  "scheduling.k8s.io",
  "storage.k8s.io",
  "storagemigration.k8s.io",
];

/** CRD API versions the platform runs (the operators installed on every cluster serve these). */
export const CRD_API_ALLOWLIST: readonly string[] = [
  "argoproj.io/v1alpha1",
  "autoscaling.k8s.io/v1",
  "barmancloud.cnpg.io/v1",
  "cert-manager.io/v1",
  "acme.cert-manager.io/v1",
  "external-secrets.io/v1",
  // PushSecret: served only as v1alpha1 by the pinned chart (external-secrets 0.20 config/crds/bases/external-secrets.io_pushsecrets.yaml).
  "external-secrets.io/v1alpha1",
  "gateway.networking.k8s.io/v1",
  "karpenter.sh/v1",
  "karpenter.k8s.aws/v1",
  "keda.sh/v1alpha1",
  "monitoring.coreos.com/v1",
  "networking.istio.io/v1",
  // EnvoyFilter exists only as v1alpha3 (istio/api networking/v1alpha3/envoy_filter.proto): the edge options (builders/edge-filters.ts).
  "networking.istio.io/v1alpha3",
  "postgresql.cnpg.io/v1",
  "security.istio.io/v1",
  "snapshot.storage.k8s.io/v1",
  "telemetry.istio.io/v1",
  "velero.io/v1",
];

/** "1.33" → [1, 33]; compares minor versions. */
export function versionAtLeast(version: string, than: string): boolean {
  const [a1 = 0, a2 = 0] = version.split(".").map((x) => parseInt(x, 10));
  const [b1 = 0, b2 = 0] = than.split(".").map((x) => parseInt(x, 10));
  return a1 !== b1 ? a1 > b1 : a2 >= b2;
}

export function lifecycleOf(apiVersion: string, kind: string): ApiLifecycle | undefined {
  return (
    API_LIFECYCLE.find((l) => l.apiVersion === apiVersion && l.kind === kind) ??
    API_LIFECYCLE.find((l) => l.apiVersion === apiVersion && l.kind === "*")
  );
}
