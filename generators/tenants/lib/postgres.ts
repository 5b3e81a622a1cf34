/**
 * PostgreSQL with streaming replication on the Docker Official Image (docker.io/library/postgres,
 * maintained upstream), replacing Bitnami's postgresql-repmgr, whose versioned tags were
 * withdrawn (bitnami/containers#83267). Pod 0 is the primary; every other pod, when its
 * volume is empty, clones it with pg_basebackup and follows it as a hot standby. There is
 * no automatic failover: promoting a standby is a manual step (docs/tenants/*.md) until an
 * operator (CloudNativePG) is on the platform.
 */
import type { AppSpec, ImageSpec, NetworkSpec, VpaSpec } from "../../api/tenant.js";

/** The official image's `postgres` user (Debian variant). */
const POSTGRES_UID = 999;

export interface PostgresOptions {
  image: ImageSpec;
  namespace: string;
  database: string;
  /** The superuser's password (POSTGRES_PASSWORD); standbys replicate as the superuser. */
  superuserPassword: { secret: string; property: string };
  /** The application role initdb creates on the primary. */
  appUser: { secret: string; property: string };
  appPassword: { secret: string; property: string };
  resources: AppSpec["resources"];
  dataSize: string;
  replicas: number;
  network: NetworkSpec;
  description: string;
  spread?: AppSpec["spread"];
  vpa?: VpaSpec;
  exposure?: AppSpec["exposure"];
  /** The port's name; network intents and probes refer to it. */
  portName: string;
}

/** Host-based access: the local socket for the entrypoint's init, SCRAM for clients and replication. */
const PG_HBA = `local all all trust
host all all all scram-sha-256
host replication all all scram-sha-256
`;

/** Sourced once by the image's entrypoint (docker_process_init_files) on an empty primary: the application role owns the database. */
const INIT_APP_ROLE = `psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -v db="$POSTGRES_DB" -v app_user="$APP_USER" -v app_password="$APP_PASSWORD" <<'SQL'
CREATE ROLE :"app_user" LOGIN PASSWORD :'app_password';
ALTER DATABASE :"db" OWNER TO :"app_user";
SQL
`;

export function postgresApp(o: PostgresOptions): AppSpec {
  const headless = `postgres-headless.${o.namespace}.svc.cluster.local`;
  return {
    name: "postgres",
    description: o.description,
    kind: "StatefulSet",
    image: o.image,
    command: ["/bin/bash", "-c"],
    args: [
      [
        "set -eu",
        'if [ "${HOSTNAME##*-}" != "0" ] && [ ! -s "$PGDATA/PG_VERSION" ]; then',
        `  until PGPASSWORD="$POSTGRES_PASSWORD" pg_basebackup -h postgres-0.${headless} -U "$POSTGRES_USER" -D "$PGDATA" -R -X stream -c fast; do sleep 5; done`,
        '  chmod 700 "$PGDATA"',
        "fi",
        "exec docker-entrypoint.sh postgres -c hba_file=/etc/postgresql/hba/pg_hba.conf -c wal_level=replica -c max_wal_senders=10 -c hot_standby=on",
      ].join("\n"),
    ],
    ports: [{ name: o.portName, containerPort: 5432 }],
    probes: {
      readiness: { exec: { command: ["/bin/sh", "-c", "pg_isready -h 127.0.0.1 -p 5432 -U postgres"] }, periodSeconds: 10 },
      liveness: { tcp: { port: o.portName }, initialDelaySeconds: 30, periodSeconds: 10 },
      startup: { tcp: { port: o.portName }, periodSeconds: 10, failureThreshold: 60 },
    },
    resources: o.resources,
    env: {
      POSTGRES_USER: "postgres",
      POSTGRES_DB: o.database,
      // A subdirectory: the volume's root holds lost+found, which initdb refuses.
      PGDATA: "/var/lib/postgresql/data/pgdata",
    },
    secretEnv: { POSTGRES_PASSWORD: o.superuserPassword, APP_USER: o.appUser, APP_PASSWORD: o.appPassword },
    configFiles: [
      { name: "postgres-hba", mountPath: "/etc/postgresql/hba", files: { "pg_hba.conf": PG_HBA } },
      { name: "postgres-initdb", mountPath: "/docker-entrypoint-initdb.d", files: { "10-app-role.sh": INIT_APP_ROLE } },
    ],
    storage: [{ name: "data", size: o.dataSize, mountPath: "/var/lib/postgresql/data" }],
    scratch: [
      { name: "run", mountPath: "/var/run/postgresql", sizeLimit: "16Mi" },
      { name: "tmp", mountPath: "/tmp", sizeLimit: "1Gi" },
      { name: "shm", mountPath: "/dev/shm", sizeLimit: "1Gi", memory: true },
    ],
    securityContext: { runAsUser: POSTGRES_UID },
    // Fixed: a database's replica count is its replication topology, never an HPA target.
    scaling: { replicas: o.replicas },
    ...(o.exposure ? { exposure: o.exposure } : {}),
    ...(o.spread ? { spread: o.spread } : {}),
    rollout: { podManagementPolicy: "Parallel" },
    ...(o.vpa ? { vpa: o.vpa } : {}),
    network: o.network,
  };
}
