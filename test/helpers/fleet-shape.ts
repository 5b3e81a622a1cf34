/**
 * Expectations derived from the fleet and the tenants, so tests that look at the real tree
 * keep passing when a cluster or a tenant is added the README's way.
 */
import { DEFAULT_FLEET, type Env, type Fleet } from "../../generators/fleet/fleet.js";
import { TENANTS } from "../../generators/tenants/index.js";

/** `base` if no name in `taken` has it, else `base-2`, `base-3`, ... */
export function unusedName(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  for (let i = 2; ; i++) if (!taken.includes(`${base}-${i}`)) return `${base}-${i}`;
}

/** Cluster folders under clusters/: one per cluster and tenant, the platform tenant included. */
export function clusterFolderCount(fleet: Fleet = DEFAULT_FLEET, tenants: number = TENANTS.length): number {
  return fleet.clusters.length * (tenants + 1);
}

/** Names of the clusters of an environment, sorted. */
export function clustersOf(env: Env, fleet: Fleet = DEFAULT_FLEET): string[] {
  return fleet.clusters
    .filter((c) => c.env === env)
    .map((c) => c.name)
    .sort();
}

/** Clusters, in fleet order, whose region has a GPU pool. */
export function gpuClusters(fleet: Fleet = DEFAULT_FLEET): string[] {
  return fleet.clusters.filter((c) => fleet.regions.find((r) => r.name === c.region)?.gpuPool !== undefined).map((c) => c.name);
}
