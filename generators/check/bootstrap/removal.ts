/**
 * What removing something from the sources deletes in the clusters. Argo CD deletes an
 * Application whose ApplicationSet element (or ApplicationSet) is gone; its resources go
 * with it only when it carries the cascade finalizer. A surviving Application prunes the
 * objects that left its source, unless they carry `Prune=false`.
 * Sources: applicationset/utils/utils.go (finalizer defaulting), argo-cd docs
 * user-guide/sync-options.md (Prune=false), operator-manual/app-deletion.md.
 */
import { ANNOTATIONS } from "../../fleet/constants.js";
import { RESOURCES_FINALIZER } from "../../argo/expand.js";
import { arr, idOf, nameOf, obj, str, type Obj } from "../policy/util.js";
import { rootApplications } from "./plan.js";

export interface RemovalEffect {
  /** Applications Argo CD deletes, and whether each takes its resources along. */
  applications: { name: string; cascades: boolean }[];
  /** Objects a surviving Application prunes (ids), e.g. a tenant's Namespace in the platform folder. */
  pruned: string[];
  /** Objects that leave the sources but stay in the cluster (Prune=false). */
  kept: string[];
}

function applications(apps: readonly Obj[]): Map<string, Obj> {
  return new Map(rootApplications(apps).map((r) => [nameOf(r.app), r.app]));
}

/** Compares the apps/ objects and one surviving Application's objects before and after a change to the sources. */
export function removalEffect(
  before: readonly Obj[],
  after: readonly Obj[],
  survivorBefore: readonly Obj[] = [],
  survivorAfter: readonly Obj[] = [],
): RemovalEffect {
  const a = applications(after);
  const gone = [...applications(before).values()].filter((app) => !a.has(nameOf(app)));
  const remaining = new Set(survivorAfter.map(idOf));
  const left = survivorBefore.filter((o) => !remaining.has(idOf(o)));
  const keeps = (o: Obj): boolean =>
    (str(obj(obj(o.metadata).annotations)[ANNOTATIONS.argoSyncOptions]) ?? "").split(",").includes("Prune=false");
  return {
    applications: gone
      .map((app) => ({ name: nameOf(app), cascades: arr(obj(app.metadata).finalizers).includes(RESOURCES_FINALIZER) }))
      .sort((x, y) => x.name.localeCompare(y.name)),
    pruned: left
      .filter((o) => !keeps(o))
      .map(idOf)
      .sort(),
    kept: left.filter(keeps).map(idOf).sort(),
  };
}
