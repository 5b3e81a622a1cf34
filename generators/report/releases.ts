/** The releases table: which image each app runs per environment, pinned or not, and what awaits promotion. */
import type { Env, Fleet } from "../fleet/fleet.js";
import { pinFor, type Pins } from "../api/pins.js";
import { workloadsOf } from "./capacity.js";
import type { ReleaseRow, ReportFolder } from "./types.js";

export function releases(folders: readonly ReportFolder[], fleet: Fleet, pins: Pins): ReleaseRow[] {
  const rows = new Map<string, ReleaseRow>();
  for (const f of folders) {
    const env = fleet.clusters.find((c) => c.name === f.cluster)?.env;
    if (!env) continue;
    const objects = f.objects.map((o) => ({ obj: o, tenant: f.tenant }));
    for (const w of workloadsOf(objects)) {
      const key = `${f.tenant}/${w.name}`;
      const row = rows.get(key) ?? { tenant: f.tenant, app: w.name, envs: {}, pendingPromotion: false };
      rows.set(key, row);
      const slot = row.envs[env] ?? { images: [], pinned: pinFor(pins, f.tenant, env, w.name) !== undefined };
      row.envs[env] = slot;
      for (const image of w.images) {
        if (!slot.images.some((i) => i.image === image)) slot.images.push({ image, by: image.includes("@sha256:") ? "digest" : "tag" });
      }
    }
  }
  const imagesOf = (r: ReleaseRow, env: Env): string => (r.envs[env]?.images.map((i) => i.image) ?? []).sort().join("\n");
  return [...rows.values()]
    .map((r) => ({
      ...r,
      pendingPromotion: r.envs.staging !== undefined && r.envs.prod !== undefined && imagesOf(r, "staging") !== imagesOf(r, "prod"),
    }))
    .sort((a, b) => `${a.tenant}/${a.app}`.localeCompare(`${b.tenant}/${b.app}`));
}
