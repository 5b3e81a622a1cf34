/** Generation end to end: validate the sources, build the tree in memory, check every object, write it all-or-nothing. */
import { GENERATED_ROOTS } from "./fleet/constants.js";
import type { Fleet } from "./fleet/fleet.js";
import type { TenantSource } from "./api/source.js";
import { SpecError, type SpecProblem } from "./api/problem.js";
import { validateAll } from "./api/validate.js";
import { loadPins, type Pins } from "./api/pins.js";
import { layoutTree, type Tree } from "./layout/tree.js";
import { toPlain } from "./layout/yaml.js";
import { writeTree, type WriteOptions, type WriteResult } from "./layout/writer.js";
import { objectProblems } from "./rules/objects.js";
import { pointerOf, schemaFailureProblems, sourceField } from "./layout/source-fields.js";
import type { TenantSpec } from "./api/tenant.js";

/**
 * The API server's validation (generators/rules/objects.ts) on every emitted object, so
 * what Kubernetes would refuse is refused here, before kustomize and before git. The
 * same rules run on rendered output in `npm run check` (check/policy/apiserver.ts).
 */
export function emittedObjectProblems(source: string, objects: readonly unknown[], tenant?: TenantSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  for (const o of objects) {
    const obj = toPlain(o) as Record<string, unknown>;
    const meta = (obj.metadata ?? {}) as { name?: string; namespace?: string };
    const id = [obj.kind, meta.namespace, meta.name].filter((x) => typeof x === "string" && x !== "").join("/");
    for (const p of objectProblems(obj)) {
      // Named by source field, not file: the same object emitted for every cluster is one problem.
      problems.push({
        file: source,
        field: sourceField(obj, pointerOf(p.path), tenant),
        value: p.value,
        message: `the ${String(obj.kind)} built from it: ${p.message} [${p.rule}]`,
        debug: `${id} ${p.path}`,
      });
    }
  }
  return problems;
}

/** The tree for these sources, or a SpecError listing every problem in them. */
export function generateTree(fleet: Fleet, tenants: readonly TenantSource[], pins: Pins): Tree {
  const problems = validateAll(fleet, tenants, pins);
  if (problems.length > 0) throw new SpecError(problems);
  const emitted: SpecProblem[] = [];
  const schema: SpecProblem[] = [];
  const tenantOf = (source: string): TenantSpec | undefined => tenants.find((t) => t.file === source)?.spec;
  const tree = layoutTree(fleet, tenants, pins, (_path, source, objects, failures) => {
    emitted.push(...emittedObjectProblems(source, objects, tenantOf(source)));
    for (const f of failures) schema.push(...schemaFailureProblems(f, tenantOf));
  });
  // A schema failure is the root cause; the API-server rules on the same objects would only repeat it.
  if (schema.length > 0) throw new SpecError(schema);
  if (emitted.length > 0) throw new SpecError(emitted);
  return tree;
}

/**
 * Writes the tree of these sources into `repo`. The pins are an input like the fleet and
 * the tenants; by default they are the ones committed in `repo` (generators/release/pins.json).
 */
export function generate(
  repo: string,
  fleet: Fleet,
  tenants: readonly TenantSource[],
  pins: Pins = loadPins(repo),
  options: WriteOptions = {},
): WriteResult {
  return writeTree(repo, GENERATED_ROOTS, generateTree(fleet, tenants, pins), options);
}
