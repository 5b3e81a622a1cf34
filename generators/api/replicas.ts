/**
 * What a tenant's scaling spec means for replica counts: who owns spec.replicas and its
 * bounds per environment. Pure readings of the API, shared by validation, the builders
 * and the layout.
 */
import type { Env } from "../fleet/fleet.js";
import type { AppSpec, AutoScaling } from "./tenant.js";
import { forEnv } from "./per-env.js";

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
