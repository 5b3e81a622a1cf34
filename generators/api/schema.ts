/**
 * The runtime description of the tenant API (tenant.ts); the fleet API's is schema-fleet.ts.
 * `fields<T>()` makes the compiler hold each object description to its interface, so
 * this file and the interfaces cannot drift; `walk` (shape.ts) then holds every tenant
 * and fleet source to it at generate time, without `tsc`.
 */
import { ENVIRONMENTS } from "../fleet/fleet.js";
import type { JobCall } from "./wiring.js";
import { call, externalSpec, peer } from "./schema-wiring.js";
import type { PolicyException } from "./exception.js";
import { databaseDesc, durabilityDesc } from "./schema-database.js";
import type {
  AlertSpec,
  ApiAccessSpec,
  ConfigFilesSpec,
  ConfigMapSpec,
  CorsSpec,
  DashboardSpec,
  ExposureSpec,
  ImageSpec,
  IngressSpec,
  InitContainerSpec,
  JobSpec,
  JobStepSpec,
  MeshSpec,
  MonitoringSpec,
  NetworkSpec,
  PortSpec,
  ProbesSpec,
  QuotaSpec,
  RateLimitSpec,
  ResourcesSpec,
  RolloutSpec,
  ScratchSpec,
  SecretSpec,
  SecurityContextSpec,
  StorageSpec,
  TenantSpec,
  TrafficSpec,
  TriggerAuthSpec,
  VpaSpec,
  AppSpec,
} from "./tenant.js";
import {
  array,
  boolean,
  either,
  fields,
  integer,
  map,
  oneOfValues,
  opt,
  perEnv,
  req,
  string,
  unknown,
  walk,
  type Desc,
  type ShapeProblem,
} from "./shape.js";

type Requests = ResourcesSpec["requests"];
type Limits = ResourcesSpec["limits"];
type Retries = NonNullable<TrafficSpec["retries"]>;
type Outlier = NonNullable<TrafficSpec["outlierDetection"]>;
type Pool = NonNullable<TrafficSpec["connectionPool"]>;
type Gateway = NonNullable<TrafficSpec["gateway"]>;
type GatewayPath = Gateway["paths"][number];
type SecretRef = { secret: string; property: string };
type SecretMount = NonNullable<AppSpec["secretMounts"]>[number];
type IngressPath = IngressSpec["paths"][number];
type IngressRule = NonNullable<NetworkSpec["ingress"]>[number];
type ExposeRule = NonNullable<NetworkSpec["exposeTo"]>[number];
type Rule = ApiAccessSpec["rules"][number];
type Bounds = { cpu?: string; memory?: string };
type Stabilization = { up?: number; down?: number };
type PodMetric = { metric: string; averageValue: string };
type ContainerDefaults = NonNullable<QuotaSpec["containerDefaults"]>;

const requests = fields<Requests>({ cpu: req(string), memory: req(string) });
const limits = fields<Limits>({ cpu: opt(string), memory: req(string) });
const resources = fields<ResourcesSpec>({ requests: req(requests), limits: req(limits) });
const bounds = fields<Bounds>({ cpu: opt(string), memory: opt(string) });
const image = fields<ImageSpec>({ repository: req(string), tag: req(string), digest: opt(string) });
const secretRef = fields<SecretRef>({ secret: req(string), property: req(string) });
const stabilization = fields<Stabilization>({ up: opt(integer), down: opt(integer) });
const triggerAuth = fields<TriggerAuthSpec>({ secret: req(string), parameters: req(map(string)) });
const PROTOCOLS = ["TCP", "UDP"];

const probeTiming = { initialDelaySeconds: opt(integer), periodSeconds: opt(integer), failureThreshold: opt(integer) };
/** ProbeSpec: exactly one of http, tcp, exec. */
const probe: Desc = {
  t: "oneOf",
  variants: {
    http: { d: fields<{ path: string; port: string }>({ path: req(string), port: req(string) }) },
    tcp: { d: fields<{ port: string }>({ port: req(string) }) },
    exec: { d: fields<{ command: readonly string[] }>({ command: req(array(string)) }) },
  },
  shared: probeTiming,
};

const kafka = fields<NonNullable<import("./tenant.js").KafkaLagTrigger["kafka"]>>({
  name: req(string),
  bootstrapServers: req(string),
  topic: req(string),
  consumerGroup: req(string),
  lagThreshold: req(integer),
  offsetResetPolicy: opt(oneOfValues("earliest", "latest")),
  sasl: opt(oneOfValues("none", "plaintext", "scram_sha256", "scram_sha512")),
  auth: opt(triggerAuth),
});
const prometheus = fields<import("./tenant.js").PrometheusTrigger["prometheus"]>({
  name: req(string),
  query: req(string),
  threshold: req(string),
  serverAddress: opt(string),
  auth: opt(triggerAuth),
});
/** KedaTrigger: exactly one of kafka, prometheus, cpu, memory. */
const trigger: Desc = {
  t: "oneOf",
  variants: {
    kafka: { d: kafka },
    prometheus: { d: prometheus },
    cpu: { d: fields<{ utilization: number }>({ utilization: req(integer) }) },
    memory: { d: fields<{ utilization: number }>({ utilization: req(integer) }) },
  },
};

const autoscale = fields<import("./tenant.js").AutoScaling["autoscale"]>({
  min: req(perEnv(integer)),
  max: req(perEnv(integer)),
  cpuUtilization: opt(integer),
  memoryUtilization: opt(integer),
  podMetrics: opt(array(fields<PodMetric>({ metric: req(string), averageValue: req(string) }))),
  stabilization: opt(stabilization),
});
const keda = fields<import("./tenant.js").EventScaling["keda"]>({
  min: req(perEnv(integer)),
  max: req(perEnv(integer)),
  triggers: req(array(trigger)),
  pollingInterval: opt(integer),
  stabilization: opt(stabilization),
});
/** ScalingSpec: exactly one of replicas, autoscale, keda. */
const scaling: Desc = { t: "oneOf", variants: { replicas: { d: perEnv(integer) }, autoscale: { d: autoscale }, keda: { d: keda } } };

const traffic = fields<TrafficSpec>({
  timeout: opt(string),
  retries: opt(fields<Retries>({ attempts: req(integer), perTryTimeout: opt(string), retryOn: opt(string) })),
  loadBalancer: opt(oneOfValues("LEAST_REQUEST", "ROUND_ROBIN", "RANDOM")),
  outlierDetection: opt(
    fields<Outlier>({
      consecutive5xxErrors: opt(integer),
      interval: opt(string),
      baseEjectionTime: opt(string),
      maxEjectionPercent: opt(integer),
    }),
  ),
  connectionPool: opt(
    fields<Pool>({ maxConnections: opt(integer), http1MaxPendingRequests: opt(integer), maxRequestsPerConnection: opt(integer) }),
  ),
  port: opt(string),
  gateway: opt(fields<Gateway>({ host: req(string), paths: req(array(fields<GatewayPath>({ path: req(string), port: req(string) }))) })),
});

const app = fields<AppSpec>({
  name: req(string),
  description: opt(string),
  kind: opt(oneOfValues("Deployment", "StatefulSet")),
  image: req(image),
  command: opt(array(string)),
  args: opt(array(string)),
  ports: req(
    array(
      fields<PortSpec>({
        name: req(string),
        containerPort: req(integer),
        servicePort: opt(integer),
        protocol: opt(oneOfValues(...PROTOCOLS)),
      }),
    ),
  ),
  probes: opt(fields<ProbesSpec>({ readiness: opt(probe), liveness: opt(probe), startup: opt(probe) })),
  resources: req(perEnv(resources)),
  gpus: opt(integer),
  env: opt(map(string)),
  configFiles: opt(array(fields<ConfigFilesSpec>({ name: req(string), mountPath: req(string), files: req(map(string)) }))),
  secretEnv: opt(map(secretRef)),
  secretMounts: opt(array(fields<SecretMount>({ secret: req(string), mountPath: req(string) }))),
  storage: opt(
    array(
      fields<StorageSpec>({
        name: req(string),
        size: req(string),
        mountPath: req(string),
        storageClass: opt(string),
        accessMode: opt(oneOfValues("ReadWriteOnce", "ReadWriteMany", "ReadOnlyMany", "ReadWriteOncePod")),
      }),
    ),
  ),
  durability: opt(durabilityDesc),
  scratch: opt(array(fields<ScratchSpec>({ name: req(string), mountPath: req(string), sizeLimit: opt(string), memory: opt(boolean) }))),
  scaling: req(scaling),
  vpa: opt(
    fields<VpaSpec>({
      mode: opt(oneOfValues("Off", "Initial", "Recreate", "InPlaceOrRecreate")),
      minAllowed: opt(bounds),
      maxAllowed: opt(bounds),
    }),
  ),
  exposure: opt(
    fields<ExposureSpec>({
      serviceType: opt(oneOfValues("ClusterIP", "LoadBalancer")),
      headless: opt(boolean),
      ingress: opt(
        fields<IngressSpec>({
          host: req(string),
          paths: req(array(fields<IngressPath>({ path: req(string), port: req(string), pathType: opt(oneOfValues("Prefix", "Exact")) }))),
          rateLimit: opt(fields<RateLimitSpec>({ requestsPerSecond: req(integer), burst: opt(integer) })),
          cors: opt(
            fields<CorsSpec>({
              allowOrigins: req(array(string)),
              allowMethods: req(array(string)),
              allowHeaders: opt(array(string)),
              exposeHeaders: opt(array(string)),
              allowCredentials: opt(boolean),
              maxAge: opt(integer),
            }),
          ),
          maxBodySize: opt(string),
        }),
      ),
    }),
  ),
  calls: opt(array(call)),
  network: opt(
    fields<NetworkSpec>({
      ingress: opt(array(fields<IngressRule>({ from: req(array(peer)), ports: req(array(string)) }))),
      exposeTo: opt(array(fields<ExposeRule>({ tenants: req(array(string)), ports: req(array(string)) }))),
    }),
  ),
  monitoring: opt(
    fields<MonitoringSpec>({
      port: req(string),
      path: opt(string),
      interval: opt(string),
      alerts: opt(
        array(
          fields<AlertSpec>({
            name: req(string),
            expr: req(string),
            for: opt(string),
            severity: req(oneOfValues("info", "warning", "critical")),
            summary: req(string),
            description: req(string),
          }),
        ),
      ),
    }),
  ),
  apiAccess: opt(
    fields<ApiAccessSpec>({
      rules: req(array(fields<Rule>({ apiGroups: req(array(string)), resources: req(array(string)), verbs: req(array(string)) }))),
    }),
  ),
  securityContext: opt(
    fields<SecurityContextSpec>({
      runAsUser: opt(integer),
      runAsGroup: opt(integer),
      fsGroup: opt(integer),
      readOnlyRootFilesystem: opt(boolean),
    }),
  ),
  initContainers: opt(
    array(fields<InitContainerSpec>({ name: req(string), image: opt(image), command: req(array(string)), mounts: opt(array(string)) })),
  ),
  rollout: opt(
    fields<RolloutSpec>({
      maxSurge: opt(either(string, integer)),
      maxUnavailable: opt(either(string, integer)),
      podManagementPolicy: opt(oneOfValues("OrderedReady", "Parallel")),
    }),
  ),
  spread: opt(oneOfValues("zone-preferred", "zone-required")),
  traffic: opt(traffic),
});

const quota = fields<QuotaSpec>({
  requests: req(requests),
  limits: req(limits),
  pods: opt(integer),
  persistentVolumeClaims: opt(integer),
  storage: opt(string),
  containerDefaults: opt(
    fields<ContainerDefaults>({
      requests: req(requests),
      limits: req(fields<ContainerDefaults["limits"]>({ cpu: req(string), memory: req(string) })),
    }),
  ),
  containerMax: opt(bounds),
});

const job = fields<JobSpec>({
  name: req(string),
  description: opt(string),
  schedule: opt(string),
  steps: req(
    array(
      fields<JobStepSpec>({
        name: req(string),
        image: req(image),
        command: req(array(string)),
        args: opt(array(string)),
        env: opt(map(string)),
        secretEnv: opt(map(secretRef)),
        resources: opt(resources),
      }),
    ),
  ),
  backoffLimit: opt(integer),
  activeDeadlineSeconds: opt(integer),
  workSize: opt(string),
  calls: opt(array(fields<JobCall>({ external: req(externalSpec) }))),
  runAsUser: opt(integer),
  s3Write: opt(array(string)),
});

const exception = fields<PolicyException>({
  rule: req(string),
  cluster: opt(string),
  object: req(string),
  reason: req(string),
  expires: opt(string),
});

const database = databaseDesc(resources);

export const TENANT_SCHEMA: Desc = fields<TenantSpec>({
  name: req(string),
  namespace: opt(string),
  description: req(string),
  seed: opt(string),
  apps: req(array(app)),
  secrets: opt(
    array(fields<SecretSpec>({ name: req(string), remoteKey: req(string), properties: req(array(string)), refreshInterval: opt(string) })),
  ),
  dashboards: opt(array(fields<DashboardSpec>({ name: req(string), dashboard: req(map(unknown)) }))),
  configMaps: opt(array(fields<ConfigMapSpec>({ name: req(string), files: req(map(string)) }))),
  exceptions: opt(array(exception)),
  mesh: opt(
    fields<MeshSpec>({
      mtls: opt(oneOfValues("STRICT", "PERMISSIVE")),
      gatewayNamespace: opt(string),
      gatewaySelector: opt(map(string)),
      gatewayServiceAccount: opt(string),
      sidecarResources: opt(resources),
    }),
  ),
  quota: opt(perEnv(quota)),
  jobs: opt(array(job)),
  databases: opt(array(database)),
});

/** Every departure of a tenant spec from the tenant API. */
export function tenantShapeProblems(spec: unknown): ShapeProblem[] {
  const out: ShapeProblem[] = [];
  walk(spec, TENANT_SCHEMA, "", out, ENVIRONMENTS);
  return out;
}
