/**
 * The tenant's databases (api/components/postgres.ts) and their durability targets: generate refuses
 * a declaration the mechanism cannot meet, naming file, field, value and the fix. The mechanism is
 * the one the builder emits: WAL archiving bounded by archive_timeout (half the RPO, at least 60s),
 * failover to a standby (instances >= 2) or a restore from the object store, and in production a
 * copy of the backups in another region.
 */
import { ENVIRONMENTS, type Fleet, envSpec } from "../../fleet/fleet.js";
import { durationSeconds, DEFAULT_DURABILITY, formatSeconds } from "../durability.js";
import {
  ARCHIVE_TIMEOUT_BOUNDS,
  RECOVERY_SECONDS,
  type PostgresSpec,
  copyRegion,
  poolerName,
  recoverySeconds,
} from "../components/postgres.js";
import { isPerEnvRecord } from "../per-env.js";
import type { TenantSpec } from "../tenant.js";
import { type Collector, valueFor } from "./collector.js";

const RETENTION = /^[1-9][0-9]*[dwm]$/;
const SIX_FIELD_CRON = /^\S+( \S+){5}$/;
const VERSION = /^[0-9]{2}\.[0-9]+$/;

function checkTargets(c: Collector, fleet: Fleet, f: string, db: PostgresSpec): void {
  const targets = db.durability?.targets;
  if (db.durability?.recreatable !== undefined) {
    if (db.durability.recreatable.reason.trim() === "")
      c.add(`${f}.durability.recreatable.reason`, "", "say why the data can be re-created (it is rendered as an annotation)");
    return;
  }
  for (const env of ENVIRONMENTS) {
    const t = targets !== undefined ? valueFor(targets, env) : DEFAULT_DURABILITY[env];
    if (t === undefined) continue;
    const field = (k: "rpo" | "rto"): string =>
      targets === undefined ? `${f}.durability` : `${f}.durability.targets${isPerEnvRecord(targets) ? `.${env}` : ""}.${k}`;
    const rpo = durationSeconds(t.rpo);
    const rto = durationSeconds(t.rto);
    if (rpo === undefined) c.add(field("rpo"), t.rpo, 'not a duration; write "<n>s", "<n>m" or "<n>h", e.g. "5m"');
    if (rto === undefined) c.add(field("rto"), t.rto, 'not a duration; write "<n>s", "<n>m" or "<n>h", e.g. "15m"');
    if (rpo !== undefined && rpo < 2 * ARCHIVE_TIMEOUT_BOUNDS.min)
      c.add(
        field("rpo"),
        t.rpo,
        `in ${env}: WAL archiving cannot meet an RPO under ${formatSeconds(2 * ARCHIVE_TIMEOUT_BOUNDS.min)} (archive_timeout is at least ${ARCHIVE_TIMEOUT_BOUNDS.min}s, plus the upload); raise rpo to "${formatSeconds(2 * ARCHIVE_TIMEOUT_BOUNDS.min)}" or more`,
      );
    const instances = valueFor(db.instances, env);
    if (rto !== undefined && instances !== undefined && recoverySeconds(instances) > rto)
      c.add(
        field("rto"),
        t.rto,
        instances >= 2
          ? `in ${env}: failover takes up to ${formatSeconds(RECOVERY_SECONDS.failover)}; raise rto to "${formatSeconds(RECOVERY_SECONDS.failover)}" or more`
          : `in ${env}: with 1 instance, recovery is a restore from the object store (up to ${formatSeconds(RECOVERY_SECONDS.restore)}); set instances.${env} to 3 (automatic failover) or raise rto to "${formatSeconds(RECOVERY_SECONDS.restore)}"`,
      );
  }
  for (const cluster of fleet.clusters) {
    if (envSpec(fleet, cluster.env).production && copyRegion(fleet, cluster) === undefined)
      c.add(
        `${f}.durability`,
        cluster.name,
        `production needs a copy of the backups outside ${cluster.region}, and the fleet runs ${cluster.env} in no other region; add a ${cluster.env} cluster in another region (generators/fleet/fleet.ts) or declare durability.recreatable with the reason`,
      );
  }
}

export function checkDatabases(c: Collector, fleet: Fleet, tenant: TenantSpec): void {
  const dbs = tenant.databases ?? [];
  c.unique(
    "databases[].name",
    dbs.map((d) => d.name),
    "database name",
  );
  for (const db of dbs) {
    const f = `databases[${db.name}]`;
    c.dnsLabel(`${f}.name`, db.name, "a CloudNativePG Cluster name");
    const pooler = poolerName(db);
    c.dnsLabel(`${f}.pooler.name`, pooler, "a Pooler name");
    if (pooler === db.name)
      c.add(
        `${f}.pooler.name`,
        pooler,
        `the Pooler cannot share the Cluster's name (CloudNativePG's pooler webhook refuses it); use "${db.name}-pooler"`,
      );
    if (tenant.apps.some((a) => a.name === pooler || a.name === db.name))
      c.add(`${f}.name`, db.name, "an app of the tenant has this name (its Service would collide); rename the app or the database");
    if (!VERSION.test(db.version))
      c.add(`${f}.version`, db.version, 'a tag of ghcr.io/cloudnative-pg/postgresql as major.minor, e.g. "16.6"');
    const secret = (tenant.secrets ?? []).find((s) => s.name === db.password.secret);
    if (!secret)
      c.add(
        `${f}.password.secret`,
        db.password.secret,
        `no tenant secret of that name; declared: ${(tenant.secrets ?? []).map((s) => s.name).join(", ") || "none"}`,
      );
    else if (!secret.properties.includes(db.password.property))
      c.add(
        `${f}.password.property`,
        db.password.property,
        `secret ${secret.name} has no such property; it has ${secret.properties.join(", ")}`,
      );
    c.perEnv(`${f}.instances`, db.instances, (field, n) => {
      if (!Number.isInteger(n) || n < 1) c.add(field, n, "must be a whole number of at least 1");
    });
    db.clients.forEach((p, i) => {
      const known =
        p.app !== undefined
          ? tenant.apps.some((a) => a.name === p.app) && p.tenant === undefined
          : p.job !== undefined && (tenant.jobs ?? []).some((j) => j.name === p.job);
      if (!known)
        c.add(
          `${f}.clients[${i}]`,
          p,
          "a client is an app or a job of this tenant (`{ app: name }` or `{ job: name }`); the Pooler admits only them",
        );
    });
    if (db.backup?.retention !== undefined && !RETENTION.test(db.backup.retention))
      c.add(`${f}.backup.retention`, db.backup.retention, 'write "<n>d", "<n>w" or "<n>m" (days, weeks, months), e.g. "30d"');
    if (db.backup?.schedule !== undefined && !SIX_FIELD_CRON.test(db.backup.schedule))
      c.add(
        `${f}.backup.schedule`,
        db.backup.schedule,
        'six cron fields, seconds first, as ScheduledBackup reads them, e.g. "0 0 2 * * *"',
      );
    checkTargets(c, fleet, f, db);
  }
}
