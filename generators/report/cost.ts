/**
 * The cost model: an estimated monthly on-demand price of what a cluster requests.
 *
 * - A GPU pod gets a node of its own: the cheapest instance type its GPU NodePool may
 *   launch that holds the pod's GPUs, CPU and memory (Karpenter picks the cheapest
 *   type that fits a pending pod; aws/karpenter-provider-aws designs/consolidation.md).
 * - Non-GPU pods share general-purpose nodes. Their total CPU and memory are priced as
 *   node-equivalents of the reference type: max(CPU / its vCPUs, memory / its GiB).
 * - The EKS control plane: its fee per cluster-hour, standard or extended support by the
 *   cluster's Kubernetes minor on the day (fleet/eks-calendar.ts, aws.amazon.com/eks/pricing).
 * - Monthly is hourly × 730. Node overhead, DaemonSets, storage and discounts are left out.
 */
import { GENERAL_REFERENCE_TYPE, HOURS_PER_MONTH, type InstancePrice, type InstanceShape, priceOf } from "../fleet/prices.js";
import { add, scale, ZERO, type Resources } from "./resources.js";

/** One workload's pods at one scale. */
export interface PodDemand {
  /** Label for the breakdown, e.g. "uiota/offline-ai". */
  name: string;
  replicas: number;
  perPod: Resources;
}

/** A GPU instance type the cluster's GPU NodePool may launch, with its GPUs per node (fleet model). */
export interface GpuOption {
  instanceType: string;
  gpus: number;
}

export interface CostInputs {
  region: string;
  /** Instance types of the GPU NodePool; empty when the cluster has none. */
  gpuOptions: readonly GpuOption[];
  prices: readonly InstancePrice[];
  shapes: Readonly<Record<string, InstanceShape>>;
  /** The EKS control-plane fee per hour (0.10 standard, 0.60 extended support). @default 0: not priced */
  controlPlaneUsdPerHour?: number;
}

export interface GpuNodes {
  /** Workload the nodes run. */
  name: string;
  instanceType: string;
  nodes: number;
  usdPerMonth: number;
}

export interface ClusterCost {
  /** Requests of the non-GPU pods. */
  general: Resources;
  /** Node-equivalents of the reference type the general requests fill. */
  generalNodes: number;
  generalUsdPerMonth: number;
  gpuNodes: GpuNodes[];
  gpuUsdPerMonth: number;
  /** The EKS control plane's fee for the month. */
  controlPlaneUsdPerMonth: number;
  usdPerMonth: number;
  /** Demands the model could not price (no fitting instance type, or no price), with why. */
  unpriced: string[];
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** The cheapest GPU option that fits one pod, with its hourly price. */
export function cheapestFit(perPod: Resources, inputs: CostInputs): { instanceType: string; usdPerHour: number } | undefined {
  let best: { instanceType: string; usdPerHour: number } | undefined;
  for (const o of inputs.gpuOptions) {
    const shape = inputs.shapes[o.instanceType];
    const price = priceOf(inputs.prices, o.instanceType, inputs.region);
    if (!shape || !price) continue;
    if (o.gpus < perPod.gpus || shape.vcpu < perPod.cpu || shape.memoryGiB < perPod.memoryGiB) continue;
    if (!best || price.usdPerHour < best.usdPerHour) best = { instanceType: o.instanceType, usdPerHour: price.usdPerHour };
  }
  return best;
}

export function clusterCost(demands: readonly PodDemand[], inputs: CostInputs): ClusterCost {
  const unpriced: string[] = [];
  const gpuNodes: GpuNodes[] = [];
  let general = ZERO;
  for (const d of demands) {
    if (d.replicas === 0) continue;
    if (d.perPod.gpus === 0) {
      general = add(general, scale(d.perPod, d.replicas));
      continue;
    }
    const fit = cheapestFit(d.perPod, inputs);
    if (!fit) {
      unpriced.push(
        `${d.name}: no priced GPU instance type in ${inputs.region} holds ${d.perPod.gpus} GPU(s), ${d.perPod.cpu} CPU, ${d.perPod.memoryGiB} GiB`,
      );
      continue;
    }
    gpuNodes.push({
      name: d.name,
      instanceType: fit.instanceType,
      nodes: d.replicas,
      usdPerMonth: d.replicas * fit.usdPerHour * HOURS_PER_MONTH,
    });
  }
  const ref = inputs.shapes[GENERAL_REFERENCE_TYPE];
  const refPrice = priceOf(inputs.prices, GENERAL_REFERENCE_TYPE, inputs.region);
  let generalNodes = 0;
  let generalUsd = 0;
  if (ref && refPrice) {
    generalNodes = Math.max(general.cpu / ref.vcpu, general.memoryGiB / ref.memoryGiB);
    generalUsd = generalNodes * refPrice.usdPerHour * HOURS_PER_MONTH;
  } else if (general.cpu > 0 || general.memoryGiB > 0) {
    unpriced.push(`general pods: no price for ${GENERAL_REFERENCE_TYPE} in ${inputs.region}`);
  }
  const gpuUsd = gpuNodes.reduce((n, g) => n + g.usdPerMonth, 0);
  const controlPlaneUsd = (inputs.controlPlaneUsdPerHour ?? 0) * HOURS_PER_MONTH;
  return {
    general,
    generalNodes,
    generalUsdPerMonth: round2(generalUsd),
    gpuNodes: gpuNodes.map((g) => ({ ...g, usdPerMonth: round2(g.usdPerMonth) })),
    gpuUsdPerMonth: round2(gpuUsd),
    controlPlaneUsdPerMonth: round2(controlPlaneUsd),
    usdPerMonth: round2(generalUsd + gpuUsd + controlPlaneUsd),
    unpriced,
  };
}

/** "$1,234" / "+$1,234" / "−$56": whole dollars, grouped. */
export function formatUsd(n: number, signed = false): string {
  const r = Math.round(n);
  const abs = Math.abs(r).toLocaleString("en-US");
  if (!signed) return `${r < 0 ? "−" : ""}$${abs}`;
  return `${r > 0 ? "+" : r < 0 ? "−" : "±"}$${abs}`;
}
