/**
 * ApplicationSet expansion as the ApplicationSet controller does it, for the generators
 * this repository uses: `list` (elements are the parameters), and `matrix` of two such
 * generators (parameters merged). Each parameter set renders the template once; the
 * result is an Application in the ApplicationSet's namespace. Duplicate names are an
 * error, as they are for the controller. Cluster, git and other generators throw.
 */
import { renderDeep, type GoTemplateOptions } from "./gotemplate.js";

export type Params = Record<string, unknown>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export interface AppSetLike {
  metadata: { name: string; namespace?: string };
  spec: {
    goTemplate?: boolean;
    goTemplateOptions?: string[];
    generators: GeneratorLike[];
    template: { metadata: Record<string, unknown>; spec: Record<string, unknown> };
    strategy?: unknown;
    syncPolicy?: { preserveResourcesOnDeletion?: boolean };
  };
}

/** Argo CD's cascade-delete finalizer. */
export const RESOURCES_FINALIZER = "resources-finalizer.argocd.argoproj.io";

export interface GeneratorLike {
  list?: { elements?: Params[] };
  matrix?: { generators: GeneratorLike[] };
  [other: string]: unknown;
}

/** An Application as the controller creates it. */
export interface ExpandedApp {
  apiVersion: "argoproj.io/v1alpha1";
  kind: "Application";
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
  };
  spec: {
    project: string;
    source?: { repoURL: string; targetRevision?: string; path?: string; chart?: string; helm?: { releaseName?: string; values?: string } };
    sources?: { repoURL: string; targetRevision?: string; path?: string; chart?: string }[];
    destination: { name?: string; server?: string; namespace?: string };
    syncPolicy?: { automated?: unknown; syncOptions?: string[] };
    [k: string]: unknown;
  };
  /** The ApplicationSet that generated it. */
  ownerApplicationSet: string;
}

export class ExpansionError extends Error {}

export function generatorParams(g: GeneratorLike): Params[] {
  if (g.list) return (g.list.elements ?? []).map((e) => ({ ...e }));
  if (g.matrix) {
    const [a, b, ...rest] = g.matrix.generators;
    if (!a || !b || rest.length > 0) throw new ExpansionError("matrix needs exactly two child generators");
    const out: Params[] = [];
    for (const pa of generatorParams(a)) for (const pb of generatorParams(b)) out.push({ ...pa, ...pb });
    return out;
  }
  const kind = Object.keys(g).find((k) => g[k] !== undefined) ?? "(empty)";
  throw new ExpansionError(`generator "${kind}" is not supported by this expansion library`);
}

export function templateOptions(appset: AppSetLike): GoTemplateOptions {
  return { missingKey: (appset.spec.goTemplateOptions ?? []).includes("missingkey=error") ? "error" : "default" };
}

export function expandApplicationSet(appset: AppSetLike): ExpandedApp[] {
  if (!isRecord(appset.spec) || !Array.isArray(appset.spec.generators) || !isRecord(appset.spec.template)) {
    throw new ExpansionError(`${appset.metadata?.name}: spec.generators and spec.template are required`);
  }
  if (appset.spec.goTemplate !== true) throw new ExpansionError(`${appset.metadata.name}: only goTemplate ApplicationSets are supported`);
  const opts = templateOptions(appset);
  const apps: ExpandedApp[] = [];
  const seen = new Set<string>();
  for (const g of appset.spec.generators) {
    for (const params of generatorParams(g)) {
      let rendered: AppSetLike["spec"]["template"];
      try {
        rendered = renderDeep(appset.spec.template, params, opts);
      } catch (e) {
        throw new ExpansionError(`${appset.metadata.name}: ${(e as Error).message}`);
      }
      const metadata = { ...(rendered.metadata as ExpandedApp["metadata"]), namespace: appset.metadata.namespace ?? "argocd" };
      // The controller adds the cascade finalizer when the template sets none, unless the set preserves
      // resources on deletion (applicationset/utils/utils.go, RenderTemplateParams).
      if ((metadata.finalizers ?? []).length === 0 && appset.spec.syncPolicy?.preserveResourcesOnDeletion !== true)
        metadata.finalizers = [RESOURCES_FINALIZER];
      if (!metadata.name) throw new ExpansionError(`${appset.metadata.name}: template renders no name`);
      if (seen.has(metadata.name)) throw new ExpansionError(`${appset.metadata.name}: duplicate Application name ${metadata.name}`);
      seen.add(metadata.name);
      apps.push({
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Application",
        metadata,
        spec: rendered.spec as ExpandedApp["spec"],
        ownerApplicationSet: appset.metadata.name,
      });
    }
  }
  return apps;
}

/** One Application Argo CD would run: a literal one, or one an ApplicationSet generated. */
export interface FleetApplication {
  app: ExpandedApp | (Omit<ExpandedApp, "ownerApplicationSet"> & { ownerApplicationSet?: undefined });
  /** `ApplicationSet/<namespace>/<name>` that generated it; undefined for a literal Application. */
  from: string | undefined;
}

export interface FleetExpansion {
  apps: FleetApplication[];
  /** ApplicationSets the controller would refuse to generate from, with why. */
  errors: { appSet: AppSetLike; message: string }[];
}

/**
 * Every Application the objects of apps/ amount to: literal Applications as they are,
 * and each ApplicationSet expanded. An ApplicationSet that fails to expand generates
 * nothing (the controller keeps its old Applications and reports an error condition).
 */
export function expandAll(objects: readonly Record<string, unknown>[]): FleetExpansion {
  const out: FleetExpansion = { apps: [], errors: [] };
  for (const o of objects) {
    if (o.kind === "Application" && isRecord(o.metadata) && isRecord(o.spec)) {
      out.apps.push({
        app: { ...(o as unknown as Omit<ExpandedApp, "ownerApplicationSet">), ownerApplicationSet: undefined },
        from: undefined,
      });
    }
    if (o.kind !== "ApplicationSet") continue;
    const set = o as unknown as AppSetLike;
    try {
      const from = `ApplicationSet/${set.metadata.namespace ?? "argocd"}/${set.metadata.name}`;
      for (const app of expandApplicationSet(set)) out.apps.push({ app, from });
    } catch (e) {
      if (!(e instanceof ExpansionError)) throw e;
      out.errors.push({ appSet: set, message: e.message });
    }
  }
  return out;
}

/**
 * How many Applications each destination cluster gets (by name, else server), the load
 * the application controller shards by cluster (controller/sharding/sharding.go).
 */
export function applicationsPerCluster(expansion: FleetExpansion): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { app } of expansion.apps) {
    const cluster = app.spec.destination.name ?? app.spec.destination.server ?? "";
    counts.set(cluster, (counts.get(cluster) ?? 0) + 1);
  }
  return new Map([...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
