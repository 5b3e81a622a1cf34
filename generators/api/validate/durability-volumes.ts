/**
 * The durability of every other stateful app (one with `storage`): it declares targets its
 * mechanism can meet, a Velero Schedule of the namespace (api/components/volume-backup.ts), or that
 * its data can be re-created, with the reason. Generate refuses an app with volumes and no
 * declaration, targets under the schedule's hourly floor or the restore's hour, and production
 * without a region to copy the backups to; each problem names the field, the value and the fix.
 */
import { ENVIRONMENTS, type Fleet, envSpec } from "../../fleet/fleet.js";
import { durationSeconds, formatSeconds } from "../durability.js";
import { copyRegion } from "../components/postgres.js";
import { mechanismFloor } from "../components/volume-backup.js";
import { PLATFORM } from "../../fleet/constants.js";
import { isPerEnvRecord } from "../per-env.js";
import type { TenantSpec } from "../tenant.js";
import { type Collector, valueFor } from "./collector.js";

export function checkAppDurability(c: Collector, fleet: Fleet, tenant: TenantSpec): void {
  for (const app of tenant.apps) {
    const f = `apps[${app.name}].durability`;
    const d = app.durability;
    if ((app.storage ?? []).length === 0) {
      if (d !== undefined) c.add(f, d, "the app has no `storage`; remove durability (it describes volumes)");
      continue;
    }
    if (d === undefined) {
      c.add(
        f,
        undefined,
        `the app has volumes (${(app.storage ?? []).map((s) => s.name).join(", ")}) and declares no durability; add durability: { targets: { rpo: "1h", rto: "1h" } } (per environment if they differ), or durability: { recreatable: { reason: "..." } } when the data can be re-created`,
      );
      continue;
    }
    if (d.recreatable !== undefined) {
      if (d.recreatable.reason.trim() === "")
        c.add(`${f}.recreatable.reason`, "", "say why the data can be re-created (it is rendered as an annotation)");
      continue;
    }
    const floor = mechanismFloor((app.storage ?? []).some((s) => s.storageClass === PLATFORM.sharedStorageClass));
    for (const env of ENVIRONMENTS) {
      const t = valueFor(d.targets, env);
      if (t === undefined) continue;
      const field = (k: "rpo" | "rto"): string => `${f}.targets${isPerEnvRecord(d.targets) ? `.${env}` : ""}.${k}`;
      const rpo = durationSeconds(t.rpo);
      const rto = durationSeconds(t.rto);
      if (rpo === undefined) c.add(field("rpo"), t.rpo, 'not a duration; write "<n>s", "<n>m" or "<n>h", e.g. "1h"');
      else if (rpo < floor.rpo)
        c.add(
          field("rpo"),
          t.rpo,
          `in ${env}: ${floor.mechanism} run at most every ${formatSeconds(floor.rpo)}; raise rpo to "${formatSeconds(floor.rpo)}" or more, or give the store a replicated mechanism (a database: databases[])`,
        );
      if (rto === undefined) c.add(field("rto"), t.rto, 'not a duration; write "<n>s", "<n>m" or "<n>h", e.g. "1h"');
      else if (rto < floor.rto)
        c.add(
          field("rto"),
          t.rto,
          `in ${env}: recovery is a restore from ${floor.mechanism} (up to ${formatSeconds(floor.rto)}); raise rto to "${formatSeconds(floor.rto)}" or more`,
        );
    }
    for (const cluster of fleet.clusters) {
      if (envSpec(fleet, cluster.env).production && copyRegion(fleet, cluster) === undefined)
        c.add(
          f,
          cluster.name,
          `production needs a copy of the volume backups outside ${cluster.region}, and the fleet runs ${cluster.env} in no other region; add a ${cluster.env} cluster in another region (generators/fleet/fleet.ts) or declare durability.recreatable with the reason`,
        );
    }
  }
}
