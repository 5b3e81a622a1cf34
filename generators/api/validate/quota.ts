/** Whether a tenant's apps fit the quota it declares. */
import { ENVIRONMENTS } from "../../fleet/fleet.js";
import { ISTIO_SIDECAR_DEFAULTS, JOB_STEP_DEFAULT_RESOURCES } from "../../fleet/constants.js";
import type { ResourcesSpec, TenantSpec } from "../tenant.js";
import { forEnv } from "../per-env.js";
import { maxReplicas } from "../replicas.js";
import { quantityValue } from "../../rules/quantity.js";
import type { Collector } from "./collector.js";

/**
 * A quota smaller than the apps at their scaling maximum silently caps the HPAs:
 * the ReplicaSet cannot create the pods the HPA asks for. Sidecars count too.
 */
export function checkQuotaFits(c: Collector, tenant: TenantSpec): void {
  if (!tenant.quota) return;
  const sidecar = tenant.mesh ? (tenant.mesh.sidecarResources ?? ISTIO_SIDECAR_DEFAULTS) : undefined;
  for (const env of ENVIRONMENTS) {
    const q = forEnv(tenant.quota, env);
    const need = { "requests.cpu": 0, "requests.memory": 0, "limits.cpu": 0, "limits.memory": 0, pods: 0 };
    for (const app of tenant.apps) {
      const n = maxReplicas(app, env);
      const r = forEnv(app.resources, env);
      need["requests.cpu"] += n * (quantityValue(r.requests.cpu) + quantityValue(sidecar?.requests.cpu ?? "0"));
      need["requests.memory"] += n * (quantityValue(r.requests.memory) + quantityValue(sidecar?.requests.memory ?? "0"));
      need["limits.cpu"] += n * (quantityValue(r.limits.cpu ?? r.requests.cpu) + quantityValue(sidecar?.limits.cpu ?? "0"));
      need["limits.memory"] += n * (quantityValue(r.limits.memory) + quantityValue(sidecar?.limits.memory ?? "0"));
      need.pods += n;
    }
    // Jobs and CronJobs (concurrencyPolicy Forbid): one pod each at a time; its steps run one after another.
    for (const job of tenant.jobs ?? []) {
      const steps: ResourcesSpec[] = job.steps.map((st) => st.resources ?? JOB_STEP_DEFAULT_RESOURCES);
      const most = (pick: (r: (typeof steps)[number]) => string | undefined): number =>
        Math.max(0, ...steps.map((r) => quantityValue(pick(r) ?? "0")));
      need["requests.cpu"] += most((r) => r.requests.cpu) + quantityValue(sidecar?.requests.cpu ?? "0");
      need["requests.memory"] += most((r) => r.requests.memory) + quantityValue(sidecar?.requests.memory ?? "0");
      need["limits.cpu"] += most((r) => r.limits.cpu ?? r.requests.cpu) + quantityValue(sidecar?.limits.cpu ?? "0");
      need["limits.memory"] += most((r) => r.limits.memory) + quantityValue(sidecar?.limits.memory ?? "0");
      need.pods += 1;
    }
    const have: Record<keyof typeof need, string | undefined> = {
      "requests.cpu": q.requests.cpu,
      "requests.memory": q.requests.memory,
      "limits.cpu": q.limits.cpu,
      "limits.memory": q.limits.memory,
      pods: q.pods === undefined ? undefined : String(q.pods),
    };
    for (const key of Object.keys(need) as (keyof typeof need)[]) {
      const h = have[key];
      if (h === undefined) continue;
      const needed = need[key];
      if (quantityValue(h) < needed * 0.9999) {
        const shown = key.endsWith("memory")
          ? `${Math.ceil(needed / 2 ** 30)}Gi`
          : key.endsWith("cpu")
            ? `${Math.ceil(needed * 10) / 10}`
            : String(needed);
        c.add(
          `quota.${env}.${key}`,
          h,
          `smaller than the apps need at their maximum replicas (${shown}, sidecars and one pod per Job included); raise it or lower the autoscaling maxima`,
        );
      }
    }
  }
}
