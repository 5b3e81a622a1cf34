/**
 * What one pod of a workload asks the scheduler for: CPU, memory and GPUs, computed the
 * way the kubelet and scheduler do it, plus the Istio sidecar that admission injects
 * (it is not in the rendered objects, but it is scheduled with the pod).
 */
import { ANNOTATIONS, GPU_RESOURCE } from "../fleet/constants.js";
import { quantityValue } from "../rules/quantity.js";
import { ISTIO_SIDECAR_DEFAULTS } from "../fleet/constants.js";
import { obj, objs, str, type Obj, type PodTemplate } from "../check/policy/util.js";

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

function max(a: Resources, b: Resources): Resources {
  return { cpu: Math.max(a.cpu, b.cpu), memoryGiB: Math.max(a.memoryGiB, b.memoryGiB), gpus: Math.max(a.gpus, b.gpus) };
}

const GiB = 2 ** 30;

function q(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v !== "string") return 0;
  const n = quantityValue(v);
  return Number.isNaN(n) ? 0 : n;
}

/** A container's requests; a limit stands in for a missing request, as the API server defaults it. */
function containerRequests(c: Obj): Resources {
  const r = obj(c.resources);
  const req = obj(r.requests);
  const lim = obj(r.limits);
  const pick = (k: string): number => q(req[k] ?? lim[k]);
  return { cpu: pick("cpu"), memoryGiB: pick("memory") / GiB, gpus: pick(GPU_RESOURCE) };
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

/**
 * Effective pod requests, as kubernetes/kubernetes
 * staging/src/k8s.io/component-helpers/resource/helpers.go PodRequests computes them:
 * the sum of the app containers and restartable (sidecar) init containers, or, if larger,
 * each ordinary init container plus the sidecars started before it.
 */
export function podRequests(t: PodTemplate, injected: Resources = ZERO): Resources {
  let sidecars = injected;
  let initPeak = ZERO;
  for (const c of objs(t.spec.initContainers)) {
    const r = containerRequests(c);
    if (str(c.restartPolicy) === "Always") sidecars = add(sidecars, r);
    else initPeak = max(initPeak, add(r, sidecars));
  }
  const apps = objs(t.spec.containers).reduce((sum, c) => add(sum, containerRequests(c)), ZERO);
  return max(add(apps, sidecars), initPeak);
}
