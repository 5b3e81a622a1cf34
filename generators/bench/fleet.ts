/**
 * `npm run bench -- --fleet TxAxC [--sizes c1,c2,...]`: the full synthetic fleet at the
 * size this repository is for, and the cost curve on the way there.
 *
 * For each cluster count (four by default, ending at C) it generates T tenants × A apps
 * on that many clusters, then renders, checks, makes an incremental gate (one tenant
 * changed: generate + cached render + cached check) and diffs that change against the
 * committed cold tree. Every stage is its own process under GNU time, so wall time, CPU
 * (user + system of the process and its kustomize children) and peak RSS (the largest
 * single process) are the operating system's figures. A `noop` process (tsx plus every
 * module the stages load) is measured once and subtracted for the per-object figures.
 * The committed fleet is measured the same way as the baseline for check CPU per object.
 * Results are written after every size, so a run cut short keeps what finished.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { PINS_FILE } from "../api/pins.js";
import { fmtS, GNU_TIME, MiB } from "./measure.js";
import { copyTree, gitIndex, removeDir, tempDir } from "./sandbox.js";
import { sizeLabel, type FleetSize } from "./synthetic.js";

export interface StageMeasure {
  wall: number;
  cpu: number;
  /** Peak RSS in bytes of the largest single process of the stage. */
  rss: number;
  out: Record<string, number>;
}

export interface FleetPoint {
  label: string;
  size: FleetSize | undefined;
  folders: number;
  objects: number;
  stages: Record<string, StageMeasure>;
  /** Check CPU per checked object, whole process net of the process start-up (noop). */
  checkCpuPerObject: number;
  /**
   * CPU per object of the check's per-folder work only (CheckStats.folderCpu: reading,
   * schema, cluster rules, bootstrap plan), without the once-per-check passes; past the
   * warm-up where measured (the committed fleet's check-steady stage: the median of five
   * checks after five unmeasured ones).
   */
  checkFolderCpuPerObject: number;
  /** Render CPU per folder and per object, net of start-up. */
  renderCpuPerFolder: number;
  renderCpuPerObject: number;
  /** Incremental gate wall time over the cold gate's (generate + render + check). */
  incrementalShare: number | undefined;
}

export interface FleetBenchResult {
  asked: string;
  machine: { cores: number; loadBefore: number; loadAfter: number };
  parallelism: number;
  noop: StageMeasure;
  points: FleetPoint[];
}

export interface FleetBenchOptions {
  repo: string;
  size: FleetSize;
  /** Cluster counts to measure, ascending; the last is normally size.clusters. */
  clusters: number[];
  parallelism: number;
  out: string;
  log: (line: string) => void;
}

/** Old-space limit of every stage process, in MiB: what CI's check jobs set too. */
export const HEAP_LIMIT_MIB = 768;

/** Parses "50x20x100" (or with ×). */
export function parseFleet(value: string): FleetSize {
  const m = /^(\d+)[x×](\d+)[x×](\d+)$/.exec(value.trim());
  if (!m) throw new Error(`--fleet "${value}" is not TENANTSxAPPSxCLUSTERS; write e.g. --fleet 50x20x100`);
  const [tenants, apps, clusters] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (tenants < 1 || apps < 1 || clusters < 1) throw new Error(`--fleet "${value}": every count must be at least 1`);
  return { tenants, apps, clusters };
}

/**
 * Four cluster counts ending at `clusters` (fewer when it is small). Counts of 3 to 5 become 6:
 * their one prod cluster fails the durability check (bench/synthetic.ts syntheticFleet).
 */
export function defaultClusterCounts(clusters: number): number[] {
  const counts = [Math.ceil(clusters / 25), Math.ceil(clusters / 10), Math.ceil(clusters / 4), clusters].map((n) =>
    n >= 3 && n <= 5 ? 6 : n,
  );
  return [...new Set(counts)].sort((x, y) => x - y);
}

function stage(o: FleetBenchOptions, name: string, dir: string, size: FleetSize | undefined): Promise<StageMeasure> {
  if (!GNU_TIME) throw new Error("the fleet bench needs GNU time at /usr/bin/time (Debian package `time`) for CPU and peak RSS");
  const tsx = join(o.repo, "node_modules", ".bin", "tsx");
  const args = [
    "-f",
    "%e %U %S %M",
    tsx,
    join(o.repo, "generators", "bench", "stage.ts"),
    name,
    dir,
    String(size?.tenants ?? 0),
    String(size?.apps ?? 0),
    String(size?.clusters ?? 0),
    String(o.parallelism),
  ];
  return new Promise((resolve, reject) => {
    // The heap limit the gate runs with at fleet scale (docs/performance.md): without it V8
    // collects lazily and a process's RSS grows with the fleet though nothing is retained.
    const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --max-old-space-size=${HEAP_LIMIT_MIB}`.trim() };
    execFile(GNU_TIME as string, args, { cwd: o.repo, maxBuffer: 64 * MiB, env }, (err, stdout, stderr) => {
      const last = stderr.trim().split("\n").at(-1) ?? "";
      if (err) return reject(new Error(`stage ${name} failed: ${stderr.slice(-2000)}`));
      const [wall, user, sys, kb] = last.split(" ").map(Number);
      const json = stdout.trim().split("\n").at(-1) ?? "{}";
      resolve({ wall: wall ?? NaN, cpu: (user ?? 0) + (sys ?? 0), rss: (kb ?? 0) * 1024, out: JSON.parse(json) as Record<string, number> });
    });
  });
}

/** One size's figures from its stages' measures: per-object costs net of start-up, the incremental share. */
export function fleetPoint(
  label: string,
  size: FleetSize | undefined,
  stages: Record<string, StageMeasure>,
  noop: StageMeasure,
): FleetPoint {
  const render = stages.render;
  const check = stages.check;
  const folders = render?.out.folders ?? 0;
  const objects = render?.out.objects ?? 0;
  const checked = check?.out.objects ?? objects;
  const cold = (stages.generate?.wall ?? 0) + (render?.wall ?? 0) + (check?.wall ?? 0);
  const steady = stages["check-steady"] ?? check;
  return {
    label,
    size,
    folders,
    objects,
    stages,
    checkCpuPerObject: check ? Math.max(0, check.cpu - noop.cpu) / Math.max(1, checked) : NaN,
    checkFolderCpuPerObject: steady ? (steady.out.folderCpu ?? NaN) / Math.max(1, steady.out.folderObjects ?? 0) : NaN,
    renderCpuPerFolder: render ? Math.max(0, render.cpu - noop.cpu) / Math.max(1, folders) : NaN,
    renderCpuPerObject: render ? Math.max(0, render.cpu - noop.cpu) / Math.max(1, objects) : NaN,
    incrementalShare: stages.incremental && stages.generate ? stages.incremental.wall / cold : undefined,
  };
}

const mib = (b: number): string => String(Math.round(b / MiB));

export function formatFleet(r: FleetBenchResult): string {
  const lines = [
    `fleet bench ${r.asked}: ${r.machine.cores} cores, parallelism ${r.parallelism}, 1-min load ${r.machine.loadBefore} before, ${r.machine.loadAfter} after`,
    `noop process (tsx + the stages' modules): ${fmtS(r.noop.wall)} s wall, ${fmtS(r.noop.cpu)} s cpu, ${mib(r.noop.rss)} MiB; every stage runs with --max-old-space-size=${HEAP_LIMIT_MIB}`,
    "",
    "size              folders  objects  stage        wall s   cpu s  peak MiB",
  ];
  for (const p of r.points)
    for (const [name, s] of Object.entries(p.stages))
      lines.push(
        `${p.label.padEnd(16)}  ${String(p.folders).padStart(7)}  ${String(p.objects).padStart(7)}  ${name.padEnd(11)}  ${fmtS(s.wall).padStart(6)}  ${fmtS(s.cpu).padStart(6)}  ${mib(s.rss).padStart(8)}`,
      );
  lines.push(
    "",
    "cost curve (cpu net of the noop process; marginal = extra check cpu per extra object since the previous synthetic size):",
    "size              render ms/folder  render ms/object  check ms/object  check marginal  check folders ms/object  incremental/cold",
  );
  let prev: FleetPoint | undefined;
  for (const p of r.points) {
    const marginal =
      prev && p.size && prev.size && p.stages.check && prev.stages.check
        ? (p.stages.check.cpu - prev.stages.check.cpu) /
          Math.max(1, (p.stages.check.out.objects ?? 0) - (prev.stages.check.out.objects ?? 0))
        : undefined;
    lines.push(
      `${p.label.padEnd(16)}  ${(p.renderCpuPerFolder * 1000).toFixed(1).padStart(16)}  ${(p.renderCpuPerObject * 1000).toFixed(2).padStart(16)}  ${(p.checkCpuPerObject * 1000).toFixed(3).padStart(15)}  ${(marginal === undefined ? "n/a" : (marginal * 1000).toFixed(3)).padStart(14)}  ${(p.checkFolderCpuPerObject * 1000).toFixed(3).padStart(23)}  ${(p.incrementalShare === undefined ? "n/a" : `${(p.incrementalShare * 100).toFixed(0)}%`).padStart(16)}`,
    );
    if (p.size) prev = p;
  }
  const base = r.points.find((p) => p.size === undefined);
  const big = [...r.points].reverse().find((p) => p.size !== undefined);
  if (base && big) {
    const ratio = big.checkFolderCpuPerObject / base.checkFolderCpuPerObject;
    const processRatio = big.checkCpuPerObject / base.checkCpuPerObject;
    const peak = Math.max(...r.points.flatMap((p) => Object.values(p.stages).map((s) => s.rss)));
    lines.push(
      "",
      "targets:",
      `  [${Math.abs(ratio - 1) <= 0.2 ? "met" : "NOT met"}] check CPU per object within ±20% of the committed fleet's (per-folder work, steady state): ${(big.checkFolderCpuPerObject * 1000).toFixed(3)} ms at ${big.label} vs ${(base.checkFolderCpuPerObject * 1000).toFixed(3)} ms (${((ratio - 1) * 100).toFixed(0)}%)`,
      `  [${peak < 1024 * MiB ? "met" : "NOT met"}] peak RSS of any process < 1 GiB: ${mib(peak)} MiB`,
      `  [${(big.incrementalShare ?? 1) <= 0.1 ? "met" : "NOT met"}] incremental gate ≤ 10% of the cold gate: ${big.incrementalShare === undefined ? "n/a" : `${(big.incrementalShare * 100).toFixed(1)}%`} at ${big.label}`,
      // Not a target: the whole process also pays once-per-check passes and the warm-up,
      // which no fleet size amortizes the same way; printed so the gap stays visible.
      `  for reference, whole check process net of start-up (fixed costs included): ${(big.checkCpuPerObject * 1000).toFixed(3)} ms vs ${(base.checkCpuPerObject * 1000).toFixed(3)} ms (${((processRatio - 1) * 100).toFixed(0)}%)`,
    );
  }
  return `${lines.join("\n")}\n`;
}

export async function runFleetBench(o: FleetBenchOptions): Promise<FleetBenchResult> {
  const result: FleetBenchResult = {
    asked: sizeLabel(o.size),
    machine: { cores: cpus().length, loadBefore: Number(loadavg()[0]?.toFixed(2)), loadAfter: NaN },
    parallelism: o.parallelism,
    noop: { wall: 0, cpu: 0, rss: 0, out: {} },
    points: [],
  };
  const save = (): void => {
    result.machine.loadAfter = Number(loadavg()[0]?.toFixed(2));
    mkdirSync(dirname(o.out), { recursive: true });
    writeFileSync(o.out, `${JSON.stringify(result, null, 2)}\n`);
  };
  const scratch = tempDir("fleet-noop");
  result.noop = await stage(o, "noop", scratch, undefined);
  removeDir(scratch);
  o.log(`noop: ${fmtS(result.noop.wall)} s, cpu ${fmtS(result.noop.cpu)} s`);

  // Baseline: the committed fleet in a copy of its tree.
  const base = copyTree(o.repo, tempDir("fleet-committed"));
  try {
    mkdirSync(dirname(join(base, PINS_FILE)), { recursive: true });
    cpSync(join(o.repo, PINS_FILE), join(base, PINS_FILE));
    gitIndex(base);
    const stages: Record<string, StageMeasure> = {};
    for (const name of ["render", "check", "check-steady"]) stages[name] = await stage(o, name, base, undefined);
    result.points.push(fleetPoint("committed", undefined, stages, result.noop));
    o.log(`committed: ${JSON.stringify(Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, v.wall])))}`);
    save();
  } finally {
    removeDir(base);
  }

  for (const clusters of o.clusters) {
    const size = { ...o.size, clusters };
    const dir = tempDir(`fleet-${size.tenants}x${size.apps}x${clusters}`);
    try {
      const stages: Record<string, StageMeasure> = {};
      for (const name of ["generate", "render", "check", "incremental", "diff"]) {
        stages[name] = await stage(o, name, dir, size);
        o.log(
          `${sizeLabel(size)} ${name}: ${fmtS(stages[name]?.wall ?? NaN)} s wall, ${fmtS(stages[name]?.cpu ?? NaN)} s cpu, ${mib(stages[name]?.rss ?? 0)} MiB ${JSON.stringify(stages[name]?.out)}`,
        );
      }
      result.points.push(fleetPoint(sizeLabel(size), size, stages, result.noop));
      save();
    } finally {
      removeDir(dir);
    }
  }
  save();
  return result;
}
