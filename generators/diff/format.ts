/** Text, Markdown (for a pull-request comment) and JSON renderings of a DiffResult. */
import { stringify } from "yaml";
import type { ClusterSummary, DiffResult, FolderDiff } from "./diff.js";
import { formatChange, type ObjectChange } from "./objects.js";
import { chartLine, fleetHasChanges, type AppChange, type FleetDiff } from "./fleet.js";

export type Format = "text" | "markdown" | "json";
export const FORMATS: readonly Format[] = ["text", "markdown", "json"];

export interface FormatOptions {
  /** At most this many lines per object; the rest is replaced by a truncation note. @default 40 */
  maxLines?: number;
  /** Capacity and cost lines per cluster (generators/report), shown under the summary table in Markdown. */
  capacity?: readonly string[];
}

const HEADERS = ["cluster", "added", "changed", "removed", "replicas", "images", "GPUs"] as const;
const row = (s: ClusterSummary): (string | number)[] => [s.cluster, s.added, s.changed, s.removed, s.replicas, s.images, s.gpus];

/** The lines describing one object change, truncated to maxLines with a note. */
export function objectLines(o: ObjectChange, maxLines: number): string[] {
  const lines =
    o.kind === "changed"
      ? o.fields.map(formatChange)
      : stringify(o.object ?? {}, { lineWidth: 0 })
          .trimEnd()
          .split("\n")
          .map((l) => `${o.kind === "added" ? "+" : "-"} ${l}`);
  if (lines.length <= maxLines) return lines;
  return [...lines.slice(0, maxLines), `… ${lines.length - maxLines} more line(s) truncated (--max-lines ${maxLines})`];
}

function baseLine(r: DiffResult): string {
  return `base: ${r.base.ref}${r.base.ref !== r.base.commit ? ` (${r.base.commit.slice(0, 12)})` : ""}, ${r.base.why}; ${r.stats.folders} folder(s), ${r.stats.skipped} skipped (inputs unchanged), ${r.stats.rendered} render(s)`;
}

const appHeading = (a: AppChange): string => `${a.kind} ${a.label} on ${a.cluster || "?"}${a.from ? ` (from ${a.from})` : ""}`;

/** The fleet section's lines, text form: charts first, then widened projects, then objects and Applications. */
function fleetText(f: FleetDiff, max: number): string[] {
  if (!fleetHasChanges(f)) return [];
  const out = ["", "== fleet (apps/: what Argo CD reads)"];
  out.push(...f.charts.map(chartLine));
  out.push(...f.widened.map((w) => `widened AppProject ${w.project}${w.path ? ` ${w.path}` : ""}: now admits ${w.admits}`));
  out.push(...f.errors.map((e) => `error ${e}`));
  for (const o of f.objects) out.push(`${o.kind} ${o.label}`, ...objectLines(o, max).map((l) => `    ${l}`));
  for (const a of f.applications) out.push(appHeading(a), ...objectLines(a, max).map((l) => `    ${l}`));
  return out;
}

function fleetMarkdown(f: FleetDiff, max: number): string[] {
  if (!fleetHasChanges(f)) return [];
  const out = ["#### Fleet (`apps/`: what Argo CD reads)", ""];
  for (const c of f.charts) out.push(`- \`${chartLine(c)}\``);
  for (const w of f.widened)
    out.push(`- :warning: AppProject \`${w.project}\`${w.path ? ` \`${w.path}\`` : ""} now admits \`${w.admits}\``);
  for (const e of f.errors) out.push(`- :x: ${e}`);
  if (f.charts.length + f.widened.length + f.errors.length > 0) out.push("");
  const block = (heading: string, o: ObjectChange): string[] => [
    heading,
    "",
    o.kind === "changed" ? "```text" : "```diff",
    ...objectLines(o, max),
    "```",
    "",
  ];
  out.push("<details>", `<summary>${f.objects.length} apps/ object(s), ${f.applications.length} Application(s) changed</summary>`, "");
  for (const o of f.objects) out.push(...block(`**${o.kind}** \`${o.label}\``, o));
  for (const a of f.applications)
    out.push(...block(`**${a.kind}** \`${a.label}\` on \`${a.cluster}\`${a.from ? ` (from \`${a.from}\`)` : ""}`, a));
  out.push("</details>", "");
  return out;
}

function changedFolders(r: DiffResult, cluster: string): FolderDiff[] {
  return r.folders.filter((f) => f.cluster === cluster && f.objects.length > 0);
}

export function formatText(r: DiffResult, opts: FormatOptions = {}): string {
  const max = opts.maxLines ?? 40;
  const out: string[] = [baseLine(r)];
  if (!r.hasChanges) return `${out[0]}\nno changes\n`;
  out.push(...fleetText(r.fleet, max));
  if (r.summaries.length === 0) return `${out.join("\n")}\n`;
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...r.summaries.map((s) => String(row(s)[i]).length)));
  const line = (cells: (string | number)[]): string =>
    cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i] ?? 0) : String(c).padStart(widths[i] ?? 0))).join("  ");
  out.push("", line([...HEADERS]), ...r.summaries.map((s) => line(row(s))));
  for (const s of r.summaries) {
    for (const f of changedFolders(r, s.cluster)) {
      out.push("", `== ${f.path}${f.status === "added" || f.status === "removed" ? ` (folder ${f.status})` : ""}`);
      for (const o of f.objects) {
        out.push(`${o.kind} ${o.label}`, ...objectLines(o, max).map((l) => `    ${l}`));
      }
    }
  }
  return `${out.join("\n")}\n`;
}

export function formatMarkdown(r: DiffResult, opts: FormatOptions = {}): string {
  const max = opts.maxLines ?? 40;
  const out: string[] = ["### Rendered diff", "", `<sub>${baseLine(r)}</sub>`, ""];
  if (!r.hasChanges) return `${out.join("\n")}\nno changes\n`;
  out.push(...fleetMarkdown(r.fleet, max));
  if (r.summaries.length === 0) return `${out.join("\n")}`;
  out.push(`| ${HEADERS.join(" | ")} |`, `|${HEADERS.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`);
  for (const s of r.summaries) out.push(`| ${row(s).join(" | ")} |`);
  out.push("");
  if (opts.capacity !== undefined) out.push(formatCapacityMarkdown(opts.capacity));
  for (const s of r.summaries) {
    out.push("<details>", `<summary><b>${s.cluster}</b>: ${s.added} added, ${s.changed} changed, ${s.removed} removed</summary>`, "");
    for (const f of changedFolders(r, s.cluster)) {
      out.push(`#### \`${f.path}\`${f.status === "added" || f.status === "removed" ? ` (folder ${f.status})` : ""}`, "");
      for (const o of f.objects) {
        out.push(`**${o.kind}** \`${o.label}\``, "", o.kind === "changed" ? "```text" : "```diff", ...objectLines(o, max), "```", "");
      }
    }
    out.push("</details>", "");
  }
  return `${out.join("\n")}`;
}

/** The capacity and cost lines of a change ("prod-usw2: +2 GPUs ≈ +$1,427/month"), as a Markdown block. */
export function formatCapacityMarkdown(lines: readonly string[]): string {
  const body = lines.length > 0 ? lines.map((l) => `- ${l}`) : ["- no cluster changes"];
  return [`**Capacity and estimated cost** (on-demand list prices; estimates, see the fleet report)`, "", ...body, ""].join("\n");
}

export function formatJson(r: DiffResult): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

export function formatDiff(r: DiffResult, format: Format, opts: FormatOptions = {}): string {
  return format === "json" ? formatJson(r) : format === "markdown" ? formatMarkdown(r, opts) : formatText(r, opts);
}
