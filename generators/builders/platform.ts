/**
 * The platform tenant: every cluster-scoped object the tenants rely on. Split by what
 * it varies with: fleet-wide (base), per region (region component), per cluster.
 */
import { Namespace } from "kubernetes-models/v1/Namespace";
import { StorageClass } from "kubernetes-models/storage.k8s.io/v1/StorageClass";
import { NodePool } from "@kubernetes-models/karpenter/karpenter.sh/v1/NodePool";
import { EC2NodeClass } from "@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass";
import { ClusterIssuer } from "@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer";
import {
  ANNOTATIONS,
  BASE_DOMAIN,
  GPU_RESOURCE,
  GPU_TAINT,
  ISTIO_INJECTION_LABEL,
  LABELS,
  MANAGED_BY,
  PLATFORM,
  PLATFORM_TENANT,
} from "../fleet/constants.js";
import type { ClusterSpec, GpuPool, Region, RegionSpec } from "../fleet/fleet.js";
import { formatSeconds } from "../api/durability.js";
import { EFS_BACKUP } from "../api/components/volume-backup.js";
import type { TenantSpec } from "../api/tenant.js";
import type { KubeObject } from "./object.js";
import { tenantNamespace } from "./labels.js";
import { buildPriorityClasses } from "./quota.js";

const platformLabels = { [LABELS.partOf]: PLATFORM_TENANT, [LABELS.managedBy]: MANAGED_BY, [LABELS.tenant]: PLATFORM_TENANT };

/** EC2NodeClass names: general nodes and GPU nodes (bigger disks for model images). */
const NODE_CLASS = { general: "general", gpu: "gpu" } as const;

/** Email registered with Let's Encrypt for expiry notices. */
const ACME_EMAIL = `platform-team@${BASE_DOMAIN}`;

/** A namespace per tenant, enforcing the restricted Pod Security Standard. */
export function buildNamespaces(tenants: readonly TenantSpec[]): KubeObject[] {
  return tenants.map(
    (t) =>
      new Namespace({
        metadata: {
          name: tenantNamespace(t),
          // Removing a tenant from the sources must not delete its namespace with every PVC in it: Argo CD leaves it (docs/argocd.md § Removal).
          annotations: { [ANNOTATIONS.argoSyncOptions]: "Prune=false" },
          labels: {
            ...platformLabels,
            [LABELS.tenant]: t.name,
            [LABELS.podSecurityEnforce]: "restricted",
            [LABELS.podSecurityEnforceVersion]: "latest",
            [LABELS.podSecurityAudit]: "restricted",
            [LABELS.podSecurityWarn]: "restricted",
            // Sidecar injection; the Istio CNI plugin keeps injected pods within "restricted".
            ...(t.mesh ? { [ISTIO_INJECTION_LABEL]: "enabled" } : {}),
          },
        },
      }),
  );
}

/** Fleet-wide platform objects: storage, certificate issuer, the general node pool. */
export function buildPlatformBase(): KubeObject[] {
  return [
    ...buildPriorityClasses(),
    new StorageClass({
      metadata: { name: PLATFORM.defaultStorageClass, labels: platformLabels },
      provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", iops: "6000", throughput: "250", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4" },
      // Databases and model caches outlive their pods; deleting a claim must not delete data.
      reclaimPolicy: "Retain",
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
    }),
    new ClusterIssuer({
      metadata: { name: PLATFORM.clusterIssuer, labels: platformLabels },
      spec: {
        acme: {
          server: "https://acme-v02.api.letsencrypt.org/directory",
          email: ACME_EMAIL,
          privateKeySecretRef: { name: `${PLATFORM.clusterIssuer}-account-key` },
          solvers: [{ dns01: { route53: {} }, selector: { dnsZones: [BASE_DOMAIN] } }],
        },
      },
    }),
    new NodePool({
      metadata: { name: PLATFORM.generalNodePool, labels: platformLabels },
      spec: {
        template: {
          spec: {
            nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: NODE_CLASS.general },
            requirements: [
              { key: "karpenter.k8s.aws/instance-category", operator: "In", values: ["c", "m", "r"] },
              { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["5"] },
              { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
              { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] },
            ],
            expireAfter: "720h",
          },
        },
        disruption: { consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: "5m" },
        limits: { cpu: "2000", memory: "8000Gi" },
      },
    }),
  ];
}

function gpuNodePool(region: RegionSpec, pool: GpuPool): KubeObject {
  return new NodePool({
    metadata: { name: pool.name, labels: platformLabels },
    spec: {
      template: {
        spec: {
          nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: NODE_CLASS.gpu },
          requirements: [
            { key: "node.kubernetes.io/instance-type", operator: "In", values: pool.instanceTypes.map((t) => t.name) },
            { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
            { key: LABELS.zone, operator: "In", values: [...region.zones] },
          ],
          taints: [{ ...GPU_TAINT }],
          expireAfter: "720h",
        },
      },
      // GPU nodes are expensive to start and slow to warm; only reclaim them when empty.
      disruption: { consolidationPolicy: "WhenEmpty", consolidateAfter: "15m" },
      limits: { [GPU_RESOURCE]: String(pool.gpuLimit) },
    },
  });
}

/**
 * Per-region platform objects: the region's GPU pool. Secret stores are per namespace and
 * cluster (build/secrets.ts): a regional ClusterSecretStore with one identity would let any
 * namespace read every tenant's secrets.
 */
export function buildPlatformRegion(region: RegionSpec): KubeObject[] {
  return region.gpuPool ? [gpuNodePool(region, region.gpuPool)] : [];
}

/** Per-cluster platform objects: EC2NodeClasses find the cluster's subnets and role by its name; EFS is the cluster's own. */
/**
 * `efsCopyRegion`: in production, where the EFS file system is replicated (EFS replication, set up by
 * Terraform); stated on the shared class with its daily automatic backup (api/components/volume-backup.ts EFS_BACKUP).
 */
export function buildPlatformCluster(cluster: ClusterSpec, hasGpuPool: boolean, efsCopyRegion?: Region): KubeObject[] {
  const nodeClass = (name: string, diskGi: number): KubeObject =>
    new EC2NodeClass({
      metadata: { name, labels: { ...platformLabels, [LABELS.cluster]: cluster.name } },
      spec: {
        role: `KarpenterNodeRole-${cluster.name}`,
        // Pinned AMI release: node images change only through a reviewed commit.
        amiSelectorTerms: [{ alias: "al2023@v20251108" }],
        subnetSelectorTerms: [{ tags: { "karpenter.sh/discovery": cluster.name } }],
        securityGroupSelectorTerms: [{ tags: { "karpenter.sh/discovery": cluster.name } }],
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
        blockDeviceMappings: [
          { deviceName: "/dev/xvda", ebs: { volumeSize: `${diskGi}Gi`, volumeType: "gp3", encrypted: true, deleteOnTermination: true } },
        ],
      },
    });
  const objects = [nodeClass(NODE_CLASS.general, 100)];
  if (hasGpuPool) objects.push(nodeClass(NODE_CLASS.gpu, 300));
  objects.push(
    new StorageClass({
      metadata: {
        name: PLATFORM.sharedStorageClass,
        labels: { ...platformLabels, [LABELS.cluster]: cluster.name },
        annotations: {
          [ANNOTATIONS.backupInterval]: formatSeconds(EFS_BACKUP.intervalSeconds),
          [ANNOTATIONS.backupRetention]: EFS_BACKUP.retention,
          [ANNOTATIONS.bucketRegion]: cluster.region,
          ...(efsCopyRegion !== undefined ? { [ANNOTATIONS.replicatedTo]: `efs://${efsCopyRegion}/${cluster.efsFileSystemId}` } : {}),
        },
      },
      provisioner: "efs.csi.aws.com",
      parameters: { provisioningMode: "efs-ap", fileSystemId: cluster.efsFileSystemId, directoryPerms: "700", uid: "10001", gid: "10001" },
      reclaimPolicy: "Retain",
      volumeBindingMode: "Immediate",
    }),
  );
  return objects;
}
