/**
 * UIOTA / offline-guard: sovereign offline AI (seed 000_d7ec535b42e5a2bf.txt).
 * Departures from the seed are listed in docs/tenants/uiota.md.
 */
import type { AppSpec, ResourcesSpec, TenantSpec } from "../api/tenant.js";
import { awaitingDigestPins } from "../api/exception.js";

const REGISTRY = "docker.io/uiota";
const VERSION = "1.0.0";
const AUTH_ENDPOINT = "http://backend-api:8000/api/v1/auth";
const PROMETHEUS = "monitoring";

const image = (name: string): AppSpec["image"] => ({ repository: `${REGISTRY}/${name}`, tag: VERSION });
const res = (cpu: string, memory: string, cpuLimit: string, memoryLimit: string): ResourcesSpec => ({
  requests: { cpu, memory },
  limits: { cpu: cpuLimit, memory: memoryLimit },
});
const httpProbes = (port: string) => ({
  readiness: { http: { path: "/ready", port }, initialDelaySeconds: 5, periodSeconds: 5 },
  liveness: { http: { path: "/health", port }, initialDelaySeconds: 30, periodSeconds: 10 },
});
const metrics = { name: "metrics", containerPort: 9090 } as const;

const offlineAi: AppSpec = {
  name: "offline-ai",
  description: "offline.ai inference engine (Ollama-compatible API) on one GPU per replica",
  // A StatefulSet: each replica keeps its own 200Gi model cache; the seed's single
  // ReadWriteOnce claim could not be mounted by replicas on different nodes.
  kind: "StatefulSet",
  image: image("offline-ai"),
  ports: [{ name: "ollama-api", containerPort: 11434 }, { name: "http-api", containerPort: 8080 }, metrics],
  probes: {
    ...httpProbes("http-api"),
    // Loading a model from disk takes minutes; liveness waits for it.
    startup: { http: { path: "/health", port: "http-api" }, periodSeconds: 10, failureThreshold: 60 },
  },
  resources: res("2", "8Gi", "4", "16Gi"),
  gpus: 1,
  env: { GUARDIAN_AUTH_ENDPOINT: AUTH_ENDPOINT, MODEL_CACHE_DIR: "/app/models", PROMETHEUS_METRICS_ENABLED: "true" },
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
  network: {
    ingress: [{ from: [{ app: "backend-api" }, { app: "mcp-server" }], ports: ["ollama-api", "http-api"] }],
    // Kubernetes API (its Role reads ConfigMaps and pods) and model downloads.
    externalPorts: [443],
  },
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
  env: {
    GUARDIAN_AUTH_ENDPOINT: AUTH_ENDPOINT,
    OFFLINE_AI_ENDPOINT: "http://offline-ai:11434",
    BACKEND_API_ENDPOINT: "http://backend-api:8000",
  },
  secretEnv: { REDIS_URL: { secret: "redis", property: "url" } },
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
  network: { externalPorts: [6379] },
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
  env: { GUARDIAN_AUTH_ENDPOINT: AUTH_ENDPOINT, DNS_CACHE_SIZE: "1000000", MESH_COORDINATION_ENABLED: "true" },
  configFiles: [
    { name: "guardian-dns-config", mountPath: "/app/config", files: { "resolver.yaml": "cacheSize: 1000000\nupstreams: []\n" } },
  ],
  storage: [{ name: "cache", size: "10Gi", mountPath: "/app/cache" }],
  scaling: { replicas: { dev: 1, staging: 2, prod: 3 } },
  exposure: { serviceType: "LoadBalancer", headless: false },
  network: {
    // Clients reach it through the internal NLB from inside the VPCs.
    ingress: [{ from: [{ cidr: "10.0.0.0/8" }], ports: ["dns-udp", "dns-tcp", "dns-tls", "dns-https"] }],
  },
  monitoring: { port: "metrics" },
};

const backendApi: AppSpec = {
  name: "backend-api",
  description: "Guardian API: authentication, XP tracking, federated-learning coordination",
  image: image("backend-api"),
  ports: [{ name: "http-api", containerPort: 8000 }, metrics],
  probes: httpProbes("http-api"),
  resources: res("1", "2Gi", "2", "4Gi"),
  env: { FLOWER_COORDINATION_ENABLED: "true", DISCORD_BOT_INTEGRATION: "true" },
  secretEnv: {
    DATABASE_URL: { secret: "database", property: "url" },
    REDIS_URL: { secret: "redis", property: "url" },
    GUARDIAN_SECRET_KEY: { secret: "guardian", property: "secret-key" },
  },
  // Shared by every replica, so ReadWriteMany on EFS (the seed's claim was ReadWriteOnce, and misnamed).
  storage: [
    { name: "guardian-data", size: "50Gi", mountPath: "/app/guardian-data", accessMode: "ReadWriteMany", storageClass: "shared-efs" },
  ],
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
      annotations: { "nginx.ingress.kubernetes.io/limit-rps": "100", "nginx.ingress.kubernetes.io/limit-connections": "50" },
    },
  },
  network: {
    ingress: [
      { from: [{ app: "mcp-server" }, { app: "offline-ai" }, { app: "offline-dns" }, { app: "security-monitor" }], ports: ["http-api"] },
    ],
    // Managed PostgreSQL (RDS) and Redis (ElastiCache) replace the seed's in-chart databases.
    externalPorts: [5432, 6379],
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
  env: {
    GUARDIAN_AUTH_ENDPOINT: AUTH_ENDPOINT,
    PROMETHEUS_URL: "http://kube-prometheus-stack-prometheus.monitoring:9090",
    ALERT_MANAGER_URL: "http://kube-prometheus-stack-alertmanager.monitoring:9093",
  },
  configFiles: [{ name: "threat-intelligence-feeds", mountPath: "/app/threat-intel", files: { "feeds.yaml": "feeds: []\n" } }],
  storage: [{ name: "security-data", size: "20Gi", mountPath: "/app/security-data" }],
  scaling: { replicas: { dev: 1, staging: 2, prod: 2 } },
  exposure: { headless: false, ingress: { host: "security", paths: [{ path: "/", port: "http-api" }] } },
  network: { egressTo: [{ namespace: PROMETHEUS, ports: [9090, 9093] }] },
  monitoring: { port: "metrics" },
};

const APPS: readonly AppSpec[] = [offlineAi, mcpServer, offlineDns, backendApi, securityMonitor];

/** Prod is pinned by tag until then; see the tenant doc. */
const DIGEST_PINS_DUE = "2027-01-31";

export const uiota: TenantSpec = {
  name: "uiota",
  description: "UIOTA / offline-guard: sovereign offline AI, MCP server, mesh DNS and Guardian API.",
  seed: "000_d7ec535b42e5a2bf.txt",
  apps: APPS,
  exceptions: awaitingDigestPins("uiota", { apps: APPS }, DIGEST_PINS_DUE),
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
