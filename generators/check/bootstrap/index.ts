/**
 * The bootstrap-closure pass of `npm run check`: per cluster, the sync from empty, wave
 * by wave (plan.ts), and every object whose prerequisite is not provided strictly earlier
 * (rules.ts), plus the Argo CD mechanics the plan relies on (argo.ts). A pure function of
 * the rendered folders, the objects under apps/, the fleet model and the add-on catalog.
 */
import type { Finding } from "../finding.js";
import type { Obj } from "../policy/util.js";
import { APPS_RULES, PLAN_RULES } from "./argocd-mechanics.js";
import { buildPlans, EKS_WAVE, managementPlan, type BootstrapInput, type ClusterPlan } from "./plan.js";
import { CLUSTER_RULES, type BootstrapHit } from "./rules.js";
import { HEALTH_PASS_RULES, HEALTH_RULES, SYNC_APPS_RULES, SYNC_RULES, verdict } from "../health/index.js";
import { type ClusterCertificates, clusterCertificates, fleetCertificateFindings } from "../health/certificates.js";

export type { BootstrapInput, ClusterPlan, Part } from "./plan.js";
export { buildPlans } from "./plan.js";

/** Every rule of the pass, for the report's rule count and docs/policy.md. */
export const BOOTSTRAP_RULES: readonly { id: string; description: string; fix: string }[] = [
  ...CLUSTER_RULES,
  ...PLAN_RULES,
  ...APPS_RULES,
  ...HEALTH_PASS_RULES,
];

export interface BootstrapResult {
  findings: Finding[];
  plans: ClusterPlan[];
  /** The root's waves on the Argo CD cluster itself (projects, Argo CD's configuration). */
  management: { wave: number; names: string[] }[];
}

function finding(rule: { id: string; fix: string }, cluster: string, h: BootstrapHit): Finding {
  return { rule: rule.id, cluster, tenant: h.part, object: h.object, path: h.path, message: h.message, fix: h.fix ?? rule.fix };
}

/** The per-cluster rules over the plans of `clusters` (default: every cluster). */
export function runClusterBootstrap(
  input: BootstrapInput,
  clusters?: readonly string[],
): Pick<BootstrapResult, "findings" | "plans"> & { certificates: ClusterCertificates[] } {
  const plans = buildPlans(input, clusters);
  const apps = input.apps as readonly Obj[];
  const findings: Finding[] = [];
  for (const plan of plans) {
    for (const rule of CLUSTER_RULES) findings.push(...rule.check(plan).map((h) => finding(rule, plan.cluster, h)));
    for (const rule of PLAN_RULES) findings.push(...rule.check(plan, apps).map((h) => finding(rule, plan.cluster, h)));
    for (const rule of HEALTH_RULES) findings.push(...rule.check(plan).map((h) => finding(rule, plan.cluster, h)));
    for (const rule of SYNC_RULES) findings.push(...rule.check(plan, apps).map((h) => finding(rule, plan.cluster, h)));
  }
  // What each cluster orders and publishes, for the fleet-wide certificate rules (fleetCertificateFindings).
  return { findings, plans, certificates: plans.map(clusterCertificates) };
}

/** The apps-wide rules and the Argo CD cluster's own waves: once per check, whatever the fleet's size. */
export function runAppsBootstrap(apps: readonly Record<string, unknown>[]): Pick<BootstrapResult, "findings" | "management"> {
  const objects = apps as readonly Obj[];
  return {
    findings: [...APPS_RULES, ...SYNC_APPS_RULES].flatMap((rule) => rule.check(objects).map((h) => finding(rule, "apps", h))),
    management: managementPlan(objects),
  };
}

/** Runs the whole pass; `clusters` limits the per-cluster rules (the apps-wide rules always run). */
export function runBootstrap(input: BootstrapInput, clusters?: readonly string[]): BootstrapResult {
  const perCluster = runClusterBootstrap(input, clusters);
  const appsWide = runAppsBootstrap(input.apps);
  return {
    findings: [...perCluster.findings, ...fleetCertificateFindings(perCluster.certificates), ...appsWide.findings],
    plans: perCluster.plans,
    management: appsWide.management,
  };
}

/** The Argo CD cluster's own waves, as `--plan` prints them. */
export function formatManagement(management: BootstrapResult["management"]): string[] {
  if (management.length === 0) return [];
  return [
    "in-cluster (Argo CD)",
    ...management.map(
      (m) =>
        `  ${String(m.wave).padStart(4)}  ${m.names.length > 3 ? `${m.names.slice(0, 3).join(", ")} and ${m.names.length - 3} more` : m.names.join(", ")}`,
    ),
  ];
}

/**
 * One cluster's waves, one Application per line, each with its verdict: Healthy (or what it
 * waits for) at its wave, and Synced (or why it drifts) after it, as `--plan` prints them.
 */
export function formatPlan(plan: ClusterPlan, apps: readonly Record<string, unknown>[] = []): string[] {
  const lines = [
    `${plan.cluster}${plan.spec ? ` (${plan.spec.env}, ${plan.spec.region}, Kubernetes ${plan.spec.kubernetesVersion})` : ""}`,
  ];
  const width = Math.max(...plan.parts.map((p) => `${p.name} [${p.kind}]`.length));
  for (const w of [...new Set(plan.parts.map((p) => p.wave))]) {
    const parts = plan.parts.filter((p) => p.wave === w);
    const label = w === EKS_WAVE ? "eks" : String(w);
    parts.forEach((p, i) => {
      const head = i === 0 ? label.padStart(4) : "    ";
      if (p.kind === "eks") lines.push(`  ${head}  ${p.summary ?? "EKS"}`);
      else lines.push(`  ${head}  ${`${p.name} [${p.kind}]`.padEnd(width)}  ${verdict(plan, p, apps as readonly Obj[])}`);
    });
  }
  return lines;
}

/** `npm run check -- --plan`: the Argo CD cluster's own waves, then each cluster's waves and what arrives in each. */
export function formatPlans(
  plans: readonly ClusterPlan[],
  management: BootstrapResult["management"] = [],
  apps: readonly Record<string, unknown>[] = [],
): string {
  return `${[...formatManagement(management), ...plans.flatMap((p) => formatPlan(p, apps))].join("\n")}\n`;
}
