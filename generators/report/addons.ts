/** The add-ons table (chart and version per cluster) and the root app-of-apps' sync waves, from apps/. */
import { expandAll } from "../argo/expand.js";
import type { K8sObject } from "../check/policy/types.js";
import { kindOf, nameOf, namespaceOf, obj, str, waveOf } from "../check/policy/util.js";
import type { AddonRow, Wave } from "./types.js";

export function addons(apps: readonly K8sObject[]): AddonRow[] {
  const rows = new Map<string, AddonRow>();
  const sets = new Map(apps.filter((o) => kindOf(o) === "ApplicationSet").map((o) => [`${kindOf(o)} ${namespaceOf(o)}/${nameOf(o)}`, o]));
  for (const g of expandAll(apps).apps) {
    const spec = obj(g.app.spec);
    const source = obj(spec.source);
    const chart = str(source.chart);
    if (!chart) continue;
    const set = [...sets.entries()].find(([, o]) => g.from?.endsWith(`/${nameOf(o)}`))?.[1];
    const name = set ? nameOf(set).replace(/^addon-/, "") : g.app.metadata.name;
    const row = rows.get(name) ?? {
      name,
      chart,
      repoURL: str(source.repoURL) ?? "",
      wave: waveOf(set ?? (g.app as unknown as K8sObject)),
      versions: {},
    };
    rows.set(name, row);
    row.versions[str(obj(spec.destination).name) ?? str(obj(spec.destination).server) ?? "?"] = str(source.targetRevision) ?? "?";
  }
  return [...rows.values()].sort((a, b) => a.wave - b.wave || a.name.localeCompare(b.name));
}

/** The root app-of-apps applies apps/fleet in sync-wave order (argo-cd docs: user-guide/sync-waves.md). */
export function waves(apps: readonly K8sObject[]): Wave[] {
  const by = new Map<number, string[]>();
  for (const o of apps) {
    if (!["ApplicationSet", "Application", "AppProject"].includes(kindOf(o))) continue;
    const w = waveOf(o);
    by.set(w, [...(by.get(w) ?? []), `${kindOf(o)} ${nameOf(o)}`]);
  }
  return [...by.entries()].sort(([a], [b]) => a - b).map(([wave, items]) => ({ wave, items: items.sort() }));
}
