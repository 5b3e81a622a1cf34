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
  /** Pod label that asks Istio's injector for (or, "false", against) a sidecar. */
  istioInject: "sidecar.istio.io/inject",
  podSecurityEnforce: "pod-security.kubernetes.io/enforce",
  podSecurityEnforceVersion: "pod-security.kubernetes.io/enforce-version",
  podSecurityAudit: "pod-security.kubernetes.io/audit",
  podSecurityWarn: "pod-security.kubernetes.io/warn",
  /** Set by Kubernetes on every namespace; NetworkPolicies select namespaces by it. */
  namespaceName: "kubernetes.io/metadata.name",
  karpenterNodePool: "karpenter.sh/nodepool",
  /** AWS tag on the cluster's VPC, subnets and security groups; Karpenter and the load balancer controller find them by it. */
  karpenterDiscovery: "karpenter.sh/discovery",
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
  /** On an Application: its resources are deleted with it (the explicit opt-in to Argo CD's cascade). */
  onRemoval: `${PREFIX}/on-removal`,
  /** Marks the StorageClass claims without a class get. */
  defaultStorageClass: "storageclass.kubernetes.io/is-default-class",
  /** Which controller provisions a Service of type LoadBalancer on AWS. */
  awsLoadBalancerType: "service.beta.kubernetes.io/aws-load-balancer-type",
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
} as const;

/** The folders the generator owns; it never writes or deletes outside them. */
export const GENERATED_ROOTS: readonly string[] = [PATHS.base, PATHS.overlays, PATHS.clusters, PATHS.apps];

/** Name of the tenant that carries every cluster-scoped object. */
export const PLATFORM_TENANT = "platform";

/** GPU extended resource and the taint every GPU node carries. */
export const GPU_RESOURCE = "nvidia.com/gpu";
export const GPU_TAINT = { key: GPU_RESOURCE, value: "true", effect: "NoSchedule" } as const;

/** Platform objects every tenant may reference by name. */
export const PLATFORM = {
  clusterSecretStore: "aws-secrets-manager",
  clusterIssuer: "letsencrypt-prod",
  defaultStorageClass: "fast-ssd",
  /** ReadWriteMany volumes on EFS, for data every replica of a Deployment shares. */
  sharedStorageClass: "shared-efs",
  generalNodePool: "general",
  ingressNamespace: "ingress-nginx",
  monitoringNamespace: "monitoring",
  ingressClass: "nginx",
  /** The cluster's default StorageClass (the EBS CSI driver add-on creates it): claims that name no class get it. */
  clusterDefaultStorageClass: "gp3",
  /** KEDA's operator namespace: scalers resolve trigger addresses from here. */
  kedaNamespace: "keda",
  /** kube-prometheus-stack's Prometheus Service in the monitoring namespace. */
  prometheusService: "kube-prometheus-stack-prometheus",
} as const;

/** kube-prometheus-stack selects ServiceMonitors and PrometheusRules by this label. */
export const PROMETHEUS_SELECTOR = { release: "kube-prometheus-stack" } as const;
