/**
 * Splits the cluster folders into n shards for n CI machines: deterministic, balanced by
 * each folder's last-known cost, and covering every folder exactly once.
 *
 * The cost of a folder is the number of objects it rendered to the last time this
 * checkout (or a CI cache restored into it) rendered it: kustomize and the check are both
 * linear in objects (docs/performance.md). Costs live in .cache/shard-costs.json, written
 * after every render through the cache. A folder without a known cost counts as the
 * median known cost (1 when none is known), so a fresh checkout falls back to an even
 * split in a stable hash order.
 *
 * Units are assigned largest first to the least-loaded shard (LPT scheduling; ties by a
 * sha256 of the unit's name, then the lowest shard index). The check shards whole
 * clusters ("cluster" units) because cross-namespace rules read a whole cluster; render
 * and diff shard single folders.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { ClusterFolder } from "./folders.js";

/** Shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

export type ShardUnit = "folder" | "cluster";

/** Where the last-known costs live, relative to the repository. */
export const DEFAULT_COSTS_FILE = ".cache/shard-costs.json";

/** Parses "i/n" (1 ≤ i ≤ n); the error names the value and the fix. */
export function parseShard(value: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count)
    throw new Error(`--shard "${value}" is not i/n with 1 ≤ i ≤ n; write e.g. --shard 2/7`);
  return { index, count };
}

/** Folder path → objects it last rendered to; `file` is relative to `repo` or absolute; an unreadable file means no costs are known. */
export function readCosts(repo: string, file: string = DEFAULT_COSTS_FILE): Map<string, number> {
  try {
    const raw = JSON.parse(readFileSync(resolve(repo, file), "utf8")) as unknown;
    if (typeof raw !== "object" || raw === null) return new Map();
    return new Map(Object.entries(raw).filter((e): e is [string, number] => typeof e[1] === "number" && e[1] >= 0));
  } catch {
    return new Map();
  }
}

/** Records the cost of rendered folders, keeping what is known of the others; sorted keys, atomic write. */
export function recordCosts(
  repo: string,
  folders: readonly { path: string; objects: readonly unknown[] | number }[],
  file: string = DEFAULT_COSTS_FILE,
): void {
  const costs = readCosts(repo, file);
  for (const f of folders) costs.set(f.path, typeof f.objects === "number" ? f.objects : f.objects.length);
  const target = resolve(repo, file);
  mkdirSync(dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(
    tmp,
    `${JSON.stringify(Object.fromEntries([...costs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), null, 1)}\n`,
  );
  renameSync(tmp, target);
}

const hashOf = (s: string): string => createHash("sha256").update(s).digest("hex");

/** Which shard (0-based) each unit goes to. */
export function assignUnits(units: ReadonlyMap<string, number>, count: number): Map<string, number> {
  const order = [...units.entries()].map(([name, cost]) => ({ name, cost, hash: hashOf(name) }));
  order.sort((a, b) => b.cost - a.cost || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
  const load = new Array<number>(count).fill(0);
  const out = new Map<string, number>();
  for (const u of order) {
    let best = 0;
    for (let i = 1; i < count; i++) if ((load[i] ?? 0) < (load[best] ?? 0)) best = i;
    load[best] = (load[best] ?? 0) + u.cost;
    out.set(u.name, best);
  }
  return out;
}

function median(values: number[]): number {
  if (values.length === 0) return 1;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 1;
}

/** The folders of one shard, in their original order. */
export function shardFolders<F extends ClusterFolder>(
  folders: readonly F[],
  shard: Shard,
  costs: ReadonlyMap<string, number>,
  unit: ShardUnit = "folder",
): F[] {
  const fallback = Math.max(1, median(folders.flatMap((f) => (costs.has(f.path) ? [costs.get(f.path) ?? 0] : []))));
  const unitOf = (f: ClusterFolder): string => (unit === "cluster" ? f.cluster : f.path);
  const units = new Map<string, number>();
  // Every unit weighs at least 1, so empty folders still spread across shards.
  for (const f of folders) units.set(unitOf(f), (units.get(unitOf(f)) ?? 0) + Math.max(1, costs.get(f.path) ?? fallback));
  const assigned = assignUnits(units, shard.count);
  return folders.filter((f) => assigned.get(unitOf(f)) === shard.index - 1);
}

/**
 * Objects one CI shard is sized for: kustomize costs 3.3–4.8 ms of CPU per rendered object
 * (docs/performance.md, the fleet bench), so a cold shard of this size renders in about
 * five minutes on a 2-core runner; a warm cache makes it far less.
 */
export const SHARD_OBJECTS = 130_000;
/** Matrix jobs at most: GitHub Actions runs 20 jobs at once on the free plan (docs.github.com, "Usage limits"). */
export const MAX_SHARDS = 20;
/** A folder's assumed size when no cost is known at all (the synthetic fleet's ~180 objects per 20-app folder). */
export const ASSUMED_FOLDER_OBJECTS = 200;

/**
 * How many check shards the fleet needs: its last-known objects over SHARD_OBJECTS, at least
 * one, at most MAX_SHARDS and never more than its clusters (a check shard is whole clusters).
 * Folders without a known cost count as the median known one, or ASSUMED_FOLDER_OBJECTS.
 */
export function shardCount(folders: readonly ClusterFolder[], costs: ReadonlyMap<string, number>): number {
  const known = folders.flatMap((f) => (costs.has(f.path) ? [costs.get(f.path) ?? 0] : []));
  const fallback = known.length === 0 ? ASSUMED_FOLDER_OBJECTS : median(known);
  const objects = folders.reduce((n, f) => n + (costs.get(f.path) ?? fallback), 0);
  const clusters = new Set(folders.map((f) => f.cluster)).size;
  return Math.max(1, Math.min(Math.ceil(objects / SHARD_OBJECTS), MAX_SHARDS, clusters));
}
