/** Per-environment scaling objects: HPAs and PodDisruptionBudgets (KEDA ScaledObjects: keda.ts). */
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { IMetricSpec } from "kubernetes-models/autoscaling/v2";
import type { Env } from "../fleet/fleet.js";
import type { AppSpec, AutoScaling, TenantSpec } from "../api/tenant.js";
import { forEnv } from "../api/per-env.js";
import { hasHpa, isAutoscaled, minReplicas } from "../api/replicas.js";
import type { KubeObject } from "./object.js";
import { appLabels, selectorLabels, tenantNamespace } from "./labels.js";

function metrics(a: AutoScaling["autoscale"]): IMetricSpec[] {
  const out: IMetricSpec[] = [];
  const hasOther = a.memoryUtilization !== undefined || (a.podMetrics ?? []).length > 0;
  const cpu = a.cpuUtilization ?? (hasOther ? undefined : 70);
  if (cpu !== undefined)
    out.push({ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: cpu } } });
  if (a.memoryUtilization !== undefined) {
    out.push({ type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: a.memoryUtilization } } });
  }
  for (const m of a.podMetrics ?? []) {
    out.push({ type: "Pods", pods: { metric: { name: m.metric }, target: { type: "AverageValue", averageValue: m.averageValue } } });
  }
  return out;
}

/** HPA `behavior` from stabilization windows; undefined when none is set (Kubernetes' defaults apply). */
export function stabilizationBehavior(
  s: { up?: number; down?: number } | undefined,
): { behavior: NonNullable<HorizontalPodAutoscaler["spec"]>["behavior"] } | undefined {
  if (s?.up === undefined && s?.down === undefined) return undefined;
  return {
    behavior: {
      ...(s.up !== undefined ? { scaleUp: { stabilizationWindowSeconds: s.up } } : {}),
      ...(s.down !== undefined ? { scaleDown: { stabilizationWindowSeconds: s.down } } : {}),
    },
  };
}

/** What an autoscaler (HPA, VPA, KEDA) points at. */
export function scaleTargetRef(app: AppSpec): { apiVersion: string; kind: string; name: string } {
  return { apiVersion: "apps/v1", kind: app.kind ?? "Deployment", name: app.name };
}

export function buildHpa(tenant: TenantSpec, app: AppSpec, env: Env): KubeObject[] {
  if (!hasHpa(app)) return [];
  const a = app.scaling.autoscale;
  return [
    new HorizontalPodAutoscaler({
      metadata: { name: app.name, namespace: tenantNamespace(tenant), labels: appLabels(tenant, app) },
      spec: {
        scaleTargetRef: scaleTargetRef(app),
        minReplicas: forEnv(a.min, env),
        maxReplicas: forEnv(a.max, env),
        metrics: metrics(a),
        ...stabilizationBehavior(a.stabilization),
      },
    }),
  ];
}

/**
 * A PDB wherever more than one replica runs. maxUnavailable 1 never blocks every
 * eviction, and keeps a majority up for quorum systems of three or more.
 */
export function buildPdb(tenant: TenantSpec, app: AppSpec, env: Env): KubeObject[] {
  if (minReplicas(app, env) < 2) return [];
  return [
    new PodDisruptionBudget({
      metadata: { name: app.name, namespace: tenantNamespace(tenant), labels: appLabels(tenant, app) },
      spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(tenant, app) } },
    }),
  ];
}

/** One kustomize `replicas:` entry: the fixed count of a workload the overlay scales. */
export interface ReplicaCount {
  name: string;
  count: number;
}

/**
 * The fixed replica count of every app without an autoscaler in an environment (an HPA or a
 * ScaledObject owns the count of the others). The layout writes them as the overlay's `replicas:`.
 */
export function buildReplicaCounts(tenant: TenantSpec, env: Env): ReplicaCount[] {
  return tenant.apps
    .filter((a) => !isAutoscaled(a))
    .map((a) => ({ name: a.name, count: a.scaling.replicas !== undefined ? forEnv(a.scaling.replicas, env) : 1 }));
}
