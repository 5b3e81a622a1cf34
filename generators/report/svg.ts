/**
 * Inline SVG charts: one small bar chart per cluster of requested capacity at minimum
 * and maximum scale against each NodePool limit. Bars carry their figures as text, so
 * the chart reads without colour; the same figures are in the table beside it.
 */
import type { LimitCheck } from "./model.js";
import { esc } from "./escape.js";

const WIDTH = 360;
const LABEL = 96;
const BAR = 10;
const ROW = 40;

const UNITS: Record<LimitCheck["resource"], string> = { cpu: "CPU", memory: "GiB", gpu: "GPUs", pods: "pods" };

export function fmt(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return n >= 100 ? n.toFixed(0) : n.toFixed(1);
}

/** The chart of one cluster's NodePool limits; empty string when there are none. */
export function capacityChart(cluster: string, checks: readonly LimitCheck[]): string {
  const rows = checks.filter((c) => c.against.startsWith("NodePool "));
  if (rows.length === 0) return "";
  const height = rows.length * ROW + 8;
  const span = WIDTH - LABEL - 8;
  const title = `${cluster}: requested capacity at minimum and maximum scale as a share of each NodePool limit`;
  const desc = rows
    .map((r) => `${r.against} ${UNITS[r.resource]}: ${fmt(r.min)} at minimum, ${fmt(r.max)} at maximum, limit ${fmt(r.limit)}`)
    .join("; ");
  const body = rows
    .map((r, i) => {
      const y = i * ROW + 4;
      const scaleTo = Math.max(r.limit, r.max, 1e-9);
      const w = (v: number): number => Math.max(1, (v / scaleTo) * span);
      const limitX = LABEL + (r.limit / scaleTo) * span;
      const over = r.status !== "ok";
      return [
        `<text x="0" y="${y + 11}" class="c-label">${esc(`${r.against.slice("NodePool ".length)} ${UNITS[r.resource]}`)}</text>`,
        `<rect x="${LABEL}" y="${y}" width="${span}" height="${BAR * 2 + 2}" class="c-track"/>`,
        `<rect x="${LABEL}" y="${y}" width="${w(r.min).toFixed(1)}" height="${BAR}" class="c-min"/>`,
        `<rect x="${LABEL}" y="${y + BAR + 2}" width="${w(r.max).toFixed(1)}" height="${BAR}" class="c-max${over ? " c-over" : ""}"/>`,
        `<line x1="${limitX.toFixed(1)}" x2="${limitX.toFixed(1)}" y1="${y - 2}" y2="${y + BAR * 2 + 4}" class="c-limit"/>`,
        `<text x="${LABEL}" y="${y + BAR * 2 + 14}" class="c-fig">${esc(`min ${fmt(r.min)} · max ${fmt(r.max)} of ${fmt(r.limit)}${over ? " — OVER LIMIT" : ""}`)}</text>`,
      ].join("");
    })
    .join("");
  return `<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="chart-${esc(cluster)}-t chart-${esc(cluster)}-d" xmlns="http://www.w3.org/2000/svg"><title id="chart-${esc(cluster)}-t">${esc(title)}</title><desc id="chart-${esc(cluster)}-d">${esc(desc)}</desc>${body}</svg>`;
}
