/**
 * The policy engine: pod security, workload hygiene, references, GPU scheduling, API
 * versions, secrets and Argo CD isolation, over every rendered cluster and apps/.
 * Rules are small functions grouped by category; see docs/policy.md.
 */
import type { PolicyException } from "../exceptions.js";
import { API_RULES } from "./apis.js";
import { ARGOCD_RULES } from "./argocd.js";
import { APISERVER_RULES } from "./apiserver.js";
import { GPU_RULES } from "./gpu.js";
import { ISOLATION_RULES } from "./isolation.js";
import { POD_SECURITY_RULES } from "./pod-security.js";
import { REFERENCE_RULES } from "./references.js";
import { SECRET_RULES } from "./secrets.js";
import type { ClusterContext, Finding, Hit, Located, PolicyInput, Rule } from "./types.js";
import { WORKLOAD_RULES } from "./workload.js";

export type { AppsContext, AppsRule, ClusterContext, ClusterRule, Finding, Hit, K8sObject, Located, PolicyFolder, PolicyInput, Rule } from "./types.js";
export type { PolicyException } from "../exceptions.js";
export { scanTrackedFiles } from "./secrets.js";
export { expandApplications } from "./argocd.js";
export { loadPolicyInput, readAppsObjects } from "./load.js";

export const RULES: readonly Rule[] = [
  ...POD_SECURITY_RULES,
  ...WORKLOAD_RULES,
  ...REFERENCE_RULES,
  ...GPU_RULES,
  ...API_RULES,
  ...SECRET_RULES,
  ...ARGOCD_RULES,
  ...APISERVER_RULES,
  ...ISOLATION_RULES,
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
    .map(([name, objects]) => ({ fleet: input.fleet, name, spec: input.fleet.clusters.find((c) => c.name === name), objects, apps: input.apps }));
}

function toFinding(rule: Rule, cluster: string, h: Hit): Finding {
  return { rule: rule.id, cluster: h.cluster ?? cluster, tenant: h.tenant, object: h.object, path: h.path, message: h.message, fix: h.fix ?? rule.fix };
}

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function exceptionMatches(e: PolicyException, f: Finding): boolean {
  return e.rule === f.rule && e.object === f.object && (e.cluster === undefined || e.cluster === f.cluster);
}

/** Runs every rule (or `rules`) and applies the exceptions. */
export function runPolicies(input: PolicyInput, exceptions: readonly PolicyException[], today: Date, rules: readonly Rule[] = RULES): PolicyResult {
  const raw: Finding[] = [];
  for (const ctx of clusterContexts(input))
    for (const rule of rules) if (rule.scope === "cluster") raw.push(...rule.check(ctx).map((h) => toFinding(rule, ctx.name, h)));
  for (const rule of rules) if (rule.scope === "apps") raw.push(...rule.check({ fleet: input.fleet, apps: input.apps }).map((h) => toFinding(rule, "", h)));
  return applyExceptions(raw, exceptions, today, rules.length, input.folders.reduce((n, f) => n + f.objects.length, 0) + input.apps.length);
}

/** Splits findings into open and excepted; reports expired, malformed and unused exceptions. */
export function applyExceptions(raw: readonly Finding[], exceptions: readonly PolicyException[], today: Date, rulesRun: number, objectsChecked: number): PolicyResult {
  const day = isoDay(today);
  const result: PolicyResult = { findings: [], excepted: [], unusedOrExpired: [], rulesRun, objectsChecked };
  const live: PolicyException[] = [];
  for (const e of exceptions) {
    if (e.expires !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(e.expires)) result.unusedOrExpired.push({ exception: e, reason: `expires "${e.expires}" is not YYYY-MM-DD` });
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
