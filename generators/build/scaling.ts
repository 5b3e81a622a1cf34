/** Per-environment scaling objects: HPAs and PodDisruptionBudgets (KEDA ScaledObjects: keda.ts). */
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { IMetricSpec } from "kubernetes-models/autoscaling/v2";
import type { Env } from "../fleet/fleet.js";
import type { AppSpec, AutoScaling, TenantSpec } from "../api/tenant.js";
import { forEnv } from "../api/per-env.js";
import type { KubeObject } from "./object.js";
import { appLabels, selectorLabels, tenantNamespace } from "./labels.js";

/** True when an autoscaler (an HPA, or KEDA's HPA) owns spec.replicas. */
export function isAutoscaled(app: AppSpec): boolean {
  return hasHpa(app) || app.scaling.keda !== undefined;
}

/** True when the app gets our own HorizontalPodAutoscaler. */
export function hasHpa(app: AppSpec): app is AppSpec & { scaling: AutoScaling } {
  return app.scaling.autoscale !== undefined;
}

/** The most replicas the app may run with in an environment. */
export function maxReplicas(app: AppSpec, env: Env): number {
  const s = app.scaling;
  if (s.autoscale !== undefined) return forEnv(s.autoscale.max, env);
  if (s.keda !== undefined) return forEnv(s.keda.max, env);
  return forEnv(s.replicas, env);
}

/** The fewest replicas the app runs with in an environment. */
export function minReplicas(app: AppSpec, env: Env): number {
  const s = app.scaling;
  if (s.autoscale !== undefined) return forEnv(s.autoscale.min, env);
  if (s.keda !== undefined) return forEnv(s.keda.min, env);
  return forEnv(s.replicas, env);
}

function metrics(a: AutoScaling["autoscale"]): IMetricSpec[] {
  const out: IMetricSpec[] = [];
  const hasOther = a.memoryUtilization !== undefined || (a.podMetrics ?? []).length > 0;
  const cpu = a.cpuUtilization ?? (hasOther ? undefined : 70);
  if (cpu !== undefined) out.push({ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: cpu } } });
  if (a.memoryUtilization !== undefined) {
    out.push({ type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: a.memoryUtilization } } });
  }
  for (const m of a.podMetrics ?? []) {
    out.push({ type: "Pods", pods: { metric: { name: m.metric }, target: { type: "AverageValue", averageValue: m.averageValue } } });
  }
  return out;
}

/** HPA `behavior` from stabilization windows; undefined when none is set (Kubernetes' defaults apply). */
export function stabilizationBehavior(s: { up?: number; down?: number } | undefined): { behavior: NonNullable<HorizontalPodAutoscaler["spec"]>["behavior"] } | undefined {
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
