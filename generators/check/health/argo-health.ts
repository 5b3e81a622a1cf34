/**
 * Argo CD's built-in health of the kinds whose verdict the simulation predicts from a
 * status it derives, ported from gitops-engine pkg/health (cases from its testdata in
 * test/health/argo-health.test.ts).
 */

export type ArgoHealth = "Healthy" | "Progressing" | "Degraded" | "Suspended" | "Missing" | "Unknown";

export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
}

/** gitops-engine pkg/health/health_hpa.go isDegraded: the (type, reason) pairs that make an HPA Degraded. */
const HPA_DEGRADED: readonly { type: string; reason: string }[] = [
  { type: "AbleToScale", reason: "FailedGetScale" },
  { type: "AbleToScale", reason: "FailedUpdateScale" },
  { type: "ScalingActive", reason: "FailedGetResourceMetric" },
  { type: "ScalingActive", reason: "InvalidSelector" },
];

/**
 * gitops-engine pkg/health/health_hpa.go checkConditions: the first condition, in status
 * order, that is Degraded or Healthy (AbleToScale or ScalingLimited True) decides; none
 * is Progressing.
 */
export function hpaHealth(conditions: readonly Condition[]): { status: ArgoHealth; message?: string } {
  for (const c of conditions) {
    if (HPA_DEGRADED.some((d) => d.type === c.type && d.reason === c.reason)) return { status: "Degraded", message: c.message };
    if ((c.type === "AbleToScale" || c.type === "ScalingLimited") && c.status === "True") return { status: "Healthy", message: c.message };
  }
  return { status: "Progressing", message: "Waiting to Autoscale" };
}

/**
 * The conditions the HPA controller sets when one Pods metric cannot be fetched
 * (kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go reconcileAutoscaler:
 * AbleToScale is set first, from the scale subresource; then computeReplicasForMetrics sets
 * ScalingActive False with reason FailedGet<Type>Metric).
 */
export function hpaConditionsWithFailedMetric(type: "Pods" | "Object" | "External" | "Resource"): Condition[] {
  return [
    {
      type: "AbleToScale",
      status: "True",
      reason: "SucceededGetScale",
      message: "the HPA controller was able to get the target's current scale",
    },
    {
      type: "ScalingActive",
      status: "False",
      reason: `FailedGet${type}Metric`,
      message: `the HPA was unable to compute the replica count`,
    },
  ];
}
