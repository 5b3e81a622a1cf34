/**
 * AgentGuard: AI hallucination detection (seed 003_49b89c82eb4753b3.txt).
 * Departures from the seed are listed in docs/tenants/agentguard.md.
 */
import type { AppSpec, PortSpec, TenantSpec } from "../api/tenant.js";
import { prodPinnedByTag } from "../api/components/release.js";
import { resources as res } from "../api/components/resources.js";
import { external, wiring } from "../api/components/wiring.js";
import { postgres, postgresHost } from "../api/components/postgres.js";

const NAMESPACE = "agentguard";
const REGISTRY = "ghcr.io/mothership-ai";
const VERSION = "1.0.0";

const wire = wiring(NAMESPACE);
const API_PORTS: readonly PortSpec[] = [{ name: "http", containerPort: 8000 }];
const redisClient = wire.port({ name: "redis", ports: [{ name: "redis", containerPort: 6379 }] }, "redis");
const mlflowHttp = wire.port({ name: "mlflow", ports: [{ name: "http", containerPort: 5000 }] }, "http");
const apiHttp = wire.port({ name: "agentguard-api", ports: API_PORTS }, "http");
/** HTTPS out (the Claude API, Slack); open to the internet until an egress gateway names them. */
const OPEN_EGRESS_DUE = "2027-03-31";
const claude = external({
  host: "api.anthropic.com",
  port: 443,
  reason: "the Claude API checks answers",
  range: "internet",
  expires: OPEN_EGRESS_DUE,
});
const slack = external({
  host: "hooks.slack.com",
  port: 443,
  reason: "alert notifications to Slack",
  range: "internet",
  expires: OPEN_EGRESS_DUE,
});

/** AgentGuard's primary store on CloudNativePG: three instances across zones in staging and prod, WAL archived to S3. */
const DB = postgres({
  name: "postgres",
  description: "PostgreSQL 16: AgentGuard's primary store",
  version: "16.6",
  database: "agentguard",
  owner: "agentguard",
  password: { secret: "postgres", property: "password" },
  instances: { dev: 1, staging: 3, prod: 3 },
  storage: "50Gi",
  resources: { dev: res("250m", "512Mi", "1", "1Gi"), staging: res("500m", "1Gi", "1", "2Gi"), prod: res("500m", "1Gi", "1", "2Gi") },
  clients: [{ app: "agentguard-api" }],
});

const api: AppSpec = {
  name: "agentguard-api",
  description: "AgentGuard API: hallucination detection over Claude, with Redis cache and PostgreSQL store",
  image: { repository: `${REGISTRY}/agentguard-api`, tag: VERSION },
  ports: API_PORTS,
  probes: {
    readiness: { http: { path: "/health", port: "http" }, initialDelaySeconds: 10, periodSeconds: 5 },
    liveness: { http: { path: "/health", port: "http" }, initialDelaySeconds: 30, periodSeconds: 10 },
    startup: { http: { path: "/health", port: "http" }, periodSeconds: 5, failureThreshold: 30 },
  },
  resources: { dev: res("250m", "512Mi", "1", "1Gi"), staging: res("1", "2Gi", "2", "4Gi"), prod: res("1", "2Gi", "2", "4Gi") },
  env: {
    POSTGRES_HOST: postgresHost(DB),
    POSTGRES_PORT: "5432",
    POSTGRES_DB: "agentguard",
    POSTGRES_USER: "agentguard",
    REDIS_HOST: redisClient.host,
    REDIS_PORT: String(redisClient.port),
    MLFLOW_TRACKING_URI: mlflowHttp.url(),
    METRICS_ENABLED: "true",
  },
  secretEnv: {
    CLAUDE_API_KEY: { secret: "agentguard-api", property: "claude-api-key" },
    JWT_SECRET_KEY: { secret: "agentguard-api", property: "jwt-secret-key" },
    ENCRYPTION_KEY: { secret: "agentguard-api", property: "encryption-key" },
    WEBHOOK_SECRET: { secret: "agentguard-api", property: "webhook-secret" },
    POSTGRES_PASSWORD: { secret: "postgres", property: "password" },
    REDIS_PASSWORD: { secret: "redis", property: "password" },
    SLACK_WEBHOOK_URL: { secret: "notifications", property: "slack-webhook-url" },
    SMTP_PASSWORD: { secret: "notifications", property: "smtp-password" },
  },
  scaling: {
    autoscale: {
      min: { dev: 1, staging: 2, prod: 3 },
      max: { dev: 3, staging: 6, prod: 20 },
      cpuUtilization: 70,
      memoryUtilization: 80,
      podMetrics: [
        { metric: "http_requests_per_second", averageValue: "100" },
        { metric: "queue_length", averageValue: "50" },
      ],
      stabilization: { up: 60, down: 300 },
    },
  },
  // Recommendations only: an HPA on CPU and memory must not have its requests moved under it.
  vpa: { mode: "Off", minAllowed: { cpu: "500m", memory: "1Gi" }, maxAllowed: { cpu: "4", memory: "8Gi" } },
  calls: [redisClient.call, mlflowHttp.call, claude.call, slack.call],
  monitoring: {
    port: "http",
    alerts: [
      {
        name: "AgentGuardHighErrorRate",
        expr: 'sum(rate(http_requests_total{namespace="agentguard",status=~"5.."}[5m])) / sum(rate(http_requests_total{namespace="agentguard"}[5m])) > 0.1',
        severity: "critical",
        summary: "AgentGuard API error rate above 10%",
        description: "More than 10% of AgentGuard API requests have returned 5xx for 5 minutes ({{ $value | humanizePercentage }}).",
      },
      {
        name: "AgentGuardDatabaseDown",
        expr: 'sum(cnpg_collector_up{namespace="agentguard",pod=~"postgres-[0-9]+"}) < 1 or absent(cnpg_collector_up{namespace="agentguard",pod=~"postgres-[0-9]+"})',
        for: "2m",
        severity: "critical",
        summary: "AgentGuard PostgreSQL is down",
        description: "No instance of the AgentGuard PostgreSQL cluster has been up for 2 minutes.",
      },
      {
        name: "AgentGuardHighMemoryUsage",
        expr: 'max by (pod, container) (container_memory_working_set_bytes{namespace="agentguard",container!=""} / on (pod, container) group_left kube_pod_container_resource_limits{namespace="agentguard",resource="memory"}) > 0.9',
        severity: "critical",
        summary: "AgentGuard container memory above 90% of its limit",
        description: "{{ $labels.pod }}/{{ $labels.container }} has used more than 90% of its memory limit for 5 minutes.",
      },
      {
        name: "AgentGuardHighResponseTime",
        expr: 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="agentguard"}[5m]))) > 1',
        severity: "warning",
        summary: "AgentGuard API p95 latency above 1s",
        description: "The 95th percentile response time has been {{ $value }}s for 5 minutes.",
      },
      {
        name: "AgentGuardHighHallucinationRate",
        expr: 'sum(rate(hallucination_detections_total{namespace="agentguard"}[15m])) > 2 * sum(rate(hallucination_detections_total{namespace="agentguard"}[15m] offset 1d))',
        for: "15m",
        severity: "warning",
        summary: "Unusual AgentGuard hallucination detection rate",
        description: "Hallucination detections are more than twice yesterday's rate at this time.",
      },
      {
        name: "AgentGuardPodRestarts",
        expr: 'increase(kube_pod_container_status_restarts_total{namespace="agentguard"}[15m]) > 3',
        severity: "warning",
        summary: "AgentGuard pod restarting frequently",
        description: "{{ $labels.pod }} restarted more than 3 times in 15 minutes.",
      },
    ],
  },
};

const NGINX_CONF = `worker_processes auto;
pid /tmp/nginx.pid;
events { worker_connections 1024; }
http {
  client_body_temp_path /tmp/client_temp;
  proxy_temp_path /tmp/proxy_temp;
  fastcgi_temp_path /tmp/fastcgi_temp;
  uwsgi_temp_path /tmp/uwsgi_temp;
  scgi_temp_path /tmp/scgi_temp;
  gzip on;
  gzip_types application/json text/plain;
  upstream agentguard_api { server ${apiHttp.hostPort}; keepalive 32; }
  server {
    listen 8080;
    location = /healthz { access_log off; return 200 "ok\\n"; }
    location /metrics { deny all; }
    location / {
      proxy_pass http://agentguard_api;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }
  }
}
`;

const nginx: AppSpec = {
  name: "nginx",
  description: "NGINX reverse proxy in front of the AgentGuard API (unprivileged image, port 8080)",
  image: { repository: "docker.io/nginxinc/nginx-unprivileged", tag: "1.27.3-alpine" },
  // Listens on 8080 as a non-root user; the Service keeps port 80.
  ports: [{ name: "http", containerPort: 8080, servicePort: 80 }],
  probes: {
    readiness: { http: { path: "/healthz", port: "http" }, periodSeconds: 5 },
    liveness: { http: { path: "/healthz", port: "http" }, initialDelaySeconds: 10 },
  },
  resources: res("100m", "128Mi", "500m", "256Mi"),
  configFiles: [{ name: "nginx-config", mountPath: "/etc/nginx", files: { "nginx.conf": NGINX_CONF } }],
  calls: [apiHttp.call],
  securityContext: { runAsUser: 101 },
  scaling: { replicas: 2 },
  exposure: {
    ingress: {
      host: "watcher",
      paths: [{ path: "/", port: "http" }],
      maxBodySize: "10Mi",
    },
  },
};

const redis: AppSpec = {
  name: "redis",
  description: "Redis: AgentGuard's cache (fixed replicas, no HPA)",
  kind: "StatefulSet",
  image: { repository: "docker.io/library/redis", tag: "7.4.1" },
  command: ["redis-server"],
  // $(REDIS_PASSWORD) is expanded by the kubelet from the secret-backed variable.
  args: [
    "--requirepass",
    "$(REDIS_PASSWORD)",
    "--appendonly",
    "yes",
    "--dir",
    "/data",
    "--maxmemory",
    "768mb",
    "--maxmemory-policy",
    "allkeys-lru",
  ],
  ports: [{ name: "redis", containerPort: 6379 }],
  resources: res("200m", "512Mi", "500m", "1Gi"),
  secretEnv: { REDIS_PASSWORD: { secret: "redis", property: "password" } },
  storage: [{ name: "data", size: "10Gi", mountPath: "/data" }],
  durability: { targets: { rpo: "1h", rto: "1h" } },
  securityContext: { runAsUser: 999 },
  scaling: { replicas: 1 },
};

const mlflow: AppSpec = {
  name: "mlflow",
  description: "MLflow tracking server for AgentGuard's detection models (fixed replicas, no HPA)",
  kind: "StatefulSet",
  image: { repository: "ghcr.io/mlflow/mlflow", tag: "v2.17.2" },
  command: ["mlflow", "server"],
  args: [
    "--host",
    "0.0.0.0",
    "--port",
    "5000",
    "--backend-store-uri",
    "sqlite:////mlflow/mlflow.db",
    "--artifacts-destination",
    "/mlflow/artifacts",
    "--serve-artifacts",
  ],
  ports: [{ name: "http", containerPort: 5000 }],
  probes: {
    readiness: { http: { path: "/health", port: "http" } },
    liveness: { http: { path: "/health", port: "http" }, initialDelaySeconds: 30 },
  },
  resources: res("250m", "1Gi", "1", "2Gi"),
  env: { HOME: "/tmp" },
  storage: [{ name: "data", size: "50Gi", mountPath: "/mlflow" }],
  durability: { targets: { rpo: "1h", rto: "1h" } },
  scaling: { replicas: 1 },
};

const APPS: readonly AppSpec[] = [api, nginx, redis, mlflow];

export const agentguard: TenantSpec = {
  name: "agentguard",
  namespace: NAMESPACE,
  description: "AgentGuard: AI hallucination detection API behind NGINX, with PostgreSQL, Redis and MLflow.",
  seed: "003_49b89c82eb4753b3.txt",
  apps: APPS,
  databases: [DB],
  exceptions: prodPinnedByTag(NAMESPACE, { apps: APPS }),
  secrets: [
    {
      name: "agentguard-api",
      remoteKey: "agentguard-api",
      properties: ["claude-api-key", "jwt-secret-key", "encryption-key", "webhook-secret"],
    },
    { name: "postgres", remoteKey: "postgres", properties: ["password"] },
    { name: "redis", remoteKey: "redis", properties: ["password"] },
    { name: "notifications", remoteKey: "notifications", properties: ["slack-webhook-url", "smtp-password"] },
  ],
};
