/**
 * OSSA v0.1.8: Open Standards for Scalable Agents, seven agent services over
 * PostgreSQL, Redis and Qdrant (seed 002_bee6b22076fe64a2.txt). Departures from the
 * seed, and how its multi-region design maps onto the fleet, are in docs/tenants/ossa.md.
 */
import type { AppSpec, JobSpec, PerEnv, Peer, ResourcesSpec, TenantSpec } from "../api/tenant.js";
import { awaitingDigestPins } from "../api/exception.js";
import { BACKUP_SECRET, CURL_IMAGE, qdrantApp, qdrantBackupJob } from "./lib/stateful.js";
import { postgres } from "../api/components/postgres.js";

const VERSION = "0.1.8";
const NAMESPACE = "ossa-platform";
const PG_CLIENT_IMAGE = { repository: "docker.io/library/postgres", tag: "16.6" } as const;
const REDIS_IMAGE = { repository: "docker.io/library/redis", tag: "7.4.1" } as const;
const QDRANT_KEY = { secret: "qdrant", property: "api-key" } as const;

const res = (cpu: string, memory: string, cpuLimit: string, memoryLimit: string): ResourcesSpec => ({
  requests: { cpu, memory },
  limits: { cpu: cpuLimit, memory: memoryLimit },
});

/** One row per seed service: prod bounds are the seed's; dev and staging are smaller. */
interface ServiceRow {
  name: string;
  description: string;
  min: PerEnv<number>;
  max: PerEnv<number>;
  resources: ResourcesSpec;
  /** Other OSSA services and databases this one calls. */
  calls: readonly string[];
}

const SERVICES: readonly ServiceRow[] = [
  {
    name: "gateway",
    description: "Main API gateway",
    min: { dev: 1, staging: 2, prod: 5 },
    max: { dev: 3, staging: 10, prod: 50 },
    resources: res("500m", "512Mi", "1", "1Gi"),
    calls: ["orchestration", "discovery", "coordination", "task-agents", "redis", "pgpool"],
  },
  {
    name: "task-agents",
    description: "AI task execution agents",
    min: { dev: 1, staging: 3, prod: 10 },
    max: { dev: 5, staging: 40, prod: 200 },
    resources: res("200m", "256Mi", "1", "1Gi"),
    calls: ["discovery", "coordination", "redis", "pgpool", "qdrant"],
  },
  {
    name: "communication-agents",
    description: "Message routing and protocol bridging",
    min: { dev: 1, staging: 2, prod: 8 },
    max: { dev: 4, staging: 20, prod: 100 },
    resources: res("200m", "256Mi", "1", "512Mi"),
    calls: ["discovery", "coordination", "redis"],
  },
  {
    name: "mcp-agents",
    description: "Model Context Protocol bridge agents",
    min: { dev: 1, staging: 2, prod: 6 },
    max: { dev: 4, staging: 16, prod: 80 },
    resources: res("200m", "256Mi", "1", "1Gi"),
    calls: ["discovery", "redis", "qdrant"],
  },
  {
    name: "coordination",
    description: "Inter-agent coordination",
    min: { dev: 1, staging: 2, prod: 3 },
    max: { dev: 2, staging: 4, prod: 10 },
    resources: res("500m", "512Mi", "1", "1Gi"),
    calls: ["redis", "pgpool"],
  },
  {
    name: "discovery",
    description: "Agent discovery and registry",
    min: { dev: 1, staging: 2, prod: 5 },
    max: { dev: 3, staging: 8, prod: 30 },
    resources: res("250m", "256Mi", "1", "512Mi"),
    calls: ["redis", "pgpool"],
  },
  {
    name: "orchestration",
    description: "Workflow orchestration",
    min: { dev: 1, staging: 2, prod: 4 },
    max: { dev: 4, staging: 10, prod: 40 },
    resources: res("500m", "512Mi", "1", "1Gi"),
    calls: ["task-agents", "mcp-agents", "communication-agents", "discovery", "coordination", "redis", "pgpool", "qdrant"],
  },
];

const callersOf = (name: string): Peer[] => SERVICES.filter((s) => s.calls.includes(name)).map((s) => ({ app: s.name }));

function service(row: ServiceRow): AppSpec {
  const callers = callersOf(row.name);
  return {
    name: row.name,
    description: row.description,
    image: { repository: `ghcr.io/ossa/${row.name}`, tag: VERSION },
    ports: [
      { name: "http", containerPort: 3000, servicePort: 80 },
      { name: "metrics", containerPort: 9090 },
    ],
    probes: {
      readiness: { http: { path: "/health/ready", port: "http" }, periodSeconds: 5 },
      liveness: { http: { path: "/health/live", port: "http" }, initialDelaySeconds: 15 },
      startup: { http: { path: "/health/live", port: "http" }, periodSeconds: 5, failureThreshold: 24 },
    },
    resources: row.resources,
    env: {
      OSSA_VERSION: VERSION,
      NODE_ENV: "production",
      SERVICE_NAME: row.name,
      QDRANT_URL: "http://qdrant:6333",
      POSTGRES_HOST: "pgpool",
      POSTGRES_DB: "ossa",
      REDIS_HOST: "redis-0.redis-headless",
    },
    secretEnv: {
      POSTGRES_USER: { secret: "postgres", property: "username" },
      POSTGRES_PASSWORD: { secret: "postgres", property: "password" },
      REDIS_PASSWORD: { secret: "redis", property: "password" },
      QDRANT_API_KEY: QDRANT_KEY,
      JWT_SECRET: { secret: "jwt", property: "secret" },
    },
    scaling: { autoscale: { min: row.min, max: row.max, cpuUtilization: 70, memoryUtilization: 80 } },
    vpa: { mode: "Off" },
    rollout: { maxSurge: "25%", maxUnavailable: 0 },
    traffic: {
      timeout: "30s",
      retries: { attempts: 3, perTryTimeout: "10s" },
      ...(row.name === "gateway" ? { gateway: { host: "mesh", paths: [{ path: "/", port: "http" }] } } : {}),
    },
    ...(row.name === "gateway"
      ? {
          exposure: {
            ingress: {
              host: "api",
              paths: [{ path: "/", port: "http" }],
              annotations: { "nginx.ingress.kubernetes.io/limit-rps": "200", "nginx.ingress.kubernetes.io/proxy-body-size": "10m" },
            },
          },
        }
      : {}),
    network: {
      ingress: [{ from: [...callers, { job: "health-check" }], ports: ["http"] }],
      // AI model providers (OpenAI, Anthropic, Cohere) over HTTPS.
      ...(["task-agents", "mcp-agents", "orchestration"].includes(row.name) ? { externalPorts: [443] } : {}),
    },
    monitoring: {
      port: "metrics",
      alerts: [
        {
          name: `OSSA${row.name.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase())}Down`,
          expr: `kube_deployment_status_replicas_available{namespace="${NAMESPACE}",deployment="${row.name}"} == 0`,
          for: "2m",
          severity: "critical",
          summary: `OSSA ${row.name} has no available replicas`,
          description: `Every ${row.name} replica is unavailable.`,
        },
      ],
    },
  };
}

const dbClients = (name: string): Peer[] => callersOf(name);
/**
 * PostgreSQL 16 on CloudNativePG: three instances across zones with automatic failover, WAL archived
 * to S3. Its PgBouncer Pooler keeps the Service name `pgpool` the services and the seed use; reads are
 * not balanced over the standbys (docs/tenants/ossa.md).
 */
const DB = postgres({
  name: "postgres",
  description: "PostgreSQL 16: OSSA's store for the seven services",
  version: "16.6",
  database: "ossa",
  owner: "ossa",
  password: { secret: "postgres", property: "password" },
  instances: { dev: 1, staging: 3, prod: 3 },
  storage: "100Gi",
  resources: res("1", "2Gi", "2", "4Gi"),
  clients: [...SERVICES.filter((s) => s.calls.includes("pgpool")).map((s) => ({ app: s.name })), { job: "db-health-check" }],
  pooler: { name: "pgpool", instances: { dev: 1, staging: 2, prod: 3 } },
});

const redis: AppSpec = {
  name: "redis",
  description: "Redis cache and session store: pod 0 is the primary, pods 1 and 2 replicate it",
  kind: "StatefulSet",
  image: REDIS_IMAGE,
  command: ["/bin/sh", "-c"],
  args: [
    [
      'set -- --port 6379 --dir /data --appendonly yes --requirepass "$REDIS_PASSWORD" --masterauth "$REDIS_PASSWORD" --protected-mode no',
      'if [ "${HOSTNAME##*-}" != "0" ]; then set -- "$@" --replicaof redis-0.redis-headless 6379; fi',
      'exec redis-server "$@"',
    ].join("\n"),
  ],
  ports: [{ name: "redis", containerPort: 6379 }],
  probes: {
    readiness: {
      exec: { command: ["/bin/sh", "-c", 'REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli -h 127.0.0.1 ping | grep -q PONG'] },
      periodSeconds: 5,
    },
    liveness: { tcp: { port: "redis" }, initialDelaySeconds: 15 },
  },
  resources: res("500m", "1Gi", "1", "2Gi"),
  secretEnv: { REDIS_PASSWORD: { secret: "redis", property: "password" } },
  storage: [{ name: "data", size: "20Gi", mountPath: "/data" }],
  securityContext: { runAsUser: 999 },
  scaling: { replicas: 3 },
  spread: "zone-required",
  rollout: { podManagementPolicy: "Parallel" },
  network: {
    ingress: [
      { from: dbClients("redis"), ports: ["redis"] },
      { from: [{ app: "redis" }, { job: "db-health-check" }], ports: ["redis"] },
    ],
  },
};

const qdrant: AppSpec = qdrantApp({
  clients: [...dbClients("qdrant"), { job: "db-health-check" }],
  apiKey: QDRANT_KEY,
  dataSize: "100Gi",
  snapshotSize: "50Gi",
  resources: res("1", "2Gi", "2", "8Gi"),
  replicas: 3,
  backupJob: "qdrant-backup",
});

const healthCheck: JobSpec = {
  name: "health-check",
  description: "Deep health check of every OSSA service after each sync",
  steps: [
    {
      name: "services",
      image: CURL_IMAGE,
      command: ["/bin/sh", "-c"],
      args: [
        [
          "set -eu",
          `for s in ${SERVICES.map((s) => s.name).join(" ")}; do`,
          '  curl -fsS --retry 10 --retry-all-errors --retry-delay 6 "http://$s/health/ready" >/dev/null && echo "$s ok"',
          "done",
        ].join("\n"),
      ],
    },
  ],
  backoffLimit: 1,
  activeDeadlineSeconds: 600,
};

const dbHealthCheck: JobSpec = {
  name: "db-health-check",
  description: "Checks PostgreSQL, Redis and Qdrant every 10 minutes",
  schedule: "*/10 * * * *",
  steps: [
    { name: "postgres", image: PG_CLIENT_IMAGE, command: ["pg_isready", "-h", "pgpool", "-p", "5432", "-t", "10"] },
    {
      name: "redis",
      image: REDIS_IMAGE,
      command: ["/bin/sh", "-c", 'for i in 0 1 2; do redis-cli -h "redis-$i.redis-headless" ping | grep -q PONG; done'],
      secretEnv: { REDISCLI_AUTH: { secret: "redis", property: "password" } },
    },
    { name: "qdrant", image: CURL_IMAGE, command: ["curl", "-fsS", "http://qdrant:6333/readyz"] },
  ],
  backoffLimit: 0,
  activeDeadlineSeconds: 120,
};

const JOBS: readonly JobSpec[] = [healthCheck, dbHealthCheck, qdrantBackupJob("qdrant-backup", "0 */6 * * *", "ossa", QDRANT_KEY)];

const APPS: readonly AppSpec[] = [...SERVICES.map(service), redis, qdrant];

/** Prod is pinned by tag until then; see the tenant doc. */
const DIGEST_PINS_DUE = "2027-01-31";

export const ossa: TenantSpec = {
  name: "ossa",
  namespace: NAMESPACE,
  description: "OSSA v0.1.8: seven agent services over PostgreSQL, Redis and Qdrant, in every region.",
  seed: "002_bee6b22076fe64a2.txt",
  apps: APPS,
  databases: [DB],
  exceptions: awaitingDigestPins(NAMESPACE, { apps: APPS, jobs: JOBS }, DIGEST_PINS_DUE),
  // A lean sidecar: at 500+ pods in prod, Istio's default (2 CPU / 1Gi limits) would dwarf the agents.
  mesh: { sidecarResources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } } },
  secrets: [
    { name: "postgres", remoteKey: "postgres", properties: ["admin-password", "password", "username"] },
    { name: "redis", remoteKey: "redis", properties: ["password"] },
    { name: "qdrant", remoteKey: "qdrant", properties: ["api-key"] },
    { name: "jwt", remoteKey: "jwt", properties: ["secret"] },
    { ...BACKUP_SECRET, properties: [...BACKUP_SECRET.properties] },
  ],
  jobs: JOBS,
  // Sized to hold every HPA at its maximum plus the databases and sidecars, with ~10% for
  // Jobs; the validator rejects a quota that would cap an HPA (see docs/tenants/ossa.md).
  quota: {
    dev: {
      requests: { cpu: "20", memory: "40Gi" },
      limits: { cpu: "64", memory: "100Gi" },
      pods: 80,
      persistentVolumeClaims: 20,
      storage: "1Ti",
    },
    staging: {
      requests: { cpu: "60", memory: "100Gi" },
      limits: { cpu: "200", memory: "280Gi" },
      pods: 200,
      persistentVolumeClaims: 20,
      storage: "1Ti",
    },
    prod: {
      requests: { cpu: "180", memory: "280Gi" },
      limits: { cpu: "850", memory: "700Gi" },
      pods: 600,
      persistentVolumeClaims: 20,
      storage: "2Ti",
      containerMax: { cpu: "4", memory: "8Gi" },
    },
  },
  dashboards: [
    {
      name: "ossa-agents",
      dashboard: {
        title: "OSSA Agents",
        tags: ["ossa"],
        timezone: "utc",
        panels: [
          {
            title: "Replicas by service",
            type: "timeseries",
            targets: [
              { expr: `sum by (deployment) (kube_deployment_status_replicas{namespace="${NAMESPACE}"})`, legendFormat: "{{deployment}}" },
            ],
          },
          {
            title: "Request rate by service",
            type: "timeseries",
            targets: [{ expr: `sum by (service) (rate(http_requests_total{namespace="${NAMESPACE}"}[5m]))`, legendFormat: "{{service}}" }],
          },
        ],
      },
    },
  ],
};
