/**
 * UIOTA / offline-guard: sovereign offline AI (seed 000_d7ec535b42e5a2bf.txt).
 * Departures from the seed are listed in docs/tenants/uiota.md.
 */
import type { AppSpec, PortSpec, TenantSpec } from "../api/tenant.js";
import { prodPinnedByTag } from "../api/components/release.js";
import { registry, resources as res } from "../api/components/resources.js";
import { external, platform, wiring } from "../api/components/wiring.js";

const image = registry("docker.io/uiota", "1.0.0");
const wire = wiring("uiota");
const httpProbes = (port: string) => ({
  readiness: { http: { path: "/ready", port }, initialDelaySeconds: 5, periodSeconds: 5 },
  liveness: { http: { path: "/health", port }, initialDelaySeconds: 30, periodSeconds: 10 },
});
const metrics = { name: "metrics", containerPort: 9090 } as const;
const OFFLINE_AI_PORTS: readonly PortSpec[] = [
  { name: "ollama-api", containerPort: 11434 },
  { name: "http-api", containerPort: 8080 },
  metrics,
];
const BACKEND_PORTS: readonly PortSpec[] = [{ name: "http-api", containerPort: 8000 }, metrics];
const backendHttp = wire.port({ name: "backend-api", ports: BACKEND_PORTS }, "http-api");
const ollama = wire.port({ name: "offline-ai", ports: OFFLINE_AI_PORTS }, "ollama-api");
const offlineAiHttp = wire.port({ name: "offline-ai", ports: OFFLINE_AI_PORTS }, "http-api");
/** Guardian auth on the backend API: every app but the backend checks callers there. */
const auth = { env: { GUARDIAN_AUTH_ENDPOINT: backendHttp.url("http", "/api/v1/auth") }, call: backendHttp.call };
/** Managed PostgreSQL (RDS) and Redis (ElastiCache) replace the seed's in-chart databases; their endpoints are in the `database` and `redis` secrets. */
const rds = external({ host: "*.rds.amazonaws.com", port: 5432, reason: "Amazon RDS for PostgreSQL, the Guardian database", range: "vpc" });
const elasticache = external({
  host: "*.cache.amazonaws.com",
  port: 6379,
  reason: "Amazon ElastiCache for Redis, sessions and the MCP cache",
  range: "vpc",
});
/** Until models are mirrored into the cluster (docs/tenants/uiota.md). */
const modelDownloads = external({
  host: "registry.ollama.ai",
  port: 443,
  reason: "offline.ai pulls model weights it does not have cached",
  range: "internet",
  expires: "2027-03-31",
});

const offlineAi: AppSpec = {
  name: "offline-ai",
  description: "offline.ai inference engine (Ollama-compatible API) on one GPU per replica",
  // A StatefulSet: each replica keeps its own 200Gi model cache; the seed's single
  // ReadWriteOnce claim could not be mounted by replicas on different nodes.
  kind: "StatefulSet",
  image: image("offline-ai"),
  ports: OFFLINE_AI_PORTS,
  probes: {
    ...httpProbes("http-api"),
    // Loading a model from disk takes minutes; liveness waits for it.
    startup: { http: { path: "/health", port: "http-api" }, periodSeconds: 10, failureThreshold: 60 },
  },
  resources: res("2", "8Gi", "4", "16Gi"),
  gpus: 1,
  env: { ...auth.env, MODEL_CACHE_DIR: "/app/models", PROMETHEUS_METRICS_ENABLED: "true" },
  // The Kubernetes API (its Role reads ConfigMaps and pods) and model downloads.
  calls: [auth.call, platform["kube-apiserver"].call, modelDownloads.call],
  configFiles: [
    {
      name: "guardian-config",
      mountPath: "/app/config",
      files: {
        "guardian.yaml":
          "classes: [CryptoGuardian, FederatedLearner, MobileMaster, GhostVerifier, TeamCoordinator]\nxpSystem:\n  enabled: true\n  baseXpPerActivity: 10\n",
      },
    },
  ],
  storage: [{ name: "models", size: "200Gi", mountPath: "/app/models" }],
  durability: { recreatable: { reason: "model cache: the weights are downloaded again from the model registry on start" } },
  scaling: {
    autoscale: {
      min: { dev: 1, staging: 1, prod: 2 },
      max: { dev: 2, staging: 3, prod: 10 },
      // GPU saturation and queue depth, both per pod through prometheus-adapter; the
      // seed's CPU target says nothing about a GPU-bound server.
      podMetrics: [
        { metric: "DCGM_FI_DEV_GPU_UTIL", averageValue: "80" },
        { metric: "inference_queue_length", averageValue: "10" },
      ],
      stabilization: { up: 300, down: 600 },
    },
  },
  vpa: { mode: "Off", minAllowed: { cpu: "1", memory: "4Gi" }, maxAllowed: { cpu: "8", memory: "32Gi" } },
  // Only the HTTP API, which checks every caller with Guardian auth, is public. The
  // Ollama-compatible API has no authentication: in-cluster callers only (docs/tenants/uiota.md).
  exposure: { ingress: { host: "offline", paths: [{ path: "/api/v1", port: "http-api" }] } },
  monitoring: {
    port: "metrics",
    alerts: [
      {
        name: "OfflineAIHighMemoryUsage",
        expr: 'container_memory_working_set_bytes{container="offline-ai"} / container_spec_memory_limit_bytes{container="offline-ai"} > 0.9',
        for: "10m",
        severity: "warning",
        summary: "offline.ai container high memory usage",
        description: "offline.ai is using {{ $value | humanizePercentage }} of its memory limit.",
      },
      {
        name: "FederatedLearningStalled",
        expr: "time() - federated_learning_last_successful_round > 3600",
        for: "10m",
        severity: "critical",
        summary: "Federated learning has stalled",
        description: "No successful federated learning round in the last hour.",
      },
    ],
  },
  apiAccess: {
    rules: [
      { apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] },
      { apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] },
    ],
  },
  rollout: { podManagementPolicy: "Parallel" },
};

const mcpServer: AppSpec = {
  name: "mcp-server",
  description: "Model Context Protocol server in front of offline.ai",
  image: image("mcp-server"),
  ports: [
    { name: "http-api", containerPort: 8080 },
    { name: "websocket", containerPort: 8081 },
    { name: "ollama-compat", containerPort: 11434 },
    metrics,
  ],
  probes: httpProbes("http-api"),
  resources: res("500m", "1Gi", "1", "2Gi"),
  env: { ...auth.env, OFFLINE_AI_ENDPOINT: ollama.url(), BACKEND_API_ENDPOINT: backendHttp.url() },
  secretEnv: { REDIS_URL: { secret: "redis", property: "url" } },
  calls: [auth.call, ollama.call, offlineAiHttp.call, elasticache.call],
  scaling: { replicas: { dev: 1, staging: 2, prod: 2 } },
  exposure: {
    ingress: {
      host: "mcp",
      paths: [
        { path: "/mcp", port: "http-api" },
        { path: "/ws", port: "websocket" },
      ],
    },
  },
  monitoring: { port: "metrics" },
};

const offlineDns: AppSpec = {
  name: "offline-dns",
  description: "Guardian mesh DNS resolver (DNS, DNS-over-TLS, DNS-over-HTTPS)",
  // Per-replica resolver cache, so a StatefulSet with a claim per replica.
  kind: "StatefulSet",
  image: image("offline-dns"),
  // The restricted profile forbids binding ports below 1024 as non-root: the
  // container listens high and the Service keeps the well-known ports.
  ports: [
    { name: "dns-udp", containerPort: 5353, servicePort: 53, protocol: "UDP" },
    { name: "dns-tcp", containerPort: 5353, servicePort: 53 },
    { name: "dns-tls", containerPort: 8853, servicePort: 853 },
    { name: "dns-https", containerPort: 8443, servicePort: 443 },
    metrics,
  ],
  probes: { readiness: { tcp: { port: "dns-tcp" } }, liveness: { tcp: { port: "dns-tcp" }, initialDelaySeconds: 10 } },
  resources: res("250m", "512Mi", "500m", "1Gi"),
  env: { ...auth.env, DNS_CACHE_SIZE: "1000000", MESH_COORDINATION_ENABLED: "true" },
  calls: [auth.call],
  configFiles: [
    { name: "guardian-dns-config", mountPath: "/app/config", files: { "resolver.yaml": "cacheSize: 1000000\nupstreams: []\n" } },
  ],
  storage: [{ name: "cache", size: "10Gi", mountPath: "/app/cache" }],
  durability: { recreatable: { reason: "DNS resolver cache: refilled from the upstreams as queries arrive" } },
  scaling: { replicas: { dev: 1, staging: 2, prod: 3 } },
  exposure: { serviceType: "LoadBalancer", headless: false },
  network: {
    // Clients reach it through the internal NLB from inside the cluster's VPC (fleet vpcCidr).
    ingress: [{ from: [{ vpc: true }], ports: ["dns-udp", "dns-tcp", "dns-tls", "dns-https"] }],
  },
  monitoring: { port: "metrics" },
};

const backendApi: AppSpec = {
  name: "backend-api",
  description: "Guardian API: authentication, XP tracking, federated-learning coordination",
  image: image("backend-api"),
  ports: BACKEND_PORTS,
  probes: httpProbes("http-api"),
  resources: res("1", "2Gi", "2", "4Gi"),
  env: { FLOWER_COORDINATION_ENABLED: "true", DISCORD_BOT_INTEGRATION: "true" },
  secretEnv: {
    DATABASE_URL: { secret: "database", property: "url" },
    REDIS_URL: { secret: "redis", property: "url" },
    GUARDIAN_SECRET_KEY: { secret: "guardian", property: "secret-key" },
  },
  calls: [ollama.call, offlineAiHttp.call, rds.call, elasticache.call],
  // Shared by every replica, so ReadWriteMany on EFS (the seed's claim was ReadWriteOnce, and misnamed).
  storage: [
    { name: "guardian-data", size: "50Gi", mountPath: "/app/guardian-data", accessMode: "ReadWriteMany", storageClass: "shared-efs" },
  ],
  // On EFS, which CSI snapshots cannot copy: the file system's daily AWS Backup (docs/tenants/uiota.md).
  durability: { targets: { rpo: "24h", rto: "4h" } },
  scaling: {
    autoscale: {
      min: { dev: 1, staging: 2, prod: 3 },
      max: { dev: 3, staging: 6, prod: 20 },
      cpuUtilization: 70,
      memoryUtilization: 80,
      podMetrics: [{ metric: "guardian_active_sessions", averageValue: "50" }],
    },
  },
  exposure: {
    ingress: {
      host: "api",
      paths: [{ path: "/api/v1", port: "http-api" }],
      rateLimit: { requestsPerSecond: 100 },
    },
  },
  monitoring: {
    port: "metrics",
    alerts: [
      {
        name: "GuardianAuthenticationFailures",
        expr: "rate(guardian_auth_failures_total[5m]) > 0.1",
        severity: "warning",
        summary: "High Guardian authentication failure rate",
        description: "Guardian authentication failures are occurring at {{ $value }} per second.",
      },
      {
        name: "GuardianXPSystemDown",
        expr: 'up{job="backend-api"} == 0',
        severity: "critical",
        summary: "Guardian XP system is down",
        description: "The backend API responsible for Guardian XP tracking is unavailable.",
      },
    ],
  },
};

const securityMonitor: AppSpec = {
  name: "security-monitor",
  description: "Threat detection over Guardian activity and cluster metrics",
  kind: "StatefulSet",
  image: image("security-monitor"),
  ports: [{ name: "http-api", containerPort: 8080 }, metrics],
  resources: { dev: res("500m", "1Gi", "1", "2Gi"), staging: res("2", "4Gi", "4", "8Gi"), prod: res("2", "4Gi", "4", "8Gi") },
  env: { ...auth.env, PROMETHEUS_URL: platform.prometheus.url(), ALERT_MANAGER_URL: platform.alertmanager.url() },
  calls: [auth.call, platform.prometheus.call, platform.alertmanager.call],
  configFiles: [{ name: "threat-intelligence-feeds", mountPath: "/app/threat-intel", files: { "feeds.yaml": "feeds: []\n" } }],
  storage: [{ name: "security-data", size: "20Gi", mountPath: "/app/security-data" }],
  durability: { targets: { rpo: "1h", rto: "1h" } },
  scaling: { replicas: { dev: 1, staging: 2, prod: 2 } },
  exposure: { headless: false, ingress: { host: "security", paths: [{ path: "/", port: "http-api" }] } },
  monitoring: { port: "metrics" },
};

const APPS: readonly AppSpec[] = [offlineAi, mcpServer, offlineDns, backendApi, securityMonitor];

export const uiota: TenantSpec = {
  name: "uiota",
  description: "UIOTA / offline-guard: sovereign offline AI, MCP server, mesh DNS and Guardian API.",
  seed: "000_d7ec535b42e5a2bf.txt",
  apps: APPS,
  exceptions: prodPinnedByTag("uiota", { apps: APPS }),
  secrets: [
    { name: "database", remoteKey: "database", properties: ["url"] },
    { name: "redis", remoteKey: "redis", properties: ["url"] },
    { name: "guardian", remoteKey: "guardian", properties: ["secret-key"] },
  ],
  dashboards: [
    {
      name: "guardian-activity",
      dashboard: {
        title: "Guardian Activity Dashboard",
        tags: ["guardian", "uiota"],
        timezone: "utc",
        panels: [
          {
            title: "Active Guardians by Class",
            type: "piechart",
            targets: [{ expr: "guardian_active_count_by_class", legendFormat: "{{guardian_class}}" }],
          },
          {
            title: "Federated Learning Rounds",
            type: "timeseries",
            targets: [{ expr: "rate(federated_learning_rounds_total[5m])", legendFormat: "FL rounds per second" }],
          },
          {
            title: "API Response Times by Component",
            type: "timeseries",
            targets: [
              {
                expr: "histogram_quantile(0.95, sum by (le, service) (rate(http_request_duration_seconds_bucket[5m])))",
                legendFormat: "{{service}} p95",
              },
            ],
          },
        ],
      },
    },
  ],
};
