/** The committed fleet, rendered once per suite (test/helpers/global-render.ts) and indexed for assertions. */
import { join } from "node:path";
import { renderFleet, type RenderedFolder } from "../../generators/render/render.js";
import { REPO } from "./repo.js";
import { LABELS, PLATFORM_TENANT } from "../../generators/fleet/constants.js";

// Rendered YAML is untyped; tests reach into it freely.
export type Obj = Record<string, any>;

/**
 * The render cache the suite shares: the global setup fills it with real kustomize output.
 * The default cache folder, so `npm test` and the CLIs warm each other.
 */
export const TEST_RENDER_CACHE = join(REPO, ".cache", "render");

let cached: Promise<RenderedFolder[]> | undefined;

/**
 * Every clusters/<cluster>/<tenant> folder as the real kustomize renders it, read from the
 * suite's render cache (any folder missing there is rendered now). Never prunes: other
 * test files read the same cache concurrently.
 */
export function renderedFleet(): Promise<RenderedFolder[]> {
  cached ??= renderFleet(REPO, { cache: { dir: TEST_RENDER_CACHE }, prune: false });
  return cached;
}

export function find(objects: readonly Obj[], kind: string, name: string): Obj | undefined {
  return objects.find((o) => o.kind === kind && o.metadata?.name === name);
}

export function get(objects: readonly Obj[], kind: string, name: string): Obj {
  const o = find(objects, kind, name);
  if (!o) throw new Error(`no ${kind}/${name} among ${objects.length} objects`);
  return o;
}

/**
 * A tenant folder's objects plus what the cluster's platform folder creates for that tenant
 * (labelled with it): the NetworkPolicies, quota and secret store of its namespace, its dashboards.
 */
export function tenantObjects(fleet: readonly RenderedFolder[], folder: RenderedFolder): Obj[] {
  const platform = fleet.find((p) => p.tenant === PLATFORM_TENANT && p.cluster === folder.cluster);
  const forTenant = ((platform?.objects ?? []) as Obj[]).filter(
    (o) => o.metadata?.namespace !== undefined && o.metadata?.labels?.[LABELS.tenant] === folder.tenant,
  );
  return [...(folder.objects as Obj[]), ...forTenant];
}
