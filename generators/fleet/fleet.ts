/**
 * The fleet: environments, regions and clusters. This is data; adding a cluster or a
 * region is an edit here plus `npm run generate`.
 */

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Env = (typeof ENVIRONMENTS)[number];

export const REGIONS = ["us-west-2", "us-east-1", "eu-west-1"] as const;
export type Region = (typeof REGIONS)[number];

/** An EC2 instance type a GPU pool may launch, with the GPUs one node offers. */
export interface GpuInstanceType {
  /** EC2 instance type, e.g. "g5.2xlarge". */
  name: string;
  /** NVIDIA GPUs per node of this type. */
  gpus: number;
}

/** A Karpenter NodePool of GPU nodes, tainted `nvidia.com/gpu=true:NoSchedule`. */
export interface GpuPool {
  /** NodePool name; GPU workloads select it with `karpenter.sh/nodepool`. */
  name: string;
  /** Instance types this pool may launch in the region. */
  instanceTypes: readonly GpuInstanceType[];
  /** Upper bound on GPUs the pool may provision (Karpenter `limits`). */
  gpuLimit: number;
}

export interface RegionSpec {
  name: Region;
  /** Short code used in cluster names. */
  short: string;
  /** Availability zones Karpenter may use. */
  zones: readonly string[];
  /**
   * The GPU pool GPU workloads land on in this region, or undefined when the region
   * has no GPU capacity (a GPU app cannot deploy there).
   */
  gpuPool: GpuPool | undefined;
}

export interface ClusterSpec {
  /** Cluster name: the folder under clusters/ and the Argo CD cluster name. */
  name: string;
  env: Env;
  region: Region;
  /** Kubernetes minor version the cluster runs, e.g. "1.33"; the API checks use it. */
  kubernetesVersion: string;
  /** EFS file system behind the cluster's ReadWriteMany StorageClass (from the cluster's Terraform outputs). */
  efsFileSystemId: string;
  /**
   * ID of the cluster's EKS OIDC issuer (`oidc.eks.<region>.amazonaws.com/id/<ID>`, a Terraform
   * output); the IAM roles of the per-tenant secret stores trust it. Required to generate them.
   */
  oidcIssuerId?: string;
  /**
   * The cluster VPC's IPv4 CIDR (a Terraform output). Egress to AWS managed databases and
   * caches and to the EKS API server, and ingress through internal load balancers, are
   * narrowed to it. Required when any app calls a `range: "vpc"` external or the API server.
   */
  vpcCidr?: string;
}

export interface EnvSpec {
  name: Env;
  /** DNS label of the environment inside BASE_DOMAIN; prod serves the global names. */
  production: boolean;
  /**
   * The one cluster that orders the environment's global names (production only): cert-manager's
   * Route 53 solver writes a single TXT value per record (cert-manager
   * pkg/issuer/acme/dns/route53/route53.go), so two clusters ordering the same name overwrite each
   * other's challenges. @default the environment's first cluster in `clusters`.
   */
  globalCertificateIssuer?: string;
}

/**
 * How tenant ApplicationSets roll a change out. "auto": every generated Application
 * auto-syncs on its own. "progressive": Argo CD's RollingSync walks the steps
 * dev -> staging -> prod canary region -> the other prod regions, and the
 * Applications lose their automated sync policy (RollingSync triggers their syncs).
 */
export type RolloutMode = "auto" | "progressive";

/** One RollingSync step's name: an environment, or `prod/<region>` for a production region. */
export type RolloutStep = string;

export interface RolloutSpec {
  mode: RolloutMode;
  /** The prod region that goes first (the canary); the other prod regions follow in `regions` order. */
  canaryRegion: Region;
  /**
   * RollingSync `maxUpdate` per step (a count or a percentage); absent means 100%.
   * 0 pauses the rollout at that step: a manual gate until someone raises it.
   */
  maxUpdate?: Readonly<Record<RolloutStep, number | string>>;
}

/**
 * An EKS managed add-on (`aws eks create-addon`, managed by the cluster's Terraform), pinned,
 * with the configuration values the fleet relies on.
 */
export interface EksManagedAddon {
  name: "vpc-cni" | "coredns" | "kube-proxy" | "eks-pod-identity-agent";
  /**
   * The same version on every cluster. @default the version EKS lists for each cluster's
   * Kubernetes minor (`EKS_CALENDAR[].addons` in eks-calendar.ts), so an upgrade moves it with
   * the cluster; a pinned kube-proxy must satisfy the version skew policy on every cluster.
   */
  version?: string;
  /** `--configuration-values` as JSON keys and values. */
  configuration?: Readonly<Record<string, string>>;
  /** The command that proves the cluster runs it as configured (`<cluster>` is replaced by the cluster name). */
  verify: string;
}

/** Something outside this repository the fleet relies on, and the command that proves it is there. */
export interface Prerequisite {
  name: string;
  description: string;
  /** `<cluster>`, `<region>` and `<account>` are replaced per cluster. */
  verify: string;
}

/** The parts of every cluster that EKS (and the cluster's Terraform) provide, not an Argo CD Application. */
export interface EksSpec {
  managedAddons: readonly EksManagedAddon[];
  prerequisites: readonly Prerequisite[];
}

export interface Fleet {
  /** EKS-managed parts and verified prerequisites; absent means none are known (the bootstrap check then reports what is missing). */
  eks?: EksSpec;
  environments: readonly EnvSpec[];
  regions: readonly RegionSpec[];
  clusters: readonly ClusterSpec[];
  /** Tenant rollout strategy; absent means { mode: "auto" }. */
  rollout?: RolloutSpec;
  /**
   * Image repository prefixes (each ending in `/`) tenant pods may run; an admission policy
   * rejects any other image in a tenant namespace. Absent means DEFAULT_IMAGE_REGISTRIES.
   */
  imageRegistries?: readonly string[];
}

/**
 * The organisations whose images tenants run, plus Istio's proxy, which the sidecar
 * injector adds to meshed pods before validating admission sees them.
 */
export const DEFAULT_IMAGE_REGISTRIES: readonly string[] = [
  "docker.io/uiota/",
  "docker.io/nodeorb/",
  "ghcr.io/mothership-ai/",
  "ghcr.io/ossa/",
  "ghcr.io/mlcf/",
  "ghcr.io/mlflow/",
  "docker.io/library/",
  "docker.io/bitnami/",
  "docker.io/apache/",
  "docker.io/qdrant/",
  "docker.io/amazon/",
  "docker.io/curlimages/",
  "docker.io/danielqsj/",
  "docker.io/nginxinc/",
  "docker.io/istio/",
  // CloudNativePG: the PostgreSQL and PgBouncer operand images the operator runs in tenant namespaces (docs/restore.md).
  "ghcr.io/cloudnative-pg/",
];

export const DEFAULT_ROLLOUT: RolloutSpec = {
  mode: "auto",
  canaryRegion: "us-west-2",
  // One prod cluster at a time once past the canary; everything else in one go.
  maxUpdate: { "prod/us-west-2": 1, "prod/us-east-1": 1, "prod/eu-west-1": 1 },
};

const GPU_TYPES = {
  g5xl: { name: "g5.xlarge", gpus: 1 },
  g52xl: { name: "g5.2xlarge", gpus: 1 },
  g512xl: { name: "g5.12xlarge", gpus: 4 },
  g6xl: { name: "g6.xlarge", gpus: 1 },
  g62xl: { name: "g6.2xlarge", gpus: 1 },
  g612xl: { name: "g6.12xlarge", gpus: 4 },
  p4d: { name: "p4d.24xlarge", gpus: 8 },
} as const satisfies Record<string, GpuInstanceType>;

/**
 * What every cluster's Terraform provides before `argocd cluster add`; docs/bootstrapping.md lists the same.
 * The managed add-ons carry no version: each cluster runs the one EKS lists for its minor (eks-calendar.ts).
 */
export const DEFAULT_EKS: EksSpec = {
  managedAddons: [
    {
      name: "vpc-cni",
      // Without it the VPC CNI ignores NetworkPolicies: every tenant's default-deny would be decorative.
      configuration: { enableNetworkPolicy: "true" },
      verify:
        "aws eks describe-addon --cluster-name <cluster> --addon-name vpc-cni --query addon.configurationValues --output text | grep -q '\"enableNetworkPolicy\": *\"true\"' && kubectl -n kube-system get ds aws-node -o jsonpath='{.spec.template.spec.containers[*].name}' | grep -q aws-network-policy-agent",
    },
    {
      name: "coredns",
      verify: "aws eks describe-addon --cluster-name <cluster> --addon-name coredns --query addon.status --output text | grep -q ACTIVE",
    },
    {
      name: "kube-proxy",
      verify: "aws eks describe-addon --cluster-name <cluster> --addon-name kube-proxy --query addon.status --output text | grep -q ACTIVE",
    },
  ],
  prerequisites: [
    {
      name: "irsa-roles",
      description:
        "IAM roles for service accounts <cluster>-<addon> for cert-manager, external-secrets, karpenter, keda, external-dns, aws-load-balancer-controller, aws-ebs-csi-driver and aws-efs-csi-driver, trusting the cluster's OIDC provider",
      verify:
        "for a in cert-manager external-secrets karpenter keda external-dns aws-load-balancer-controller aws-ebs-csi-driver aws-efs-csi-driver; do aws iam get-role --role-name <cluster>-$a --query Role.Arn --output text || exit 1; done",
    },
    {
      name: "karpenter-interruption-queue",
      description: "SQS queue Karpenter-<cluster> receiving EC2 interruption events",
      verify: "aws sqs get-queue-url --region <region> --queue-name Karpenter-<cluster>",
    },
    {
      name: "karpenter-node-role",
      description: "IAM role KarpenterNodeRole-<cluster> with an EKS access entry of type EC2_LINUX",
      verify:
        "aws eks describe-access-entry --cluster-name <cluster> --principal-arn arn:aws:iam::<account>:role/KarpenterNodeRole-<cluster>",
    },
    {
      name: "discovery-tags",
      description:
        "the VPC, private subnets and node security group tagged karpenter.sh/discovery=<cluster> (Karpenter and the AWS Load Balancer Controller find them by it)",
      verify:
        "aws ec2 describe-vpcs --region <region> --filters Name=tag:karpenter.sh/discovery,Values=<cluster> --query 'Vpcs[0].VpcId' --output text | grep -q vpc-",
    },
    {
      name: "efs-file-system",
      description: "the EFS file system in fleet.ts with a mount target in every private subnet",
      verify: "aws efs describe-mount-targets --region <region> --file-system-id <efsFileSystemId> --query 'length(MountTargets)'",
    },
    {
      name: "controller-node-group",
      description: "a managed node group for the controllers (Karpenter cannot schedule itself)",
      verify: "aws eks list-nodegroups --cluster-name <cluster> --query 'length(nodegroups)'",
    },
  ],
};

export const DEFAULT_FLEET: Fleet = {
  eks: DEFAULT_EKS,
  environments: [
    { name: "dev", production: false },
    { name: "staging", production: false },
    { name: "prod", production: true, globalCertificateIssuer: "prod-usw2" },
  ],
  regions: [
    {
      name: "us-west-2",
      short: "usw2",
      zones: ["us-west-2a", "us-west-2b", "us-west-2c"],
      gpuPool: { name: "gpu", instanceTypes: [GPU_TYPES.g52xl, GPU_TYPES.g512xl, GPU_TYPES.g62xl, GPU_TYPES.p4d], gpuLimit: 64 },
    },
    {
      name: "us-east-1",
      short: "use1",
      zones: ["us-east-1a", "us-east-1b", "us-east-1c"],
      gpuPool: { name: "gpu", instanceTypes: [GPU_TYPES.g5xl, GPU_TYPES.g52xl, GPU_TYPES.g612xl, GPU_TYPES.p4d], gpuLimit: 64 },
    },
    {
      name: "eu-west-1",
      short: "euw1",
      zones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
      // p4d is scarce in eu-west-1; the pool sticks to g5/g6.
      gpuPool: { name: "gpu", instanceTypes: [GPU_TYPES.g5xl, GPU_TYPES.g52xl, GPU_TYPES.g512xl, GPU_TYPES.g6xl], gpuLimit: 32 },
    },
  ],
  clusters: [
    {
      name: "dev-usw2",
      env: "dev",
      region: "us-west-2",
      kubernetesVersion: "1.35",
      efsFileSystemId: "fs-0d1e5a0c7b2f40001",
      oidcIssuerId: "0D1E5A0C7B2F4AA015C1D0E7A9B3F2E4",
      vpcCidr: "10.10.0.0/16",
    },
    {
      name: "staging-usw2",
      env: "staging",
      region: "us-west-2",
      kubernetesVersion: "1.35",
      efsFileSystemId: "fs-05c8e2b9a1d340002",
      oidcIssuerId: "05C8E2B9A1D34AA025C1D0E7A9B3F2E4",
      vpcCidr: "10.20.0.0/16",
    },
    {
      name: "staging-euw1",
      env: "staging",
      region: "eu-west-1",
      kubernetesVersion: "1.35",
      efsFileSystemId: "fs-0a7f3c6e9d2b10003",
      oidcIssuerId: "0A7F3C6E9D2B1AA035C1D0E7A9B3F2E4",
      vpcCidr: "10.21.0.0/16",
    },
    {
      name: "prod-usw2",
      env: "prod",
      region: "us-west-2",
      kubernetesVersion: "1.35",
      efsFileSystemId: "fs-0b4d7e1f8c3a50004",
      oidcIssuerId: "0B4D7E1F8C3A5AA045C1D0E7A9B3F2E4",
      vpcCidr: "10.30.0.0/16",
    },
    {
      name: "prod-use1",
      env: "prod",
      region: "us-east-1",
      kubernetesVersion: "1.35",
      efsFileSystemId: "fs-09e2c5a8b7f160005",
      oidcIssuerId: "09E2C5A8B7F16AA055C1D0E7A9B3F2E4",
      vpcCidr: "10.31.0.0/16",
    },
    {
      name: "prod-euw1",
      env: "prod",
      region: "eu-west-1",
      kubernetesVersion: "1.35",
      efsFileSystemId: "fs-0f6a9d3c2e8b70006",
      oidcIssuerId: "0F6A9D3C2E8B7AA065C1D0E7A9B3F2E4",
      vpcCidr: "10.32.0.0/16",
    },
  ],
  rollout: DEFAULT_ROLLOUT,
  imageRegistries: DEFAULT_IMAGE_REGISTRIES,
};

export function regionSpec(fleet: Fleet, region: Region): RegionSpec {
  const spec = fleet.regions.find((r) => r.name === region);
  if (!spec) throw new Error(`fleet: region ${region} is not defined`);
  return spec;
}

/** Whether an environment is production (`EnvSpec.production`): the one meaning of "prod" in the pipeline. */
export function isProduction(fleet: Fleet, env: Env): boolean {
  return fleet.environments.some((e) => e.name === env && e.production);
}

/** The environment base/ carries: the first production one, the most reviewed values (else the last). */
export function baseEnvironment(fleet: Fleet): Env {
  const env = fleet.environments.find((e) => e.production) ?? fleet.environments[fleet.environments.length - 1];
  if (!env) throw new Error("fleet: no environments are defined");
  return env.name;
}

export function envSpec(fleet: Fleet, env: Env): EnvSpec {
  const spec = fleet.environments.find((e) => e.name === env);
  if (!spec) throw new Error(`fleet: environment ${env} is not defined`);
  return spec;
}

export function isEnv(value: string): value is Env {
  return (ENVIRONMENTS as readonly string[]).includes(value);
}

export function isRegion(value: string): value is Region {
  return (REGIONS as readonly string[]).includes(value);
}
