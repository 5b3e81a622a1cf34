/**
 * Which kinds are cluster-scoped: Argo CD asks the API server; offline we keep the list
 * of every cluster-scoped kind the fleet's manifests and charts can contain. A kind
 * that is not listed counts as namespaced, so a new cluster-scoped kind must be added
 * here before the project checks can see it.
 */

/** An API group and kind, as AppProject resource lists spell them ("" is the core group). */
export interface GroupKind {
  group: string;
  kind: string;
}

const CLUSTER_SCOPED: readonly string[] = [
  "/Namespace",
  "/Node",
  "/PersistentVolume",
  "apiextensions.k8s.io/CustomResourceDefinition",
  "apiregistration.k8s.io/APIService",
  "rbac.authorization.k8s.io/ClusterRole",
  "rbac.authorization.k8s.io/ClusterRoleBinding",
  "admissionregistration.k8s.io/MutatingWebhookConfiguration",
  "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
  "admissionregistration.k8s.io/ValidatingAdmissionPolicy",
  "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding",
  "storage.k8s.io/StorageClass",
  "storage.k8s.io/CSIDriver",
  "scheduling.k8s.io/PriorityClass",
  "networking.k8s.io/IngressClass",
  "elbv2.k8s.aws/IngressClassParams",
  "node.k8s.io/RuntimeClass",
  "cert-manager.io/ClusterIssuer",
  "external-secrets.io/ClusterSecretStore",
  "external-secrets.io/ClusterExternalSecret",
  "karpenter.sh/NodePool",
  "karpenter.sh/NodeClaim",
  "karpenter.k8s.aws/EC2NodeClass",
  "keda.sh/ClusterTriggerAuthentication",
  "postgresql.cnpg.io/ClusterImageCatalog",
  "nvidia.com/ClusterPolicy",
  "nfd.k8s-sigs.io/NodeFeatureRule",
];

export function isClusterScoped(gk: GroupKind): boolean {
  return CLUSTER_SCOPED.includes(`${gk.group}/${gk.kind}`);
}
