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
import { ADDONS } from "./addons/catalogue.js";
import { advisoryProblems, type PinnedArtifact } from "./addons/advisories.js";
import type { ImageSpec } from "./api/tenant.js";

/**
 * Everything the platform pins: each add-on's chart, and every image of every tenant (apps,
 * init containers, job steps) with each tag its release pins set per environment.
 */
export function pinnedArtifacts(tenants: readonly TenantSource[], pins: Pins): PinnedArtifact[] {
  const charts = ADDONS.map(
    (a): PinnedArtifact => ({
      kind: "chart",
      name: a.chart,
      repoURL: a.repoURL,
      version: a.version,
      file: `generators/addons/catalogue/${a.name}.ts`,
      field: "version",
    }),
  );
  const images: PinnedArtifact[] = [];
  const image = (file: string, field: string, i: ImageSpec, tag = i.tag): void => {
    images.push({ kind: "image", name: i.repository, version: tag, file, field });
  };
  for (const src of tenants) {
    const t = src.spec;
    for (const app of t.apps) {
      image(src.file, `apps[${app.name}].image.tag`, app.image);
      for (const ic of app.initContainers ?? [])
        if (ic.image) image(src.file, `apps[${app.name}].initContainers[${ic.name}].image.tag`, ic.image);
      for (const [env, byApp] of Object.entries(pins[t.name] ?? {})) {
        const pin = byApp?.[app.name];
        if (pin) image("generators/release/pins.json", `${t.name}.${env}.${app.name}.tag`, app.image, pin.tag);
      }
    }
    for (const job of t.jobs ?? [])
      for (const step of job.steps) image(src.file, `jobs[${job.name}].steps[${step.name}].image.tag`, step.image);
  }
  return [...charts, ...images];
}

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

/**
 * The tree for these sources, or a SpecError listing every problem in them. `today`
 * (YYYY-MM-DD, default the current UTC day) only judges advisory exceptions' expiry
 * (addons/advisories.ts); the tree never depends on it.
 */
export function generateTree(fleet: Fleet, tenants: readonly TenantSource[], pins: Pins, today?: string): Tree {
  const problems = [
    ...validateAll(fleet, tenants, pins),
    ...advisoryProblems(pinnedArtifacts(tenants, pins), today ?? new Date().toISOString().slice(0, 10)),
  ];
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
