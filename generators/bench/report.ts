/** Prints a bench result as tables, and the change per stage against an older result. */
import { fmtMiB, fmtS } from "./measure.js";
import { machineLine, type BenchResult } from "./run.js";

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length))) ?? [];
  return rows
    .map((r, i) => {
      const line = r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join("  ");
      return i === 0 ? `${line}\n${widths.map((w) => "-".repeat(w)).join("  ")}` : line;
    })
    .join("\n");
}

export function formatResult(r: BenchResult): string {
  const out: string[] = [];
  out.push(machineLine(r.machine));
  out.push(
    `runs: ${r.runs} timed after one warm-up; parallelism ${r.parallelism}; wall times in seconds; cpu = median user+system seconds of the bench process and its children; RSS in MiB`,
  );
  out.push(
    `floor: ${fmtS(r.floor.seconds)} s = kustomize of hydrated output ${fmtS(r.floor.kustomize)} s + node start-up ${fmtS(r.floor.nodeStart)} s (cpu ${fmtS(r.floor.cpu)} s)`,
  );
  out.push("");
  out.push(
    table([
      ["stage", "median", "min", "max", "×floor", "cpu s", "node RSS", "child RSS", "est. peak"],
      ...r.stages.map((s) => [
        s.name,
        fmtS(s.median),
        fmtS(s.min),
        fmtS(s.max),
        s.ratio === undefined ? "" : `${s.ratio.toFixed(2)}×`,
        fmtS(s.cpu ?? NaN),
        fmtMiB(s.nodePeak),
        fmtMiB(s.childPeak),
        fmtMiB(s.estPeak),
      ]),
    ]),
  );
  out.push("");
  for (const s of r.stages) out.push(`  ${s.name}: ${s.note}`);
  if (r.synthetic.length > 0) {
    out.push("");
    out.push("synthetic fleets (tenants×apps×clusters, one run each, render at the same parallelism):");
    out.push(
      table([
        [
          "size",
          "folders",
          "objects",
          "generate",
          "render",
          "check",
          "ms/folder",
          "cpu ms/folder",
          "incremental",
          "re-rendered",
          "child RSS",
        ],
        ...r.synthetic.map((y) => [
          y.label + (y.scaledFrom ? ` (asked ${y.scaledFrom})` : ""),
          String(y.folders),
          String(y.objects),
          fmtS(y.generate),
          fmtS(y.render),
          y.check === undefined ? "n/a" : fmtS(y.check),
          (y.perFolder * 1000).toFixed(1),
          (y.cpuPerFolder * 1000).toFixed(1),
          fmtS(y.incremental),
          String(y.incrementalBuilt),
          fmtMiB(y.childPeak),
        ]),
      ]),
    );
  }
  out.push("");
  out.push("targets:");
  for (const t of r.targets) out.push(`  [${t.met ? "met" : "NOT met"}] ${t.name}: ${t.actual}${t.note ? ` — ${t.note}` : ""}`);
  if (r.notes.length > 0) {
    out.push("");
    out.push("notes:");
    for (const n of r.notes) out.push(`  - ${n}`);
  }
  return out.join("\n");
}

export function formatCompare(old: BenchResult, now: BenchResult): string {
  const pct = (a: number, b: number): string => (a > 0 ? `${b >= a ? "+" : ""}${(((b - a) / a) * 100).toFixed(1)}%` : "n/a");
  const c = (v: number | undefined): string => (v === undefined ? "—" : fmtS(v));
  const rows: string[][] = [["stage", "old median", "new median", "change", "old cpu", "new cpu", "cpu change"]];
  for (const s of now.stages) {
    const o = old.stages.find((x) => x.name === s.name);
    rows.push([
      s.name,
      o ? fmtS(o.median) : "—",
      fmtS(s.median),
      o ? pct(o.median, s.median) : "new",
      c(o?.cpu),
      c(s.cpu),
      o?.cpu !== undefined && s.cpu !== undefined ? pct(o.cpu, s.cpu) : "",
    ]);
  }
  for (const s of old.stages)
    if (!now.stages.some((x) => x.name === s.name)) rows.push([s.name, fmtS(s.median), "—", "gone", c(s.cpu), "—", ""]);
  rows.push([
    "floor",
    fmtS(old.floor.seconds),
    fmtS(now.floor.seconds),
    pct(old.floor.seconds, now.floor.seconds),
    c(old.floor.cpu),
    c(now.floor.cpu),
    old.floor.cpu !== undefined ? pct(old.floor.cpu, now.floor.cpu) : "",
  ]);
  for (const y of now.synthetic) {
    const o = old.synthetic.find((x) => x.label === y.label);
    rows.push([
      `synthetic ${y.label} ms/folder`,
      o ? (o.perFolder * 1000).toFixed(1) : "—",
      (y.perFolder * 1000).toFixed(1),
      o ? pct(o.perFolder, y.perFolder) : "new",
      o?.cpuPerFolder !== undefined ? (o.cpuPerFolder * 1000).toFixed(1) : "—",
      (y.cpuPerFolder * 1000).toFixed(1),
      o?.cpuPerFolder !== undefined ? pct(o.cpuPerFolder, y.cpuPerFolder) : "",
    ]);
  }
  const head = [`compared with ${old.date} (${machineLine(old.machine)}):`];
  if (old.folders !== undefined && old.folders !== now.folders)
    head.push(
      `note: the committed fleet had ${old.folders} folders then and ${now.folders} now; compare per-stage figures with that in mind`,
    );
  return [...head, table(rows)].join("\n");
}
