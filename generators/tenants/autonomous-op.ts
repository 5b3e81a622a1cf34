/**
 * Autonomous-OP: fleet, transport and supply-chain services with GPU inference, Kafka,
 * PostgreSQL HA and Redis (seed 004_a5d689f69b5de301.txt).
 * Departures from the seed are listed in docs/tenants/autonomous-op.md.
 */
import type { AppSpec, KedaTrigger, PortSpec, ResourcesSpec, TenantSpec, TriggerAuthSpec } from "../api/tenant.js";
import { prodPinnedByTag } from "../api/components/release.js";
import { LOG_PUSH_URL } from "../fleet/constants.js";
import { resources as res } from "../api/components/resources.js";
import { platform, wiring } from "../api/components/wiring.js";
import { postgres } from "../api/components/postgres.js";
import { METRICS, selectSeries } from "../addons/metrics.js";

const NAMESPACE = "autonomous-op";
const REGISTRY = "docker.io/nodeorb";
const VERSION = "1.0.0";
const SECRETS = "autonomous-op-secrets";
const KAFKA_BROKERS = 3;
const wire = wiring(NAMESPACE);

const springPorts = (http: number, management: number): PortSpec[] => [
  { name: "http", containerPort: http },
  { name: "management", containerPort: management },
];
const KAFKA_PORTS: readonly PortSpec[] = [
  { name: "client", containerPort: 9092 },
  { name: "controller", containerPort: 9093 },
];
const REDIS_PORTS: readonly PortSpec[] = [
  { name: "redis", containerPort: 6379 },
  { name: "cluster-bus", containerPort: 16379 },
];
const kafkaClient = wire.port({ name: "kafka", ports: KAFKA_PORTS }, "client");
const kafkaController = wire.port({ name: "kafka", ports: KAFKA_PORTS }, "controller");
const redisClient = wire.port({ name: "redis", ports: REDIS_PORTS }, "redis");
const redisBus = wire.port({ name: "redis", ports: REDIS_PORTS }, "cluster-bus");
const serviceHttp = (name: string) => wire.port({ name, ports: springPorts(8080, 8081) }, "http");
const mlServiceHttp = wire.port({ name: "ml-service", ports: springPorts(8082, 8083) }, "http");
// Fully qualified: KEDA's Kafka scaler dials it from the keda namespace, where "kafka" does not resolve (kedacore/keda#978).
const KAFKA_BOOTSTRAP = kafkaClient.fqdnHostPort;

/** Half the seed's size in dev; the seed's sizing table in staging and prod. */
const sized = (
  cpu: string,
  memory: string,
  cpuLimit: string,
  memoryLimit: string,
  dev: ResourcesSpec,
): { dev: ResourcesSpec; staging: ResourcesSpec; prod: ResourcesSpec } => ({
  dev,
  staging: res(cpu, memory, cpuLimit, memoryLimit),
  prod: res(cpu, memory, cpuLimit, memoryLimit),
});

/** Spring Boot actuator probes on the management port, as in the seed. */
const actuatorProbes = (liveDelay: number, readyDelay: number) => ({
  readiness: { http: { path: "/actuator/health/readiness", port: "management" }, initialDelaySeconds: readyDelay, periodSeconds: 5 },
  liveness: { http: { path: "/actuator/health/liveness", port: "management" }, initialDelaySeconds: liveDelay, periodSeconds: 10 },
});

/**
 * Each Spring service gets the addresses of what it calls and nothing else: Kafka and the
 * OTLP collector for all five, Redis only for autonomous-op and ml-service (the only
 * ones holding its password). Calls and env come from the same handles.
 */
const springBase = { SPRING_PROFILES_ACTIVE: "kubernetes", MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE: "health,prometheus" };
const kafkaClientEnv = {
  SPRING_KAFKA_BOOTSTRAP_SERVERS: KAFKA_BOOTSTRAP,
  SPRING_KAFKA_PROPERTIES_SECURITY_PROTOCOL: "SASL_PLAINTEXT",
  SPRING_KAFKA_PROPERTIES_SASL_MECHANISM: "PLAIN",
};
const redisClientEnv = { SPRING_DATA_REDIS_CLUSTER_NODES: redisClient.pods(3) };
// Traces go to the OpenTelemetry Collector add-on in `monitoring` (addons/catalogue/otel-collector.ts).
const tracesEnv = { OTEL_EXPORTER_OTLP_ENDPOINT: platform.otlp.url() };
const springEnv = { ...springBase, ...kafkaClientEnv, ...tracesEnv };
const springCalls = [kafkaClient.call, platform.otlp.call];

/** The seed's `autonomous-op-secrets`, now filled by an ExternalSecret. */
const datasourceEnv = {
  SPRING_DATASOURCE_URL: { secret: SECRETS, property: "spring.datasource.url" },
  SPRING_DATASOURCE_USERNAME: { secret: SECRETS, property: "spring.datasource.username" },
  SPRING_DATASOURCE_PASSWORD: { secret: SECRETS, property: "spring.datasource.password" },
};
const kafkaEnv = {
  SPRING_KAFKA_USERNAME: { secret: SECRETS, property: "spring.kafka.username" },
  SPRING_KAFKA_PASSWORD: { secret: SECRETS, property: "spring.kafka.password" },
};
const redisEnv = { SPRING_DATA_REDIS_PASSWORD: { secret: SECRETS, property: "spring.redis.password" } };

const springMonitoring = { port: "management", path: "/actuator/prometheus", interval: "30s" } as const;

/** KEDA reads consumer lag with the same client credentials the services use. */
const kafkaAuth: TriggerAuthSpec = {
  secret: SECRETS,
  parameters: { username: "spring.kafka.username", password: "spring.kafka.password" },
};
const kafkaLag = (name: string, topic: string, lagThreshold: number): KedaTrigger => ({
  kafka: {
    name,
    bootstrapServers: KAFKA_BOOTSTRAP,
    topic,
    consumerGroup: "autonomous-op",
    lagThreshold,
    offsetResetPolicy: "earliest",
    sasl: "plaintext",
    auth: kafkaAuth,
  },
});

/** A Spring Boot domain service behind the gateway: the seed's 2/5 services. */
function domainService(name: string, description: string): AppSpec {
  return {
    name,
    description,
    image: { repository: `${REGISTRY}/${name}`, tag: VERSION },
    ports: springPorts(8080, 8081),
    probes: actuatorProbes(60, 30),
    resources: sized("500m", "1Gi", "1", "2Gi", res("250m", "512Mi", "500m", "1Gi")),
    env: springEnv,
    secretEnv: { ...datasourceEnv, ...kafkaEnv },
    calls: [...springCalls],
    scaling: {
      autoscale: { min: { dev: 1, staging: 2, prod: 2 }, max: { dev: 2, staging: 3, prod: 5 }, cpuUtilization: 70, memoryUtilization: 80 },
    },
    monitoring: springMonitoring,
  };
}

const gateway: AppSpec = {
  name: "gateway",
  description: "API gateway (Spring Cloud Gateway): routes to FMS, TMS, SCM and Autonomous-OP",
  image: { repository: `${REGISTRY}/gateway`, tag: VERSION },
  ports: springPorts(8080, 8081),
  probes: actuatorProbes(60, 30),
  resources: sized("500m", "1Gi", "1", "2Gi", res("250m", "512Mi", "500m", "1Gi")),
  env: {
    SPRING_PROFILES_ACTIVE: "kubernetes",
    MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE: "health,prometheus",
    FMS_URI: serviceHttp("fms").url(),
    TMS_URI: serviceHttp("tms").url(),
    SCM_URI: serviceHttp("scm").url(),
    AUTONOMOUS_OP_URI: serviceHttp("autonomous-op").url(),
  },
  calls: ["fms", "tms", "scm", "autonomous-op"].map((n) => serviceHttp(n).call),
  scaling: { autoscale: { min: { dev: 1, staging: 2, prod: 2 }, max: { dev: 2, staging: 3, prod: 5 }, cpuUtilization: 70 } },
  exposure: {
    ingress: { host: "api", paths: [{ path: "/", port: "http" }], rateLimit: { requestsPerSecond: 200 } },
  },
  monitoring: springMonitoring,
};

const autonomousOp: AppSpec = {
  name: "autonomous-op",
  description: "Autonomous operations: consumes vehicle telemetry and route updates, calls ml-service",
  image: { repository: `${REGISTRY}/autonomous-op`, tag: VERSION },
  ports: springPorts(8080, 8081),
  probes: actuatorProbes(60, 30),
  resources: sized("1", "2Gi", "2", "4Gi", res("500m", "1Gi", "1", "2Gi")),
  env: { ...springEnv, ...redisClientEnv, ML_SERVICE_URL: mlServiceHttp.url() },
  secretEnv: { ...datasourceEnv, ...kafkaEnv, ...redisEnv },
  calls: [...springCalls, redisClient.call, mlServiceHttp.call],
  rollout: { maxSurge: 1, maxUnavailable: 0 },
  // One autoscaler: the seed's HPA and ScaledObject on this Deployment are merged into
  // one ScaledObject (KEDA creates the HPA), keeping every signal of both.
  scaling: {
    keda: {
      min: { dev: 1, staging: 2, prod: 3 },
      max: { dev: 3, staging: 5, prod: 10 },
      triggers: [
        kafkaLag("vehicle-telemetry-lag", "vehicle-telemetry", 1000),
        kafkaLag("route-updates-lag", "route-updates", 500),
        {
          prometheus: {
            name: "http-requests",
            query: `sum(rate(${selectSeries(METRICS.httpServerRequestsSecondsCount, { namespace: "autonomous-op", service: "autonomous-op" })}[2m]))`,
            threshold: "1000",
          },
        },
        { cpu: { utilization: 70 } },
        { memory: { utilization: 80 } },
      ],
      stabilization: { up: 60, down: 300 },
    },
  },
  monitoring: {
    ...springMonitoring,
    alerts: [
      {
        name: "HighCpuUsage",
        expr: 'sum(rate(container_cpu_usage_seconds_total{container="autonomous-op",namespace="autonomous-op"}[5m])) / sum(kube_pod_container_resource_limits{container="autonomous-op",namespace="autonomous-op",resource="cpu"}) * 100 > 85',
        severity: "warning",
        summary: "High CPU usage in Autonomous-OP",
        description: "CPU usage has been > 85% of the limit for 5 minutes.",
      },
      {
        name: "HighMemoryUsage",
        expr: 'sum(container_memory_working_set_bytes{container="autonomous-op",namespace="autonomous-op"}) / sum(kube_pod_container_resource_limits{container="autonomous-op",namespace="autonomous-op",resource="memory"}) * 100 > 90',
        severity: "warning",
        summary: "High memory usage in Autonomous-OP",
        description: "Memory usage has been > 90% of the limit for 5 minutes.",
      },
      {
        name: "KafkaLagTooHigh",
        expr: 'sum(kafka_consumergroup_lag{namespace="autonomous-op",consumergroup="autonomous-op",topic="vehicle-telemetry"}) > 1000',
        severity: "critical",
        summary: "Kafka consumer lag too high",
        description: "Kafka consumer lag for the vehicle-telemetry topic is > 1000.",
      },
    ],
  },
};

const mlService: AppSpec = {
  name: "ml-service",
  description: "GPU inference (TensorFlow/PyTorch) for Autonomous-OP, one NVIDIA GPU per replica",
  image: { repository: `${REGISTRY}/ml-service`, tag: VERSION },
  ports: springPorts(8082, 8083),
  probes: {
    ...actuatorProbes(90, 60),
    startup: { http: { path: "/actuator/health/liveness", port: "management" }, periodSeconds: 10, failureThreshold: 30 },
  },
  resources: sized("2", "4Gi", "4", "8Gi", res("1", "2Gi", "2", "4Gi")),
  gpus: 1,
  env: { ...springEnv, ...redisClientEnv, GPU_ENABLED: "true", TF_ENABLE_GPU: "true" },
  secretEnv: { ...kafkaEnv, ...redisEnv },
  calls: [...springCalls, redisClient.call],
  rollout: { maxSurge: 1, maxUnavailable: 0 },
  // Kubernetes cannot scale on `nvidia.com/gpu` utilization: GPU load comes from the
  // DCGM exporter through a Prometheus trigger instead, in the same (only) ScaledObject.
  scaling: {
    keda: {
      min: { dev: 1, staging: 1, prod: 2 },
      max: { dev: 2, staging: 3, prod: 6 },
      triggers: [
        {
          prometheus: {
            name: "inference-requests",
            query: `sum(rate(${selectSeries(METRICS.inferenceRequestsSecondsCount, { namespace: "autonomous-op", service: "ml-service" })}[2m]))`,
            threshold: "500",
          },
        },
        {
          prometheus: {
            name: "gpu-utilization",
            query: `avg(${selectSeries(METRICS.gpuUtilization, { namespace: "autonomous-op", container: "ml-service" })})`,
            threshold: "80",
          },
        },
        { cpu: { utilization: 70 } },
        { memory: { utilization: 80 } },
      ],
      stabilization: { up: 180, down: 600 },
    },
  },
  monitoring: {
    ...springMonitoring,
    alerts: [
      {
        name: "GPUUtilizationTooHigh",
        expr: 'avg(DCGM_FI_DEV_GPU_UTIL{exported_namespace="autonomous-op",exported_container="ml-service"}) > 90',
        for: "3m",
        severity: "critical",
        summary: "GPU utilization too high",
        description: "ml-service GPU utilization has been > 90% for 3 minutes.",
      },
    ],
  },
};

const quorumVoters = Array.from(
  { length: KAFKA_BROKERS },
  (_, i) => `${i}@${kafkaController.pod(i, { fqdn: true })}:${kafkaController.port}`,
).join(",");
// `${HOSTNAME}` is the pod's own name; the rest is the headless Service's domain.
const KAFKA_POD_DOMAIN = kafkaClient.pod(0, { fqdn: true }).replace(/^kafka-0\./, "");

const kafka: AppSpec = {
  name: "kafka",
  description: "Apache Kafka in KRaft mode: 3 combined broker/controller nodes",
  kind: "StatefulSet",
  image: { repository: "docker.io/apache/kafka", tag: "3.9.0" },
  // Node id and advertised listener come from the pod's ordinal and hostname.
  command: [
    "sh",
    "-c",
    `export KAFKA_NODE_ID="\${HOSTNAME##*-}" KAFKA_ADVERTISED_LISTENERS="CLIENT://\${HOSTNAME}.${KAFKA_POD_DOMAIN}:${kafkaClient.port}"; exec /etc/kafka/docker/run`,
  ],
  ports: KAFKA_PORTS,
  probes: {
    readiness: { tcp: { port: "client" }, initialDelaySeconds: 20 },
    liveness: { tcp: { port: "controller" }, initialDelaySeconds: 60 },
  },
  resources: sized("1", "2Gi", "2", "4Gi", res("500m", "1Gi", "1", "2Gi")),
  env: {
    CLUSTER_ID: "a3ZrLW9wLWthZmthLTAw",
    KAFKA_PROCESS_ROLES: "broker,controller",
    KAFKA_CONTROLLER_QUORUM_VOTERS: quorumVoters,
    KAFKA_LISTENERS: "CLIENT://:9092,CONTROLLER://:9093",
    KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: "CLIENT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
    KAFKA_CONTROLLER_LISTENER_NAMES: "CONTROLLER",
    KAFKA_INTER_BROKER_LISTENER_NAME: "CLIENT",
    KAFKA_SASL_ENABLED_MECHANISMS: "PLAIN",
    KAFKA_SASL_MECHANISM_INTER_BROKER_PROTOCOL: "PLAIN",
    KAFKA_OPTS: "-Djava.security.auth.login.config=/etc/kafka/jaas/server-jaas.conf",
    KAFKA_LOG_DIRS: "/var/lib/kafka/data",
    KAFKA_DEFAULT_REPLICATION_FACTOR: String(KAFKA_BROKERS),
    KAFKA_MIN_INSYNC_REPLICAS: "2",
    KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: String(KAFKA_BROKERS),
    KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: String(KAFKA_BROKERS),
    KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: "2",
    KAFKA_NUM_PARTITIONS: "6",
    KAFKA_HEAP_OPTS: "-Xms1g -Xmx1g",
  },
  // The JAAS file holds the broker's and clients' SASL/PLAIN users; it comes from Secrets Manager.
  secretMounts: [{ secret: "kafka-server", mountPath: "/etc/kafka/jaas" }],
  storage: [{ name: "data", size: "100Gi", mountPath: "/var/lib/kafka/data" }],
  durability: { targets: { rpo: "1h", rto: "1h" } },
  // The image renders server.properties and log4j config into /opt/kafka/config at start.
  scratch: [{ name: "config", mountPath: "/opt/kafka/config", sizeLimit: "64Mi" }],
  securityContext: { runAsUser: 1000 },
  // The KRaft quorum voter list names exactly 3 nodes: the same in every environment.
  scaling: { replicas: KAFKA_BROKERS },
  exposure: { headless: true },
  rollout: { podManagementPolicy: "Parallel" },
  // Brokers replicate on the client listener and vote on the controller listener; KEDA's Kafka scaler reads lag.
  calls: [kafkaClient.call, kafkaController.call],
  network: { ingress: [{ from: [{ namespace: "keda" }], ports: ["client"] }] },
};

const kafkaExporter: AppSpec = {
  name: "kafka-exporter",
  description: "Kafka consumer-lag exporter for the KafkaLagTooHigh alert",
  image: { repository: "docker.io/danielqsj/kafka-exporter", tag: "v1.8.0" },
  args: [
    `--kafka.server=${KAFKA_BOOTSTRAP}`,
    "--sasl.enabled",
    "--sasl.mechanism=plain",
    "--sasl.username=$(KAFKA_USERNAME)",
    "--sasl.password=$(KAFKA_PASSWORD)",
  ],
  ports: [{ name: "metrics", containerPort: 9308 }],
  resources: res("50m", "64Mi", "200m", "128Mi"),
  calls: [kafkaClient.call],
  secretEnv: {
    KAFKA_USERNAME: { secret: SECRETS, property: "spring.kafka.username" },
    KAFKA_PASSWORD: { secret: SECRETS, property: "spring.kafka.password" },
  },
  scaling: { replicas: 1 },
  monitoring: { port: "metrics" },
};

/**
 * PostgreSQL 15 on CloudNativePG ("PostgreSQL HA" in the seed): three instances across zones with
 * automatic failover, WAL archived to S3. The services' `spring.datasource.url` (Secrets Manager) names
 * the Pooler: jdbc:postgresql://postgres-pooler:5432/autonomous_op (docs/tenants/autonomous-op.md).
 * Its clients get both sides of their NetworkPolicies from the list below.
 */
const DB = postgres({
  name: "postgres",
  description: "PostgreSQL 15: the FMS, TMS, SCM and gateway store",
  version: "15.10",
  database: "autonomous_op",
  owner: "autonomous_op",
  password: { secret: SECRETS, property: "spring.datasource.password" },
  instances: { dev: 1, staging: 3, prod: 3 },
  storage: "100Gi",
  resources: sized("1", "4Gi", "2", "8Gi", res("500m", "1Gi", "1", "2Gi")),
  clients: [{ app: "autonomous-op" }, { app: "fms" }, { app: "tms" }, { app: "scm" }],
});

const redis: AppSpec = {
  name: "redis",
  description: "Redis 7 Cluster: three masters, one per zone",
  kind: "StatefulSet",
  image: { repository: "docker.io/library/redis", tag: "7.0.15" },
  // Nodes announce stable headless-Service hostnames, so the cluster survives pod IP changes.
  command: [
    "sh",
    "-c",
    [
      "exec redis-server",
      "--cluster-enabled yes --cluster-config-file /data/nodes.conf --cluster-node-timeout 5000",
      `--cluster-announce-hostname "\${HOSTNAME}.${redisClient.pod(0, { fqdn: true }).replace(/^redis-0\./, "")}" --cluster-preferred-endpoint-type hostname`,
      "--appendonly yes --dir /data",
      '--requirepass "$REDIS_PASSWORD" --masterauth "$REDIS_PASSWORD"',
    ].join(" "),
  ],
  ports: REDIS_PORTS,
  resources: sized("500m", "1Gi", "1", "2Gi", res("250m", "512Mi", "500m", "1Gi")),
  secretEnv: { REDIS_PASSWORD: { secret: SECRETS, property: "spring.redis.password" } },
  storage: [{ name: "data", size: "20Gi", mountPath: "/data" }],
  durability: { targets: { rpo: "1h", rto: "1h" } },
  securityContext: { runAsUser: 999 },
  scaling: { replicas: 3 },
  exposure: { headless: true },
  rollout: { podManagementPolicy: "Parallel" },
  // Cluster nodes gossip on the bus and redirect clients among themselves.
  calls: [redisClient.call, redisBus.call],
};

const PROMTAIL = `server:
  http_listen_port: 9080
  grpc_listen_port: 0
positions:
  filename: /tmp/positions.yaml
clients:
  - url: ${LOG_PUSH_URL}
scrape_configs:
  - job_name: kubernetes-pods
    kubernetes_sd_configs:
      - role: pod
        namespaces:
          names: [${NAMESPACE}]
    relabel_configs:
      - source_labels: [__meta_kubernetes_pod_label_app_kubernetes_io_name]
        target_label: app
      - source_labels: [__meta_kubernetes_pod_name]
        target_label: pod
      - source_labels: [__meta_kubernetes_namespace]
        target_label: namespace
      - source_labels: [__meta_kubernetes_pod_container_name]
        target_label: container
      - source_labels: [__meta_kubernetes_pod_uid, __meta_kubernetes_pod_container_name]
        separator: /
        replacement: /var/log/pods/*$1/*.log
        target_label: __path__
`;

const APPS: readonly AppSpec[] = [
  gateway,
  domainService("fms", "Fleet management service (Spring Boot)"),
  domainService("tms", "Transport management service (Spring Boot)"),
  domainService("scm", "Supply-chain management service (Spring Boot)"),
  autonomousOp,
  mlService,
  kafka,
  kafkaExporter,
  redis,
];

export const autonomousOpTenant: TenantSpec = {
  name: "autonomous-op",
  namespace: NAMESPACE,
  description: "Autonomous-OP: gateway, FMS/TMS/SCM, autonomous operations and GPU inference on Kafka, PostgreSQL HA and Redis.",
  seed: "004_a5d689f69b5de301.txt",
  apps: APPS,
  databases: [DB],
  exceptions: prodPinnedByTag(NAMESPACE, { apps: APPS }),
  secrets: [
    {
      name: SECRETS,
      remoteKey: "autonomous-op",
      properties: [
        "spring.datasource.url",
        "spring.datasource.username",
        "spring.datasource.password",
        "spring.kafka.username",
        "spring.kafka.password",
        "spring.redis.password",
      ],
    },
    { name: "kafka-server", remoteKey: "kafka-server", properties: ["server-jaas.conf"] },
  ],
  configMaps: [{ name: "promtail-config", files: { "promtail.yaml": PROMTAIL } }],
};
