/**
 * A backup and point-in-time restore rehearsal with the real tools: PostgreSQL (Debian's package)
 * archives WAL with `barman-cloud-wal-archive` and takes a base backup with `barman-cloud-backup`
 * into a local S3 (s3rver), configured exactly as a generated ObjectStore and Cluster say (bucket,
 * prefix, serverName, WAL and data compression, encryption, immediate checkpoint, jobs); rows are
 * written with timestamps; the primary is killed (`pg_ctl stop -m immediate`: its volume is gone);
 * `barman-cloud-restore` and `barman-cloud-wal-restore` rebuild two fresh instances, one to a point
 * in time and one to the end of the archive. It prints the data lost and compares it with the
 * declared RPO.
 *
 * Time is scaled: production's archive_timeout (e.g. 150s) would make a rehearsal minutes long, so
 * the segment switch runs every REHEARSAL_ARCHIVE_TIMEOUT seconds, and the loss bound at production
 * scale is the generated archive_timeout plus the archive latency measured here.
 *
 * Usage: tsx test/durability/rehearsal.ts [clusters/<cluster>/<tenant>/postgres.yaml]
 * Needs: postgresql and barman-cli-cloud (apt-get install -y postgresql barman-cli-cloud); as root it
 * runs PostgreSQL as the `postgres` user. Exit 0 only when both restores are exact and the loss is within the RPO.
 */
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { startS3 } from "./s3.js";

const execFileP = promisify(execFile);
const REHEARSAL_ARCHIVE_TIMEOUT = 4;
const WRITE_SECONDS = 6;
/** The whole rehearsal's bound (CI: under 60 s); REHEARSAL_DEADLINE_S raises it on a loaded machine. */
const DEADLINE_MS = Number(process.env.REHEARSAL_DEADLINE_S ?? "55") * 1000;
const PG_PORT = 55_432;

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (typeof v === "object" && v !== null ? (v as Obj) : {});

/** The generated objects the rehearsal follows. */
export interface Plan {
  bucket: string;
  prefix: string;
  serverName: string;
  walFlags: string[];
  backupFlags: string[];
  archiveTimeoutSeconds: number;
  rpoSeconds: number;
}

const seconds = (d: string): number => {
  const m = /^(\d+)(s|m|h)$/.exec(d);
  if (!m) throw new Error(`not a duration: ${d}`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as "s" | "m" | "h"];
};

/**
 * The barman-cloud flags the plugin derives from an ObjectStore (cloudnative-pg/barman-cloud
 * pkg/archiver/command.go and pkg/backup/backup.go: compression -> --gzip|--bzip2|--snappy...,
 * encryption -> --encryption, data.immediateCheckpoint -> --immediate-checkpoint, data.jobs -> --jobs).
 */
export function planFrom(file: string): Plan {
  const docs = parseAllDocuments(readFileSync(file, "utf8")).map((d) => o(d.toJSON()));
  const store = docs.find((d) => d.kind === "ObjectStore");
  const cluster = docs.find((d) => d.kind === "Cluster");
  if (!store || !cluster) throw new Error(`${file}: needs an ObjectStore and a Cluster`);
  const cfg = o(o(store.spec).configuration);
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(String(cfg.destinationPath));
  if (!m) throw new Error(`${file}: destinationPath ${String(cfg.destinationPath)} is not s3://bucket/prefix`);
  const plugin = (o(cluster.spec).plugins as Obj[]).find((p) => p.isWALArchiver === true);
  const wal = o(cfg.wal);
  const data = o(cfg.data);
  const flag = (c: unknown): string[] => (c === undefined ? [] : [`--${String(c)}`]);
  const enc = (e: unknown): string[] => (e === undefined ? [] : ["-e", String(e)]);
  const annotations = o(o(cluster.metadata).annotations);
  const timeout = String(o(o(o(cluster.spec).postgresql).parameters).archive_timeout);
  return {
    bucket: m[1] as string,
    prefix: m[2] as string,
    serverName: String(o(plugin?.parameters).serverName),
    walFlags: [...flag(wal.compression), ...enc(wal.encryption)],
    backupFlags: [
      ...flag(data.compression),
      ...enc(data.encryption),
      ...(data.immediateCheckpoint === true ? ["--immediate-checkpoint"] : []),
      ...(data.jobs !== undefined ? ["--jobs", String(data.jobs)] : []),
    ],
    archiveTimeoutSeconds: seconds(timeout),
    rpoSeconds: seconds(String(annotations["ai-platform.io/durability-rpo"])),
  };
}

function need(tool: string): string {
  const found = spawnSync("sh", ["-c", `command -v ${tool} || ls /usr/lib/postgresql/*/bin/${tool} 2>/dev/null | tail -1`], {
    encoding: "utf8",
  });
  const path = found.stdout.trim().split("\n").pop() ?? "";
  if (!path) throw new Error(`${tool} is not installed: apt-get install -y postgresql barman-cli-cloud`);
  return path;
}

async function main(): Promise<void> {
  const started = Date.now();
  const file = process.argv[2] ?? "clusters/prod-usw2/agentguard/postgres.yaml";
  const plan = planFrom(file);
  const bin = { initdb: need("initdb"), pg_ctl: need("pg_ctl"), psql: need("psql") };
  for (const t of ["barman-cloud-wal-archive", "barman-cloud-backup", "barman-cloud-restore", "barman-cloud-wal-restore"]) need(t);

  const root = userInfo().uid === 0;
  const work = mkdtempSync(join(tmpdir(), "pg-rehearsal-"));
  chmodSync(work, 0o755);
  const s3 = await startS3(join(work, "s3"), plan.bucket);
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: "S3RVER",
    AWS_SECRET_ACCESS_KEY: "S3RVER",
    AWS_DEFAULT_REGION: "us-west-2",
    PGTZ: "UTC",
  };
  const url = `s3://${plan.bucket}/${plan.prefix}`;
  const endpoint = ["--endpoint-url", s3.endpoint];
  const asPg = (cmd: string, args: string[]): string[] =>
    root ? ["runuser", "-u", "postgres", "--", "env", ...envArgs(), cmd, ...args] : [cmd, ...args];
  const envArgs = (): string[] => ["AWS_ACCESS_KEY_ID=S3RVER", "AWS_SECRET_ACCESS_KEY=S3RVER", "AWS_DEFAULT_REGION=us-west-2", "PGTZ=UTC"];
  // Asynchronous on purpose: the S3 emulator serves from this process's event loop.
  const run = async (cmd: string, args: string[]): Promise<string> => {
    const [c, ...a] = asPg(cmd, args);
    if (process.env.REHEARSAL_DEBUG === "1")
      process.stderr.write(`${((Date.now() - started) / 1000).toFixed(1)}s ${cmd} ${args.slice(0, 4).join(" ")}\n`);
    const left = DEADLINE_MS - (Date.now() - started);
    if (left <= 0) throw new Error("rehearsal exceeded its time bound");
    return (await execFileP(c as string, a, { env, encoding: "utf8", timeout: left })).stdout;
  };
  const sql = async (dir: string, q: string): Promise<string> =>
    (await run(bin.psql, ["-h", dir, "-p", String(PG_PORT), "-U", "postgres", "-d", "postgres", "-XAtqc", q])).trim();
  const dataDir = (name: string): string => {
    const d = join(work, name);
    mkdirSync(d, { mode: 0o700 });
    if (root) chownSync(d, uid("postgres"), gid("postgres"));
    return d;
  };
  const clusters: string[] = [];
  const start = async (dir: string, wait = true): Promise<void> => {
    await run(bin.pg_ctl, ["-D", dir, "-l", join(dir, "server.log"), ...(wait ? ["-w", "-t", "30"] : ["-W"]), "start"]);
    clusters.push(dir);
  };
  /** Until the restored instance has replayed to its target and promoted (psql fails while it starts). */
  const promoted = async (dir: string): Promise<void> => {
    while (Date.now() - started < DEADLINE_MS) {
      const state = await sql(dir, "SELECT pg_is_in_recovery()").catch(() => "starting");
      if (state === "f") return;
      await sleep(200);
    }
    const log = existsSync(join(dir, "server.log"))
      ? readFileSync(join(dir, "server.log"), "utf8").trim().split("\n").slice(-8).join("\n")
      : "";
    throw new Error(`${dir} did not finish recovery within the rehearsal's bound; its server log ends:\n${log}`);
  };
  const conf = (dir: string, lines: string[]): void => writeFileSync(join(dir, "postgresql.auto.conf"), `${lines.join("\n")}\n`);
  const common = (dir: string): string[] => [`port = ${PG_PORT}`, "listen_addresses = ''", `unix_socket_directories = '${dir}'`];

  try {
    // 1. A primary archiving WAL exactly as the plugin would.
    const primary = dataDir("primary");
    // 1 MiB WAL segments instead of 16: each forced segment switch then costs the archiver 1 MiB, not 16.
    await run(bin.initdb, ["-D", primary, "-A", "trust", "-U", "postgres", "--no-sync", "--wal-segsize=1"]);
    conf(primary, [
      ...common(primary),
      "wal_level = replica",
      "archive_mode = on",
      `archive_timeout = ${REHEARSAL_ARCHIVE_TIMEOUT}`,
      `archive_command = 'barman-cloud-wal-archive ${[...endpoint, ...plan.walFlags].join(" ")} ${url} ${plan.serverName} %p'`,
    ]);
    await start(primary);
    await sql(primary, "CREATE TABLE rows (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp())");

    // 2. A base backup.
    const t0 = Date.now();
    await run("barman-cloud-backup", [
      ...endpoint,
      ...plan.backupFlags,
      "-h",
      primary,
      "-p",
      String(PG_PORT),
      "-U",
      "postgres",
      url,
      plan.serverName,
    ]);
    const backupSeconds = (Date.now() - t0) / 1000;
    // barman-cloud-restore (Barman 3.4) takes a backup ID, not "latest".
    const listed: unknown = JSON.parse(await run("barman-cloud-backup-list", [...endpoint, "--format", "json", url, plan.serverName]));
    const backupId = String((o(listed).backups_list as Obj[] | undefined)?.at(-1)?.backup_id ?? "");
    if (!backupId) throw new Error("barman-cloud-backup-list found no backup");

    // 3. Rows with timestamps, each its own transaction; the point in time to recover to lies between two bursts.
    const burst = (n: number): Promise<string> =>
      sql(primary, `DO $$ BEGIN FOR i IN 1..${n} LOOP INSERT INTO rows DEFAULT VALUES; COMMIT; PERFORM pg_sleep(0.1); END LOOP; END $$`);
    await burst(WRITE_SECONDS * 5);
    // After the burst's last commit: recovery_target_time compares commit times, which follow the rows' `at`.
    const target = await sql(primary, "SELECT clock_timestamp()");
    const targetWal = await sql(primary, "SELECT pg_walfile_name(pg_current_wal_insert_lsn())");
    const beforeTarget = Number(await sql(primary, "SELECT count(*) FROM rows"));
    // Recovery stops at the first commit past the target, so that commit must be archived too: without it
    // PostgreSQL ends recovery before the target ("recovery ended before configured recovery target was
    // reached") and the instance never promotes. Its WAL file is the one to wait for.
    await sql(primary, "INSERT INTO rows DEFAULT VALUES");
    const pastTargetWal = await sql(primary, "SELECT pg_walfile_name(pg_current_wal_insert_lsn())");
    await burst(WRITE_SECONDS * 5);
    // The point in time, and the commit that ends it, must be in the archive before the disaster (a loaded machine archives slowly).
    const archived = (wal: string): Promise<string> =>
      sql(primary, `SELECT coalesce(last_archived_wal, '') >= '${wal}' FROM pg_stat_archiver`);
    while ((await archived(targetWal)) !== "t" || (await archived(pastTargetWal)) !== "t") await sleep(200);
    const lastWritten = await sql(primary, "SELECT max(at) FROM rows");
    const written = Number(await sql(primary, "SELECT count(*) FROM rows"));

    // 4. Disaster: the primary dies with its volume.
    await run(bin.pg_ctl, ["-D", primary, "-m", "immediate", "stop"]);
    clusters.splice(clusters.indexOf(primary), 1);

    // 5. Two fresh instances from the object store: to the point in time, and to the end of the archive.
    const restore = async (name: string, recovery: string[]): Promise<string> => {
      const dir = dataDir(name);
      await run("barman-cloud-restore", [...endpoint, url, plan.serverName, backupId, dir]);
      // The primary's socket lives in its data directory here, so the backup carries its lock file; a stale
      // one whose PID the kernel has since reused would stop the restored server from starting.
      for (const f of readdirSync(dir)) if (f.startsWith(".s.PGSQL.")) rmSync(join(dir, f), { force: true });
      conf(dir, [
        ...common(dir),
        `restore_command = 'barman-cloud-wal-restore ${endpoint.join(" ")} ${url} ${plan.serverName} %f %p'`,
        ...recovery,
      ]);
      writeFileSync(join(dir, "recovery.signal"), "");
      if (root) chownSync(join(dir, "recovery.signal"), uid("postgres"), gid("postgres"));
      await start(dir, false);
      await promoted(dir);
      return dir;
    };
    const pitr = await restore("pitr", [`recovery_target_time = '${target}'`, "recovery_target_action = 'promote'"]);
    const pitrRows = Number(await sql(pitr, "SELECT count(*) FROM rows"));
    const pitrAfter = Number(await sql(pitr, `SELECT count(*) FROM rows WHERE at > '${target}'`));
    await run(bin.pg_ctl, ["-D", pitr, "-m", "fast", "stop"]);
    clusters.splice(clusters.indexOf(pitr), 1);

    const latest = await restore("latest", []);
    const restoredRows = Number(await sql(latest, "SELECT count(*) FROM rows"));
    const lossSeconds = Number(
      await sql(latest, `SELECT coalesce(extract(epoch FROM '${lastWritten}'::timestamptz - max(at)), ${WRITE_SECONDS}) FROM rows`),
    );

    const latency = Math.max(0, lossSeconds - REHEARSAL_ARCHIVE_TIMEOUT);
    const bound = plan.archiveTimeoutSeconds + latency;
    const ok = pitrRows === beforeTarget && pitrAfter === 0 && restoredRows <= written && bound <= plan.rpoSeconds;
    const lines = [
      `rehearsal of ${file}: ${url} server ${plan.serverName}, WAL ${plan.walFlags.join(" ")}, backup ${plan.backupFlags.join(" ")}`,
      `base backup: ${backupSeconds.toFixed(1)}s; rows written ${written}, last at ${lastWritten}`,
      `point-in-time restore to ${target}: ${pitrRows} rows (expected ${beforeTarget}), ${pitrAfter} after the target`,
      `restore to the end of the archive: ${restoredRows} of ${written} rows; measured data loss ${lossSeconds.toFixed(2)}s with archive_timeout ${REHEARSAL_ARCHIVE_TIMEOUT}s`,
      `at production scale: archive_timeout ${plan.archiveTimeoutSeconds}s + archive latency ${latency.toFixed(2)}s = ${bound.toFixed(1)}s against the declared RPO ${plan.rpoSeconds}s: ${bound <= plan.rpoSeconds ? "met" : "NOT met"}`,
      `rehearsal ${ok ? "passed" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)}s`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
    if (!ok) process.exitCode = 1;
  } finally {
    for (const dir of clusters)
      spawnSync(asPg(bin.pg_ctl, [])[0] as string, [...asPg(bin.pg_ctl, []).slice(1), "-D", dir, "-m", "immediate", "stop"], { env });
    await s3.close();
    if (process.env.KEEP_REHEARSAL !== "1") rmSync(work, { recursive: true, force: true });
  }
}

function uid(user: string): number {
  return Number(execFileSync("id", ["-u", user], { encoding: "utf8" }).trim());
}
function gid(user: string): number {
  return Number(execFileSync("id", ["-g", user], { encoding: "utf8" }).trim());
}

if (process.argv[1]?.endsWith("rehearsal.ts")) {
  main().catch((err: unknown) => {
    process.stderr.write(`rehearsal: ${err instanceof Error ? err.message : String(err)}\n`);
    const e = err as { stderr?: string; stdout?: string };
    if (e.stdout) process.stderr.write(e.stdout);
    if (e.stderr) process.stderr.write(e.stderr);
    process.exit(1);
  });
}
void existsSync;
void readdirSync;
