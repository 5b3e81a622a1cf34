/** Generation end to end: validate the sources, build the tree in memory, write it all-or-nothing. */
import { GENERATED_ROOTS } from "./fleet/constants.js";
import type { Fleet } from "./fleet/fleet.js";
import type { TenantSource } from "./api/source.js";
import { SpecError } from "./api/problem.js";
import { validateAll } from "./api/validate.js";
import { loadPins, type Pins } from "./release/pins.js";
import { buildTree, type Tree } from "./emit/tree.js";
import { writeTree, type WriteResult } from "./emit/writer.js";

/** The tree for these sources, or a SpecError listing every problem in them. */
export function renderTree(fleet: Fleet, tenants: readonly TenantSource[], pins: Pins): Tree {
  const problems = validateAll(fleet, tenants, pins);
  if (problems.length > 0) throw new SpecError(problems);
  return buildTree(fleet, tenants, pins);
}

/**
 * Writes the tree of these sources into `repo`. The pins are an input like the fleet and
 * the tenants; by default they are the ones committed in `repo` (generators/release/pins.json).
 */
export function generate(repo: string, fleet: Fleet, tenants: readonly TenantSource[], pins: Pins = loadPins(repo)): WriteResult {
  return writeTree(repo, GENERATED_ROOTS, renderTree(fleet, tenants, pins));
}
