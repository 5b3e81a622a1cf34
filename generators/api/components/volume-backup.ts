/**
 * The mechanism that protects a stateful app's volumes (its `storage`): a Velero Schedule per
 * tenant namespace that takes CSI snapshots of the EBS volumes and moves their data to S3 (the
 * velero add-on, builders/volume-backup.ts). Its figures, shared by validation
 * (validate/durability.ts), the builder and the check (check/policy/durability-volumes.ts):
 *
 * - the schedule runs every 1, 2, 3, 4, 6, 8, 12 or 24 hours (a divisor of the day, so the interval
 *   between two runs is constant): the data at risk is at most one interval, so the interval is
 *   the largest of those within the RPO, and an RPO under an hour is refused (a snapshot and a data
 *   mover upload of every volume of the namespace more often than hourly is not what Velero is for:
 *   stores that need it replicate, like PostgreSQL's WAL archive);
 * - recovery is a Velero restore: the PVCs are re-created from the data mover's copy (Kopia), up
 *   to an hour for the volumes this fleet runs (docs/restore.md "Volumes"), so the RTO is at least 1h;
 * - backups are kept 30 days (the Schedule's `ttl`).
 */
export const VOLUME_BACKUP_HOURS = [1, 2, 3, 4, 6, 8, 12, 24] as const;
export const VOLUME_RESTORE_SECONDS = 3600;
/** 30 days, as a Go duration (Velero's `ttl`). */
export const VOLUME_BACKUP_TTL = "720h0m0s";

/** The interval, in hours, the schedule runs at for an RPO; undefined when the RPO is under an hour. */
export function backupHours(rpoSeconds: number): number | undefined {
  return [...VOLUME_BACKUP_HOURS].reverse().find((h) => h * 3600 <= rpoSeconds);
}

/** The five-field cron expression of a schedule every `hours` hours, at minute 0. */
export function backupCron(hours: number): string {
  if (hours === 1) return "0 * * * *";
  if (hours === 24) return "0 0 * * *";
  return `0 */${hours} * * *`;
}

/**
 * The constant interval, in seconds, between runs of a five-field cron expression, for the shapes
 * that have one: a fixed minute with every hour, every n-th hour (n dividing 24) or a fixed hour,
 * every day. Anything else is undefined: the check then cannot prove an RPO from it.
 */
export function cronIntervalSeconds(cron: string): number | undefined {
  const f = cron.trim().split(/\s+/);
  if (f.length !== 5 || !/^[0-9]+$/.test(f[0] ?? "") || f.slice(2).some((x) => x !== "*")) return undefined;
  const hour = f[1] ?? "";
  if (hour === "*") return 3600;
  if (/^[0-9]+$/.test(hour)) return 24 * 3600;
  const step = /^\*\/([0-9]+)$/.exec(hour);
  const n = step ? Number(step[1]) : 0;
  return n > 0 && 24 % n === 0 ? n * 3600 : undefined;
}

/** Seconds of a Go duration as Velero writes `ttl` ("720h0m0s"), or undefined. */
export function goDurationSeconds(d: string): number | undefined {
  const m = /^(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?$/.exec(d);
  if (!m || d === "") return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/**
 * Volumes of the `shared-efs` class (EFS, ReadWriteMany) cannot be snapshotted through CSI (the EFS
 * CSI driver has no snapshot capability: kubernetes-sigs/aws-efs-csi-driver docs), so Velero skips
 * them. They are covered by the file system's own automatic backups (AWS Backup, daily, 35 days:
 * docs.aws.amazon.com/efs/latest/ug/automatic-backups.html) and, in production, EFS replication to
 * the copy region; the platform states both on the StorageClass (builders/platform.ts) and the check
 * reads them there. Recovery is an AWS Backup restore of the file system: up to four hours.
 */
export const EFS_BACKUP = { intervalSeconds: 24 * 3600, retention: "35d", restoreSeconds: 4 * 3600 } as const;

/** The smallest RPO and RTO a store's mechanism meets: Velero's, or EFS's when a volume is on EFS. */
export function mechanismFloor(efs: boolean): { rpo: number; rto: number; mechanism: string } {
  return efs
    ? { rpo: EFS_BACKUP.intervalSeconds, rto: EFS_BACKUP.restoreSeconds, mechanism: "the EFS file system's daily backup" }
    : { rpo: (VOLUME_BACKUP_HOURS[0] ?? 1) * 3600, rto: VOLUME_RESTORE_SECONDS, mechanism: "volume backups (a Velero Schedule)" };
}
