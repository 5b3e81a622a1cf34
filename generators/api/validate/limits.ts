/**
 * A tenant's LimitRange and ResourceQuota against every container it runs: app
 * containers, init containers, Job steps and the Istio sidecar. The LimitRanger admission
 * plugin (kubernetes/kubernetes plugin/pkg/admission/limitranger/admission.go
 * PodValidateLimitFunc) refuses a pod whose container requests or limits exceed `max`
 * (a missing limit is filled from `default` first), and the API server refuses a
 * LimitRange whose default exceeds its max (pkg/apis/core/validation/validation.go
 * ValidateLimitRange). The quota admission refuses a PVC over `persistentvolumeclaims`
 * or `requests.storage`.
 */
import { ENVIRONMENTS, type Env } from "../../fleet/fleet.js";
import { INIT_CONTAINER_RESOURCES, ISTIO_SIDECAR_DEFAULTS, JOB_STEP_RESOURCES, LIMIT_RANGE_DEFAULTS } from "../../fleet/constants.js";
import type { ResourcesSpec, TenantSpec } from "../tenant.js";
import { forEnv, isPerEnvRecord } from "../per-env.js";
import { maxReplicas } from "../replicas.js";
import { quantityValue } from "../../rules/quantity.js";
import type { Collector } from "./collector.js";

interface Container {
  /** The tenant field that sets these resources. */
  field: string;
  what: string;
  resources: ResourcesSpec;
}

/** Every container the tenant runs in an environment, each traced to the field that sizes it. */
export function containersIn(tenant: TenantSpec, env: Env): Container[] {
  const out: Container[] = [];
  for (const app of tenant.apps) {
    out.push({ field: `apps[${app.name}].resources`, what: `app ${app.name}`, resources: forEnv(app.resources, env) });
    for (const init of app.initContainers ?? [])
      out.push({
        field: `apps[${app.name}].initContainers[${init.name}]`,
        what: `init container ${init.name} of ${app.name} (fixed 100m/128Mi, 512Mi limit)`,
        resources: INIT_CONTAINER_RESOURCES,
      });
  }
  for (const job of tenant.jobs ?? [])
    for (const step of job.steps)
      out.push({
        field: `jobs[${job.name}].steps[${step.name}].resources`,
        what: `step ${step.name} of job ${job.name}`,
        resources: step.resources ?? JOB_STEP_RESOURCES,
      });
  if (tenant.mesh)
    out.push({
      field: "mesh.sidecarResources",
      what: "the istio-proxy sidecar of every pod",
      resources: tenant.mesh.sidecarResources ?? ISTIO_SIDECAR_DEFAULTS,
    });
  return out;
}

export function checkLimitRange(c: Collector, tenant: TenantSpec): void {
  if (!tenant.quota) return;
  const reported = new Set<string>();
  for (const env of ENVIRONMENTS) {
    const q = forEnv(tenant.quota, env);
    const qf = isPerEnvRecord(tenant.quota) ? `quota.${env}` : "quota";
    const max = q.containerMax;
    const defaults = q.containerDefaults ?? LIMIT_RANGE_DEFAULTS;
    if (max) {
      for (const r of ["cpu", "memory"] as const) {
        const m = max[r];
        if (m === undefined) continue;
        for (const kind of ["requests", "limits"] as const)
          if (quantityValue(defaults[kind][r]) > quantityValue(m) * 1.0001)
            c.add(
              `${qf}.containerMax.${r}`,
              m,
              `below the LimitRange's default ${kind}.${r} (${defaults[kind][r]}); the API server refuses the LimitRange. Raise containerMax or lower containerDefaults`,
            );
        for (const ct of containersIn(tenant, env)) {
          const limit = ct.resources.limits[r] ?? defaults.limits[r];
          const request = ct.resources.requests[r];
          const worst = Math.max(quantityValue(limit), quantityValue(request));
          if (worst <= quantityValue(m) * 1.0001) continue;
          const key = `${qf}.containerMax.${r}|${ct.field}`;
          if (reported.has(key)) continue;
          reported.add(key);
          c.add(
            `${qf}.containerMax.${r}`,
            m,
            `below what ${ct.what} asks in ${env} (${r} ${quantityValue(limit) >= quantityValue(request) ? `limit ${limit}` : `request ${request}`}, from ${ct.field}); the LimitRanger refuses those pods. Raise containerMax.${r} or lower the container's`,
          );
        }
      }
    }
    // PersistentVolumeClaims: one per volume of a Deployment, one per volume and replica of a StatefulSet.
    let claims = 0;
    let storage = 0;
    for (const app of tenant.apps) {
      const n = app.kind === "StatefulSet" ? maxReplicas(app, env) : 1;
      for (const s of app.storage ?? []) {
        claims += n;
        storage += n * quantityValue(s.size);
      }
    }
    if (q.persistentVolumeClaims !== undefined && q.persistentVolumeClaims < claims)
      c.add(
        `${qf}.persistentVolumeClaims`,
        q.persistentVolumeClaims,
        `the apps claim ${claims} PersistentVolumeClaims in ${env} (StatefulSets one per replica and volume); the quota refuses the rest. Raise it to at least ${claims}`,
      );
    if (q.storage !== undefined && quantityValue(q.storage) < storage * 0.9999)
      c.add(
        `${qf}.storage`,
        q.storage,
        `the apps' volumes request ${Math.ceil(storage / 2 ** 30)}Gi in ${env}; the quota refuses the rest. Raise it to at least ${Math.ceil(storage / 2 ** 30)}Gi`,
      );
  }
}
