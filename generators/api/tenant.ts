/**
 * The typed tenant API: what a tenant declares about the apps it runs. Builders turn
 * it into Kubernetes objects with secure defaults; every option says its default.
 */
import type { CorsOption, RateLimitOption } from "../rules/edge-options.js";
import type { Env } from "../fleet/fleet.js";
import type { PolicyException } from "./exception.js";
import type { Call, ExposeRule, JobCall } from "./wiring.js";

export type { AppCall, Call, ExposeRule, ExternalCall, ExternalSpec, PlatformCall } from "./wiring.js";
import type { PodMetricName } from "../addons/metrics.js";
import type { PostgresSpec } from "./components/postgres.js";
import type { DurabilitySpec } from "./durability.js";

/** A value that may differ per environment: one value for all, or one per environment. */
export type PerEnv<T> = T | Readonly<Record<Env, T>>;

export interface TenantSpec {
  /** Tenant name: a DNS-1123 label. Names the AppProject, folders and hosts. */
  name: string;
  /** Namespace the tenant's apps run in. @default the tenant name */
  namespace?: string;
  /** One line for humans: shown on the AppProject. */
  description: string;
  /** The seed write-up this tenant was derived from (relative to shared/seeds). */
  seed?: string;
  /** The apps the tenant runs. */
  apps: readonly AppSpec[];
  /** Secrets the tenant's apps use, synced from AWS Secrets Manager by ExternalSecrets. @default none */
  secrets?: readonly SecretSpec[];
  /** Grafana dashboards, loaded by the Grafana sidecar from labelled ConfigMaps. @default none */
  dashboards?: readonly DashboardSpec[];
  /**
   * ConfigMaps of the tenant that no app of this tenant mounts, e.g. configuration a
   * platform agent (Promtail, an exporter) reads from the tenant's namespace. @default none
   */
  configMaps?: readonly ConfigMapSpec[];
  /** Reviewed exceptions to policy rules for this tenant's objects, each justified in its doc. @default none */
  exceptions?: readonly PolicyException[];
  /** Istio service mesh for the namespace: sidecars, mTLS, AuthorizationPolicies. @default no mesh */
  mesh?: MeshSpec;
  /** Namespace ResourceQuota and LimitRange, optionally per environment. @default none */
  quota?: PerEnv<QuotaSpec>;
  /** Run-to-completion Jobs (Argo CD PostSync hooks) and CronJobs (with `schedule`). @default none */
  jobs?: readonly JobSpec[];
  /** PostgreSQL databases on CloudNativePG, each one `postgres({ ... })` (api/components/postgres.ts). @default none */
  databases?: readonly PostgresSpec[];
}

export interface MeshSpec {
  /** mTLS mode of the namespace-wide PeerAuthentication. @default "STRICT" */
  mtls?: "STRICT" | "PERMISSIVE";
  /** Namespace the shared Istio ingress gateway runs in. @default "istio-ingress" */
  gatewayNamespace?: string;
  /** Pod labels of the shared Istio ingress gateway. @default { istio: "ingressgateway" } */
  gatewaySelector?: Readonly<Record<string, string>>;
  /** ServiceAccount of the shared Istio ingress gateway, admitted by AuthorizationPolicies. @default "istio-ingressgateway" */
  gatewayServiceAccount?: string;
  /** istio-proxy requests and limits on every pod (annotations); counted against the quota. @default Istio's (100m/128Mi, 2 CPU/1Gi) */
  sidecarResources?: ResourcesSpec;
}

export interface TrafficSpec {
  /** Request timeout on the VirtualService route. @default "30s" */
  timeout?: string;
  /** Retries on the VirtualService route. @default 3 attempts, 10s per try, on "5xx,reset,connect-failure,retriable-4xx" */
  retries?: { attempts: number; perTryTimeout?: string; retryOn?: string };
  /** DestinationRule load-balancing algorithm. @default "LEAST_REQUEST" */
  loadBalancer?: "LEAST_REQUEST" | "ROUND_ROBIN" | "RANDOM";
  /** Circuit breaking: eject hosts that keep failing. @default 5 consecutive 5xx, 30s interval, 30s ejection, 50% max */
  outlierDetection?: { consecutive5xxErrors?: number; interval?: string; baseEjectionTime?: string; maxEjectionPercent?: number };
  /** Connection pool limits. @default Istio's */
  connectionPool?: { maxConnections?: number; http1MaxPendingRequests?: number; maxRequestsPerConnection?: number };
  /** The port the VirtualService routes to. @default the first TCP port */
  port?: string;
  /** Also expose through the shared Istio ingress gateway; hosts follow the domain rule. @default none */
  gateway?: { host: string; paths: readonly { path: string; port: string }[] };
}

export interface QuotaSpec {
  /** Sum of container requests in the namespace. */
  requests: { cpu: string; memory: string };
  /** Sum of container limits in the namespace; CPU is optional. */
  limits: { cpu?: string; memory: string };
  /** Most pods in the namespace. @default unlimited */
  pods?: number;
  /** Most PersistentVolumeClaims. @default unlimited */
  persistentVolumeClaims?: number;
  /** Sum of requested storage. @default unlimited */
  storage?: string;
  /** Per-container defaults the LimitRange fills in when a container sets none. @default 100m/128Mi requests, 1 CPU/512Mi limits */
  containerDefaults?: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
  /** Per-container maximum the LimitRange enforces. @default none */
  containerMax?: { cpu?: string; memory?: string };
}

export interface JobSpec {
  /** Job or CronJob name, DNS-1123; its pods carry it as app.kubernetes.io/name. */
  name: string;
  /** One line on what it does; emitted as an annotation. */
  description?: string;
  /** Cron schedule (UTC). Set: a CronJob. Unset: a Job run after every Argo CD sync. @default unset */
  schedule?: string;
  /** Containers run in order in one pod; all but the last are init containers. They share /work. */
  steps: readonly JobStepSpec[];
  /** Retries before the Job fails. @default 2 */
  backoffLimit?: number;
  /** Hard deadline for one run, in seconds. @default 3600 */
  activeDeadlineSeconds?: number;
  /** Scratch size of the shared /work directory. @default "10Gi" */
  workSize?: string;
  /**
   * Hosts outside the cluster the Job calls (`external(...)` handles, e.g. S3 for a backup
   * upload), each with its reason; `range: "internet"` ones need `expires`. Apps the Job
   * calls admit it with `{ job }` peers. @default none
   */
  calls?: readonly JobCall[];
  /** Pod UID and GID. @default 10001 */
  runAsUser?: number;
  /**
   * S3 key prefixes the Job writes in its environment's backup bucket, through workload
   * identity: its ServiceAccount gets the IAM role `<env>-<tenant>-<job>` (IRSA), allowed
   * s3:PutObject below these prefixes only. No static AWS keys. @default none
   */
  s3Write?: readonly string[];
}

export interface JobStepSpec {
  /** Container name, DNS-1123. */
  name: string;
  image: ImageSpec;
  command: readonly string[];
  /** @default none */
  args?: readonly string[];
  /** Non-secret environment variables. @default none */
  env?: Readonly<Record<string, string>>;
  /** Variables from the tenant's secrets. @default none */
  secretEnv?: Readonly<Record<string, { secret: string; property: string }>>;
  /** @default 100m/256Mi requests, 1Gi memory limit */
  resources?: ResourcesSpec;
}

export interface DashboardSpec {
  /** ConfigMap name, DNS-1123. */
  name: string;
  /** Dashboard JSON model, serialized as given. */
  dashboard: Readonly<Record<string, unknown>>;
}

export interface ImagePin {
  /** Immutable-looking tag, never "latest". */
  tag: string;
  /** `sha256:` digest; when set, the image is pulled by digest. @default none */
  digest?: string;
}

export interface ImageSpec extends ImagePin {
  /** Registry and repository, without tag, e.g. "ghcr.io/uiota/offline-ai". */
  repository: string;
}

export interface AppSpec {
  /** App name: DNS-1123 label, unique in the tenant. Names workload, Service and ServiceAccount. */
  name: string;
  /** One line on what it does; emitted as an annotation. */
  description?: string;
  /** Workload kind. @default "Deployment" */
  kind?: "Deployment" | "StatefulSet";
  /** Container image; generators/release/pins.json may override the tag and digest per environment. */
  image: ImageSpec;
  /** Entrypoint override. @default the image's */
  command?: readonly string[];
  /** Arguments. @default the image's */
  args?: readonly string[];
  /** Named container ports. At least one. */
  ports: readonly PortSpec[];
  /** Probes. @default readiness and liveness on a TCP connect to the first TCP port */
  probes?: ProbesSpec;
  /** CPU and memory per container, optionally per environment. */
  resources: PerEnv<ResourcesSpec>;
  /** NVIDIA GPUs per pod. The builder adds the GPU toleration and node-pool selector. @default 0 */
  gpus?: number;
  /** Non-secret environment variables. A secret-looking name here is rejected: use `secrets`. @default none */
  env?: Readonly<Record<string, string>>;
  /** Config files, each a ConfigMap mounted as a directory. @default none */
  configFiles?: readonly ConfigFilesSpec[];
  /** Environment variables from the tenant's secrets: variable name to secret and property. @default none */
  secretEnv?: Readonly<Record<string, { secret: string; property: string }>>;
  /** Tenant secrets mounted as files, one file per property. @default none */
  secretMounts?: readonly { secret: string; mountPath: string }[];
  /** Persistent volumes: PVCs for a Deployment, volumeClaimTemplates for a StatefulSet. @default none */
  storage?: readonly StorageSpec[];
  /**
   * Required with `storage`: the RPO and RTO its volumes must meet (a Velero Schedule of the
   * namespace, api/components/volume-backup.ts: RPO and RTO of at least 1h), or
   * `recreatable: { reason }` when the data can be re-created (a model cache): then nothing backs
   * it up and the rendered objects carry the reason.
   */
  durability?: DurabilitySpec;
  /** Writable scratch directories (the root filesystem is read-only). @default /tmp only */
  scratch?: readonly ScratchSpec[];
  /** Replicas, fixed or autoscaled. */
  scaling: ScalingSpec;
  /** Vertical Pod Autoscaler. @default none */
  vpa?: VpaSpec;
  /** Service and Ingress. @default a ClusterIP Service on every port, no Ingress */
  exposure?: ExposureSpec;
  /**
   * What this app calls: other apps' ports, platform services, external hosts. Each call
   * opens the caller's egress and the callee's ingress (and its AuthorizationPolicy rule
   * when meshed); the app's addresses come from the same handles (api/components/wiring.ts).
   * @default nothing but DNS
   */
  calls?: readonly Call[];
  /** Callers that are not apps (namespaces, address ranges, Jobs) and ports exposed to other tenants. @default none */
  network?: NetworkSpec;
  /** Prometheus scraping and alerts. @default none */
  monitoring?: MonitoringSpec;
  /** Kubernetes API access. @default no token mounted, no RBAC */
  apiAccess?: ApiAccessSpec;
  /** Pod identity and filesystem. @default UID/GID 10001, read-only root filesystem */
  securityContext?: SecurityContextSpec;
  /** Containers that run to completion before the app starts. @default none */
  initContainers?: readonly InitContainerSpec[];
  /** Rolling update and StatefulSet pod management. @default maxSurge 25%, maxUnavailable 0 */
  rollout?: RolloutSpec;
  /** Zone spread: "zone-required" never places two replicas' skew above 1 (databases in prod). @default "zone-preferred" */
  spread?: "zone-preferred" | "zone-required";
  /** Istio traffic policy (VirtualService, DestinationRule); needs the tenant's `mesh`. @default none */
  traffic?: TrafficSpec;
}

export interface PortSpec {
  /** Port name: IANA_SVC_NAME (at most 15 chars, lowercase, a letter). Probes and Ingress refer to it. */
  name: string;
  /** Container port; must be unprivileged (>= 1024) under the restricted profile. */
  containerPort: number;
  /** Port the Service exposes. @default containerPort */
  servicePort?: number;
  /** @default "TCP" */
  protocol?: "TCP" | "UDP";
}

/** Timing shared by every probe kind. */
interface ProbeTiming {
  initialDelaySeconds?: number;
  periodSeconds?: number;
  failureThreshold?: number;
}

/** A probe: exactly one of `http`, `tcp`, `exec` (the others are `never`, so tsc refuses two). */
export type ProbeSpec =
  | (ProbeTiming & { http: { path: string; port: string }; tcp?: never; exec?: never })
  | (ProbeTiming & { tcp: { port: string }; http?: never; exec?: never })
  | (ProbeTiming & { exec: { command: readonly string[] }; http?: never; tcp?: never });

export interface ProbesSpec {
  /** @default TCP connect to the first TCP port */
  readiness?: ProbeSpec;
  /** @default TCP connect to the first TCP port */
  liveness?: ProbeSpec;
  /** For slow starters such as model loaders. @default none */
  startup?: ProbeSpec;
}

export interface ResourcesSpec {
  /** Requested CPU and memory: what the scheduler reserves. */
  requests: { cpu: string; memory: string };
  /** Limits. Memory is required; CPU is optional (throttling hurts latency). */
  limits: { cpu?: string; memory: string };
}

export interface ConfigFilesSpec {
  /** ConfigMap name, DNS-1123. */
  name: string;
  /** Directory to mount at. */
  mountPath: string;
  /** File name to contents. Non-secret only. */
  files: Readonly<Record<string, string>>;
}

export interface ConfigMapSpec {
  /** ConfigMap name, DNS-1123; unique among the tenant's ConfigMaps. */
  name: string;
  /** File name to contents. Non-secret only. */
  files: Readonly<Record<string, string>>;
}

export interface SecretSpec {
  /** Name of the Kubernetes Secret the ExternalSecret creates, DNS-1123. */
  name: string;
  /** Key in AWS Secrets Manager, below `<env>/<tenant>/`: environments never share credentials. */
  remoteKey: string;
  /** JSON properties of the remote secret; each becomes a key of the Secret. */
  properties: readonly string[];
  /** How often External Secrets re-reads the store. @default "1h" */
  refreshInterval?: string;
}

export interface StorageSpec {
  /** Volume name, DNS-1123; the PVC is `<app>-<name>`. */
  name: string;
  /** Requested size, e.g. "200Gi". */
  size: string;
  mountPath: string;
  /** @default "fast-ssd" */
  storageClass?: string;
  /** @default "ReadWriteOnce" */
  accessMode?: "ReadWriteOnce" | "ReadWriteMany" | "ReadOnlyMany" | "ReadWriteOncePod";
}

export interface ScratchSpec {
  name: string;
  mountPath: string;
  /** @default "1Gi" */
  sizeLimit?: string;
  /** Back it with RAM. @default false */
  memory?: boolean;
}

/**
 * One scaling variant per app, so an app can never have both an HPA and a KEDA
 * ScaledObject (KEDA creates and owns its own HPA). Each variant declares the others'
 * keys as `never`: TypeScript checks excess keys against the union as a whole, so
 * without them `{ replicas, keda }` would type-check.
 */
export type ScalingSpec = FixedScaling | AutoScaling | EventScaling;

export interface FixedScaling {
  /** Replicas, optionally per environment. At least 1. */
  replicas: PerEnv<number>;
  autoscale?: never;
  keda?: never;
}

export interface AutoScaling {
  replicas?: never;
  keda?: never;
  /** HorizontalPodAutoscaler bounds and metrics. The workload carries no spec.replicas. */
  autoscale: {
    min: PerEnv<number>;
    max: PerEnv<number>;
    /** Target average CPU utilization in percent. @default 70 when no other metric is given */
    cpuUtilization?: number;
    /** Target average memory utilization in percent. @default none */
    memoryUtilization?: number;
    /**
     * Per-pod custom metrics from the metrics API (prometheus-adapter): a metric declared in
     * generators/addons/metrics.ts, whose adapter rule is generated from the same handle. @default none
     */
    podMetrics?: readonly { metric: PodMetricName; averageValue: string }[];
    /** Scale-up and scale-down stabilization windows in seconds. @default Kubernetes' */
    stabilization?: { up?: number; down?: number };
  };
}

export interface EventScaling {
  replicas?: never;
  autoscale?: never;
  /**
   * Event-driven scaling by KEDA: one `keda.sh/v1alpha1` ScaledObject per environment
   * (KEDA creates and owns the HPA), plus a TriggerAuthentication for every trigger that
   * names credentials. The workload carries no spec.replicas and gets a PDB from `min`.
   */
  keda: {
    /** Fewest replicas, at least 1. Scale to zero is not offered: a PDB and a warm pod are wanted for every KEDA-scaled app here. */
    min: PerEnv<number>;
    /** Most replicas, at least `min`. */
    max: PerEnv<number>;
    /** What drives scaling; KEDA scales to the highest replica count any trigger asks for. At least one. */
    triggers: readonly KedaTrigger[];
    /** Seconds between trigger polls. @default 30 (KEDA's) */
    pollingInterval?: number;
    /** Scale-up and scale-down stabilization windows in seconds, on the HPA KEDA creates. @default Kubernetes' */
    stabilization?: { up?: number; down?: number };
  };
}

/** A KEDA trigger: exactly one of the keys below (the others are `never` in each variant). */
export type KedaTrigger = KafkaLagTrigger | PrometheusTrigger | CpuTrigger | MemoryTrigger;

/** Credentials a trigger reads from one tenant secret: KEDA parameter name to the secret's property. */
export interface TriggerAuthSpec {
  /** A tenant secret (from `secrets`), so the credentials come from an ExternalSecret. */
  secret: string;
  /** KEDA authentication parameter (e.g. "username", "password", "bearerToken") to property of the secret. */
  parameters: Readonly<Record<string, string>>;
}

export interface KafkaLagTrigger {
  prometheus?: never;
  cpu?: never;
  memory?: never;
  /** Consumer-group lag on a topic. */
  kafka: {
    /** Trigger name, DNS-1123, unique per app; names the TriggerAuthentication `<app>-<name>`. */
    name: string;
    /** Comma-separated `host:port` brokers, e.g. "kafka:9092". */
    bootstrapServers: string;
    topic: string;
    consumerGroup: string;
    /** Target lag per replica, a whole number of messages of at least 1. */
    lagThreshold: number;
    /** Where a group without a committed offset starts. @default "latest" */
    offsetResetPolicy?: "earliest" | "latest";
    /** SASL mechanism; anything but "none" needs `auth` with username and password. @default "none" */
    sasl?: "none" | "plaintext" | "scram_sha256" | "scram_sha512";
    /** Credentials for the brokers. @default none */
    auth?: TriggerAuthSpec;
  };
}

export interface PrometheusTrigger {
  kafka?: never;
  cpu?: never;
  memory?: never;
  /** A PromQL query whose value is compared to `threshold` per replica. */
  prometheus: {
    /** Trigger name, DNS-1123, unique per app. */
    name: string;
    /** PromQL returning one sample. */
    query: string;
    /** Target value per replica, a decimal string, e.g. "80". */
    threshold: string;
    /** Prometheus base URL. @default the platform's kube-prometheus-stack Prometheus in `monitoring` */
    serverAddress?: string;
    /** Credentials for Prometheus. @default none */
    auth?: TriggerAuthSpec;
  };
}

export interface CpuTrigger {
  kafka?: never;
  prometheus?: never;
  memory?: never;
  /** Average CPU utilization of the pods, in percent of requests (1-100+). */
  cpu: { utilization: number };
}

export interface MemoryTrigger {
  kafka?: never;
  prometheus?: never;
  cpu?: never;
  /** Average memory utilization of the pods, in percent of requests. */
  memory: { utilization: number };
}

export interface VpaSpec {
  /** "Off" only recommends; "Initial" sets requests at pod creation. @default "Off" */
  mode?: "Off" | "Initial" | "Recreate" | "InPlaceOrRecreate";
  minAllowed?: { cpu?: string; memory?: string };
  maxAllowed?: { cpu?: string; memory?: string };
}

export interface ExposureSpec {
  /** Service type. A LoadBalancer gets an internal NLB. @default "ClusterIP" */
  serviceType?: "ClusterIP" | "LoadBalancer";
  /** Also emit a headless Service `<app>-headless` (peer discovery for StatefulSets). @default true for a StatefulSet */
  headless?: boolean;
  /** Public HTTPS hosts: an HTTPRoute on the platform Gateway, TLS from cert-manager (docs/edge.md). @default none */
  ingress?: IngressSpec;
}

export interface IngressSpec {
  /** First DNS label of the host; the domain rule adds tenant, cluster and zone. */
  host: string;
  /** Paths, each to one named port of this app's Service. */
  paths: readonly { path: string; port: string; pathType?: "Prefix" | "Exact" }[];
  /** Requests per second per client address, enforced at the edge (429 beyond the burst). @default no limit */
  rateLimit?: RateLimitSpec;
  /** Cross-origin requests the edge answers for browsers, preflight included. @default no CORS headers */
  cors?: CorsSpec;
  /** Largest request body the edge accepts (413 beyond it), a quantity such as "1Mi" or "10M". @default no limit */
  maxBodySize?: string;
}

/** The edge options' one definition is rules/edge-options.ts, which validation and both edges' builders share. */
export type RateLimitSpec = RateLimitOption;
export type CorsSpec = CorsOption;

/** A caller that is not an app (apps declare their own `calls`). */
export type Peer =
  /** Every pod of a namespace, e.g. a platform controller such as KEDA's operator. */
  | { namespace: string; cidr?: never; job?: never; vpc?: never }
  /** Clients by address. Prefer `vpc` for clients inside the cluster's VPC. */
  | { cidr: string; namespace?: never; job?: never; vpc?: never }
  /** Clients inside the cluster's VPC (fleet `vpcCidr`), e.g. behind an internal load balancer. */
  | { vpc: true; namespace?: never; cidr?: never; job?: never }
  /** The pods of one of this tenant's `jobs`. */
  | { job: string; namespace?: never; cidr?: never; vpc?: never };

export interface NetworkSpec {
  /**
   * Callers that are not apps, admitted to the named ports. App-to-app traffic is declared
   * by the caller (`calls`); the ingress controller (for Ingress paths) and Prometheus (for
   * the metrics port) are admitted automatically.
   * @default nobody
   */
  ingress?: readonly { from: readonly Peer[]; ports: readonly string[] }[];
  /** Ports other tenants' apps may call; a call from another tenant to anything else is refused. @default none */
  exposeTo?: readonly ExposeRule[];
}

export interface MonitoringSpec {
  /** Name of the port Prometheus scrapes. */
  port: string;
  /** @default "/metrics" */
  path?: string;
  /** @default "30s" */
  interval?: string;
  /** PrometheusRule alerts. @default none */
  alerts?: readonly AlertSpec[];
}

export interface AlertSpec {
  /** Alert name, UpperCamelCase. */
  name: string;
  /** PromQL expression. */
  expr: string;
  /** How long it must hold. @default "5m" */
  for?: string;
  severity: "info" | "warning" | "critical";
  summary: string;
  description: string;
}

export interface ApiAccessSpec {
  /** Namespaced RBAC rules granted to the app's ServiceAccount; mounts its token. */
  rules: readonly { apiGroups: readonly string[]; resources: readonly string[]; verbs: readonly string[] }[];
}

export interface SecurityContextSpec {
  /** @default 10001 */
  runAsUser?: number;
  /** @default runAsUser */
  runAsGroup?: number;
  /** @default runAsGroup */
  fsGroup?: number;
  /** @default true */
  readOnlyRootFilesystem?: boolean;
}

export interface InitContainerSpec {
  name: string;
  /** @default the app's image */
  image?: ImageSpec;
  command: readonly string[];
  /** Volumes (storage, scratch or config names) to mount at their app mount paths. @default all */
  mounts?: readonly string[];
}

export interface RolloutSpec {
  /** @default "25%" */
  maxSurge?: string | number;
  /** @default 0 */
  maxUnavailable?: string | number;
  /** StatefulSet only. "Parallel" for peers that discover each other. @default "OrderedReady" */
  podManagementPolicy?: "OrderedReady" | "Parallel";
}
