/** The add-on table docs/argocd.md shows, as `npm run docs` writes it from the catalogue. */
import type { Addon } from "./addon.js";

const range = (a: Addon): string => {
  const r = a.kubernetes;
  if (!r || (r.min === undefined && r.max === undefined)) return "any";
  const base = `${r.min ?? "any"}–${r.max ?? "any"}`;
  return r.beyondMax ? `${base} (+${r.beyondMax.minors.join(", ")} reviewed)` : base;
};

/** One row per add-on, in catalogue order. */
export function addonTableMarkdown(addons: readonly Addon[]): string {
  const rows = addons.map(
    (a) =>
      `| ${a.name} | \`${a.chart}\` | ${a.repoURL} | ${a.version} | ${range(a)} | ${a.namespace} | ${a.wave} | ${a.serverSideApply ? "yes" : "no"} |`,
  );
  return [
    "| add-on | chart | repository | version | Kubernetes | namespace | wave | SSA |",
    "|---|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}
