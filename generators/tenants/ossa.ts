/**
 * OSSA v0.1.8: Open Standards for Scalable Agents, seven agent services over
 * PostgreSQL, Redis and Qdrant (seed 002_bee6b22076fe64a2.txt). Departures from the
 * seed, and how its multi-region design maps onto the fleet, are in docs/tenants/ossa.md.
 */
import type { AppSpec, Call, JobSpec, PerEnv, PortSpec, ResourcesSpec, TenantSpec } from "../api/tenant.js";
import { prodPinnedByTag } from "../api/components/release.js";
import { httpService } from "../api/components/http-service.js";
import { resources as res } from "../api/components/resources.js";
import { BACKUP_SECRET, CURL_IMAGE, QDRANT, qdrantApp, qdrantBackupJob } from "../api/components/stateful.js";
import { external, wiring } from "../api/components/wiring.js";
import { postgres, postgresHost } from "../api/components/postgres.js";

const VERSION = "0.1.8";
const NAMESPACE = "ossa-platform";
const PG_CLIENT_IMAGE = { repository: "docker.io/library/postgres", tag: "16.6" } as const;
const REDIS_IMAGE = { repository: "docker.io/library/redis", tag: "7.4.1" } as const;
const QDRANT_KEY = { secret: "qdrant", property: "api-key" } as const;

const wire = wiring(NAMESPACE);
const SERVICE_PORTS: readonly PortSpec[] = [
  { name: "http", containerPort: 3000, servicePort: 80 },
  { name: "metrics", containerPort: 9090 },
];
const redisClient = wire.port({ name: "redis", ports: [{ name: "redis", containerPort: 6379 }] }, "redis");
const qdrantHttp = wire.port(QDRANT, "http");
/** AI model providers the agents call over HTTPS, as in the seed; open egress until an egress gateway names them (no stable ranges). */
const PROVIDERS = ["api.openai.com", "api.anthropic.com", "api.cohere.com"].map((host) =>
  external({ host, port: 443, reason: "AI model provider API (OpenAI, Anthropic, Cohere)", range: "internet", expires: "2027-03-31" }),
);

/** One row per seed service: prod bounds are the seed's; dev and staging are smaller. */
interface ServiceRow {
  name: string;
  description: string;
  min: PerEnv<number>;
  max: PerEnv<number>;
  resources: ResourcesSpec;
  /** Other OSSA services, databases and the AI model providers this one calls. */
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
    calls: ["discovery", "coordination", "redis", "pgpool", "qdrant", "providers"],
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
    calls: ["discovery", "redis", "qdrant", "providers"],
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
    calls: ["task-agents", "mcp-agents", "communication-agents", "discovery", "coordination", "redis", "pgpool", "qdrant", "providers"],
  },
];

/**
 * PostgreSQL 16 on CloudNativePG: three instances across zones with automatic failover, WAL archived
 * to S3. Its PgBouncer Pooler keeps the Service name `pgpool` the services and the seed use; reads are
 * not balanced over the standbys (docs/tenants/ossa.md). Its clients are the rows that call pgpool.
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

/**
 * What a row's `calls` entry means: the handle it calls through, and the env and
 * credentials that come with it. A service gets only the entries of what it calls.
 */
const DEPENDENCIES: Readonly<Record<string, { calls: readonly Call[]; env?: Record<string, string>; secretEnv?: AppSpec["secretEnv"] }>> = {
  // The database's clients are its callers (DB below): both sides of their NetworkPolicies come from that list.
  pgpool: {
    calls: [],
    env: { POSTGRES_HOST: postgresHost(DB), POSTGRES_PORT: "5432", POSTGRES_DB: "ossa" },
    secretEnv: {
      POSTGRES_USER: { secret: "postgres", property: "username" },
      POSTGRES_PASSWORD: { secret: "postgres", property: "password" },
    },
  },
  redis: {
    calls: [redisClient.call],
    env: { REDIS_HOST: redisClient.pod(0) },
    secretEnv: { REDIS_PASSWORD: { secret: "redis", property: "password" } },
  },
  providers: { calls: PROVIDERS.map((p) => p.call) },
  qdrant: { calls: [qdrantHttp.call], env: { QDRANT_URL: qdrantHttp.url() }, secretEnv: { QDRANT_API_KEY: QDRANT_KEY } },
  ...Object.fromEntries(
    SERVICES.map((s) => {
      const h = wire.port({ name: s.name, ports: SERVICE_PORTS }, "http");
      return [s.name, { calls: [h.call], env: { [`${s.name.toUpperCase().replace(/-/g, "_")}_URL`]: h.url() } }];
    }),
  ),
};

function service(row: ServiceRow): AppSpec {
  const deps = row.calls.map((c) => {
    const d = DEPENDENCIES[c];
    if (!d) throw new Error(`ossa: ${row.name} calls unknown ${c}`);
    return d;
  });
  return {
    ...httpService({
      name: row.name,
      description: row.description,
      image: { repository: `ghcr.io/ossa/${row.name}`, tag: VERSION },
      port: 3000,
      servicePort: 80,
      metricsPort: 9090,
      health: { readiness: "/health/ready", liveness: "/health/live", startupFailures: 24 },
      replicas: { min: row.min, max: row.max },
      resources: row.resources,
      env: Object.assign({ OSSA_VERSION: VERSION, NODE_ENV: "production", SERVICE_NAME: row.name }, ...deps.map((d) => d.env ?? {})),
      secretEnv: Object.assign({ JWT_SECRET: { secret: "jwt", property: "secret" } }, ...deps.map((d) => d.secretEnv ?? {})),
      calls: deps.flatMap((d) => d.calls),
    }),
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
              rateLimit: { requestsPerSecond: 200 },
              maxBodySize: "10Mi",
            },
          },
        }
      : {}),
    network: { ingress: [{ from: [{ job: "health-check" }], ports: ["http"] }] },
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

const redis: AppSpec = {
  name: "redis",
  description: "Redis cache and session store: pod 0 is the primary, pods 1 and 2 replicate it",
  kind: "StatefulSet",
  image: REDIS_IMAGE,
  command: ["/bin/sh", "-c"],
  args: [
    [
      'set -- --port 6379 --dir /data --appendonly yes --requirepass "$REDIS_PASSWORD" --masterauth "$REDIS_PASSWORD" --protected-mode no',
      `if [ "\${HOSTNAME##*-}" != "0" ]; then set -- "$@" --replicaof ${redisClient.pod(0)} ${redisClient.port}; fi`,
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
  durability: { targets: { rpo: "1h", rto: "1h" } },
  securityContext: { runAsUser: 999 },
  scaling: { replicas: 3 },
  spread: "zone-required",
  rollout: { podManagementPolicy: "Parallel" },
  // Replicas follow pod 0.
  calls: [redisClient.call],
  network: { ingress: [{ from: [{ job: "db-health-check" }], ports: ["redis"] }] },
};

const qdrant: AppSpec = qdrantApp({
  namespace: NAMESPACE,
  clients: [{ job: "db-health-check" }],
  apiKey: QDRANT_KEY,
  dataSize: "100Gi",
  snapshotSize: "50Gi",
  resources: res("1", "2Gi", "2", "8Gi"),
  replicas: 3,
  backupJob: "qdrant-backup",
  durability: { targets: { rpo: "1h", rto: "1h" } },
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
    {
      name: "postgres",
      image: PG_CLIENT_IMAGE,
      command: ["pg_isready", "-h", postgresHost(DB), "-p", "5432", "-t", "10"],
    },
    {
      name: "redis",
      image: REDIS_IMAGE,
      command: [
        "/bin/sh",
        "-c",
        `for h in ${[0, 1, 2].map((i) => redisClient.pod(i)).join(" ")}; do redis-cli -h "$h" ping | grep -q PONG; done`,
      ],
      secretEnv: { REDISCLI_AUTH: { secret: "redis", property: "password" } },
    },
    { name: "qdrant", image: CURL_IMAGE, command: ["curl", "-fsS", qdrantHttp.url("http", "/readyz")] },
  ],
  backoffLimit: 0,
  activeDeadlineSeconds: 120,
};

const JOBS: readonly JobSpec[] = [healthCheck, dbHealthCheck, qdrantBackupJob("qdrant-backup", "0 */6 * * *", "ossa", QDRANT_KEY)];

const APPS: readonly AppSpec[] = [...SERVICES.map(service), redis, qdrant];

export const ossa: TenantSpec = {
  name: "ossa",
  namespace: NAMESPACE,
  description: "OSSA v0.1.8: seven agent services over PostgreSQL, Redis and Qdrant, in every region.",
  seed: "002_bee6b22076fe64a2.txt",
  apps: APPS,
  databases: [DB],
  exceptions: prodPinnedByTag(NAMESPACE, { apps: APPS, jobs: JOBS }),
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
