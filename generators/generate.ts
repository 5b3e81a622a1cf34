/** Generation end to end: validate the sources, build the tree in memory, check every object, write it all-or-nothing. */
import { parseAllDocuments } from "yaml";
import { GENERATED_ROOTS } from "./fleet/constants.js";
import type { Fleet } from "./fleet/fleet.js";
import type { TenantSource } from "./tenants/index.js";
import { SpecError, validateAll, type SpecProblem } from "./api/validate.js";
import { buildTree, type Tree } from "./emit/tree.js";
import { GENERATED_MARK } from "./emit/yaml.js";
import { writeTree, type WriteOptions, type WriteResult } from "./emit/writer.js";
import { objectProblems } from "./rules/objects.js";
import { currentPins, type Pins } from "./release/pins.js";

/** The source a generated file names in its header. */
function sourceOf(text: string, path: string): string {
  const first = text.slice(0, text.indexOf("\n"));
  const m = new RegExp(`^${GENERATED_MARK.replace(/[.*+?^${}()|[\]\\`]/g, "\\$&")} from (.*?)\\. Do not edit`).exec(first);
  return m?.[1] ?? path;
}

/**
 * The API server's validation (generators/rules/objects.ts) on every emitted object, so
 * what Kubernetes would refuse is refused here, before kustomize and before git. The
 * same rules run on rendered output in `npm run check` (check/policy/apiserver.ts).
 */
export function emittedObjectProblems(tree: Tree): SpecProblem[] {
  const problems: SpecProblem[] = [];
  for (const [path, text] of tree) {
    if (path.endsWith("kustomization.yaml")) continue;
    const file = sourceOf(text, path);
    for (const doc of parseAllDocuments(text)) {
      const obj = doc.toJS() as Record<string, unknown> | null;
      if (!obj || typeof obj !== "object") continue;
      const meta = (obj.metadata ?? {}) as { name?: string; namespace?: string };
      const id = [obj.kind, meta.namespace, meta.name].filter((x) => typeof x === "string" && x !== "").join("/");
      for (const p of objectProblems(obj)) {
        problems.push({ file, field: `${id} (${path}) ${p.path}`, value: p.value, message: `${p.message} [${p.rule}]` });
      }
    }
  }
  return problems;
}

/** The tree for these sources, or a SpecError listing every problem in them. */
export function renderTree(fleet: Fleet, tenants: readonly TenantSource[], pins: Pins = currentPins()): Tree {
  const problems = validateAll(fleet, tenants, pins);
  if (problems.length > 0) throw new SpecError(problems);
  const tree = buildTree(fleet, tenants);
  const emitted = emittedObjectProblems(tree);
  if (emitted.length > 0) throw new SpecError(emitted);
  return tree;
}

export function generate(repo: string, fleet: Fleet, tenants: readonly TenantSource[], pins: Pins = currentPins(), options: WriteOptions = {}): WriteResult {
  return writeTree(repo, GENERATED_ROOTS, renderTree(fleet, tenants, pins), options);
}
