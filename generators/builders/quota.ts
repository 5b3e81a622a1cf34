/**
 * Per-environment namespace budgets, for every application tenant:
 *
 * - a ResourceQuota `<tenant>` with `requests.nvidia.com/gpu` sized from the tenant's own apps
 *   (derived: every GPU app at its maximum replicas plus its rolling-update surge), so one
 *   tenant cannot drain the shared GPU pool, plus the CPU, memory and count limits the tenant
 *   declares in `quota` (and then the LimitRange that fills in container defaults);
 * - a ResourceQuota `<tenant>-system-priority` scoped to the system PriorityClasses with
 *   `pods: 0`: no pod of the namespace may use them (kubernetes.io/docs/concepts/policy/resource-quotas,
 *   "Resource Quota Per PriorityClass"; a scoped quota counts only the pods its scopeSelector
 *   selects, and a pod that would exceed `hard` is refused at admission);
 *
 * and the fleet's own PriorityClasses (fleet/constants.ts PRIORITY_CLASSES), the only ones
 * the priority-classes guardrail (builders/admission.ts) lets a tenant pod name.
 */
import { LimitRange } from "kubernetes-models/v1/LimitRange";
import { ResourceQuota } from "kubernetes-models/v1/ResourceQuota";
import { PriorityClass } from "kubernetes-models/scheduling.k8s.io/v1/PriorityClass";
import { GPU_RESOURCE, LABELS, MANAGED_BY, PLATFORM_TENANT, PRIORITY_CLASSES, SYSTEM_PRIORITY_CLASSES } from "../fleet/constants.js";
import type { Env } from "../fleet/fleet.js";
import { LIMIT_RANGE_DEFAULTS } from "../fleet/constants.js";
import type { AppSpec, TenantSpec } from "../api/tenant.js";
import { forEnv } from "../api/per-env.js";
import { maxReplicas } from "../api/replicas.js";
import type { KubeObject } from "./object.js";
import { tenantLabels, tenantNamespace } from "./labels.js";

export const QUOTA_DEFAULTS = LIMIT_RANGE_DEFAULTS;

/**
 * Extra pods a Deployment's rolling update may create above its replicas: maxSurge, a count or
 * a percentage rounded up (kubernetes/kubernetes pkg/controller/deployment/util/deployment_util.go
 * ResolveFenceposts). StatefulSets replace pods in place and never surge.
 */
export function rolloutSurge(app: AppSpec, replicas: number): number {
  if (app.kind === "StatefulSet") return 0;
  const surge = app.rollout?.maxSurge ?? "25%";
  if (typeof surge === "number") return surge;
  const pct = /^(\d+)%$/.exec(surge);
  if (!pct) throw new Error(`internal: ${app.name}: maxSurge ${surge} is neither a count nor a percentage`);
  return Math.ceil((replicas * Number(pct[1])) / 100);
}

/** GPUs the tenant's pods request at most in an environment: every GPU app at its maximum replicas, surge included. */
export function gpuBudget(tenant: TenantSpec, env: Env): number {
  return tenant.apps.reduce((sum, app) => {
    const gpus = app.gpus ?? 0;
    if (gpus === 0) return sum;
    const n = maxReplicas(app, env);
    return sum + gpus * (n + rolloutSurge(app, n));
  }, 0);
}

export function buildQuota(tenant: TenantSpec, env: Env): KubeObject[] {
  const namespace = tenantNamespace(tenant);
  const labels = tenantLabels(tenant);
  // Extended resources are quota'd by request only (they cannot be overcommitted).
  const hard: Record<string, string> = { [`requests.${GPU_RESOURCE}`]: String(gpuBudget(tenant, env)) };
  const q = tenant.quota ? forEnv(tenant.quota, env) : undefined;
  if (q) {
    hard["requests.cpu"] = q.requests.cpu;
    hard["requests.memory"] = q.requests.memory;
    hard["limits.memory"] = q.limits.memory;
    if (q.limits.cpu !== undefined) hard["limits.cpu"] = q.limits.cpu;
    if (q.pods !== undefined) hard.pods = String(q.pods);
    if (q.persistentVolumeClaims !== undefined) hard.persistentvolumeclaims = String(q.persistentVolumeClaims);
    if (q.storage !== undefined) hard["requests.storage"] = q.storage;
  }
  const objects: KubeObject[] = [
    new ResourceQuota({ metadata: { name: tenant.name, namespace, labels }, spec: { hard } }),
    new ResourceQuota({
      metadata: { name: `${tenant.name}-system-priority`, namespace, labels },
      spec: {
        hard: { pods: "0" },
        scopeSelector: { matchExpressions: [{ scopeName: "PriorityClass", operator: "In", values: [...SYSTEM_PRIORITY_CLASSES] }] },
      },
    }),
  ];
  if (!q) return objects;
  const defaults = q.containerDefaults ?? QUOTA_DEFAULTS;
  objects.push(
    new LimitRange({
      metadata: { name: tenant.name, namespace, labels },
      spec: {
        limits: [
          {
            type: "Container",
            // A quota on limits.cpu rejects pods without a CPU limit; the default fills it in.
            defaultRequest: { ...defaults.requests },
            default: { ...defaults.limits },
            ...(q.containerMax ? { max: { ...q.containerMax } } : {}),
          },
        ],
      },
    }),
  );
  return objects;
}

/** The fleet's PriorityClasses, cluster-scoped objects of the platform. */
export function buildPriorityClasses(): KubeObject[] {
  const labels = { [LABELS.partOf]: PLATFORM_TENANT, [LABELS.managedBy]: MANAGED_BY, [LABELS.tenant]: PLATFORM_TENANT };
  return Object.values(PRIORITY_CLASSES).map(
    (c) =>
      new PriorityClass({
        metadata: { name: c.name, labels },
        value: c.value,
        preemptionPolicy: c.preemptionPolicy,
        globalDefault: false,
        description: "A tenant priority class of the fleet (generators/fleet/constants.ts PRIORITY_CLASSES).",
      }),
  );
}
