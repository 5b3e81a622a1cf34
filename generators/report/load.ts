/**
 * Gathers the report's inputs from a checkout: renders every cluster folder with the
 * real kustomize (through the render cache), reads apps/, runs the check on the same
 * rendered objects, and reads the release pins. With a base ref, the base is generated
 * with its own generator in a temporary worktree and rendered the same way.
 */
import { join } from "node:path";
import type { Fleet } from "../fleet/fleet.js";
import { INSTANCE_SHAPES, PRICES } from "../fleet/prices.js";
import type { TenantSource } from "../tenants/index.js";
import { renderFleet, type RenderedFolder } from "../render/render.js";
import { readAppsObjects } from "../check/policy/index.js";
import { checkFleet } from "../check/run.js";
import { loadPins } from "../api/pins.js";
import { resolveRef, withWorktree } from "../diff/git.js";
import { generateWithOwnCode } from "../diff/diff.js";
import type { ReportFolder, ReportInputs } from "./model.js";

/** The base side renders into its own cache folder, so the head's cache is never pruned by it. */
const BASE_CACHE_DIR = ".cache/report-base";

const strip = (fs: readonly RenderedFolder[]): ReportFolder[] =>
  fs.map((f) => ({ cluster: f.cluster, tenant: f.tenant, path: f.path, objects: f.objects }));

export interface LoadOptions {
  /** Git ref to compare against; enables the change view. */
  base?: string;
  /** The day exceptions are judged against. @default today */
  today?: Date;
}

export async function loadReportInputs(
  repo: string,
  fleet: Fleet,
  tenants: readonly TenantSource[],
  options: LoadOptions = {},
): Promise<ReportInputs> {
  // A bad ref fails before anything is rendered.
  const commit = options.base !== undefined ? resolveRef(repo, options.base) : undefined;
  const rendered = await renderFleet(repo, { cache: true });
  const check = await checkFleet(repo, fleet, tenants, { rendered, ...(options.today ? { today: options.today } : {}) });
  const inputs: ReportInputs = {
    fleet,
    pins: loadPins(repo),
    folders: strip(rendered),
    apps: readAppsObjects(repo),
    check,
    prices: PRICES,
    shapes: INSTANCE_SHAPES,
    ...(options.today ? { today: options.today } : {}),
  };
  if (options.base === undefined || commit === undefined) return inputs;
  const chosen = { ref: options.base, why: "given with --base" };
  const baseFolders = await withWorktree(repo, commit, async (dir) => {
    await generateWithOwnCode(repo, dir);
    return strip(await renderFleet(dir, { cache: { dir: join(repo, BASE_CACHE_DIR) } }));
  });
  return { ...inputs, base: { folders: baseFolders, ref: chosen.ref, commit, why: chosen.why } };
}
