/** The change view: the diff between a base and this fleet, and each cluster's capacity and cost delta. */
import { compareObjects, NO_FLEET_CHANGES, summarize, type DiffResult, type FolderDiff } from "../diff/diff.js";
import { formatUsd } from "./cost.js";
import { add, scale, ZERO, type Resources } from "./resources.js";
import { clusterNames, clusterReport } from "./capacity.js";
import type { ChangeLine, ChangeView, ClusterReport, ReportFolder, ReportInputs } from "./types.js";

const signed = (n: number, unit: string, digits = 0): string => `${n > 0 ? "+" : "−"}${Math.abs(n).toFixed(digits)} ${unit}`;
const EPS = 1e-9;

/** "+2 GPUs, +8 CPU, +32.0 GiB ≈ +$1,427/month" for the non-zero parts of a delta. */
export function describeDelta(d: Resources, usd: number): string {
  const parts: string[] = [];
  if (Math.abs(d.gpus) > EPS) parts.push(signed(d.gpus, Math.abs(d.gpus) === 1 ? "GPU" : "GPUs"));
  if (Math.abs(d.cpu) > EPS) parts.push(signed(d.cpu, "CPU", Number.isInteger(Math.round(d.cpu * 100) / 100) ? 0 : 2));
  if (Math.abs(d.memoryGiB) > EPS) parts.push(signed(d.memoryGiB, "GiB", 1));
  return `${parts.length > 0 ? parts.join(", ") : "no capacity change"} ≈ ${formatUsd(usd, true)}/month`;
}

function diffOf(
  base: readonly ReportFolder[],
  head: readonly ReportFolder[],
  meta: { ref: string; commit: string; why: string },
): DiffResult {
  const byPath = (fs: readonly ReportFolder[]): Map<string, ReportFolder> => new Map(fs.map((f) => [f.path, f]));
  const b = byPath(base);
  const h = byPath(head);
  const folders: FolderDiff[] = [...new Set([...b.keys(), ...h.keys()])].sort().map((path) => {
    const f = (h.get(path) ?? b.get(path)) as ReportFolder;
    const objects = compareObjects([...(b.get(path)?.objects ?? [])], [...(h.get(path)?.objects ?? [])]);
    const status = !b.has(path) ? "added" : !h.has(path) ? "removed" : objects.length > 0 ? "changed" : "unchanged";
    return { cluster: f.cluster, tenant: f.tenant, path, status, objects };
  });
  return {
    base: meta,
    folders,
    fleet: NO_FLEET_CHANGES,
    summaries: summarize(folders),
    stats: { folders: folders.length, skipped: 0, rendered: base.length + head.length },
    hasChanges: folders.some((f) => f.objects.length > 0),
  };
}

const minus = (a: Resources, b: Resources): Resources => add(a, scale(b, -1));

export function changeView(inputs: ReportInputs, head: readonly ClusterReport[]): ChangeView | undefined {
  if (!inputs.base) return undefined;
  const diff = diffOf(inputs.base.folders, inputs.folders, inputs.base);
  const baseReports = new Map(
    clusterNames(inputs.base.folders, inputs.fleet).map((c) => [c, clusterReport(c, inputs.base?.folders ?? [], inputs)]),
  );
  const lines: ChangeLine[] = [];
  for (const s of diff.summaries) {
    const now = head.find((c) => c.name === s.cluster);
    const was = baseReports.get(s.cluster);
    const zero = { min: ZERO, max: ZERO };
    const reqNow = now?.requested ?? zero;
    const reqWas = was?.requested ?? zero;
    const delta = { min: minus(reqNow.min, reqWas.min), max: minus(reqNow.max, reqWas.max) };
    const usd = {
      min: (now?.cost.min.usdPerMonth ?? 0) - (was?.cost.min.usdPerMonth ?? 0),
      max: (now?.cost.max.usdPerMonth ?? 0) - (was?.cost.max.usdPerMonth ?? 0),
    };
    const atMin = describeDelta(delta.min, usd.min);
    const atMax = describeDelta(delta.max, usd.max);
    const text = atMin === atMax ? `${s.cluster}: ${atMin}` : `${s.cluster}: ${atMin} at minimum scale; ${atMax} at maximum scale`;
    lines.push({ cluster: s.cluster, delta, usd, text });
  }
  return { diff, lines };
}
