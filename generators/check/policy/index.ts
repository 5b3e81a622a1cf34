/**
 * The policy engine: pod security, workload hygiene, references, GPU scheduling, API
 * versions, secrets and Argo CD isolation, over every rendered cluster and apps/.
 * Rules are small functions grouped by category; see docs/policy.md.
 */
import { createHash } from "node:crypto";
import type { CheckCache } from "../cache.js";
import { memoByIdentity } from "../memo.js";
import type { PolicyException } from "../exceptions.js";
import { API_RULES } from "./apis.js";
import { ARGOCD_RULES } from "./argocd-isolation.js";
import { ADDON_POD_SECURITY_RULES } from "./addon-pod-security.js";
import { APISERVER_RULES } from "./apiserver.js";
import { EDGE_RULES } from "./edge.js";
import { DURABILITY_RULES } from "./durability.js";
import { VOLUME_DURABILITY_RULES } from "./durability-volumes.js";
import { GPU_RULES } from "./gpu.js";
import { runClusterRules } from "./partition.js";
import { ISOLATION_RULES } from "./isolation.js";
import { POD_SECURITY_RULES } from "./pod-security.js";
import { REFERENCE_RULES } from "./references.js";
import { SECRET_RULES } from "./secrets.js";
import type { ClusterContext, ClusterRule, Finding, Hit, Located, PolicyFolder, PolicyInput, Rule } from "./types.js";
import { WORKLOAD_RULES } from "./workload.js";
import { CONNECTIVITY_RULES } from "../connectivity/rules.js";

export type {
  AppsContext,
  AppsRule,
  ClusterContext,
  ClusterRule,
  Finding,
  Hit,
  K8sObject,
  Located,
  PolicyFolder,
  PolicyInput,
  Rule,
  RuleLocality,
} from "./types.js";
export type { PolicyException } from "../exceptions.js";
export { scanTrackedFiles } from "./secrets.js";
export { expandApplications } from "./argocd-isolation.js";
export { loadPolicyInput, readAppsObjects } from "./load.js";

/**
 * Marks a whole category namespace-local (types.ts RuleLocality) unless a rule says
 * otherwise. Each category listed below with it was read for what it looks up: pod
 * security, API versions and credential patterns judge one object at a time; workload
 * rules read PDBs, autoscalers, ServiceAccounts and RoleBindings of the workload's own
 * namespace and ClusterRoleBindings (cluster-scoped); GPU rules read the pod and its
 * Karpenter NodePool (cluster-scoped); secret rules read SecretStores of the namespace
 * and ClusterSecretStores. test/check/linear-rules.test.ts proves the per-namespace run
 * equals the whole-cluster run on planted fixtures and on the committed fleet.
 */
function namespaceLocal(rules: readonly ClusterRule[]): ClusterRule[] {
  return rules.map((r) => (r.locality === undefined ? { ...r, locality: "namespace" } : r));
}

export const RULES: readonly Rule[] = [
  ...namespaceLocal(POD_SECURITY_RULES),
  ...namespaceLocal(WORKLOAD_RULES),
  ...REFERENCE_RULES,
  ...namespaceLocal(GPU_RULES),
  ...namespaceLocal(API_RULES),
  ...namespaceLocal(SECRET_RULES),
  ...ARGOCD_RULES,
  ...ADDON_POD_SECURITY_RULES,
  ...APISERVER_RULES,
  ...ISOLATION_RULES,
  ...EDGE_RULES,
  ...CONNECTIVITY_RULES,
  ...DURABILITY_RULES,
  ...VOLUME_DURABILITY_RULES,
];

export interface PolicyResult {
  findings: Finding[];
  excepted: { finding: Finding; exception: PolicyException }[];
  unusedOrExpired: { exception: PolicyException; reason: string }[];
  rulesRun: number;
  objectsChecked: number;
}

/** Groups folders into clusters: a cluster is the union of its tenant folders. */
export function clusterContexts(input: PolicyInput): ClusterContext[] {
  const byCluster = new Map<string, Located[]>();
  for (const f of input.folders) {
    const list = byCluster.get(f.cluster) ?? [];
    for (const obj of f.objects) list.push({ obj, tenant: f.tenant });
    byCluster.set(f.cluster, list);
  }
  return [...byCluster.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, objects]) => ({
      fleet: input.fleet,
      name,
      spec: input.fleet.clusters.find((c) => c.name === name),
      objects,
      apps: input.apps,
    }));
}

export function toFinding(rule: Rule, cluster: string, h: Hit): Finding {
  return {
    rule: rule.id,
    cluster: h.cluster ?? cluster,
    tenant: h.tenant,
    object: h.object,
    path: h.path,
    message: h.message,
    fix: h.fix ?? rule.fix,
  };
}

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function exceptionMatches(e: PolicyException, f: Finding): boolean {
  return e.rule === f.rule && e.object === f.object && (e.cluster === undefined || e.cluster === f.cluster);
}

export interface RunOptions {
  /** Cache per-folder findings of namespace-local rules. @default none */
  cache?: CheckCache | undefined;
  /**
   * "partitioned" runs namespace-local rules per namespace (check/policy/partition.ts);
   * "whole" runs every rule on the whole cluster, the reference the tests compare against.
   * @default "partitioned"
   */
  mode?: "partitioned" | "whole";
}

/** A total order on findings, so reports do not depend on the order rules ran in. */
export function compareFindings(a: Finding, b: Finding): number {
  for (const k of ["cluster", "tenant", "object", "rule", "path", "message", "fix"] as const)
    if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  return 0;
}

/**
 * Raw findings (before exceptions) of the cluster rules on the folders of one or more
 * clusters. The check calls it one cluster at a time, so only one cluster's objects are
 * held at once.
 */
export function clusterFindings(
  fleet: PolicyInput["fleet"],
  folders: readonly PolicyFolder[],
  apps: PolicyInput["apps"],
  rules: readonly Rule[] = RULES,
  options: RunOptions = {},
): Finding[] {
  const raw: Finding[] = [];
  const clusterRules = rules.filter((r): r is ClusterRule => r.scope === "cluster");
  const fleetHash = fleetHashOf(fleet);
  const foldersOf = new Map<string, PolicyFolder[]>();
  for (const f of folders) foldersOf.set(f.cluster, [...(foldersOf.get(f.cluster) ?? []), f]);
  for (const ctx of clusterContexts({ fleet, folders, apps })) {
    if (options.mode === "whole") for (const rule of clusterRules) raw.push(...rule.check(ctx).map((h) => toFinding(rule, ctx.name, h)));
    else
      raw.push(
        ...runClusterRules(ctx, foldersOf.get(ctx.name) ?? [], clusterRules, toFinding, {
          cache: options.cache,
          fleetHash: `${fleetHash} ${appsHash(apps)}`,
        }),
      );
  }
  return raw;
}

const sha256Json = (value: unknown): string => createHash("sha256").update(JSON.stringify(value)).digest("hex");
/** sha256 of the fleet, once per fleet object. */
const fleetHashOf = memoByIdentity((fleet: PolicyInput["fleet"]) => sha256Json(fleet));
/** sha256 of apps/ (cluster contexts carry it: a rule may judge a folder by its AppProject), once per list. */
const appsHash = memoByIdentity((apps: PolicyInput["apps"]) => sha256Json(apps));

/** Raw findings of the rules over apps/. */
export function appsFindings(fleet: PolicyInput["fleet"], apps: PolicyInput["apps"], rules: readonly Rule[] = RULES): Finding[] {
  return rules.flatMap((rule) => (rule.scope === "apps" ? rule.check({ fleet, apps }).map((h) => toFinding(rule, "", h)) : []));
}

/** Runs every rule (or `rules`) and applies the exceptions. Findings come out in compareFindings order. */
export function runPolicies(
  input: PolicyInput,
  exceptions: readonly PolicyException[],
  today: Date,
  rules: readonly Rule[] = RULES,
  options: RunOptions = {},
): PolicyResult {
  const raw = [
    ...clusterFindings(input.fleet, input.folders, input.apps, rules, options),
    ...appsFindings(input.fleet, input.apps, rules),
  ].sort(compareFindings);
  return applyExceptions(raw, exceptions, today, rules.length, input.folders.reduce((n, f) => n + f.objects.length, 0) + input.apps.length);
}

/** Splits findings into open and excepted; reports expired, malformed and unused exceptions. */
export function applyExceptions(
  raw: readonly Finding[],
  exceptions: readonly PolicyException[],
  today: Date,
  rulesRun: number,
  objectsChecked: number,
): PolicyResult {
  const day = isoDay(today);
  const result: PolicyResult = { findings: [], excepted: [], unusedOrExpired: [], rulesRun, objectsChecked };
  const live: PolicyException[] = [];
  for (const e of exceptions) {
    if (e.expires !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(e.expires))
      result.unusedOrExpired.push({ exception: e, reason: `expires "${e.expires}" is not YYYY-MM-DD` });
    else if (e.expires !== undefined && e.expires < day) result.unusedOrExpired.push({ exception: e, reason: `expired on ${e.expires}` });
    else live.push(e);
  }
  const used = new Set<PolicyException>();
  for (const f of raw) {
    const e = live.find((x) => exceptionMatches(x, f));
    if (e) {
      used.add(e);
      result.excepted.push({ finding: f, exception: e });
    } else result.findings.push(f);
  }
  for (const e of live) if (!used.has(e)) result.unusedOrExpired.push({ exception: e, reason: "matches no finding" });
  return result;
}
