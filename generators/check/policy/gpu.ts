/** GPU scheduling: tolerations, NodePool selection and instance capacity against the fleet model. */
import { GPU_RESOURCE, GPU_TAINT, LABELS } from "../../fleet/constants.js";
import type { ClusterContext, ClusterRule } from "./types.js";
import { quantityValue } from "../../rules/quantity.js";
import { arr, containersOf, hitOn, kindOf, nameOf, obj, objs, podTemplates, str, type Obj, type PodTemplate } from "./util.js";

/** A GPU count from a resource map; the parsing is the generator's (generators/rules/quantity.ts). */
function quantity(v: unknown): number {
  if (typeof v === "number") return v;
  const n = typeof v === "string" ? quantityValue(v) : Number.NaN;
  return Number.isFinite(n) ? n : 0;
}

/** GPUs one pod of the template needs: the sum over containers, or the largest init container. */
export function gpusRequested(t: PodTemplate): number {
  const per = (c: Obj): number => {
    const r = obj(c.resources);
    return Math.max(quantity(obj(r.limits)[GPU_RESOURCE]), quantity(obj(r.requests)[GPU_RESOURCE]));
  };
  const main = containersOf(t, ["containers"]).reduce((n, { c }) => n + per(c), 0);
  const init = containersOf(t, ["initContainers"]).reduce((n, { c }) => Math.max(n, per(c)), 0);
  return Math.max(main, init);
}

/** Whether a pod's tolerations tolerate the GPU taint. */
export function toleratesGpuTaint(spec: Obj): boolean {
  return objs(spec.tolerations).some((tol) => {
    const key = str(tol.key);
    const effect = str(tol.effect);
    if (effect !== undefined && effect !== "" && effect !== GPU_TAINT.effect) return false;
    if (key === undefined || key === "") return str(tol.operator) === "Exists";
    if (key !== GPU_TAINT.key) return false;
    return str(tol.operator) === "Exists" || str(tol.value) === GPU_TAINT.value;
  });
}

function gpuPods(ctx: ClusterContext): { t: PodTemplate; gpus: number }[] {
  return podTemplates(ctx.objects).flatMap((t) => {
    const gpus = gpusRequested(t);
    return gpus > 0 ? [{ t, gpus }] : [];
  });
}

function nodePoolOf(ctx: ClusterContext, t: PodTemplate): { name: string | undefined; pool: Obj | undefined } {
  const name = str(obj(t.spec.nodeSelector)[LABELS.karpenterNodePool]);
  const pool = ctx.objects.find((l) => kindOf(l.obj) === "NodePool" && nameOf(l.obj) === name)?.obj;
  return { name, pool };
}

export const GPU_RULES: readonly ClusterRule[] = [
  {
    id: "gpu-toleration",
    scope: "cluster",
    description: `Every pod requesting ${GPU_RESOURCE} tolerates the GPU taint ${GPU_TAINT.key}=${GPU_TAINT.value}:${GPU_TAINT.effect}.`,
    fix: `Add the toleration {key: ${GPU_TAINT.key}, operator: Exists, effect: ${GPU_TAINT.effect}}.`,
    check: (ctx) =>
      gpuPods(ctx).flatMap(({ t, gpus }) =>
        toleratesGpuTaint(t.spec)
          ? []
          : [hitOn(t.loc, `${t.specPath}.tolerations`, `pod requests ${gpus} GPU(s) but does not tolerate the GPU taint`)],
      ),
  },
  {
    id: "gpu-nodepool",
    scope: "cluster",
    description: `Every pod requesting ${GPU_RESOURCE} selects (nodeSelector ${LABELS.karpenterNodePool}) a NodePool that exists in its cluster.`,
    fix: `Set nodeSelector ${LABELS.karpenterNodePool} to the region's GPU NodePool.`,
    check: (ctx) =>
      gpuPods(ctx).flatMap(({ t }) => {
        const { name, pool } = nodePoolOf(ctx, t);
        if (pool) return [];
        const path = `${t.specPath}.nodeSelector`;
        return [
          hitOn(t.loc, path, name === undefined ? `GPU pod selects no NodePool` : `NodePool ${name} does not exist in cluster ${ctx.name}`),
        ];
      }),
  },
  {
    id: "gpu-instance-capacity",
    scope: "cluster",
    description:
      "The GPU pod's NodePool offers at least one instance type with enough GPUs for the pod, per the fleet model's region data.",
    fix: "Request fewer GPUs per pod, or add a larger instance type to the region's GPU pool in fleet.ts.",
    check: (ctx) =>
      gpuPods(ctx).flatMap(({ t, gpus }) => {
        const { name, pool } = nodePoolOf(ctx, t);
        if (!pool) return [];
        const region = ctx.fleet.regions.find((r) => r.name === ctx.spec?.region);
        const known = new Map((region?.gpuPool?.instanceTypes ?? []).map((i) => [i.name, i.gpus]));
        const req = objs(obj(obj(obj(pool.spec).template).spec).requirements).find(
          (r) => r.key === "node.kubernetes.io/instance-type" && r.operator === "In",
        );
        const offered = arr(req?.values).filter((v): v is string => typeof v === "string");
        const fits = offered.filter((i) => (known.get(i) ?? 0) >= gpus);
        if (fits.length > 0) return [];
        return [
          hitOn(
            t.loc,
            `${t.specPath}.nodeSelector`,
            `pod needs ${gpus} GPU(s); NodePool ${String(name)} offers ${offered.length ? offered.join(", ") : "no pinned instance types"}, none with ${gpus} GPU(s) in ${ctx.spec?.region ?? "an unknown region"}`,
          ),
        ];
      }),
  },
  {
    id: "gpu-toleration-without-request",
    scope: "cluster",
    description: "Nothing that does not request a GPU tolerates the GPU taint (it would squat on GPU nodes).",
    fix: "Remove the GPU toleration (or a catch-all `operator: Exists` toleration) from the pod.",
    check: (ctx) =>
      podTemplates(ctx.objects)
        .filter((t) => gpusRequested(t) === 0 && toleratesGpuTaint(t.spec))
        .map((t) => hitOn(t.loc, `${t.specPath}.tolerations`, "pod tolerates the GPU taint but requests no GPU")),
  },
];
