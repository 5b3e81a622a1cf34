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
import { EKS_CALENDAR, eksAddonVersion, isoDay, offeredMinors, supportOn } from "./fleet/eks-calendar.js";
import { FLEET_FILE } from "./api/validate/collector.js";
import { ADDONS, addonClusters, type Addon } from "./addons/catalogue.js";

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
 * The fleet's Kubernetes minors against the EKS calendar (fleet/eks-calendar.ts): a cluster
 * whose minor EKS does not offer on `today` (before its release, past its extended support, or
 * not in the calendar) cannot be created or kept, and a managed add-on without a pinned version
 * needs the calendar's version for the cluster's minor. Without `today` only the calendar
 * lookups run (the tree itself never depends on the day).
 */
export function eksVersionProblems(fleet: Fleet, today?: Date): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const minors = today ? offeredMinors(today) : EKS_CALENDAR.map((e) => e.minor);
  // Past the calendar's newest minor nothing is offered: the calendar itself needs the newer minors.
  const offered =
    minors.length > 0 ? minors : ["none in generators/fleet/eks-calendar.ts; add the minors EKS released since, with their cited dates"];
  for (const c of fleet.clusters) {
    const field = `clusters[${c.name}].kubernetesVersion`;
    const s = today ? supportOn(c.kubernetesVersion, today) : undefined;
    const known = EKS_CALENDAR.some((e) => e.minor === c.kubernetesVersion);
    if (!known && /^1\.[0-9]{2}$/.test(c.kubernetesVersion))
      problems.push({
        file: FLEET_FILE,
        field,
        value: c.kubernetesVersion,
        message: `EKS's calendar (generators/fleet/eks-calendar.ts) has no Kubernetes ${c.kubernetesVersion}; use one EKS offers: ${offered.join(", ")}`,
      });
    else if (s && (s.phase === "ended" || s.phase === "unreleased"))
      problems.push({
        file: FLEET_FILE,
        field,
        value: c.kubernetesVersion,
        message:
          s.phase === "ended"
            ? `EKS no longer offers Kubernetes ${c.kubernetesVersion} on ${isoDay(today as Date)} (extended support ended ${s.entry?.endOfExtendedSupport}); upgrade one minor at a time to one EKS offers: ${offered.join(", ")} (docs/upgrading.md)`
            : `EKS does not offer Kubernetes ${c.kubernetesVersion} before ${s.entry?.released}; use one it offers on ${isoDay(today as Date)}: ${offered.join(", ")}`,
      });
    (fleet.eks?.managedAddons ?? []).forEach((a, i) => {
      if (a.version !== undefined || a.name === "eks-pod-identity-agent" || !known) return;
      if (eksAddonVersion(a.name, c.kubernetesVersion) === undefined)
        problems.push({
          file: FLEET_FILE,
          field: `eks.managedAddons[${i}].version`,
          value: undefined,
          message: `no ${a.name} version is known for Kubernetes ${c.kubernetesVersion} (cluster ${c.name}); add it to the calendar's addons or pin version`,
        });
    });
  }
  return problems;
}

const minorOf = (v: string): number => Number(/^1\.(\d+)$/.exec(v)?.[1] ?? Number.NaN);

/**
 * Every add-on against the Kubernetes minor of each cluster that runs it: below the chart's
 * `kubernetes.min`, or past its `max` without a reviewed `beyondMax`, is refused, naming the
 * catalogue file, the chart version, the range with its source, and the way out.
 */
export function addonCompatibilityProblems(fleet: Fleet, addons: readonly Addon[] = ADDONS): SpecProblem[] {
  const problems: SpecProblem[] = [];
  for (const a of addons) {
    const r = a.kubernetes;
    if (!r) continue;
    for (const c of addonClusters(fleet, a)) {
      const v = minorOf(c.kubernetesVersion);
      if (Number.isNaN(v)) continue;
      const below = r.min !== undefined && v < minorOf(r.min);
      const above = r.max !== undefined && v > minorOf(r.max) && !(r.beyondMax?.minors ?? []).includes(c.kubernetesVersion);
      if (!below && !above) continue;
      const range = `${r.min ?? "any"}–${r.max ?? "any"}`;
      problems.push({
        file: `generators/addons/catalogue/${a.name}.ts`,
        field: "kubernetes",
        value: c.kubernetesVersion,
        message: `chart ${a.chart} ${a.version} supports Kubernetes ${range} (${r.source}); cluster ${c.name} runs ${c.kubernetesVersion}: ${
          above
            ? "bump the chart to a version that supports it (and its range), before the cluster moves"
            : "keep the cluster on a minor the chart supports"
        }`,
      });
    }
  }
  return problems;
}

/** What generation takes besides the sources: the day EKS's calendar is judged on. */
export interface GenerateOptions extends WriteOptions {
  /** The day (fleet/clock.ts); absent: only the calendar lookups are checked, not the dates. */
  today?: Date;
}

/** The tree for these sources, or a SpecError listing every problem in them. */
export function generateTree(fleet: Fleet, tenants: readonly TenantSource[], pins: Pins, today?: Date): Tree {
  const problems = validateAll(fleet, tenants, pins);
  // The calendar and the add-on ranges read the fleet (regions, environments) as valid: only then.
  if (problems.length === 0) problems.push(...eksVersionProblems(fleet, today), ...addonCompatibilityProblems(fleet));
  // Advisory exceptions expire: judged on `today`, else the current UTC day (addons/advisories.ts). Only on valid sources.
  if (problems.length === 0) problems.push(...advisoryProblems(pinnedArtifacts(tenants, pins), isoDay(today ?? new Date())));
  if (problems.length > 0) throw new SpecError(problems);
  const emitted: SpecProblem[] = [];
  const schema: SpecProblem[] = [];
  const specOf = (source: string): TenantSpec | undefined => tenants.find((t) => t.file === source)?.spec;
  const tree = layoutTree(fleet, tenants, pins, (_path, source, objects, failures) => {
    emitted.push(...emittedObjectProblems(source, objects, specOf(source)));
    for (const f of failures) schema.push(...schemaFailureProblems(f, specOf));
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
  options: GenerateOptions = {},
): WriteResult {
  const { today, ...write } = options;
  return writeTree(repo, GENERATED_ROOTS, generateTree(fleet, tenants, pins, today), write);
}
