/** Whether a tenant's apps and Jobs fit the quota it declares. */
import { ENVIRONMENTS } from "../../fleet/fleet.js";
import { GPU_RESOURCE, INIT_CONTAINER_RESOURCES, ISTIO_SIDECAR_DEFAULTS, JOB_STEP_RESOURCES } from "../../fleet/constants.js";
import type { AppSpec, JobSpec, ResourcesSpec, TenantSpec } from "../tenant.js";
import { forEnv } from "../per-env.js";
import { maxReplicas } from "../replicas.js";
import { quantityValue } from "../../rules/quantity.js";
import { type Amounts, type ContainerShape, NONE, podAmounts, sum, times } from "../capacity.js";
import type { Collector } from "./collector.js";

/**
 * A container as the builders emit it, for the quota: limits.cpu defaults to the request
 * (the LimitRange default a quota on limits.cpu needs), GPUs are requested and limited alike.
 */
function container(r: ResourcesSpec, gpus = 0): ContainerShape {
  const gpu = gpus > 0 ? { [GPU_RESOURCE]: gpus } : {};
  return {
    resources: {
      requests: { cpu: r.requests.cpu, memory: r.requests.memory, ...gpu },
      limits: { cpu: r.limits.cpu ?? r.requests.cpu, memory: r.limits.memory, ...gpu },
    },
  };
}

/** One app pod: its container and init containers as the builders size them. */
function appPod(app: AppSpec, env: (typeof ENVIRONMENTS)[number]): { containers: ContainerShape[]; initContainers: ContainerShape[] } {
  return {
    containers: [container(forEnv(app.resources, env), app.gpus ?? 0)],
    initContainers: (app.initContainers ?? []).map(() => container(INIT_CONTAINER_RESOURCES)),
  };
}

/** One Job pod: its last step is the container, the steps before it run as init containers. */
function jobPod(job: JobSpec): { containers: ContainerShape[]; initContainers: ContainerShape[] } {
  const steps = job.steps.map((s) => container(s.resources ?? JOB_STEP_RESOURCES));
  return { containers: steps.slice(-1), initContainers: steps.slice(0, -1) };
}

/**
 * A quota smaller than the apps at their scaling maximum silently caps the HPAs:
 * the ReplicaSet cannot create the pods the HPA asks for. Sidecars count too, and so does
 * one running pod of each Job and CronJob (the quota admits them like any pod). Pods are
 * summed as the quota evaluator sums them (api/capacity.ts).
 */
export function checkQuotaFits(c: Collector, tenant: TenantSpec): void {
  if (!tenant.quota) return;
  const sidecar = tenant.mesh ? (tenant.mesh.sidecarResources ?? ISTIO_SIDECAR_DEFAULTS) : undefined;
  const injected = (which: "requests" | "limits"): Amounts =>
    sidecar ? { cpu: quantityValue(sidecar[which].cpu ?? "0"), memory: quantityValue(sidecar[which].memory) } : NONE;
  for (const env of ENVIRONMENTS) {
    const q = forEnv(tenant.quota, env);
    let requests = NONE;
    let limits = NONE;
    let pods = 0;
    const add = (pod: { containers: ContainerShape[]; initContainers: ContainerShape[] }, n: number): void => {
      requests = sum(requests, times(podAmounts(pod, "requests", injected("requests")), n));
      limits = sum(limits, times(podAmounts(pod, "limits", injected("limits")), n));
      pods += n;
    };
    for (const app of tenant.apps) add(appPod(app, env), maxReplicas(app, env));
    for (const job of tenant.jobs ?? []) add(jobPod(job), 1);
    const need = {
      "requests.cpu": requests.cpu ?? 0,
      "requests.memory": requests.memory ?? 0,
      "limits.cpu": limits.cpu ?? 0,
      "limits.memory": limits.memory ?? 0,
      pods,
    };
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
          `smaller than the apps need at their maximum replicas (${shown}, sidecars, init containers and one pod per Job included); raise it or lower the autoscaling maxima`,
        );
      }
    }
  }
}
