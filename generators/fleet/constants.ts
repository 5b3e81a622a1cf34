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
  /** On an ExternalSecret: `<cluster>/<namespace>/PushSecret/<name>` that publishes what it reads (builders/certificates.ts). */
  publishedBy: `${PREFIX}/published-by`,
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
  /**
   * On a NetworkPolicy with egress to 0.0.0.0/0: each open destination as
   * `host:port until YYYY-MM-DD: reason`, one per line, from the typed externals that opened it.
   */
  openEgress: `${PREFIX}/open-egress`,
  /** Istio: run the sidecar as a native sidecar (an init container), so Jobs can complete. */
  istioNativeSidecar: "sidecar.istio.io/nativeSidecar",
  /** Istio's pod annotations that size the injected istio-proxy (istio.io "Resource Annotations"). */
  istioProxyCpu: "sidecar.istio.io/proxyCPU",
  istioProxyMemory: "sidecar.istio.io/proxyMemory",
  istioProxyCpuLimit: "sidecar.istio.io/proxyCPULimit",
  istioProxyMemoryLimit: "sidecar.istio.io/proxyMemoryLimit",
  /** Istio's traffic capture annotations: which inbound ports the sidecar intercepts. */
  istioIncludeInboundPorts: "traffic.sidecar.istio.io/includeInboundPorts",
  istioExcludeInboundPorts: "traffic.sidecar.istio.io/excludeInboundPorts",
  /** On a stateful object: its declared recovery point and time objectives (api/durability.ts), which the check proves. */
  durabilityRpo: `${PREFIX}/durability-rpo`,
  durabilityRto: `${PREFIX}/durability-rto`,
  /** On a stateful object whose data can be re-created: why it needs no backup. */
  recreatable: `${PREFIX}/recreatable`,
  /** On an ObjectStore: the AWS region of its bucket. */
  bucketRegion: `${PREFIX}/bucket-region`,
  /** On a production ObjectStore or Velero BackupStorageLocation: where S3 replication copies its objects, outside the region. */
  replicatedTo: `${PREFIX}/replicated-to`,
  /** On a StorageClass whose volumes the storage's own backups cover (EFS): the interval between them and their retention. */
  backupInterval: `${PREFIX}/backup-interval`,
  backupRetention: `${PREFIX}/backup-retention`,
  /** On a Velero Schedule: the claims (PVC or volumeClaimTemplate names, comma-separated) it is declared to protect. */
  backupCovers: `${PREFIX}/backup-covers`,
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

/**
 * V8 flags of every CLI process (package.json's scripts, the diff's base generator, the bench's
 * cold stages, the tests that start the launcher). A CLI run lasts seconds: V8 optimizes (TurboFan) functions
 * after 67,584 bytes of their bytecode ran, and on a run this short most of that compiling never
 * pays back. A budget 16× larger optimizes only code that stays hot. Measured side by side
 * (docs/performance.md): the cold gate 22.7 → 19.3 CPU s and 13.7 → 12.2 s wall; on a fleet five
 * times the committed one the check is no slower. --single-threaded saved CPU in the
 * check alone but lost wall time in the gate, so it is not used.
 */
export const CLI_NODE_FLAGS: readonly string[] = ["--interrupt-budget=1081344"];

/**
 * The writer's journal directory, at the repository root and in .gitignore: changed files
 * are staged here and a commit marker decides whether an interrupted run rolls forward or back.
 */
export const GENERATE_JOURNAL = ".generate";

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
  monitoringNamespace: "monitoring",
  /** The cluster's default StorageClass (the EBS CSI driver add-on creates it): claims that name no class get it. */
  clusterDefaultStorageClass: "gp3",
  /** KEDA's operator namespace: scalers resolve trigger addresses from here. */
  kedaNamespace: "keda",
  /** The platform's TriggerAuthentication in every tenant namespace: KEDA's AWS identity for that tenant (builders/keda-identity.ts). */
  kedaAwsAuthentication: "keda-aws",
  /** kube-prometheus-stack's Prometheus Service in the monitoring namespace. */
  prometheusService: "kube-prometheus-stack-prometheus",
} as const;

/**
 * Platform services a tenant app may call, through a typed handle
 * (`api/components/wiring.ts` `platform.*`). Each names where it runs and which pods
 * serve it, so the caller's egress is exact; `viaVpc` services are reached by address
 * (the EKS API server's endpoint ENIs sit in the cluster's VPC), so their egress is an
 * ipBlock of the cluster's `vpcCidr` (fleet data).
 */
export const PLATFORM_SERVICES = {
  /** kube-prometheus-stack's Prometheus (HTTP API). */
  prometheus: {
    namespace: "monitoring",
    service: "kube-prometheus-stack-prometheus",
    port: 9090,
    pods: { "app.kubernetes.io/name": "prometheus" },
  },
  /** kube-prometheus-stack's Alertmanager. */
  alertmanager: {
    namespace: "monitoring",
    service: "kube-prometheus-stack-alertmanager",
    port: 9093,
    pods: { "app.kubernetes.io/name": "alertmanager" },
  },
  /** The OpenTelemetry Collector add-on's OTLP/gRPC receiver (addons/catalogue/otel-collector.ts). */
  otlp: {
    namespace: "monitoring",
    service: "otel-collector",
    port: 4317,
    pods: { "app.kubernetes.io/name": "opentelemetry-collector" },
  },
  /**
   * The Kubernetes API server, through the `kubernetes` Service of `default`. No selector
   * matches EKS's control plane; its endpoint ENIs sit in the cluster's VPC subnets, so the
   * egress is the VPC range on 443 (aws/aws-network-policy-agent#281: "allow the endpoint
   * IPs behind the Kubernetes service ... or the subnet").
   */
  "kube-apiserver": { namespace: "default", service: "kubernetes", port: 443, viaVpc: true },
  /** CoreDNS; every pod may always reach it (builders/network.ts DNS_EGRESS). */
  dns: { namespace: "kube-system", service: "kube-dns", port: 53, pods: { "k8s-app": "kube-dns" } },
} as const satisfies Record<
  string,
  { namespace: string; service: string; port: number; pods?: Readonly<Record<string, string>>; viaVpc?: true }
>;
/** The name of a platform service a tenant app may call. */
export type PlatformServiceName = keyof typeof PLATFORM_SERVICES;

/**
 * Where a platform log agent would push tenants' logs (Loki's gateway in `monitoring`).
 * No log backend or agent is installed yet: autonomous-op's `promtail-config` ConfigMap
 * names it for the day one is (docs/tenants/autonomous-op.md); no pod dials it today.
 */
export const LOG_PUSH_URL = "http://loki-gateway.monitoring.svc/loki/api/v1/push";

/** The cluster DNS domain every in-cluster address ends with. */
export const CLUSTER_DOMAIN = "svc.cluster.local";

/** Backup buckets are `<prefix>-<env>`: environments never share backups. */
export const BACKUP_BUCKET_PREFIX = "ai-fleet-backups";

/** ClusterRoles a tenant RoleBinding may never reference (tenant RoleBindings may reference only Roles). */
export const PRIVILEGED_CLUSTER_ROLES: readonly string[] = ["cluster-admin", "admin", "edit"];

/** Suffix of every generated ValidatingAdmissionPolicy and binding: `<guardrail>.tenants.ai-platform.io`. */
export const ADMISSION_DOMAIN = `tenants.${PREFIX}`;
/** The in-cluster guardrails: one ValidatingAdmissionPolicy each, generated by the platform (build/admission.ts). */
export const GUARDRAILS = [
  "hosts",
  "certificates",
  "image-registries",
  "role-bindings",
  "service-exposure",
  "external-secrets",
  "priority-classes",
  "keda-auth",
] as const;
export type Guardrail = (typeof GUARDRAILS)[number];

export function admissionPolicyName(g: Guardrail): string {
  return `${g}.${ADMISSION_DOMAIN}`;
}

/**
 * The fleet's own PriorityClasses: the only ones a tenant pod may name (the priority-classes
 * guardrail), each below the system classes (2000000000+) so no tenant pod preempts the node's
 * or the cluster's critical pods. `tenant-batch` never preempts.
 */
export const PRIORITY_CLASSES = {
  standard: { name: "tenant-standard", value: 1000, preemptionPolicy: "PreemptLowerPriority" },
  batch: { name: "tenant-batch", value: 100, preemptionPolicy: "Never" },
} as const;
/** Kubernetes' built-in classes (pkg/apis/scheduling/types.go SystemNodeCritical, SystemClusterCritical): no tenant pod may use them. */
export const SYSTEM_PRIORITY_CLASSES: readonly string[] = ["system-node-critical", "system-cluster-critical"];

/** kube-prometheus-stack selects ServiceMonitors and PrometheusRules by this label. */
export const PROMETHEUS_SELECTOR = { release: "kube-prometheus-stack" } as const;

/** AWS account the fleet's clusters run in; IRSA role ARNs are built from it. */
export const AWS_ACCOUNT_ID = "111122223333";

/** The annotation through which EKS gives a ServiceAccount's pods an IAM role (IRSA). */
export const IRSA_ROLE_ANNOTATION = "eks.amazonaws.com/role-arn";

/** Argo CD's name for the API server it runs in. */
export const IN_CLUSTER = "in-cluster";
/** The project of the root Application (apps/root.yaml). */
export const BOOTSTRAP_PROJECT = "bootstrap";
/** The root app-of-apps Application. */
export const ROOT_APP = "fleet-root";
/** Folder the root Application syncs: projects and ApplicationSets. */
export const FLEET_APPS_PATH = `${PATHS.apps}/fleet`;
/** The Argo CD project every add-on Application belongs to. */
export const ADDONS_PROJECT = "addons";

/** Project of a tenant's Applications in one environment: `<tenant>-<env>`. */
export function projectName(tenant: string, env: string): string {
  return `${tenant}-${env}`;
}

/**
 * Root app-of-apps sync waves. The root moves to the next wave only when every object of
 * the previous one is Healthy (docs/argocd.md § Ordering), so each add-on wave may rely on
 * what the earlier waves installed; the bootstrap check (generators/check/bootstrap/)
 * proves it from the add-ons' models.
 */
export const WAVES = {
  projects: -30,
  /** Argo CD's own configuration (health checks, controller flags) before anything it gates. */
  argocd: -28,
  /** Cluster foundations: load balancers, CSI drivers and the default StorageClass, resource metrics, Istio CRDs and CNI. */
  addonCluster: -25,
  /** Add-ons other add-ons depend on: the Prometheus Operator's CRDs (every chart's ServiceMonitor). */
  addonFoundations: -20,
  addons: -15,
  /** Add-ons that need an earlier add-on running: the Barman Cloud plugin issues its TLS certificates through cert-manager. */
  addonPlugins: -12,
  /** Injected or load-balanced edge workloads: need istiod's injector and the load balancer controller's webhook running. */
  addonEdge: -12,
  platform: -10,
  /** kube-prometheus-stack: Grafana reads its admin Secret from the platform's ExternalSecret; its claim needs the default class. */
  monitoring: -5,
  tenants: 0,
} as const;

/** Namespace istiod runs in; sidecars fetch config and certificates from it on 15012. */
export const ISTIO_SYSTEM_NAMESPACE = "istio-system";
/** Namespace label that turns on sidecar injection (with the Istio CNI plugin, so pods stay "restricted"). */
export const ISTIO_INJECTION_LABEL = "istio-injection";
/** Where tenants' mesh ingress gateway runs unless their MeshSpec says otherwise. */
export const MESH_DEFAULTS = {
  gatewayNamespace: "istio-ingress",
  gatewaySelector: { istio: "ingressgateway" },
  gatewayServiceAccount: "istio-ingressgateway",
} as const;
/** Resources of an app's init containers, which the tenant API does not size. */
export const INIT_CONTAINER_RESOURCES = { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } } as const;
/** Resources of a Job step without its own `resources`. */
export const JOB_STEP_RESOURCES = { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "1Gi" } } as const;
/** The cluster DNS zone of Services: `<service>.<namespace>.svc.cluster.local` (kubelet's default clusterDomain). */
export const SERVICE_DOMAIN = "svc.cluster.local";
/** Per-container requests and limits a tenant namespace's LimitRange fills in when a container sets none (the tenant's `quota.containerDefaults` overrides them). */
export const LIMIT_RANGE_DEFAULTS = {
  requests: { cpu: "100m", memory: "128Mi" },
  limits: { cpu: "1", memory: "512Mi" },
} as const;

/** Istio's injector defaults for istio-proxy, used when the tenant sets no `sidecarResources`. */
export const ISTIO_SIDECAR_DEFAULTS = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "2", memory: "1Gi" } } as const;

/**
 * The platform's edge on the Gateway API (docs/edge.md): one Gateway per cluster, owned by the
 * platform, in the namespace of the Istio ingress gateway workload. It is bound to that existing
 * workload through `spec.addresses` (Istio's "manual deployment"), so the AWS load balancer in
 * front of it is the one the istio-ingressgateway Service already has.
 */
export const EDGE = {
  gatewayName: "edge",
  namespace: MESH_DEFAULTS.gatewayNamespace,
  /** The GatewayClass istiod creates and serves (PILOT_ENABLE_GATEWAY_API, on by default). */
  gatewayClass: "istio",
  /** The Service of the istio-ingressgateway add-on, as the Gateway's Hostname address. */
  address: `${MESH_DEFAULTS.gatewayServiceAccount}.${MESH_DEFAULTS.gatewayNamespace}.${SERVICE_DOMAIN}`,
} as const;

/** The Gateway API's group (kubernetes-sigs/gateway-api apis/v1). */
export const GATEWAY_API_GROUP = "gateway.networking.k8s.io";
/** CloudNativePG: the operator and its Barman Cloud plugin (same namespace, as the plugin requires). */
export const CNPG = {
  namespace: "cnpg-system",
  /** The operator's webhook Service (cloudnative-pg chart values `service.name`). */
  webhookService: "cnpg-webhook-service",
  /** The CNPG-I plugin name Clusters and ScheduledBackups refer to (plugin-barman-cloud's metadata.go). */
  barmanPlugin: "barman-cloud.cloudnative-pg.io",
  /** The plugin's gRPC Service (plugin-barman-cloud chart values `service.name`). */
  barmanService: "barman-cloud",
  /** Pod label the operator puts on every instance and job pod of a Cluster. */
  clusterLabel: "cnpg.io/cluster",
  /** Pod label the operator puts on every pod of a Pooler. */
  poolerLabel: "cnpg.io/poolerName",
  /** Pod label: `instance` on PostgreSQL pods, `pooler` on PgBouncer pods (cloudnative-pg pkg/utils/labels_annotations.go). */
  podRoleLabel: "cnpg.io/podRole",
  /** Pod label: `primary` or `replica`, moved by the operator at failover; the -rw and -ro Services select on it. */
  instanceRoleLabel: "cnpg.io/instanceRole",
  /** Instance pods: the operator's status endpoint (TLS) and the metrics exporter. */
  statusPort: 8000,
  metricsPort: 9187,
  /** PgBouncer pods: the exporter (cloudnative-pg pkg/management/url/url.go PgBouncerMetricsPort). */
  poolerMetricsPort: 9127,
  postgresPort: 5432,
} as const;

/** PostgreSQL base backups and WAL: bucket `<prefix>-<env>-<region>`, replicated out of the region in prod (S3 CRR). */
export const PG_BACKUP_BUCKET_PREFIX = "ai-fleet-pg";

/**
 * Volume snapshots and Velero (docs/restore.md "Volumes"): the CSI snapshot controller's namespace,
 * the EBS VolumeSnapshotClass Velero's CSI support selects by label, and Velero's namespace, server
 * ServiceAccount and backup bucket prefix (`<prefix>-<env>-<region>`, replicated out of the region in prod).
 */
export const VOLUME_BACKUP = {
  snapshotNamespace: "snapshot-controller",
  snapshotClass: "ebs-snapshots",
  /** The label Velero's CSI support reads to pick a driver's VolumeSnapshotClass (velero docs csi.md). */
  veleroClassLabel: "velero.io/csi-volumesnapshot-class",
  /** Makes the class the default for its driver (kubernetes-csi/external-snapshotter pkg/utils IsDefaultSnapshotClassAnnotation). */
  defaultClassAnnotation: "snapshot.storage.kubernetes.io/is-default-class",
  /** Velero skips a resource carrying this label (velero docs resource-filtering.md). */
  excludeLabel: "velero.io/exclude-from-backup",
  veleroNamespace: "velero",
  veleroServiceAccount: "velero-server",
  /** The BackupStorageLocation every Schedule writes to. */
  location: "default",
  bucketPrefix: "ai-fleet-volumes",
  /** ServiceAccount in a tenant namespace whose IAM role reads only that tenant's backups. */
  readerServiceAccount: "backup-reader",
} as const;

/** The annotations cert-manager's certificate shims order certificates for (pkg/apis/certmanager/v1 types.go). */
export const CERT_MANAGER_SHIM = {
  clusterIssuer: "cert-manager.io/cluster-issuer",
  issuer: "cert-manager.io/issuer",
  /** Comma-separated listener names a Gateway's shim skips. */
  ignoreTlsListeners: "cert-manager.io/ignore-tls-listeners",
} as const;

/**
 * A production environment's global names (`*.<tenant>.<base>`) are ordered by one cluster only
 * (`EnvSpec.globalCertificateIssuer`), which publishes each tenant's wildcard to AWS Secrets
 * Manager in every production region; the other clusters read it (builders/certificates.ts).
 */
export const GLOBAL_TLS = {
  /**
   * The Secrets Manager key `<env>/platform/certificates/<tenant>-global-tls`: under the platform's
   * path, so no tenant's store (scoped to `<env>/<tenant>/*`) can read a wildcard's private key.
   */
  remoteKey: "certificates",
  /** The ServiceAccount of the issuing cluster's publishing stores (in the gateway namespace). */
  publisherServiceAccount: "certificate-publisher",
  /** The ServiceAccount of the reading store (in the gateway namespace). */
  readerServiceAccount: "certificate-reader",
  /** Stores in the gateway namespace: `<store>-<region>` publishes to one region, `<store>` reads. */
  store: "global-certificates",
} as const;
