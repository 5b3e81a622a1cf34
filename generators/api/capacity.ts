/**
 * What one pod asks of its node and of its namespace's ResourceQuota, computed the way
 * Kubernetes computes it: kubernetes/kubernetes
 * staging/src/k8s.io/component-helpers/resource/helpers.go PodRequests and PodLimits
 * (used by the scheduler and by the quota evaluator, pkg/quota/v1/evaluator/core/pods.go):
 * the app containers plus the restartable init containers (sidecars, restartPolicy Always)
 * summed, or, when larger, each ordinary init container plus the sidecars started before it.
 * A missing request takes the limit, as the API server defaults it. The one capacity model:
 * validation sizes quotas from the tenant specs with it (api/validate/quota.ts) and the
 * report sums rendered pods with it (report/resources.ts).
 */
import { quantityValue } from "../rules/quantity.js";

/** Resource name -> amount in base units (cores, bytes, devices). */
export type Amounts = Readonly<Record<string, number>>;

/** The parts of a container the sums read; rendered objects and spec-built pods both fit. */
export interface ContainerShape {
  readonly resources?: { readonly requests?: Readonly<Record<string, unknown>>; readonly limits?: Readonly<Record<string, unknown>> };
  /** "Always" on an init container makes it a sidecar. */
  readonly restartPolicy?: unknown;
}

export interface PodShape {
  readonly containers?: readonly ContainerShape[];
  readonly initContainers?: readonly ContainerShape[];
}

export const NONE: Amounts = {};

function amount(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v !== "string") return 0;
  const n = quantityValue(v);
  return Number.isNaN(n) ? 0 : n;
}

export function sum(a: Amounts, b: Amounts): Amounts {
  const out: Record<string, number> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

export function times(a: Amounts, n: number): Amounts {
  return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v * n]));
}

function peak(a: Amounts, b: Amounts): Amounts {
  const out: Record<string, number> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = Math.max(out[k] ?? 0, v);
  return out;
}

/** A container's requests (a limit stands in for a missing request) or limits. */
export function containerAmounts(c: ContainerShape, which: "requests" | "limits"): Amounts {
  const req = c.resources?.requests ?? {};
  const lim = c.resources?.limits ?? {};
  const names = which === "limits" ? Object.keys(lim) : [...new Set([...Object.keys(req), ...Object.keys(lim)])];
  return Object.fromEntries(names.map((k) => [k, amount(which === "limits" ? lim[k] : (req[k] ?? lim[k]))]));
}

/**
 * PodRequests (or PodLimits): `injected` is what admission adds before the init containers
 * start (Istio's proxy as a native sidecar), counted like a sidecar.
 */
export function podAmounts(pod: PodShape, which: "requests" | "limits", injected: Amounts = NONE): Amounts {
  let sidecars = injected;
  let initPeak = NONE;
  for (const c of pod.initContainers ?? []) {
    const r = containerAmounts(c, which);
    if (c.restartPolicy === "Always") sidecars = sum(sidecars, r);
    else initPeak = peak(initPeak, sum(r, sidecars));
  }
  const apps = (pod.containers ?? []).reduce((acc, c) => sum(acc, containerAmounts(c, which)), NONE);
  return peak(sum(apps, sidecars), initPeak);
}
