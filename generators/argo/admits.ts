/**
 * What an AppProject admits, as sets, judged with Argo CD's own rules (./project.ts): the
 * review's widening (diff/fleet.ts) and the `argo-project-wildcard` rule both ask this
 * module, so a `!kube-system` destination and a literal `*` are the same kind of hole.
 *
 * The sets are infinite (globs), so they are compared on witnesses: every value either
 * side names (with the `!` stripped), a concrete instance of each pattern (`*` and `?`
 * filled in, a class's first character, a `{a,b}`'s first branch), and values no entry
 * names (UNLISTED). Two projects that admit a different witness admit different sets; a
 * value admitted after and not before is a widening, and a project admitting an UNLISTED
 * value admits what it does not name.
 */
import {
  isDestinationPermitted,
  isGroupKindPermitted,
  isSourcePermitted,
  type GroupKind,
  type ProjectDestination,
  type ProjectLike,
} from "./project.js";
import { matchPattern } from "./glob.js";
import { isClusterScoped } from "./scope.js";

/** Values no project of the fleet names: what "everything else" stands for. */
export const UNLISTED = {
  repo: "https://unlisted.invalid/unlisted/unlisted",
  server: "https://unlisted.invalid",
  name: "unlisted-cluster",
  namespace: "unlisted-namespace",
  kind: { group: "unlisted.invalid", kind: "Unlisted" },
} as const;

/** Values worth probing although no entry names them: the namespaces and kinds a tenant must never reach. */
const SENSITIVE_NAMESPACES = ["kube-system", "argocd", "default"];
const SENSITIVE_KINDS: readonly GroupKind[] = [
  { group: "", kind: "Secret" },
  { group: "rbac.authorization.k8s.io", kind: "ClusterRoleBinding" },
  { group: "rbac.authorization.k8s.io", kind: "RoleBinding" },
  { group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration" },
];

/** A concrete value the glob matches (the `!` of a deny pattern stripped). */
export function instance(pattern: string): string {
  const p = pattern.startsWith("!") ? pattern.slice(1) : pattern;
  return p
    .replace(/\{([^,}]*)[^}]*\}/g, "$1")
    .replace(/\[!?([^\]])[^\]]*\]/g, (m, c: string) => (m.startsWith("[!") ? "_" : c))
    .replace(/\\(.)/g, "$1")
    .replace(/\*+/g, "x")
    .replace(/\?/g, "x");
}

/** The value written (without `!`) and its instance. */
const both = (p: string | undefined): string[] => (p === undefined ? [] : [p.replace(/^!/, ""), instance(p)]);
const uniq = <T>(xs: readonly T[], key: (x: T) => string = String): T[] => [...new Map(xs.map((x) => [key(x), x])).values()];

export interface Witnesses {
  repos: string[];
  destinations: ProjectDestination[];
  kinds: GroupKind[];
}

/** The witnesses of a set of projects: what telling their admitted sets apart needs. */
export function witnesses(projects: readonly ProjectLike[]): Witnesses {
  const repos = uniq([...projects.flatMap((p) => (p.spec.sourceRepos ?? []).flatMap(both)), UNLISTED.repo]);
  const dests = projects.flatMap((p) => p.spec.destinations ?? []);
  const servers = uniq([...dests.flatMap((d) => both(d.server)), UNLISTED.server]);
  const names = uniq([...dests.flatMap((d) => both(d.name)), UNLISTED.name]);
  const namespaces = uniq([...dests.flatMap((d) => both(d.namespace)), ...SENSITIVE_NAMESPACES, UNLISTED.namespace]);
  const destinations = [
    ...servers.flatMap((server) => namespaces.map((namespace) => ({ server, namespace }))),
    ...names.flatMap((name) => namespaces.map((namespace) => ({ name, namespace }))),
  ];
  const lists = projects.flatMap((p) => [
    ...(p.spec.clusterResourceWhitelist ?? []),
    ...(p.spec.clusterResourceBlacklist ?? []),
    ...(p.spec.namespaceResourceWhitelist ?? []),
    ...(p.spec.namespaceResourceBlacklist ?? []),
  ]);
  const kinds = uniq(
    [
      ...lists.flatMap((gk) => [
        { group: gk.group.replace(/^!/, ""), kind: gk.kind.replace(/^!/, "") },
        { group: instance(gk.group), kind: instance(gk.kind) },
      ]),
      ...SENSITIVE_KINDS,
      UNLISTED.kind,
    ],
    (gk) => `${gk.group}/${gk.kind}`,
  );
  return { repos, destinations, kinds };
}

/** One admitted value, as a project field and a readable entry. */
export interface Admitted {
  field: "sourceRepos" | "destinations" | "clusterResources" | "namespaceResources";
  value: string;
}

const unlistedText = (v: string): string =>
  v === UNLISTED.repo
    ? "<any repository it does not list>"
    : v === UNLISTED.server
      ? "<any server it does not list>"
      : v === UNLISTED.name
        ? "<any cluster it does not list>"
        : v === UNLISTED.namespace
          ? "<any namespace it does not list>"
          : v;

function destinationText(d: ProjectDestination): string {
  const o = d.server !== undefined ? { server: unlistedText(d.server) } : { name: unlistedText(d.name ?? "") };
  return JSON.stringify({ ...o, namespace: unlistedText(d.namespace ?? "") });
}

const kindText = (gk: GroupKind): string =>
  gk.group === UNLISTED.kind.group ? "<any kind it does not list>" : `${gk.group || "core"}/${gk.kind}`;

/** Every witness the project admits. */
export function admitted(project: ProjectLike, w: Witnesses): Admitted[] {
  const out: Admitted[] = [];
  for (const r of w.repos) if (isSourcePermitted(project, r)) out.push({ field: "sourceRepos", value: unlistedText(r) });
  for (const d of w.destinations) if (isDestinationPermitted(project, d)) out.push({ field: "destinations", value: destinationText(d) });
  for (const gk of w.kinds) {
    // A kind the scope table does not know is probed both ways: a CRD may be either.
    const scopes = gk.group === UNLISTED.kind.group ? [true, false] : [!isClusterScoped(gk)];
    for (const namespaced of scopes)
      if (isGroupKindPermitted(project, gk, namespaced))
        out.push({ field: namespaced ? "namespaceResources" : "clusterResources", value: kindText(gk) });
  }
  return out;
}

/** What `after` admits that `before` did not, compared on the witnesses of both. */
export function newlyAdmitted(before: ProjectLike, after: ProjectLike): Admitted[] {
  const w = witnesses([before, after]);
  const key = (a: Admitted): string => `${a.field}\n${a.value}`;
  const old = new Set(admitted(before, w).map(key));
  return admitted(after, w).filter((a) => !old.has(key(a)));
}

/** A place in a project that admits what it does not name. */
export interface Unlisted {
  path: string;
  message: string;
}

/**
 * Where the project admits values no entry names: a source repository, a destination cluster
 * or a destination namespace. Each is reported on the entry that admits it (a `*`, or a `!`
 * entry, which admits everything it does not name).
 */
export function admitsUnlisted(project: ProjectLike): Unlisted[] {
  const out: Unlisted[] = [];
  const repos = project.spec.sourceRepos ?? [];
  if (isSourcePermitted(project, UNLISTED.repo))
    repos.forEach((r, i) => {
      if (matchPattern(r, UNLISTED.repo, "/"))
        out.push({ path: `spec.sourceRepos[${i}]`, message: `sourceRepos entry ${r} admits every repository it does not name` });
    });
  const dests = project.spec.destinations ?? [];
  const w = witnesses([project]);
  const clusterWitnesses = w.destinations.filter((d) => d.namespace === UNLISTED.namespace);
  if (clusterWitnesses.some((d) => isDestinationPermitted(project, d)))
    dests.forEach((d, i) => {
      if (d.namespace !== undefined && matchPattern(d.namespace, UNLISTED.namespace))
        out.push({
          path: `spec.destinations[${i}].namespace`,
          message: `destination namespace ${d.namespace} admits every namespace it does not name`,
        });
    });
  const anyCluster = w.destinations.filter((d) => d.server === UNLISTED.server || d.name === UNLISTED.name);
  if (anyCluster.some((d) => isDestinationPermitted(project, d)))
    dests.forEach((d, i) => {
      for (const f of ["server", "name"] as const) {
        const v = d[f];
        const probe = f === "server" ? UNLISTED.server : UNLISTED.name;
        if (v !== undefined && matchPattern(v, probe))
          out.push({ path: `spec.destinations[${i}].${f}`, message: `destination ${f} ${v} admits every cluster it does not name` });
      }
    });
  return out;
}
