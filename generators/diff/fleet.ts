/**
 * The "fleet" part of a diff: what changes in apps/, i.e. in what Argo CD itself reads.
 * AppProjects field by field (list fields as sets, flagging every change that admits
 * more), ApplicationSets' own settings (waves, rollout strategy), and every Application
 * the ApplicationSets expand to per cluster (generators/argo, Argo CD's semantics), with
 * Helm values compared as parsed YAML and chart version changes gathered per chart.
 * Pure: both sides are given as parsed objects.
 */
import { parseDocument } from "../argo/manifest-yaml.js";
import { expandAll } from "../argo/expand.js";
import { tenantOf } from "../check/policy/util.js";
import { newlyAdmitted } from "../argo/admits.js";
import type { ProjectLike } from "../argo/project.js";
import { canonical, diffSet, diffValues, objectKey, objectLabel, type FieldChange, type Obj, type ObjectChange } from "./objects.js";

/** An Application that appears, disappears or changes on a cluster. */
export interface AppChange extends ObjectChange {
  cluster: string;
  /** The ApplicationSet that generates it; undefined for a literal Application. */
  from: string | undefined;
}

/** One chart moving from one version to another on some clusters. */
export interface ChartChange {
  chart: string;
  repoURL: string;
  from: string;
  to: string;
  clusters: string[];
}

/** An AppProject change that lets its Applications do more than before. */
export interface ProjectWidening {
  project: string;
  path: string;
  /** What is now admitted, as a readable entry. */
  admits: string;
}

export interface FleetDiff {
  /** AppProjects, ApplicationSets (without generators and template: their effect is in `applications`) and other apps/ objects. */
  objects: ObjectChange[];
  applications: AppChange[];
  charts: ChartChange[];
  widened: ProjectWidening[];
  /** ApplicationSets that do not expand on the new side (the controller would generate nothing). */
  errors: string[];
}

export interface FleetFilter {
  cluster?: string;
  tenant?: string;
}

/** AppProject lists that admit what they list, and those that forbid it. */
const ALLOW_LISTS = [
  "sourceRepos",
  "sourceNamespaces",
  "destinations",
  "clusterResourceWhitelist",
  "namespaceResourceWhitelist",
  "destinationServiceAccounts",
] as const;
const DENY_LISTS = ["clusterResourceBlacklist", "namespaceResourceBlacklist"] as const;

const rec = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const entryText = (v: unknown): string => (typeof v === "string" ? v : canonical(v));

/** Field changes of an AppProject: list fields as sets, the rest leaf by leaf. */
export function diffProject(a: Obj, b: Obj): FieldChange[] {
  const sa = rec(a.spec);
  const sb = rec(b.spec);
  const lists = new Set<string>([...ALLOW_LISTS, ...DENY_LISTS]);
  const rest = (o: Obj): Obj => ({ ...o, spec: Object.fromEntries(Object.entries(rec(o.spec)).filter(([k]) => !lists.has(k))) });
  const changes = diffValues(rest(a), rest(b));
  for (const field of lists) {
    const path = `spec.${field}`;
    if (Array.isArray(sa[field]) !== Array.isArray(sb[field])) {
      // Present vs absent matters (an absent namespaceResourceWhitelist admits every kind).
      changes.push({ path, ...(field in sa ? { old: sa[field] } : {}), ...(field in sb ? { new: sb[field] } : {}) });
    } else changes.push(...diffSet(list(sa[field]), list(sb[field]), path));
  }
  return changes.sort((x, y) => x.path.localeCompare(y.path));
}

/** The project fields Argo CD's admission (argo/project.ts) does not model: an added entry admits more. */
const UNMODELLED_ALLOW_LISTS = ["sourceNamespaces", "destinationServiceAccounts"] as const;

/** At most this many admitted values are spelled out per field; the rest are counted. */
const SHOWN = 4;

/**
 * What `after` admits that `before` did not (argo/admits.ts: both projects' admitted sets,
 * compared with Argo CD's own rules on witnesses), one entry per project field. A `!` entry
 * admits everything it does not name, so adding one is a widening; a narrowing is none,
 * whatever the syntax.
 */
export function projectWidenings(before: Obj, after: Obj): ProjectWidening[] {
  const project = String(rec(after.metadata).name);
  const changed = new Set(diffProject(before, after).map((c) => c.path.replace(/^spec\./, "")));
  const kindPath = (scope: "cluster" | "namespace"): string => {
    const white = `${scope}ResourceWhitelist`;
    return `spec.${changed.has(white) || !changed.has(`${scope}ResourceBlacklist`) ? white : `${scope}ResourceBlacklist`}`;
  };
  const byPath = new Map<string, string[]>();
  for (const a of newlyAdmitted(before as unknown as ProjectLike, after as unknown as ProjectLike)) {
    const path =
      a.field === "clusterResources" ? kindPath("cluster") : a.field === "namespaceResources" ? kindPath("namespace") : `spec.${a.field}`;
    byPath.set(path, [...(byPath.get(path) ?? []), a.value]);
  }
  for (const field of UNMODELLED_ALLOW_LISTS) {
    for (const c of diffSet(list(rec(before.spec)[field]), list(rec(after.spec)[field]), `spec.${field}`))
      if (c.entry === "added") byPath.set(c.path, [...(byPath.get(c.path) ?? []), entryText(c.new)]);
  }
  return [...byPath.entries()]
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([path, values]) => ({
      project,
      path,
      admits: values.slice(0, SHOWN).join("; ") + (values.length > SHOWN ? `; and ${values.length - SHOWN} more` : ""),
    }));
}

/** An Application as compared: the generator's bookkeeping dropped, Helm values parsed so changes show inside them. */
function comparable(app: Obj): Obj {
  const { ownerApplicationSet: _owner, ...rest } = app;
  const spec = rec(rest.spec);
  const source = rec(spec.source);
  const helm = rec(source.helm);
  if (typeof helm.values !== "string") return rest;
  let values: unknown;
  try {
    values = parseDocument(helm.values, "helm values");
  } catch {
    return rest;
  }
  return { ...rest, spec: { ...spec, source: { ...source, helm: { ...helm, values } } } };
}

const clusterOf = (app: Obj): string => {
  const d = rec(rec(app.spec).destination);
  return String(d.name ?? d.server ?? "");
};

function applications(objects: readonly Obj[]): { apps: Map<string, { app: Obj; from: string | undefined }>; errors: string[] } {
  const { apps, errors } = expandAll(objects);
  return {
    apps: new Map(apps.map((a) => [objectKey(a.app as unknown as Obj), { app: comparable(a.app as unknown as Obj), from: a.from }])),
    errors: errors.map((e) => `ApplicationSet ${e.appSet.metadata.name}: ${e.message}`),
  };
}

/** What the ApplicationSet itself says beyond its generated Applications: waves, strategy, sync policy, template options. */
function ownSettings(o: Obj): Obj {
  if (o.kind !== "ApplicationSet") return o;
  const { generators: _g, template: _t, ...spec } = rec(o.spec);
  return { ...o, spec };
}

function keep(o: Obj, filter: FleetFilter, cluster?: string): boolean {
  if (filter.tenant !== undefined && tenantOf(o) !== filter.tenant) return false;
  if (filter.cluster !== undefined && cluster !== undefined && cluster !== filter.cluster) return false;
  return true;
}

/** Compares the apps/ objects of two sides. */
export function diffFleetApps(before: readonly Obj[], after: readonly Obj[], filter: FleetFilter = {}): FleetDiff {
  const objects: ObjectChange[] = [];
  const widened: ProjectWidening[] = [];
  const own = (xs: readonly Obj[]): Map<string, Obj> =>
    new Map(xs.filter((o) => o.kind !== "Application" && keep(o, filter)).map((o) => [objectKey(o), ownSettings(o)]));
  const a = own(before);
  const b = own(after);
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(key);
    const y = b.get(key);
    if (x && !y) objects.push({ kind: "removed", key, label: objectLabel(x), fields: [], object: x });
    else if (!x && y) {
      objects.push({ kind: "added", key, label: objectLabel(y), fields: [], object: y });
      if (y.kind === "AppProject")
        widened.push({ project: String(rec(y.metadata).name), path: "", admits: "everything it lists (new project)" });
    } else if (x && y) {
      const fields = x.kind === "AppProject" ? diffProject(x, y) : diffValues(x, y);
      if (fields.length === 0) continue;
      objects.push({ kind: "changed", key, label: objectLabel(y), fields });
      if (y.kind === "AppProject") widened.push(...projectWidenings(x, y));
    }
  }

  const old = applications(before);
  const now = applications(after);
  const apps: AppChange[] = [];
  const charts = new Map<string, ChartChange>();
  for (const key of [...new Set([...old.apps.keys(), ...now.apps.keys()])].sort()) {
    const x = old.apps.get(key);
    const y = now.apps.get(key);
    const app = (y ?? x)!.app;
    const cluster = clusterOf(app);
    if (!keep(app, filter, cluster)) continue;
    const from = (y ?? x)!.from;
    if (x && !y) apps.push({ kind: "removed", key, label: objectLabel(x.app), fields: [], object: x.app, cluster, from });
    else if (!x && y) apps.push({ kind: "added", key, label: objectLabel(y.app), fields: [], object: y.app, cluster, from });
    else if (x && y) {
      const fields = diffValues(x.app, y.app);
      if (fields.length === 0) continue;
      apps.push({ kind: "changed", key, label: objectLabel(y.app), fields, cluster, from });
      const sx = rec(rec(x.app.spec).source);
      const sy = rec(rec(y.app.spec).source);
      if (typeof sy.chart === "string" && sx.chart === sy.chart && sx.targetRevision !== sy.targetRevision) {
        const id = `${sy.chart}\0${sx.targetRevision}\0${sy.targetRevision}`;
        const c = charts.get(id) ?? {
          chart: sy.chart,
          repoURL: String(sy.repoURL ?? ""),
          from: String(sx.targetRevision ?? ""),
          to: String(sy.targetRevision ?? ""),
          clusters: [],
        };
        c.clusters.push(cluster);
        charts.set(id, c);
      }
    }
  }
  for (const c of charts.values()) c.clusters.sort();
  return {
    objects,
    applications: apps,
    charts: [...charts.values()].sort((x, y) => x.chart.localeCompare(y.chart)),
    widened,
    errors: now.errors,
  };
}

export function fleetHasChanges(f: FleetDiff): boolean {
  return f.objects.length > 0 || f.applications.length > 0 || f.errors.length > 0;
}

/** `chart <name>: <from> → <to> (<clusters>)`. */
export function chartLine(c: ChartChange): string {
  return `chart ${c.chart}: ${c.from} → ${c.to} (${c.clusters.join(", ")})`;
}
