/**
 * AppProject rules evaluated as Argo CD evaluates them (argoproj/argo-cd
 * pkg/apis/application/v1alpha1/app_project_types.go: AppProject.IsSourcePermitted,
 * isDestinationMatched, IsGroupKindPermitted; glob semantics in ./glob.ts):
 *
 * - sourceRepos: glob match against the normalized repo URL (`*` stops at `/`, `**`
 *   does not); an entry `!p` vetoes what p matches and admits everything else.
 * - destinations: {server|name, namespace} globs; an app's destination is admitted by
 *   an entry whose server or name and namespace both match, unless some entry with a
 *   `!` pattern names it (a `!` entry also admits everything it does not name).
 * - cluster-scoped kinds need a clusterResourceWhitelist match (empty admits nothing)
 *   and no clusterResourceBlacklist match; namespaced kinds need a
 *   namespaceResourceWhitelist match when one is set and no namespaceResourceBlacklist match.
 */
import { isClusterScoped, type GroupKind } from "./scope.js";
import { filepathMatch, isDenyPattern, matchPattern } from "./glob.js";

export type { GroupKind } from "./scope.js";

export interface ProjectDestination {
  server?: string;
  name?: string;
  namespace?: string;
}

export interface ProjectLike {
  metadata: { name: string };
  spec: {
    sourceRepos?: string[];
    destinations?: ProjectDestination[];
    clusterResourceWhitelist?: GroupKind[];
    clusterResourceBlacklist?: GroupKind[];
    namespaceResourceWhitelist?: GroupKind[];
    namespaceResourceBlacklist?: GroupKind[];
  };
}

export interface AppLike {
  metadata: { name: string };
  spec: {
    project: string;
    source?: { repoURL: string; path?: string; chart?: string; targetRevision?: string };
    sources?: { repoURL: string; path?: string; chart?: string; targetRevision?: string }[];
    destination: { name?: string; server?: string; namespace?: string };
  };
}

/** git.NormalizeGitURL, for https URLs and OCI/Helm repository hosts: lower case, no trailing `.git` or `/`. */
export function normalizeRepoURL(url: string): string {
  return url
    .toLowerCase()
    .replace(/\/+$/, "")
    .replace(/\.git$/, "");
}

export function isSourcePermitted(project: ProjectLike, repoURL: string): boolean {
  const src = normalizeRepoURL(repoURL);
  let any = false;
  for (const entry of project.spec.sourceRepos ?? []) {
    const deny = isDenyPattern(entry);
    const normalized = deny ? `!${normalizeRepoURL(entry.slice(1))}` : normalizeRepoURL(entry);
    const matched = matchPattern(normalized, src, "/");
    if (matched) any = true;
    else if (deny) return false;
  }
  return any;
}

export function isDestinationPermitted(project: ProjectLike, dst: { name?: string; server?: string; namespace?: string }): boolean {
  const ns = dst.namespace ?? "";
  let anyMatched = false;
  let noDenyMatched = true;
  for (const item of project.spec.destinations ?? []) {
    const nameMatched = !!dst.name && matchPattern(item.name, dst.name);
    const serverMatched = !!dst.server && matchPattern(item.server, dst.server);
    const nsMatched = matchPattern(item.namespace, ns);
    if ((serverMatched || nameMatched) && nsMatched) anyMatched = true;
    // A `!` pattern that does not match (negation: the value is the denied one) vetoes the destination.
    else if (
      (!nameMatched && isDenyPattern(item.name)) ||
      (!serverMatched && isDenyPattern(item.server)) ||
      (!nsMatched && isDenyPattern(item.namespace))
    ) {
      noDenyMatched = false;
    }
  }
  return anyMatched && noDenyMatched;
}

function inList(gk: GroupKind, list: GroupKind[]): boolean {
  // Argo CD matches group and kind with Go's filepath.Match: `*`, `?`, `[...]`, no `{a,b}`.
  return list.some((item) => filepathMatch(item.group, gk.group) && filepathMatch(item.kind, gk.kind));
}

export function isGroupKindPermitted(project: ProjectLike, gk: GroupKind, namespaced: boolean): boolean {
  const s = project.spec;
  if (namespaced) {
    const white =
      s.namespaceResourceWhitelist === undefined || (s.namespaceResourceWhitelist.length > 0 && inList(gk, s.namespaceResourceWhitelist));
    const black = (s.namespaceResourceBlacklist ?? []).length > 0 && inList(gk, s.namespaceResourceBlacklist!);
    return white && !black;
  }
  const white = (s.clusterResourceWhitelist ?? []).length > 0 && inList(gk, s.clusterResourceWhitelist!);
  const black = (s.clusterResourceBlacklist ?? []).length > 0 && inList(gk, s.clusterResourceBlacklist!);
  return white && !black;
}

/** Why Argo CD would refuse this Application in its project; empty when it is admitted. */
export function applicationViolations(projects: ReadonlyMap<string, ProjectLike>, app: AppLike): string[] {
  const project = projects.get(app.spec.project);
  if (!project) return [`${app.metadata.name}: project ${app.spec.project} does not exist`];
  const out: string[] = [];
  const sources = app.spec.sources ?? (app.spec.source ? [app.spec.source] : []);
  if (sources.length === 0) out.push(`${app.metadata.name}: no source`);
  for (const s of sources) {
    if (!isSourcePermitted(project, s.repoURL))
      out.push(`${app.metadata.name}: source ${s.repoURL} is not permitted in project ${project.metadata.name}`);
  }
  const d = app.spec.destination;
  if (!isDestinationPermitted(project, d)) {
    out.push(
      `${app.metadata.name}: destination ${d.name ?? d.server}/${d.namespace ?? ""} is not permitted in project ${project.metadata.name}`,
    );
  }
  return out;
}

export interface ManifestLike {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

export function groupOf(apiVersion: string): string {
  return apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
}

/** Why the project would refuse one rendered resource of the Application; undefined when permitted. */
export function resourceViolation(project: ProjectLike, app: AppLike, m: ManifestLike): string | undefined {
  const r = refusal(project, app, m);
  return r && refusalMessage(r, project, app, m);
}

/**
 * resourceViolation for the many manifests of one Application. The project's answer depends
 * only on the manifest's group, kind and namespace, so each is judged once: a folder of
 * hundreds of objects has a handful, and a project lists a destination per cluster.
 */
export function resourceJudge(project: ProjectLike, app: AppLike): (m: ManifestLike) => string | undefined {
  const known = new Map<string, Refusal | undefined>();
  return (m) => {
    const key = `${m.apiVersion}\n${m.kind}\n${m.metadata.namespace ?? ""}`;
    let r = known.get(key);
    if (r === undefined && !known.has(key)) {
      r = refusal(project, app, m);
      known.set(key, r);
    }
    return r && refusalMessage(r, project, app, m);
  };
}

type Refusal = "kind" | "destination";

function refusal(project: ProjectLike, app: AppLike, m: ManifestLike): Refusal | undefined {
  const gk = { group: groupOf(m.apiVersion), kind: m.kind };
  const namespaced = !isClusterScoped(gk);
  if (!isGroupKindPermitted(project, gk, namespaced)) return "kind";
  if (
    namespaced &&
    !isDestinationPermitted(project, { ...app.spec.destination, namespace: m.metadata.namespace ?? app.spec.destination.namespace })
  )
    return "destination";
  return undefined;
}

function refusalMessage(r: Refusal, project: ProjectLike, app: AppLike, m: ManifestLike): string {
  const gk = { group: groupOf(m.apiVersion), kind: m.kind };
  const id = `${m.kind}/${m.metadata.name}`;
  if (r === "kind")
    return `${app.metadata.name}: ${isClusterScoped(gk) ? "cluster-scoped" : "namespaced"} ${gk.group || "core"}/${gk.kind} (${id}) is not permitted in project ${project.metadata.name}`;
  return `${app.metadata.name}: ${id} in namespace ${m.metadata.namespace ?? app.spec.destination.namespace} is outside project ${project.metadata.name}'s destinations`;
}
