/**
 * The health pass of `npm run check`, on top of the wave plan (check/bootstrap/plan.ts):
 * for every cluster and Application, whether each resource becomes Healthy at its wave
 * (model.ts, after Argo CD's health code) and stays Synced (sync.ts), and the plan's
 * verdict per Application: Healthy and Synced, or what it waits for.
 */
import type { ClusterPlan, Part } from "../bootstrap/plan.js";
import type { Obj } from "../policy/util.js";
import { blockers } from "./model.js";
import { dependencies, publishers } from "./dependencies.js";
import { HEALTH_RULES } from "./rules.js";
import { CERTIFICATE_PUBLICATION, CERTIFICATE_SINGLE_OWNER } from "./certificates.js";
import { SYNC_APPS_RULES, SYNC_RULES } from "./sync.js";

export { HEALTH_RULES } from "./rules.js";
export { SYNC_APPS_RULES, SYNC_RULES } from "./sync.js";
export { blockers, type Blocker } from "./model.js";

/** Every rule of the health pass, for BOOTSTRAP_RULES and docs/policy.md. */
export const HEALTH_PASS_RULES: readonly { id: string; description: string; fix: string }[] = [
  ...HEALTH_RULES,
  CERTIFICATE_SINGLE_OWNER,
  CERTIFICATE_PUBLICATION,
  ...SYNC_RULES,
  ...SYNC_APPS_RULES,
];

/** One Application's verdict in the plan: "Healthy, Synced", or what it waits for and why it drifts. */
export function verdict(plan: ClusterPlan, part: Part, apps: readonly Obj[]): string {
  if (part.kind === "eks") return "";
  const own = blockers(plan).filter((b) => b.part === part);
  // What keeps it from Healthy, and what Argo CD reports Healthy although it does not work.
  const waits = [...new Set(own.filter((b) => b.status !== "Healthy").map((b) => b.waitsFor))];
  const unseen = [...new Set(own.filter((b) => b.status === "Healthy").map((b) => b.waitsFor))];
  const drift = [...new Set(SYNC_RULES.flatMap((r) => r.check({ ...plan, parts: [part] }, apps).map(() => r.id)))];
  const list = (what: readonly string[]): string =>
    what.length > 2 ? `${what.slice(0, 2).join(", ")} and ${what.length - 2} more` : what.join(", ");
  const after = [
    ...dependencies(plan, part).map((d) => `${d.from.name} (${list(d.what)})`),
    // A certificate another cluster orders and publishes: this Application waits for that cluster.
    ...publishers(part).map((p) => `${p.cluster} publishes (${list(p.what)})`),
  ].join("; ");
  const health =
    waits.length === 0
      ? `Healthy${after ? ` once ${after}` : ""}${unseen.length > 0 ? `, but never gets ${unseen.join("; ")}` : ""}`
      : `waits for ${waits.join("; ")}`;
  const sync = drift.length === 0 ? "Synced" : `OutOfSync (${drift.join(", ")})`;
  return `${sync}, ${health}`;
}
