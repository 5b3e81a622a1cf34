/**
 * The typed tenant API: what a tenant declares about the apps it runs. Builders turn
 * it into Kubernetes objects with secure defaults; every option says its default.
 */
import type { Env } from "../fleet/fleet.js";

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
  /** Writable scratch directories (the root filesystem is read-only). @default /tmp only */
  scratch?: readonly ScratchSpec[];
  /** Replicas, fixed or autoscaled. */
  scaling: ScalingSpec;
  /** Vertical Pod Autoscaler. @default none */
  vpa?: VpaSpec;
  /** Service and Ingress. @default a ClusterIP Service on every port, no Ingress */
  exposure?: ExposureSpec;
  /** Who may call this app, and which external ports it may reach. @default nobody in, DNS out */
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

export type ProbeSpec =
  | { http: { path: string; port: string }; initialDelaySeconds?: number; periodSeconds?: number; failureThreshold?: number }
  | { tcp: { port: string }; initialDelaySeconds?: number; periodSeconds?: number; failureThreshold?: number }
  | { exec: { command: readonly string[] }; initialDelaySeconds?: number; periodSeconds?: number; failureThreshold?: number };

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

export type ScalingSpec = FixedScaling | AutoScaling;

export interface FixedScaling {
  /** Replicas, optionally per environment. At least 1. */
  replicas: PerEnv<number>;
}

export interface AutoScaling {
  /** HorizontalPodAutoscaler bounds and metrics. The workload carries no spec.replicas. */
  autoscale: {
    min: PerEnv<number>;
    max: PerEnv<number>;
    /** Target average CPU utilization in percent. @default 70 when no other metric is given */
    cpuUtilization?: number;
    /** Target average memory utilization in percent. @default none */
    memoryUtilization?: number;
    /** Per-pod custom metrics from the metrics API (prometheus-adapter). @default none */
    podMetrics?: readonly { metric: string; averageValue: string }[];
    /** Scale-up and scale-down stabilization windows in seconds. @default Kubernetes' */
    stabilization?: { up?: number; down?: number };
  };
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
  /** Ingress through ingress-nginx, TLS from cert-manager. @default none */
  ingress?: IngressSpec;
}

export interface IngressSpec {
  /** First DNS label of the host; the domain rule adds tenant, cluster and zone. */
  host: string;
  /** Paths, each to one named port of this app's Service. */
  paths: readonly { path: string; port: string; pathType?: "Prefix" | "Exact" }[];
  /** Extra ingress-nginx annotations (rate limits, CORS). @default none */
  annotations?: Readonly<Record<string, string>>;
}

/** A caller in a network intent. */
export type Peer =
  /** An app of this tenant, or of another tenant when `tenant` is given. */
  | { app: string; tenant?: string }
  /** Every pod of a namespace, e.g. a shared platform service. */
  | { namespace: string }
  /** Clients by address, e.g. the VPC behind an internal load balancer. */
  | { cidr: string };

export interface NetworkSpec {
  /**
   * Callers admitted to the named ports. The callers' egress is derived from this, so
   * an intent is written once, on the callee. The ingress controller (for Ingress
   * paths) and Prometheus (for the metrics port) are admitted automatically.
   * @default nobody
   */
  ingress?: readonly { from: readonly Peer[]; ports: readonly string[] }[];
  /** Platform namespaces this app calls (e.g. Prometheus in `monitoring`), with TCP ports. @default none */
  egressTo?: readonly { namespace: string; ports: readonly number[] }[];
  /** TCP ports this app may reach outside the cluster, e.g. 443 for AWS APIs. DNS is always allowed. @default none */
  externalPorts?: readonly number[];
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
