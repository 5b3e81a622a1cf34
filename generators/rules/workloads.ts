/**
 * Fields of Deployments, Jobs, CronJobs and HorizontalPodAutoscalers as the API server
 * validates them.
 *
 * References (kubernetes/kubernetes):
 * - pkg/apis/apps/validation/validation.go ValidateRollingUpdateDeployment (maxSurge and
 *   maxUnavailable: a non-negative int or a percent string; maxUnavailable at most 100%;
 *   not both 0), ValidateDeploymentSpec (revisionHistoryLimit >= 0), and
 *   pkg/apis/core/validation/validation.go ValidatePositiveIntOrPercent,
 *   IsNotMoreThan100Percent; kubernetes/apimachinery pkg/util/validation IsValidPercent.
 * - pkg/apis/batch/validation/validation.go validateJobSpec (parallelism, completions,
 *   backoffLimit, ttlSecondsAfterFinished non-negative; activeDeadlineSeconds positive),
 *   ValidateCronJobSpec (concurrencyPolicy Allow|Forbid|Replace, startingDeadlineSeconds and
 *   history limits non-negative, timeZone an IANA name).
 * - pkg/apis/autoscaling/validation/validation.go validateBehavior
 *   (MaxStabilizationWindowSeconds 3600, MaxPeriodSeconds 1800, policy type Pods|Percent,
 *   value > 0, selectPolicy Max|Min|Disabled), ValidateHorizontalPodAutoscalerSpec
 *   (minReplicas >= 1, maxReplicas >= minReplicas), validateMetricTarget
 *   (averageUtilization > 0).
 */

/** autoscaling validation's MaxStabilizationWindowSeconds. */
export const MAX_STABILIZATION_WINDOW_SECONDS = 3600;
/** autoscaling validation's MaxPeriodSeconds. */
export const MAX_POLICY_PERIOD_SECONDS = 1800;
const MAX_INT32 = 2147483647;

const PERCENT = /^[0-9]+%$/;

/** One problem of an intstr field: `field` is relative ("maxSurge"). */
export interface FieldProblem {
  field: string;
  value: unknown;
  message: string;
}

function intOrPercent(field: string, v: unknown, out: FieldProblem[]): number | undefined {
  if (typeof v === "number") {
    if (!Number.isInteger(v)) out.push({ field, value: v, message: 'must be a whole number or a percent string such as "25%"' });
    else if (v < 0) out.push({ field, value: v, message: "must be greater than or equal to 0" });
    return undefined;
  }
  if (typeof v === "string") {
    if (!PERCENT.test(v)) {
      out.push({
        field,
        value: v,
        message: "a valid percent string must be a numeric string followed by an ending '%' (e.g. '25%'); write a count as a number",
      });
      return undefined;
    }
    return Number(v.slice(0, -1));
  }
  return undefined;
}

const isZero = (v: unknown): boolean => v === 0 || v === "0%";

/** ValidateRollingUpdateDeployment. */
export function rollingUpdateProblems(maxSurge: unknown, maxUnavailable: unknown): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (maxSurge !== undefined) intOrPercent("maxSurge", maxSurge, out);
  if (maxUnavailable !== undefined) {
    const pct = intOrPercent("maxUnavailable", maxUnavailable, out);
    if (pct !== undefined && pct > 100)
      out.push({ field: "maxUnavailable", value: maxUnavailable, message: "must not be greater than 100%" });
  }
  if (maxSurge !== undefined && maxUnavailable !== undefined && isZero(maxSurge) && isZero(maxUnavailable))
    out.push({
      field: "maxUnavailable",
      value: maxUnavailable,
      message: "may not be 0 when `maxSurge` is 0: the rollout could never make progress; allow a surge or one unavailable pod",
    });
  return out;
}

function wholeAtLeast(field: string, v: unknown, min: number, out: FieldProblem[], max = MAX_INT32): void {
  if (v === undefined) return;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max)
    out.push({
      field,
      value: v,
      message: max >= MAX_INT32 ? `must be a whole number greater than or equal to ${min}` : `must be a whole number from ${min} to ${max}`,
    });
}

/** validateJobSpec's numeric fields. */
export function jobSpecProblems(spec: {
  parallelism?: unknown;
  completions?: unknown;
  backoffLimit?: unknown;
  activeDeadlineSeconds?: unknown;
  ttlSecondsAfterFinished?: unknown;
}): FieldProblem[] {
  const out: FieldProblem[] = [];
  wholeAtLeast("parallelism", spec.parallelism, 0, out);
  wholeAtLeast("completions", spec.completions, 0, out);
  wholeAtLeast("backoffLimit", spec.backoffLimit, 0, out);
  wholeAtLeast("activeDeadlineSeconds", spec.activeDeadlineSeconds, 1, out, Number.MAX_SAFE_INTEGER);
  wholeAtLeast("ttlSecondsAfterFinished", spec.ttlSecondsAfterFinished, 0, out);
  return out;
}

export const CONCURRENCY_POLICIES: readonly string[] = ["Allow", "Forbid", "Replace"];

/** ValidateCronJobSpec's fields other than the schedule (rules/cron.ts). */
export function cronJobSpecProblems(spec: {
  concurrencyPolicy?: unknown;
  startingDeadlineSeconds?: unknown;
  successfulJobsHistoryLimit?: unknown;
  failedJobsHistoryLimit?: unknown;
  timeZone?: unknown;
}): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (spec.concurrencyPolicy !== undefined && !CONCURRENCY_POLICIES.includes(String(spec.concurrencyPolicy)))
    out.push({
      field: "concurrencyPolicy",
      value: spec.concurrencyPolicy,
      message: `supported values: ${CONCURRENCY_POLICIES.map((p) => `"${p}"`).join(", ")}`,
    });
  wholeAtLeast("startingDeadlineSeconds", spec.startingDeadlineSeconds, 0, out, Number.MAX_SAFE_INTEGER);
  wholeAtLeast("successfulJobsHistoryLimit", spec.successfulJobsHistoryLimit, 0, out);
  wholeAtLeast("failedJobsHistoryLimit", spec.failedJobsHistoryLimit, 0, out);
  if (spec.timeZone !== undefined) {
    const p = timeZoneProblem(String(spec.timeZone));
    if (p) out.push({ field: "timeZone", value: spec.timeZone, message: p });
  }
  return out;
}

/** validateTimeZone: an IANA name the tz database knows (Go's time.LoadLocation); "Local" is refused. */
export function timeZoneProblem(tz: string): string | undefined {
  if (tz === "" || tz === "Local" || /\s/.test(tz)) return 'unknown time zone; use an IANA name such as "Etc/UTC" or "Europe/Dublin"';
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return undefined;
  } catch {
    return `unknown time zone ${tz}; use an IANA name such as "Etc/UTC" or "Europe/Dublin"`;
  }
}

export const SELECT_POLICIES: readonly string[] = ["Max", "Min", "Disabled"];
export const POLICY_TYPES: readonly string[] = ["Pods", "Percent"];

interface ScalingRules {
  stabilizationWindowSeconds?: unknown;
  selectPolicy?: unknown;
  policies?: readonly { type?: unknown; value?: unknown; periodSeconds?: unknown }[];
}

/** validateScalingRules for one direction ("scaleUp" / "scaleDown"). */
export function scalingRulesProblems(direction: string, rules: ScalingRules): FieldProblem[] {
  const out: FieldProblem[] = [];
  wholeAtLeast(`${direction}.stabilizationWindowSeconds`, rules.stabilizationWindowSeconds, 0, out, MAX_STABILIZATION_WINDOW_SECONDS);
  if (rules.selectPolicy !== undefined && !SELECT_POLICIES.includes(String(rules.selectPolicy)))
    out.push({ field: `${direction}.selectPolicy`, value: rules.selectPolicy, message: `supported values: ${SELECT_POLICIES.join(", ")}` });
  (rules.policies ?? []).forEach((p, i) => {
    const f = `${direction}.policies[${i}]`;
    if (!POLICY_TYPES.includes(String(p.type)))
      out.push({ field: `${f}.type`, value: p.type, message: `supported values: ${POLICY_TYPES.join(", ")}` });
    wholeAtLeast(`${f}.value`, p.value, 1, out);
    wholeAtLeast(`${f}.periodSeconds`, p.periodSeconds, 1, out, MAX_POLICY_PERIOD_SECONDS);
  });
  return out;
}

/** ValidateHorizontalPodAutoscalerSpec's replica bounds. */
export function hpaBoundsProblems(minReplicas: unknown, maxReplicas: unknown): FieldProblem[] {
  const out: FieldProblem[] = [];
  wholeAtLeast("minReplicas", minReplicas, 1, out);
  wholeAtLeast("maxReplicas", maxReplicas, 1, out);
  if (typeof minReplicas === "number" && typeof maxReplicas === "number" && maxReplicas < minReplicas)
    out.push({ field: "maxReplicas", value: maxReplicas, message: `must be greater than or equal to minReplicas (${minReplicas})` });
  return out;
}

/** validateMetricTarget: averageUtilization is a whole percentage above 0. */
export function utilizationProblem(v: unknown): string | undefined {
  return typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > MAX_INT32 ? "must be a whole percentage greater than 0" : undefined;
}
