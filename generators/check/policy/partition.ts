/**
 * Runs the cluster rules of one rendered cluster in time linear in its size.
 *
 * Rules with locality "cluster" get the whole cluster. Rules with locality "namespace"
 * (types.ts) run once per namespace, on that namespace's objects plus the cluster-scoped
 * ones, keeping only the hits on that namespace's objects; the cluster-scoped objects
 * get one run of their own. A rule that scans "every pod template × every object" then
 * costs the sum of the squares of the namespaces' sizes rather than the square of the
 * cluster's, which is what made the check super-linear in tenants per cluster.
 *
 * The hits for a namespace depend on its objects, the cluster-scoped objects, the fleet
 * model (with apps/) and the rules, so they are cached per namespace under a key of those
 * (check/cache.ts). A namespace's objects come from the folders that render into it (a
 * tenant's own, and the platform's NetworkPolicies, quota and SecretStore there), and the
 * key hashes those folders' rendered YAML: a superset of what the hits read, so a change
 * anywhere in them misses, and a folder nobody changed hits.
 */
import type { CheckCache } from "../cache.js";
import { hashParts } from "../cache.js";
import type { ClusterContext, ClusterRule, Finding, Hit, Located, PolicyFolder } from "./types.js";
import { idOf, namespaceOf } from "./util.js";

export type RuleToFinding = (rule: ClusterRule, cluster: string, h: Hit) => Finding;

export interface PartitionOptions {
  /** Cache of per-folder findings of the namespace-local rules. */
  cache?: CheckCache | undefined;
  /** sha256 of the fleet model, computed once per check. */
  fleetHash: string;
}

function isNamespaceLocal(rule: ClusterRule): boolean {
  return rule.locality === "namespace";
}

/** Hits of namespace-local rules on one namespace (or on the cluster-scoped objects when `ns` is ""). */
function runNamespace(
  ctx: ClusterContext,
  rules: readonly ClusterRule[],
  ns: string,
  own: readonly Located[],
  clusterScoped: readonly Located[],
  toFinding: RuleToFinding,
): Finding[] {
  const objects = ns === "" ? clusterScoped : [...own, ...clusterScoped];
  const sub: ClusterContext = { ...ctx, objects };
  // Hits on the cluster-scoped objects belong to their own run, not to every namespace's.
  const foreign = ns === "" ? new Set<string>() : new Set(clusterScoped.map((l) => idOf(l.obj)));
  const out: Finding[] = [];
  for (const rule of rules) for (const h of rule.check(sub)) if (!foreign.has(h.object)) out.push(toFinding(rule, ctx.name, h));
  return out;
}

/** The raw findings of every cluster rule on one cluster; `folders` are the cluster's folders. */
export function runClusterRules(
  ctx: ClusterContext,
  folders: readonly PolicyFolder[],
  rules: readonly ClusterRule[],
  toFinding: RuleToFinding,
  options: PartitionOptions,
): Finding[] {
  const out: Finding[] = [];
  const whole = rules.filter((r) => !isNamespaceLocal(r));
  const local = rules.filter(isNamespaceLocal);
  for (const rule of whole) for (const h of rule.check(ctx)) out.push(toFinding(rule, ctx.name, h));
  if (local.length === 0) return out;

  const byNs = new Map<string, Located[]>();
  const tenantsOfNs = new Map<string, Set<string>>();
  for (const l of ctx.objects) {
    const ns = namespaceOf(l.obj);
    const list = byNs.get(ns);
    if (list) list.push(l);
    else byNs.set(ns, [l]);
    const ts = tenantsOfNs.get(ns);
    if (ts) ts.add(l.tenant);
    else tenantsOfNs.set(ns, new Set([l.tenant]));
  }
  const clusterScoped = byNs.get("") ?? [];
  const namespaces = [...byNs.keys()].filter((ns) => ns !== "").sort();
  out.push(...runNamespace(ctx, local, "", [], clusterScoped, toFinding));

  if (!options.cache) {
    for (const ns of namespaces) out.push(...runNamespace(ctx, local, ns, byNs.get(ns) ?? [], clusterScoped, toFinding));
    return out;
  }
  const cache = options.cache;
  const scopedHash = hashParts(clusterScoped.map((l) => JSON.stringify(l.obj)));
  const ruleIds = local.map((r) => r.id).join(",");
  // Each folder's rendered output hashed once, however many namespaces it renders into.
  const folderHash = new Map<string, string>();
  const hashOf = (tenant: string): string => {
    let h = folderHash.get(tenant);
    if (h === undefined) {
      const f = folders.find((x) => x.tenant === tenant);
      h = hashParts([f ? (f.yaml ?? JSON.stringify(f.objects)) : ""]);
      folderHash.set(tenant, h);
    }
    return h;
  };
  for (const ns of namespaces) {
    const sources = [...(tenantsOfNs.get(ns) ?? [])].sort().map((t) => `${t} ${hashOf(t)}`);
    const key = cache.key(["policy", ruleIds, options.fleetHash, ctx.name, ns, scopedHash, ...sources]);
    let findings = cache.get<Finding[]>(key);
    if (findings === undefined) {
      findings = runNamespace(ctx, local, ns, byNs.get(ns) ?? [], clusterScoped, toFinding);
      cache.put(key, findings);
    }
    out.push(...findings);
  }
  return out;
}
