/**
 * Every name the pipeline shares: label keys, annotation keys, folder paths, the
 * git repository, domains. Nothing else in generators/ spells these strings.
 */

/** The git repository Argo CD syncs from. Projects admit exactly this repo. */
export const REPO_URL = "https://github.com/example-org/ai-fleet-gitops.git";
/** The branch every Application tracks. */
export const REPO_REVISION = "main";
/** Namespace Argo CD runs in; Applications, ApplicationSets and AppProjects live here. */
export const ARGOCD_NAMESPACE = "argocd";

/** Parent DNS zone for every generated host. */
export const BASE_DOMAIN = "ai.example.com";

/** Our own label and annotation prefix. */
export const PREFIX = "ai-platform.io";

export const LABELS = {
  name: "app.kubernetes.io/name",
  instance: "app.kubernetes.io/instance",
  component: "app.kubernetes.io/component",
  partOf: "app.kubernetes.io/part-of",
  managedBy: "app.kubernetes.io/managed-by",
  tenant: `${PREFIX}/tenant`,
  env: `${PREFIX}/env`,
  region: `${PREFIX}/region`,
  cluster: `${PREFIX}/cluster`,
  /** On GPU workloads (object and pod template): the region component selects them by it. */
  gpu: `${PREFIX}/gpu`,
  /** On every Service that exposes a metrics port: ServiceMonitors select by it. */
  metrics: `${PREFIX}/metrics`,
  /** On ConfigMaps Grafana's sidecar loads as dashboards. */
  grafanaDashboard: "grafana_dashboard",
  podSecurityEnforce: "pod-security.kubernetes.io/enforce",
  podSecurityEnforceVersion: "pod-security.kubernetes.io/enforce-version",
  podSecurityAudit: "pod-security.kubernetes.io/audit",
  podSecurityWarn: "pod-security.kubernetes.io/warn",
  /** Set by Kubernetes on every namespace; NetworkPolicies select namespaces by it. */
  namespaceName: "kubernetes.io/metadata.name",
  karpenterNodePool: "karpenter.sh/nodepool",
  zone: "topology.kubernetes.io/zone",
  hostname: "kubernetes.io/hostname",
} as const;

/** Value of app.kubernetes.io/managed-by on everything we generate. */
export const MANAGED_BY = "ai-fleet-gitops";

export const ANNOTATIONS = {
  /** Names the TypeScript source a generated object came from. */
  source: `${PREFIX}/source`,
  description: `${PREFIX}/description`,
  certIssuer: "cert-manager.io/cluster-issuer",
  externalDnsHostname: "external-dns.alpha.kubernetes.io/hostname",
  externalDnsSetIdentifier: "external-dns.alpha.kubernetes.io/set-identifier",
  externalDnsAwsRegion: "external-dns.alpha.kubernetes.io/aws-region",
  argoSyncWave: "argocd.argoproj.io/sync-wave",
  argoSyncOptions: "argocd.argoproj.io/sync-options",
  argoManifestGeneratePaths: "argocd.argoproj.io/manifest-generate-paths",
  argoHook: "argocd.argoproj.io/hook",
  argoHookDeletePolicy: "argocd.argoproj.io/hook-delete-policy",
  /** Istio: run the sidecar as a native sidecar (an init container), so Jobs can complete. */
  istioNativeSidecar: "sidecar.istio.io/nativeSidecar",
} as const;

/** Folders of generated output, relative to the repository root. */
export const PATHS = {
  base: "base",
  overlays: "overlays",
  regions: "overlays/regions",
  clusters: "clusters",
  apps: "apps",
  /** IAM role documents the platform's AWS side (Terraform) applies; not Kubernetes manifests. */
  iam: "iam",
} as const;

/** The folders the generator owns; it never writes or deletes outside them. */
export const GENERATED_ROOTS: readonly string[] = [PATHS.base, PATHS.overlays, PATHS.clusters, PATHS.apps, PATHS.iam];

/** Name of the tenant that carries every cluster-scoped object. */
export const PLATFORM_TENANT = "platform";

/** GPU extended resource and the taint every GPU node carries. */
export const GPU_RESOURCE = "nvidia.com/gpu";
export const GPU_TAINT = { key: GPU_RESOURCE, value: "true", effect: "NoSchedule" } as const;

/** Platform objects every tenant may reference by name. */
export const PLATFORM = {
  /** The SecretStore the platform puts in every tenant namespace (and monitoring), each with its own IAM role. */
  secretStore: "aws-secrets-manager",
  /** ServiceAccount whose IRSA role that SecretStore assumes. */
  secretStoreServiceAccount: "secret-store",
  /** Secret with Grafana's admin login in the monitoring namespace (an ExternalSecret of the platform). */
  grafanaAdminSecret: "grafana-admin",
  clusterIssuer: "letsencrypt-prod",
  defaultStorageClass: "fast-ssd",
  /** ReadWriteMany volumes on EFS, for data every replica of a Deployment shares. */
  sharedStorageClass: "shared-efs",
  generalNodePool: "general",
  ingressNamespace: "ingress-nginx",
  monitoringNamespace: "monitoring",
  ingressClass: "nginx",
} as const;

/** Backup buckets are `<prefix>-<env>`: environments never share backups. */
export const BACKUP_BUCKET_PREFIX = "ai-fleet-backups";

/** ClusterRoles a tenant RoleBinding may never reference (tenant RoleBindings may reference only Roles). */
export const PRIVILEGED_CLUSTER_ROLES: readonly string[] = ["cluster-admin", "admin", "edit"];

/** Suffix of every generated ValidatingAdmissionPolicy and binding: `<guardrail>.tenants.ai-platform.io`. */
export const ADMISSION_DOMAIN = `tenants.${PREFIX}`;

/** kube-prometheus-stack selects ServiceMonitors and PrometheusRules by this label. */
export const PROMETHEUS_SELECTOR = { release: "kube-prometheus-stack" } as const;
