/**
 * MLCF: Multi-Layer Context Foundation, an API over a Qdrant vector store and a Neo4j
 * graph (seed 001_dd60393773b249bf.txt). Departures from the seed are listed in
 * docs/tenants/mlcf.md.
 */
import type { AppSpec, JobSpec, PortSpec, TenantSpec } from "../api/tenant.js";
import { prodPinnedByTag } from "../api/components/release.js";
import { httpService } from "../api/components/http-service.js";
import { resources as res } from "../api/components/resources.js";
import { BACKUP_SECRET, CURL_IMAGE, QDRANT, S3_UPLOAD, qdrantApp, qdrantBackupJob, s3UploadStep } from "../api/components/stateful.js";
import { platform, wiring } from "../api/components/wiring.js";

const wire = wiring("mlcf");
const NEO4J_PORTS: readonly PortSpec[] = [
  { name: "http", containerPort: 7474 },
  { name: "bolt", containerPort: 7687 },
  { name: "metrics", containerPort: 2004 },
  { name: "backup", containerPort: 6362 },
  { name: "discovery", containerPort: 5000 },
  { name: "transaction", containerPort: 6000 },
  { name: "raft", containerPort: 7000 },
];
const neo4jPort = (name: string) => wire.port({ name: "neo4j", ports: NEO4J_PORTS }, name);
const qdrantHttp = wire.port(QDRANT, "http");
const API_PORTS: readonly PortSpec[] = [
  { name: "http", containerPort: 8000, servicePort: 80 },
  { name: "metrics", containerPort: 9090 },
];

const NEO4J_IMAGE = { repository: "docker.io/library/neo4j", tag: "5.24.2-enterprise" } as const;
const QDRANT_KEY = { secret: "qdrant", property: "api-key" } as const;

// The HTTP service preset: `http` 8000 (Service 80), `metrics` 9090, probes on /ready and /health.
const api: AppSpec = httpService({
  name: "mlcf-api",
  description: "MLCF API: context layers over vector (Qdrant) and graph (Neo4j) search",
  image: { repository: "ghcr.io/mlcf/mlcf-api", tag: "1.0.0" },
  port: 8000,
  servicePort: 80,
  metricsPort: 9090,
  resources: res("250m", "512Mi", "1", "2Gi"),
  env: {
    MLCF_CONFIG: "/app/config/config.yaml",
    QDRANT_URL: qdrantHttp.url(),
    NEO4J_URI: neo4jPort("bolt").url("neo4j"),
  },
  // The Kubernetes API: its Role reads ConfigMaps and lists pods (the token is mounted for it).
  calls: [qdrantHttp.call, wire.port(QDRANT, "grpc").call, neo4jPort("bolt").call, neo4jPort("http").call, platform["kube-apiserver"].call],
  configFiles: [
    {
      name: "mlcf-api-config",
      mountPath: "/app/config",
      files: {
        "config.yaml": [
          "api:",
          "  host: 0.0.0.0",
          "  port: 8000",
          "  cors:",
          "    allowOrigins: []",
          "  rateLimit:",
          "    requestsPerMinute: 600",
          "auth:",
          "  jwtAlgorithm: HS256",
          "  accessTokenTtlMinutes: 30",
          "vectorSearch:",
          "  collection: contexts",
          "  topK: 20",
          "graphSearch:",
          "  maxDepth: 3",
          "layers: [session, user, organization, global]",
          "cache:",
          "  ttlSeconds: 300",
          "limits:",
          "  maxRequestBytes: 1048576",
          "",
        ].join("\n"),
      },
    },
  ],
  secretEnv: {
    JWT_SECRET_KEY: { secret: "api", property: "jwt-secret-key" },
    QDRANT_API_KEY: QDRANT_KEY,
    NEO4J_PASSWORD: { secret: "neo4j", property: "password" },
  },
  scaling: {
    autoscale: {
      min: { dev: 1, staging: 2, prod: 3 },
      max: { dev: 3, staging: 6, prod: 20 },
      cpuUtilization: 70,
      memoryUtilization: 80,
      podMetrics: [{ metric: "http_requests_per_second", averageValue: "100" }],
      stabilization: { up: 0, down: 300 },
    },
  },
  // Recommendations only: an HPA on CPU and memory owns this workload's scale.
  vpa: { mode: "Off", minAllowed: { cpu: "250m", memory: "512Mi" }, maxAllowed: { cpu: "2", memory: "4Gi" } },
  rollout: { maxSurge: 1, maxUnavailable: 0 },
  exposure: {
    ingress: {
      host: "api",
      paths: [{ path: "/", port: "http" }],
      rateLimit: { requestsPerSecond: 50 },
      cors: { allowOrigins: ["*"], allowMethods: ["GET", "POST", "PUT", "DELETE", "OPTIONS"] },
      maxBodySize: "1Mi",
    },
  },
  traffic: {
    timeout: "30s",
    retries: { attempts: 3, perTryTimeout: "10s" },
    outlierDetection: { consecutive5xxErrors: 5, interval: "30s", baseEjectionTime: "30s", maxEjectionPercent: 50 },
    connectionPool: { maxConnections: 1000, http1MaxPendingRequests: 1000, maxRequestsPerConnection: 100 },
    gateway: { host: "mesh", paths: [{ path: "/", port: "http" }] },
  },
  apiAccess: {
    rules: [
      { apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] },
      { apiGroups: [""], resources: ["pods"], verbs: ["list"] },
    ],
  },
  monitoring: {
    port: "metrics",
    alerts: [
      {
        name: "MLCFHighErrorRate",
        expr: 'sum(rate(http_requests_total{job="mlcf-api",status=~"5.."}[5m])) / sum(rate(http_requests_total{job="mlcf-api"}[5m])) > 0.05',
        severity: "critical",
        summary: "MLCF API error rate above 5%",
        description: "{{ $value | humanizePercentage }} of MLCF API requests fail.",
      },
      {
        name: "MLCFHighLatency",
        expr: 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="mlcf-api"}[5m]))) > 1',
        severity: "warning",
        summary: "MLCF API p95 latency above 1s",
        description: "p95 latency is {{ $value }}s.",
      },
      {
        name: "MLCFAPIPodsUnavailable",
        expr: 'kube_deployment_status_replicas_available{deployment="mlcf-api"} < 2',
        severity: "critical",
        summary: "Fewer than 2 MLCF API pods available",
        description: "Only {{ $value }} MLCF API pods are available.",
      },
      {
        name: "MLCFHighMemoryUsage",
        expr: 'max(container_memory_working_set_bytes{container="mlcf-api"} / container_spec_memory_limit_bytes{container="mlcf-api"}) > 0.9',
        severity: "warning",
        summary: "MLCF API memory above 90% of its limit",
        description: "An MLCF API container uses {{ $value | humanizePercentage }} of its memory limit.",
      },
      {
        name: "MLCFHighCPUUsage",
        expr: 'max(rate(container_cpu_usage_seconds_total{container="mlcf-api"}[5m]) / on (pod) group_left kube_pod_container_resource_limits{container="mlcf-api",resource="cpu"}) > 0.9',
        severity: "warning",
        summary: "MLCF API CPU above 90% of its limit",
        description: "An MLCF API container uses {{ $value | humanizePercentage }} of its CPU limit.",
      },
    ],
  },
  network: {
    // The health of the API is checked after every sync.
    ingress: [{ from: [{ job: "health-check" }], ports: ["http"] }],
  },
});

const qdrant: AppSpec = qdrantApp({
  namespace: "mlcf",
  apiKey: QDRANT_KEY,
  dataSize: "50Gi",
  snapshotSize: "20Gi",
  resources: res("500m", "1Gi", "2", "4Gi"),
  replicas: 3,
  backupJob: "qdrant-backup",
  durability: { targets: { rpo: "1h", rto: "1h" } },
});

const neo4j: AppSpec = {
  name: "neo4j",
  description: "Neo4j causal cluster (three primaries) with APOC",
  kind: "StatefulSet",
  image: NEO4J_IMAGE,
  // The entrypoint derives the advertised address from the pod's stable DNS name.
  command: ["/bin/bash", "-c"],
  args: ['export NEO4J_server_default__advertised__address="$(hostname -f)"\nexec /startup/docker-entrypoint.sh neo4j'],
  ports: NEO4J_PORTS,
  probes: {
    readiness: { tcp: { port: "bolt" }, periodSeconds: 10 },
    liveness: { tcp: { port: "bolt" }, initialDelaySeconds: 60, periodSeconds: 20 },
    startup: { tcp: { port: "bolt" }, periodSeconds: 10, failureThreshold: 60 },
  },
  resources: res("1", "2Gi", "4", "8Gi"),
  env: {
    NEO4J_ACCEPT_LICENSE_AGREEMENT: "yes",
    NEO4J_initial_dbms_default__primaries__count: "3",
    NEO4J_dbms_cluster_discovery_endpoints: neo4jPort("discovery").pods(3),
    NEO4J_server_metrics_prometheus_enabled: "true",
    NEO4J_server_metrics_prometheus_endpoint: "0.0.0.0:2004",
    NEO4J_server_backup_enabled: "true",
    NEO4J_server_backup_listen__address: "0.0.0.0:6362",
    NEO4J_dbms_security_procedures_allowlist: "apoc.*",
    NEO4J_server_directories_plugins: "/plugins",
    NEO4J_server_memory_heap_max__size: "4G",
    NEO4J_server_memory_pagecache_size: "2G",
  },
  secretEnv: { NEO4J_AUTH: { secret: "neo4j", property: "auth" } },
  storage: [
    { name: "data", size: "100Gi", mountPath: "/data" },
    { name: "logs", size: "10Gi", mountPath: "/logs" },
  ],
  durability: { targets: { rpo: "1h", rto: "1h" } },
  scratch: [{ name: "plugins", mountPath: "/plugins", sizeLimit: "256Mi" }],
  // APOC core ships inside the image (labs/); copying it needs no download at start.
  initContainers: [
    { name: "install-apoc", command: ["/bin/sh", "-c", "cp /var/lib/neo4j/labs/apoc-*-core.jar /plugins/"], mounts: ["plugins"] },
  ],
  // The Neo4j entrypoint rewrites conf/ at start, so the root filesystem stays writable.
  securityContext: { runAsUser: 7474, readOnlyRootFilesystem: false },
  // Three primaries in every environment: a causal cluster needs a Raft majority.
  scaling: { replicas: 3 },
  spread: "zone-required",
  rollout: { podManagementPolicy: "Parallel" },
  vpa: { mode: "Off", minAllowed: { cpu: "1", memory: "2Gi" }, maxAllowed: { cpu: "8", memory: "16Gi" } },
  // Cluster members talk to each other on these four.
  calls: ["bolt", "discovery", "transaction", "raft"].map((p) => neo4jPort(p).call),
  network: { ingress: [{ from: [{ job: "neo4j-backup" }], ports: ["backup"] }] },
  monitoring: {
    port: "metrics",
    alerts: [
      {
        name: "Neo4jNodeDown",
        expr: 'kube_statefulset_status_replicas_ready{statefulset="neo4j"} < kube_statefulset_replicas{statefulset="neo4j"}',
        severity: "critical",
        summary: "A Neo4j cluster member is down",
        description: "{{ $value }} Neo4j members are ready; the cluster keeps quorum with two of three.",
      },
      {
        name: "Neo4jMemoryPressure",
        expr: 'max(container_memory_working_set_bytes{container="neo4j"} / container_spec_memory_limit_bytes{container="neo4j"}) > 0.9',
        for: "10m",
        severity: "warning",
        summary: "Neo4j memory above 90% of its limit",
        description: "A Neo4j member uses {{ $value | humanizePercentage }} of its memory limit.",
      },
    ],
  },
};
// Qdrant also runs a VPA in recommendation mode, like the seed's.
const qdrantWithVpa: AppSpec = {
  ...qdrant,
  vpa: { mode: "Off", minAllowed: { cpu: "500m", memory: "1Gi" }, maxAllowed: { cpu: "4", memory: "8Gi" } },
};

const JOBS: readonly JobSpec[] = [
  {
    name: "health-check",
    description: "Calls the API's health endpoint after every sync",
    steps: [
      {
        name: "check",
        image: CURL_IMAGE,
        command: [
          "curl",
          "-fsS",
          "--retry",
          "10",
          "--retry-all-errors",
          "--retry-delay",
          "6",
          `${wire.port({ name: "mlcf-api", ports: API_PORTS }, "http").url()}/health`,
        ],
      },
    ],
    backoffLimit: 1,
    activeDeadlineSeconds: 300,
  },
  qdrantBackupJob("qdrant-backup", "0 */6 * * *", "mlcf", QDRANT_KEY),
  {
    name: "neo4j-backup",
    description: "Online full backup of the Neo4j cluster, uploaded to S3",
    schedule: "30 2 * * *",
    runAsUser: 7474,
    steps: [
      {
        name: "backup",
        image: NEO4J_IMAGE,
        command: ["/bin/bash", "-c"],
        args: [`neo4j-admin database backup --from=${neo4jPort("backup").pods(3)} --to-path=/work --include-metadata=all '*'`],
        env: { NEO4J_ACCEPT_LICENSE_AGREEMENT: "yes", HOME: "/tmp" },
        resources: res("500m", "1Gi", "2", "4Gi"),
      },
      s3UploadStep(BACKUP_SECRET.name, "mlcf/neo4j"),
    ],
    workSize: "110Gi",
    calls: [S3_UPLOAD.call],
    s3Write: ["mlcf/neo4j"],
  },
];

const APPS: readonly AppSpec[] = [api, qdrantWithVpa, neo4j];

export const mlcf: TenantSpec = {
  name: "mlcf",
  description: "MLCF: Multi-Layer Context Foundation API with a Qdrant vector store and a Neo4j causal cluster.",
  seed: "001_dd60393773b249bf.txt",
  apps: APPS,
  exceptions: prodPinnedByTag("mlcf", { apps: APPS, jobs: JOBS }),
  mesh: {},
  secrets: [
    { name: "api", remoteKey: "api", properties: ["jwt-secret-key"] },
    { name: "qdrant", remoteKey: "qdrant", properties: ["api-key"] },
    // `auth` is "neo4j/<password>", the form NEO4J_AUTH takes; `password` is the same password alone.
    { name: "neo4j", remoteKey: "neo4j", properties: ["auth", "password"] },
    { ...BACKUP_SECRET, properties: [...BACKUP_SECRET.properties] },
  ],
  jobs: JOBS,
  dashboards: [
    {
      name: "mlcf-overview",
      dashboard: {
        title: "MLCF Overview",
        tags: ["mlcf"],
        timezone: "utc",
        panels: [
          {
            title: "Request rate",
            type: "timeseries",
            targets: [{ expr: 'sum(rate(http_requests_total{job="mlcf-api"}[5m]))', legendFormat: "requests/s" }],
          },
          {
            title: "Error rate",
            type: "timeseries",
            targets: [
              {
                expr: 'sum(rate(http_requests_total{job="mlcf-api",status=~"5.."}[5m])) / sum(rate(http_requests_total{job="mlcf-api"}[5m]))',
                legendFormat: "5xx ratio",
              },
            ],
          },
          {
            title: "Response time percentiles",
            type: "timeseries",
            targets: [0.5, 0.95, 0.99].map((q) => ({
              expr: `histogram_quantile(${q}, sum by (le) (rate(http_request_duration_seconds_bucket{job="mlcf-api"}[5m])))`,
              legendFormat: `p${q * 100}`,
            })),
          },
          {
            title: "Active pods",
            type: "stat",
            targets: [{ expr: 'sum by (container) (kube_pod_container_status_ready{namespace="mlcf"})', legendFormat: "{{container}}" }],
          },
          {
            title: "Memory",
            type: "timeseries",
            targets: [
              {
                expr: 'sum by (container) (container_memory_working_set_bytes{namespace="mlcf",container!=""})',
                legendFormat: "{{container}}",
              },
            ],
          },
          {
            title: "CPU",
            type: "timeseries",
            targets: [
              {
                expr: 'sum by (container) (rate(container_cpu_usage_seconds_total{namespace="mlcf",container!=""}[5m]))',
                legendFormat: "{{container}}",
              },
            ],
          },
        ],
      },
    },
  ],
};
