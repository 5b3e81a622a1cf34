/**
 * One stage of `npm run bench -- --fleet TxAxC`, run as its own process so that GNU time
 * reports its wall time, CPU and peak RSS (the largest of the process and its kustomize
 * children). Usage:
 *   tsx generators/bench/stage.ts <stage> <dir> <tenants> <apps> <clusters> <parallelism>
 * with tenants = 0 meaning the committed fleet (DEFAULT_FLEET, TENANTS) in a copy of its tree.
 * Prints one JSON line of counts on stdout.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { checkFleet, type CheckStats } from "../check/run.js";
import { diffFleet } from "../diff/diff.js";
import { DEFAULT_FLEET, type Fleet } from "../fleet/fleet.js";
import { generate } from "../generate.js";
import { listClusterFolders } from "../render/folders.js";
import { renderFleet, type RenderStats } from "../render/render.js";
import { loadPins, type Pins } from "../api/pins.js";
import { TENANTS, type TenantSource } from "../tenants/index.js";
import { summarize } from "./measure.js";
import { withChange } from "./run.js";
import { syntheticFleet, syntheticSources, SYNTHETIC_PINS } from "./synthetic.js";

const [stageArg, dirArg, t, a, c, p] = process.argv.slice(2);
const stage: string = stageArg ?? "";
const dir: string = dirArg ?? "";
if (stage === "" || dir === "") throw new Error("usage: stage.ts <stage> <dir> <tenants> <apps> <clusters> <parallelism>");
const committed = Number(t) === 0;
const fleet: Fleet = committed ? DEFAULT_FLEET : syntheticFleet(Number(c));
const sources: readonly TenantSource[] = committed ? TENANTS : syntheticSources(Number(t), Number(a));
const pins = (): Pins => (committed ? loadPins(dir) : SYNTHETIC_PINS);
const parallelism = Number(p ?? 2);
/**
 * Unmeasured and measured checks of the check-steady stage (benchmark practice: warm up,
 * then take the median). On the committed fleet the per-folder CPU settles after about
 * five checks (0.69, 0.35, 0.29, 0.34, 0.24, then 0.19–0.25 ms per object on this machine).
 */
const STEADY = { warmup: 5, runs: 5 } as const;
const renderCache = { dir: join(dir, ".cache", "render") };
const checkCache = { dir: join(dir, ".cache", "check") };
const git = (...args: string[]): void => void execFileSync("git", args, { cwd: dir, stdio: "ignore" });

/** Renders cluster by cluster through the cache, keeping one cluster's objects in memory. */
async function renderAll(stats: RenderStats): Promise<{ folders: number; objects: number }> {
  let folders = 0;
  let objects = 0;
  for (const cluster of [...new Set(listClusterFolders(dir).map((f) => f.cluster))]) {
    const r = await renderFleet(dir, { cluster, parallelism, cache: renderCache, stats });
    folders += r.length;
    objects += r.reduce((n, f) => n + f.objects.length, 0);
  }
  return { folders, objects };
}

const check = async (
  tenants: readonly TenantSource[],
  cacheDir: string = checkCache.dir,
): Promise<{ objects: number; failures: number } & CheckStats> => {
  const stats: CheckStats = { folderCpu: 0, fleetWideCpu: 0, folderObjects: 0 };
  const r = await checkFleet(dir, fleet, tenants, {
    cache: renderCache,
    checkCache: { dir: cacheDir },
    stats,
    today: new Date("2026-11-22T12:00:00Z"),
  });
  return { objects: r.summary.objects, failures: r.summary.failures, ...stats };
};

let out: unknown;
const stats: RenderStats = { built: 0, cached: 0, pruned: 0 };
switch (stage) {
  case "noop":
    out = {};
    break;
  case "generate": {
    const r = generate(dir, fleet, sources, pins());
    git("init", "-q");
    git("add", "-A");
    git("-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "commit", "-qm", "cold tree");
    out = { written: r.written };
    break;
  }
  case "render":
    out = { ...(await renderAll(stats)), built: stats.built };
    break;
  case "check":
    out = await check(sources);
    break;
  case "check-steady": {
    // The per-folder work past the warm-up (module compilation, V8 tiering up the rule
    // code), which a small fleet cannot amortize: the same cold-cache check run
    // STEADY.warmup times unmeasured, then STEADY.runs times; the median run is reported.
    for (let i = 0; i < STEADY.warmup; i++) await check(sources, join(dir, ".cache", `check-warmup-${i}`));
    const runs: { folderCpu: number; folderObjects: number }[] = [];
    for (let i = 0; i < STEADY.runs; i++) runs.push(await check(sources, join(dir, ".cache", `check-steady-${i}`)));
    const cpu = summarize(runs.map((r) => r.folderCpu));
    out = {
      folderCpu: cpu.median,
      folderCpuMin: cpu.min,
      folderCpuMax: cpu.max,
      folderObjects: runs[0]?.folderObjects ?? 0,
      runs: runs.length,
      warmup: STEADY.warmup,
    };
    break;
  }
  case "incremental": {
    const changed = withChange(sources, "bench");
    const g = generate(dir, fleet, changed, pins());
    const r = await renderAll(stats);
    out = { written: g.written, ...r, built: stats.built, ...(await check(changed)) };
    break;
  }
  case "diff": {
    const d = await diffFleet(dir, { base: "HEAD", generateBase: false, parallelism });
    out = { ...d.stats, changed: d.folders.filter((f) => f.status !== "unchanged").length };
    break;
  }
  default:
    throw new Error(`unknown stage "${stage}"`);
}
console.log(JSON.stringify(out));
