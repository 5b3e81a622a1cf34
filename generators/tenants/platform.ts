/**
 * The platform tenant: the cluster-scoped foundations every other tenant stands on
 * (namespaces, node pools, storage, certificate issuer, secret stores). It has no apps;
 * its objects come from build/platform.ts, and its Argo CD project may create exactly
 * the cluster-scoped kinds listed here.
 */
import { PLATFORM_TENANT } from "../fleet/constants.js";
import type { TenantSpec } from "../api/tenant.js";

export const PLATFORM_SPEC: TenantSpec = {
  name: PLATFORM_TENANT,
  description: "Cluster-scoped foundations: namespaces, node pools, storage, certificate issuer, secret stores.",
  apps: [],
};

/** The cluster-scoped kinds the platform tenant emits, and so the only ones its AppProjects admit. */
export const PLATFORM_CLUSTER_KINDS: readonly { group: string; kind: string }[] = [
  { group: "", kind: "Namespace" },
  { group: "storage.k8s.io", kind: "StorageClass" },
  { group: "cert-manager.io", kind: "ClusterIssuer" },
  { group: "admissionregistration.k8s.io", kind: "ValidatingAdmissionPolicy" },
  { group: "admissionregistration.k8s.io", kind: "ValidatingAdmissionPolicyBinding" },
  { group: "karpenter.sh", kind: "NodePool" },
  { group: "karpenter.k8s.aws", kind: "EC2NodeClass" },
  { group: "scheduling.k8s.io", kind: "PriorityClass" },
  { group: "snapshot.storage.k8s.io", kind: "VolumeSnapshotClass" },
];
