/**
 * Capacity as rendered: each cluster's workloads (replica bounds, one pod's requests with the
 * injected proxy), their sums at minimum and maximum scale against NodePool limits and
 * ResourceQuotas, and the estimated cost of running them.
 */
import { GPU_RESOURCE, ISTIO_INJECTION_LABEL, LABELS, PLATFORM } from "../fleet/constants.js";
import type { Fleet } from "../fleet/fleet.js";
import { quantityValue } from "../rules/quantity.js";
import { arr, kindOf, labelsOf, nameOf, namespaceOf, obj, objs, podTemplateOf, replicaBounds, str, strMap } from "../check/policy/util.js";
import type { Located } from "../check/policy/types.js";
import { clusterCost, type GpuOption, type PodDemand } from "./cost.js";
import { add, istioSidecar, podRequests, scale, ZERO, type Resources } from "./resources.js";
import type { ClusterReport, ClusterSupport, LimitCheck, LimitStatus, ReportFolder, ReportInputs, Workload } from "./types.js";
import { supportOn } from "../fleet/eks-calendar.js";

const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet"]);
export const BATCH = new Set(["Job", "CronJob"]);
const GiB = 2 ** 30;

/** Namespaces whose pods get an Istio proxy injected (istio-injection=enabled, Istio's namespace injection label). */
function injectedNamespaces(objects: readonly Located[]): Set<string> {
  return new Set(
    objects.filter((l) => kindOf(l.obj) === "Namespace" && labelsOf(l.obj)[ISTIO_INJECTION_LABEL] === "enabled").map((l) => nameOf(l.obj)),
  );
}

export function workloadsOf(objects: readonly Located[]): Workload[] {
  const injected = injectedNamespaces(objects);
  return objects.flatMap((l) => {
    if (!WORKLOADS.has(kindOf(l.obj))) return [];
    const t = podTemplateOf(l);
    if (!t) return [];
    const annotations = strMap(obj(obj(obj(obj(l.obj.spec).template).metadata).annotations));
    const b = replicaBounds(objects, l.obj);
    const images = [...new Set(objs(t.spec.containers).map((c) => str(c.image) ?? ""))].filter(Boolean);
    return [
      {
        tenant: l.tenant,
        namespace: t.namespace,
        kind: kindOf(l.obj),
        name: nameOf(l.obj),
        min: b.min,
        max: b.max,
        autoscaler: b.autoscaler ? kindOf(b.autoscaler.obj) : undefined,
        perPod: podRequests(t, injected.has(t.namespace) ? istioSidecar(annotations) : ZERO),
        pool: str(obj(t.spec.nodeSelector)[LABELS.karpenterNodePool]) ?? PLATFORM.generalNodePool,
        images,
      },
    ];
  });
}

export const sum = (ws: readonly Workload[], at: "min" | "max"): Resources => ws.reduce((r, w) => add(r, scale(w.perPod, w[at])), ZERO);

function status(min: number, max: number, limit: number): LimitStatus {
  return min > limit ? "over-at-min" : max > limit ? "over-at-max" : "ok";
}

/** A Kubernetes quantity as cores, GiB or a count. */
function quantityOf(v: unknown, unit: "cpu" | "memory" | "count"): number {
  const n = quantityValue(String(v));
  return unit === "memory" ? n / GiB : n;
}

/** NodePool limits (karpenter.sh/v1 NodePool spec.limits) against the pods that select each pool. */
function poolChecks(objects: readonly Located[], ws: readonly Workload[]): LimitCheck[] {
  const out: LimitCheck[] = [];
  for (const p of objects.filter((l) => kindOf(l.obj) === "NodePool")) {
    const name = nameOf(p.obj);
    const limits = obj(obj(p.obj.spec).limits);
    const mine = ws.filter((w) => w.pool === name);
    const lo = sum(mine, "min");
    const hi = sum(mine, "max");
    const entries: [LimitCheck["resource"], string, "cpu" | "memory" | "count"][] = [
      ["cpu", "cpu", "cpu"],
      ["memory", "memory", "memory"],
      ["gpu", GPU_RESOURCE, "count"],
    ];
    for (const [resource, key, unit] of entries) {
      if (limits[key] === undefined) continue;
      const limit = quantityOf(limits[key], unit);
      const field = resource === "memory" ? "memoryGiB" : resource === "gpu" ? "gpus" : "cpu";
      out.push({
        against: `NodePool ${name}`,
        resource,
        min: lo[field],
        max: hi[field],
        limit,
        status: status(lo[field], hi[field], limit),
      });
    }
  }
  return out;
}

/** ResourceQuota spec.hard (requests.cpu, requests.memory, requests.nvidia.com/gpu, pods) against its namespace's workloads. */
function quotaChecks(objects: readonly Located[], ws: readonly Workload[]): LimitCheck[] {
  const out: LimitCheck[] = [];
  for (const qo of objects.filter((l) => kindOf(l.obj) === "ResourceQuota")) {
    const ns = namespaceOf(qo.obj);
    const hard = obj(obj(qo.obj.spec).hard);
    const mine = ws.filter((w) => w.namespace === ns);
    const lo = sum(mine, "min");
    const hi = sum(mine, "max");
    const against = `ResourceQuota ${ns}/${nameOf(qo.obj)}`;
    const push = (resource: LimitCheck["resource"], key: string, unit: "cpu" | "memory" | "count", min: number, max: number): void => {
      if (hard[key] === undefined) return;
      const limit = quantityOf(hard[key], unit);
      out.push({ against, resource, min, max, limit, status: status(min, max, limit) });
    };
    push("cpu", "requests.cpu", "cpu", lo.cpu, hi.cpu);
    push("memory", "requests.memory", "memory", lo.memoryGiB, hi.memoryGiB);
    push("gpu", `requests.${GPU_RESOURCE}`, "count", lo.gpus, hi.gpus);
    push(
      "pods",
      "pods",
      "count",
      mine.reduce((n, w) => n + w.min, 0),
      mine.reduce((n, w) => n + w.max, 0),
    );
  }
  return out;
}

/** Instance types the GPU NodePool may launch (its node.kubernetes.io/instance-type requirement), with GPUs per type from the fleet model. */
function gpuOptions(objects: readonly Located[], fleet: Fleet, region: string): GpuOption[] {
  const known = fleet.regions.find((r) => r.name === region)?.gpuPool?.instanceTypes ?? [];
  const pools = objects.filter((l) => kindOf(l.obj) === "NodePool" && obj(obj(l.obj.spec).limits)[GPU_RESOURCE] !== undefined);
  const types = pools.flatMap((p) =>
    objs(obj(obj(obj(p.obj.spec).template).spec).requirements)
      .filter((r) => str(r.key) === "node.kubernetes.io/instance-type" && str(r.operator) === "In")
      .flatMap((r) => arr(r.values).map(String)),
  );
  return types.flatMap((t) => {
    const k = known.find((x) => x.name === t);
    return k ? [{ instanceType: t, gpus: k.gpus }] : [];
  });
}

export function located(folders: readonly ReportFolder[], cluster: string): Located[] {
  return folders.filter((f) => f.cluster === cluster).flatMap((f) => f.objects.map((o) => ({ obj: o, tenant: f.tenant })));
}

export function clusterNames(folders: readonly ReportFolder[], fleet: Fleet): string[] {
  const inFleet = fleet.clusters.map((c) => c.name);
  const rendered = [...new Set(folders.map((f) => f.cluster))];
  return [...inFleet.filter((c) => rendered.includes(c)), ...rendered.filter((c) => !inFleet.includes(c)).sort()];
}

function demands(ws: readonly Workload[], at: "min" | "max"): PodDemand[] {
  return ws.map((w) => ({ name: `${w.tenant}/${w.name}`, replicas: w[at], perPod: w.perPod }));
}

export function clusterReport(
  name: string,
  folders: readonly ReportFolder[],
  inputs: Pick<ReportInputs, "fleet" | "prices" | "shapes" | "today">,
): ClusterReport {
  const spec = inputs.fleet.clusters.find((c) => c.name === name);
  const objects = located(folders, name);
  const ws = workloadsOf(objects);
  const region = spec?.region ?? "unknown";
  const options = gpuOptions(objects, inputs.fleet, region);
  const s = supportOn(spec?.kubernetesVersion ?? "unknown", inputs.today ?? new Date());
  const support: ClusterSupport = {
    phase: s.phase,
    ...(s.entry
      ? {
          released: s.entry.released,
          endOfStandardSupport: s.entry.endOfStandardSupport,
          endOfExtendedSupport: s.entry.endOfExtendedSupport,
        }
      : {}),
    ...(s.usdPerHour !== undefined ? { usdPerHour: s.usdPerHour } : {}),
  };
  const costInputs = {
    region,
    gpuOptions: options,
    prices: inputs.prices,
    shapes: inputs.shapes,
    ...(s.usdPerHour !== undefined ? { controlPlaneUsdPerHour: s.usdPerHour } : {}),
  };
  return {
    name,
    env: spec?.env ?? "unknown",
    region,
    kubernetesVersion: spec?.kubernetesVersion ?? "unknown",
    support,
    requested: { min: sum(ws, "min"), max: sum(ws, "max") },
    limits: [...poolChecks(objects, ws), ...quotaChecks(objects, ws)],
    cost: { min: clusterCost(demands(ws, "min"), costInputs), max: clusterCost(demands(ws, "max"), costInputs) },
    gpuInstanceTypes: options.map((o) => o.instanceType),
  };
}
