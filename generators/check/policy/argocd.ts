/** Argo CD isolation over the objects in apps/ and the fleet model. */
import { ADDONS_PROJECT, BOOTSTRAP_PROJECT, LABELS, PLATFORM_TENANT, projectName } from "../../fleet/constants.js";
import { ENVIRONMENTS } from "../../fleet/fleet.js";
import type { AppsContext, AppsRule, Hit, K8sObject } from "./types.js";
import { globMatch, idOf, isObj, kindOf, labelsOf, nameOf, obj, objs, str, arr, type Obj } from "./util.js";

/** Projects that may create cluster-scoped resources. */
/** Projects that own cluster-scoped objects: bootstrap, the add-ons, and the platform tenant's per-env projects. */
export const PRIVILEGED_PROJECTS: readonly string[] = [BOOTSTRAP_PROJECT, ADDONS_PROJECT, ...ENVIRONMENTS.map((env) => projectName(PLATFORM_TENANT, env))];

const TEMPLATE = /\{\{-?\s*(.*?)\s*-?\}\}/g;

/** Substitutes `{{.key}}` in every string of a value, like Go templates with missingkey=error. */
export function renderGoTemplate(value: unknown, params: Obj): unknown {
  if (typeof value === "string")
    return value.replace(TEMPLATE, (_m, expr: string) => {
      if (!/^\.[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(expr)) throw new Error(`unsupported template expression {{${expr}}}`);
      let cur: unknown = params;
      for (const part of expr.slice(1).split(".")) {
        if (!isObj(cur) || !(part in cur)) throw new Error(`map has no entry for key "${expr.slice(1)}" (missingkey=error)`);
        cur = cur[part];
      }
      if (typeof cur === "object" && cur !== null) throw new Error(`{{${expr}}} is not a scalar`);
      return String(cur);
    });
  if (Array.isArray(value)) return value.map((v) => renderGoTemplate(v, params));
  if (isObj(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [renderGoTemplate(k, params) as string, renderGoTemplate(v, params)]));
  return value;
}

export interface GeneratedApp {
  app: Obj;
  /** The ApplicationSet it came from, or undefined for a literal Application. */
  from: string | undefined;
}

export interface Expansion {
  apps: GeneratedApp[];
  errors: { appSet: K8sObject; path: string; message: string }[];
}

/** Expands every ApplicationSet's list generators (elements × template) and collects literal Applications. */
export function expandApplications(apps: readonly K8sObject[]): Expansion {
  const out: Expansion = { apps: [], errors: [] };
  for (const o of apps) {
    if (kindOf(o) === "Application") out.apps.push({ app: o, from: undefined });
    if (kindOf(o) !== "ApplicationSet") continue;
    const spec = obj(o.spec);
    const template = obj(spec.template);
    objs(spec.generators).forEach((g, gi) => {
      if (g.list === undefined) {
        out.errors.push({ appSet: o, path: `spec.generators[${gi}]`, message: `generator ${Object.keys(g).join(",")} is not a list generator; the policy cannot expand it` });
        return;
      }
      objs(obj(g.list).elements).forEach((el, ei) => {
        try {
          const rendered = renderGoTemplate(template, el) as Obj;
          out.apps.push({ app: { apiVersion: "argoproj.io/v1alpha1", kind: "Application", ...rendered, metadata: { namespace: obj(o.metadata).namespace, ...obj(rendered.metadata) } }, from: idOf(o) });
        } catch (e) {
          out.errors.push({ appSet: o, path: `spec.generators[${gi}].list.elements[${ei}]`, message: (e as Error).message });
        }
      });
    });
  }
  return out;
}

function projects(ctx: AppsContext): Map<string, Obj> {
  return new Map(ctx.apps.filter((o) => kindOf(o) === "AppProject").map((p) => [nameOf(p), p]));
}

function sourcesOf(app: Obj): { repoURL: string; path: string }[] {
  const spec = obj(app.spec);
  if (spec.source !== undefined) return [{ repoURL: str(obj(spec.source).repoURL) ?? "", path: "spec.source.repoURL" }];
  return objs(spec.sources).map((s, i) => ({ repoURL: str(s.repoURL) ?? "", path: `spec.sources[${i}].repoURL` }));
}

/** Argo CD's glob match with `!` negation. */
function permits(patterns: readonly string[], value: string): boolean {
  if (patterns.some((p) => p.startsWith("!") && globMatch(p.slice(1), value))) return false;
  return patterns.some((p) => !p.startsWith("!") && globMatch(p, value));
}

/** Whether a project destination admits the app destination (name or server glob, and namespace glob). */
export function destinationPermitted(project: Obj, dest: Obj): boolean {
  const name = str(dest.name) ?? "";
  const server = str(dest.server) ?? "";
  const ns = str(dest.namespace) ?? "";
  return objs(obj(project.spec).destinations).some((d) => {
    const dn = str(d.name);
    const ds = str(d.server);
    const nameOk = dn !== undefined && dn !== "" && name !== "" && globMatch(dn, name);
    const serverOk = ds !== undefined && ds !== "" && server !== "" && globMatch(ds, server);
    return (nameOk || serverOk) && globMatch(str(d.namespace) ?? "", ns);
  });
}

function appHit(g: GeneratedApp, path: string, message: string, fix?: string): Hit {
  const labels = labelsOf(g.app);
  const dest = obj(obj(g.app.spec).destination);
  const hit: Hit = {
    object: idOf(g.app),
    tenant: labels[LABELS.tenant] ?? str(obj(g.app.spec).project) ?? "",
    path: g.from ? `${path} (generated by ${g.from})` : path,
    message,
    cluster: str(dest.name) ?? str(dest.server) ?? "",
  };
  if (fix !== undefined) hit.fix = fix;
  return hit;
}

function projectHit(p: Obj, path: string, message: string): Hit {
  return { object: idOf(p), tenant: labelsOf(p)[LABELS.tenant] ?? nameOf(p), path, message, cluster: "" };
}

export const ARGOCD_RULES: readonly AppsRule[] = [
  {
    id: "argo-appset-expand",
    scope: "apps",
    description: "Every ApplicationSet expands (list generator elements × template, Go template with missingkey=error).",
    fix: "Give every list element the keys the template uses ({{.key}}), or fix the template.",
    check: (ctx) => expandApplications(ctx.apps).errors.map((e) => ({ object: idOf(e.appSet), tenant: labelsOf(e.appSet)[LABELS.tenant] ?? "", path: e.path, message: e.message, cluster: "" })),
  },
  {
    id: "argo-project-exists",
    scope: "apps",
    description: "Every Application (literal or generated) belongs to an AppProject that exists.",
    fix: "Set spec.project to an existing AppProject (one per tenant).",
    check: (ctx) => {
      const ps = projects(ctx);
      return expandApplications(ctx.apps).apps.flatMap((g) => {
        const p = str(obj(g.app.spec).project) ?? "";
        return ps.has(p) ? [] : [appHit(g, "spec.project", `AppProject ${p || "(none)"} does not exist`)];
      });
    },
  },
  {
    id: "argo-project-source",
    scope: "apps",
    description: "An Application's project permits its source repository (sourceRepos globs).",
    fix: "Add the repository to the project's sourceRepos, or use the fleet repository.",
    check: (ctx) => {
      const ps = projects(ctx);
      return expandApplications(ctx.apps).apps.flatMap((g) => {
        const p = ps.get(str(obj(g.app.spec).project) ?? "");
        if (!p) return [];
        const repos = arr(obj(p.spec).sourceRepos).filter((x): x is string => typeof x === "string");
        return sourcesOf(g.app)
          .filter((s) => !permits(repos, s.repoURL))
          .map((s) => appHit(g, s.path, `project ${nameOf(p)} does not permit source repo ${s.repoURL}`));
      });
    },
  },
  {
    id: "argo-project-destination",
    scope: "apps",
    description: "An Application's project permits its destination (cluster name/server and namespace, with Argo CD glob semantics).",
    fix: "Add the cluster and namespace to the project's destinations, or fix the Application's destination.",
    check: (ctx) => {
      const ps = projects(ctx);
      return expandApplications(ctx.apps).apps.flatMap((g) => {
        const p = ps.get(str(obj(g.app.spec).project) ?? "");
        if (!p) return [];
        const dest = obj(obj(g.app.spec).destination);
        return destinationPermitted(p, dest)
          ? []
          : [appHit(g, "spec.destination", `project ${nameOf(p)} does not permit destination ${str(dest.name) ?? str(dest.server) ?? "?"}/${str(dest.namespace) ?? ""}`)];
      });
    },
  },
  {
    id: "argo-project-wildcard",
    scope: "apps",
    description: "No AppProject allows `*` for sourceRepos, destination server/name or namespace.",
    fix: "List the exact repositories, clusters and namespaces the project needs.",
    check: (ctx) =>
      ctx.apps
        .filter((o) => kindOf(o) === "AppProject")
        .flatMap((p) => {
          const spec = obj(p.spec);
          const hits: Hit[] = [];
          arr(spec.sourceRepos).forEach((r, i) => {
            if (r === "*") hits.push(projectHit(p, `spec.sourceRepos[${i}]`, "sourceRepos allows every repository"));
          });
          objs(spec.destinations).forEach((d, i) => {
            for (const f of ["server", "name", "namespace"]) if (d[f] === "*") hits.push(projectHit(p, `spec.destinations[${i}].${f}`, `destination ${f} is *`));
          });
          return hits;
        }),
  },
  {
    id: "argo-default-project",
    scope: "apps",
    description: "The `default` AppProject exists and permits nothing (empty sourceRepos and destinations).",
    fix: "Define the default project with sourceRepos: [] and destinations: [].",
    check: (ctx) => {
      const p = projects(ctx).get("default");
      if (!p) return [{ object: "AppProject/argocd/default", tenant: "", path: "", message: "the default AppProject is not defined, so Argo CD's permissive built-in one applies", cluster: "" }];
      const spec = obj(p.spec);
      const hits: Hit[] = [];
      if (arr(spec.sourceRepos).length > 0) hits.push(projectHit(p, "spec.sourceRepos", "the default project permits source repositories"));
      if (arr(spec.destinations).length > 0) hits.push(projectHit(p, "spec.destinations", "the default project permits destinations"));
      return hits;
    },
  },
  {
    id: "argo-env-crossing",
    scope: "apps",
    description: "An Application labelled with an env (ai-platform.io/env) targets only clusters of that env: never non-prod to prod or prod to non-prod.",
    fix: "Fix the Application's env label or destination cluster so they agree with the fleet model.",
    check: (ctx) =>
      expandApplications(ctx.apps).apps.flatMap((g) => {
        const env = labelsOf(g.app)[LABELS.env];
        if (env === undefined) return [];
        const dest = obj(obj(g.app.spec).destination);
        const cluster = ctx.fleet.clusters.find((c) => c.name === str(dest.name));
        if (!cluster) return [];
        const crosses = (env === "prod") !== (cluster.env === "prod");
        return crosses
          ? [appHit(g, "spec.destination.name", `Application labelled env=${env} targets ${cluster.env} cluster ${cluster.name}`)]
          : [];
      }),
  },
  {
    id: "argo-tenant-cluster-scope",
    scope: "apps",
    description: `Tenant AppProjects (all but ${PRIVILEGED_PROJECTS.join(", ")}) may not create cluster-scoped resources (clusterResourceWhitelist empty).`,
    fix: "Empty the tenant project's clusterResourceWhitelist; cluster-scoped objects belong to the platform tenant.",
    check: (ctx) =>
      ctx.apps
        .filter((o) => kindOf(o) === "AppProject" && !PRIVILEGED_PROJECTS.includes(nameOf(o)))
        .flatMap((p) => (arr(obj(p.spec).clusterResourceWhitelist).length > 0 ? [projectHit(p, "spec.clusterResourceWhitelist", "a tenant project may create cluster-scoped resources")] : [])),
  },
];
