/**
 * What one pod of a workload asks the scheduler for: CPU, memory and GPUs, computed the
 * way the kubelet and scheduler do it, plus the Istio sidecar that admission injects
 * (it is not in the rendered objects, but it is scheduled with the pod).
 */
import { ANNOTATIONS, GPU_RESOURCE } from "../fleet/constants.js";
import { quantityValue } from "../rules/quantity.js";
import { ISTIO_SIDECAR_DEFAULTS } from "../fleet/constants.js";
import { obj, objs, type Obj, type PodTemplate } from "../check/policy/util.js";
import { type ContainerShape, podAmounts, type PodShape } from "../api/capacity.js";

export interface Resources {
  /** Cores. */
  cpu: number;
  memoryGiB: number;
  gpus: number;
}

export const ZERO: Resources = { cpu: 0, memoryGiB: 0, gpus: 0 };

export function add(a: Resources, b: Resources): Resources {
  return { cpu: a.cpu + b.cpu, memoryGiB: a.memoryGiB + b.memoryGiB, gpus: a.gpus + b.gpus };
}

export function scale(a: Resources, n: number): Resources {
  return { cpu: a.cpu * n, memoryGiB: a.memoryGiB * n, gpus: a.gpus * n };
}

const GiB = 2 ** 30;

function q(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v !== "string") return 0;
  const n = quantityValue(v);
  return Number.isNaN(n) ? 0 : n;
}

/** Istio's annotations that size the injected proxy (istio.io: "Resource Annotations"). */
const PROXY_CPU = ANNOTATIONS.istioProxyCpu;
const PROXY_MEMORY = ANNOTATIONS.istioProxyMemory;

/** The injected Istio proxy's requests: the pod's annotations, else the mesh defaults the builders assume. */
export function istioSidecar(templateAnnotations: Readonly<Record<string, string>>): Resources {
  return {
    cpu: q(templateAnnotations[PROXY_CPU] ?? ISTIO_SIDECAR_DEFAULTS.requests.cpu),
    memoryGiB: q(templateAnnotations[PROXY_MEMORY] ?? ISTIO_SIDECAR_DEFAULTS.requests.memory) / GiB,
    gpus: 0,
  };
}

/** A rendered pod spec as the capacity model reads it (untyped YAML: anything malformed counts as absent). */
function shapeOf(t: PodTemplate): PodShape {
  const container = (c: Obj): ContainerShape => {
    const r = obj(c.resources);
    return { resources: { requests: obj(r.requests), limits: obj(r.limits) }, restartPolicy: c.restartPolicy };
  };
  return { containers: objs(t.spec.containers).map(container), initContainers: objs(t.spec.initContainers).map(container) };
}

/**
 * Effective pod requests, as the kubelet and the quota evaluator sum them (api/capacity.ts,
 * after component-helpers PodRequests), with the injected proxy counted as a sidecar.
 */
export function podRequests(t: PodTemplate, injected: Resources = ZERO): Resources {
  const a = podAmounts(shapeOf(t), "requests", {
    cpu: injected.cpu,
    memory: injected.memoryGiB * GiB,
    [GPU_RESOURCE]: injected.gpus,
  });
  return { cpu: a.cpu ?? 0, memoryGiB: (a.memory ?? 0) / GiB, gpus: a[GPU_RESOURCE] ?? 0 };
}
