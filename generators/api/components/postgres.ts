/**
 * A PostgreSQL database as one declaration: a CloudNativePG `Cluster` with automatic failover,
 * PgBouncer through a `Pooler`, metrics through PodMonitors, credentials from the tenant's secret
 * store, continuous WAL archiving and scheduled base backups to S3 through the Barman Cloud plugin,
 * and in prod a copy of the backups outside the region. builders/postgres.ts turns it into objects;
 * validate/durability.ts refuses targets the mechanism cannot meet.
 *
 * Replaces the StatefulSet on the Docker Official Image (tenants/lib/postgres.ts), whose failover was manual.
 */
import type { ClusterSpec, Fleet, Region } from "../../fleet/fleet.js";
import { envSpec } from "../../fleet/fleet.js";
import type { DurabilitySpec, PerEnv } from "../durability.js";

/** Requests and limits: structurally tenant.ts's ResourcesSpec (tenant.ts imports this file). */
export interface DatabaseResources {
  requests: { cpu: string; memory: string };
  limits: { cpu?: string; memory: string };
}

/** A client of the database: an app or a job of the same tenant (a subset of tenant.ts's Peer). */
export type DatabaseClient =
  | { app: string; tenant?: string; job?: never; namespace?: never; cidr?: never }
  | { job: string; app?: never; tenant?: never; namespace?: never; cidr?: never };

/** CloudNativePG's PostgreSQL operand images (cloudnative-pg/postgres-containers), minimal variant on Debian bookworm. */
export const CNPG_POSTGRES_IMAGE = "ghcr.io/cloudnative-pg/postgresql";

export interface PostgresSpec {
  /** The Cluster's name (DNS-1123): its pods are `<name>-1..n`, its Services `<name>-rw|ro|r`. */
  name: string;
  /** One line for humans: shown on the Cluster. */
  description: string;
  /** A tag of CNPG_POSTGRES_IMAGE, e.g. "16.6" (major.minor; a major upgrade is a new Cluster, not an edit). */
  version: string;
  /** The application database initdb creates. */
  database: string;
  /** The role that owns it: the username apps connect as. */
  owner: string;
  /** The owner's password: a property of one of the tenant's `secrets`. */
  password: { secret: string; property: string };
  /** PostgreSQL instances: 1 primary, the rest streaming standbys that CNPG promotes on failure. */
  instances: PerEnv<number>;
  /** Size of each instance's data volume (PGDATA and WAL). */
  storage: PerEnv<string>;
  resources: PerEnv<DatabaseResources>;
  /** Who connects (through the Pooler): apps or jobs of this tenant. */
  clients: readonly DatabaseClient[];
  /** PgBouncer in front of the primary; its Service is what apps address. @default name `<name>-pooler`, 2 instances (1 in dev), session pooling */
  pooler?: { name?: string; instances?: PerEnv<number>; poolMode?: "session" | "transaction" };
  /** RPO and RTO per environment. @default DEFAULT_DURABILITY */
  durability?: DurabilitySpec;
  /** Base backups (WAL archiving is continuous). @default daily at 02:00 UTC, 30 days retained */
  backup?: { schedule?: string; retention?: string };
  /** Extra postgresql.conf parameters (CNPG refuses the ones it manages). @default none */
  parameters?: Readonly<Record<string, string>>;
}

/** The one-line declaration tenants write: `databases: [postgres({ ... })]`. */
export function postgres(spec: PostgresSpec): PostgresSpec {
  return spec;
}

/** The Pooler's name: its Service is the database's address for apps. */
export function poolerName(db: PostgresSpec): string {
  return db.pooler?.name ?? `${db.name}-pooler`;
}

/** The host apps connect to (the Pooler's Service, in the tenant's namespace). */
export function postgresHost(db: PostgresSpec): string {
  return poolerName(db);
}

/** Defaults the builder fills in; the check reads the rendered values, never these. */
export const POSTGRES_DEFAULTS = {
  /** Daily base backups at 02:00 UTC: robfig/cron with seconds, as ScheduledBackup spells it. */
  schedule: "0 0 2 * * *",
  retention: "30d",
  poolMode: "session",
} as const;

/**
 * The WAL archiver's mechanism for an RPO: PostgreSQL switches to a new WAL segment at least
 * every `archive_timeout` seconds and the plugin ships each closed segment at once, so the data
 * at risk is at most archive_timeout plus the upload. Half the RPO goes to each; CNPG's own
 * default (5 minutes) is the ceiling, one minute the floor (a 16 MiB segment per minute at idle).
 */
export const ARCHIVE_TIMEOUT_BOUNDS = { min: 60, max: 300 } as const;

export function archiveTimeoutSeconds(rpoSeconds: number): number {
  return Math.min(ARCHIVE_TIMEOUT_BOUNDS.max, Math.max(ARCHIVE_TIMEOUT_BOUNDS.min, Math.floor(rpoSeconds / 2)));
}

/**
 * Time to recover, by configuration: with standbys, CloudNativePG's automatic failover (failure
 * detection by the instance manager's probes, then promotion of the most advanced standby:
 * cloudnative-pg docs/src/failover.md) plus the Pooler reconnecting; with one instance, a restore
 * from the object store (a base backup and the WAL since it), bounded here by one hour for the
 * volumes this fleet runs (docs/restore.md).
 */
export const RECOVERY_SECONDS = { failover: 120, restore: 3600 } as const;

export function recoverySeconds(instances: number): number {
  return instances >= 2 ? RECOVERY_SECONDS.failover : RECOVERY_SECONDS.restore;
}

/**
 * Where a production cluster's backups are copied (S3 Cross-Region Replication with Replication
 * Time Control, configured on the buckets): the next production region in fleet order, so the
 * regions form a ring. Undefined outside production, or when production runs in one region only.
 */
export function copyRegion(fleet: Fleet, cluster: ClusterSpec): Region | undefined {
  if (!envSpec(fleet, cluster.env).production) return undefined;
  const regions = [...new Set(fleet.clusters.filter((c) => c.env === cluster.env).map((c) => c.region))];
  if (regions.length < 2) return undefined;
  return regions[(regions.indexOf(cluster.region) + 1) % regions.length];
}
