/** Per-environment namespace budget: a ResourceQuota and the LimitRange that fills in container defaults. */
import { LimitRange } from "kubernetes-models/v1/LimitRange";
import { ResourceQuota } from "kubernetes-models/v1/ResourceQuota";
import type { Env } from "../fleet/fleet.js";
import { LIMIT_RANGE_DEFAULTS } from "../fleet/constants.js";
import type { TenantSpec } from "../api/tenant.js";
import { forEnv } from "../api/per-env.js";
import type { KubeObject } from "./object.js";
import { tenantLabels, tenantNamespace } from "./labels.js";

export const QUOTA_DEFAULTS = LIMIT_RANGE_DEFAULTS;

export function buildQuota(tenant: TenantSpec, env: Env): KubeObject[] {
  if (!tenant.quota) return [];
  const q = forEnv(tenant.quota, env);
  const namespace = tenantNamespace(tenant);
  const labels = tenantLabels(tenant);
  const hard: Record<string, string> = {
    "requests.cpu": q.requests.cpu,
    "requests.memory": q.requests.memory,
    "limits.memory": q.limits.memory,
  };
  if (q.limits.cpu !== undefined) hard["limits.cpu"] = q.limits.cpu;
  if (q.pods !== undefined) hard.pods = String(q.pods);
  if (q.persistentVolumeClaims !== undefined) hard.persistentvolumeclaims = String(q.persistentVolumeClaims);
  if (q.storage !== undefined) hard["requests.storage"] = q.storage;
  const defaults = q.containerDefaults ?? QUOTA_DEFAULTS;
  return [
    new ResourceQuota({ metadata: { name: tenant.name, namespace, labels }, spec: { hard } }),
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
  ];
}
