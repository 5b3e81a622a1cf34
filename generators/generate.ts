/** Generation end to end: validate the sources, build the tree in memory, write it all-or-nothing. */
import { GENERATED_ROOTS } from "./fleet/constants.js";
import type { Fleet } from "./fleet/fleet.js";
import type { TenantSource } from "./tenants/index.js";
import { SpecError, validateAll } from "./api/validate.js";
import { buildTree, type Tree } from "./emit/tree.js";
import { writeTree, type WriteResult } from "./emit/writer.js";

/** The tree for these sources, or a SpecError listing every problem in them. */
export function renderTree(fleet: Fleet, tenants: readonly TenantSource[]): Tree {
  const problems = validateAll(fleet, tenants);
  if (problems.length > 0) throw new SpecError(problems);
  return buildTree(fleet, tenants);
}

export function generate(repo: string, fleet: Fleet, tenants: readonly TenantSource[]): WriteResult {
  return writeTree(repo, GENERATED_ROOTS, renderTree(fleet, tenants));
}
