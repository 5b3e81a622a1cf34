import { describe, expect, it } from "vitest";
import { cheapestFit, clusterCost, formatUsd, type CostInputs } from "../../generators/report/cost.js";
import { describeDelta } from "../../generators/report/model.js";
import type { InstancePrice } from "../../generators/fleet/prices.js";

/** A small price table with round numbers, so every expected figure is computed by hand below. */
const src = { source: "test", date: "2026-01-01", standIn: false };
const PRICES: InstancePrice[] = [
  { instanceType: "m6i.xlarge", region: "us-west-2", usdPerHour: 0.2, ...src },
  { instanceType: "g5.2xlarge", region: "us-west-2", usdPerHour: 1.0, ...src },
  { instanceType: "g6.xlarge", region: "us-west-2", usdPerHour: 0.5, ...src },
  { instanceType: "g5.12xlarge", region: "us-west-2", usdPerHour: 5.0, ...src },
];
const SHAPES = {
  "m6i.xlarge": { vcpu: 4, memoryGiB: 16 },
  "g5.2xlarge": { vcpu: 8, memoryGiB: 32 },
  "g6.xlarge": { vcpu: 4, memoryGiB: 16 },
  "g5.12xlarge": { vcpu: 48, memoryGiB: 192 },
};
const INPUTS: CostInputs = {
  region: "us-west-2",
  gpuOptions: [
    { instanceType: "g5.2xlarge", gpus: 1 },
    { instanceType: "g6.xlarge", gpus: 1 },
    { instanceType: "g5.12xlarge", gpus: 4 },
  ],
  prices: PRICES,
  shapes: SHAPES,
};

describe("the cost model", () => {
  it("prices CPU-bound general pods as node-equivalents of the reference type", () => {
    // 10 pods × (1 CPU, 2 GiB) = 10 CPU, 20 GiB; 10/4 = 2.5 nodes by CPU, 20/16 = 1.25 by memory -> 2.5 nodes.
    // 2.5 × $0.2/h × 730 h = $365.00
    const c = clusterCost([{ name: "a", replicas: 10, perPod: { cpu: 1, memoryGiB: 2, gpus: 0 } }], INPUTS);
    expect(c.generalNodes).toBe(2.5);
    expect(c.generalUsdPerMonth).toBe(365);
    expect(c.usdPerMonth).toBe(365);
  });

  it("prices memory-bound general pods by memory", () => {
    // 3 pods × (0.5 CPU, 16 GiB) = 1.5 CPU, 48 GiB; memory needs 48/16 = 3 nodes -> 3 × 0.2 × 730 = $438.00
    const c = clusterCost([{ name: "db", replicas: 3, perPod: { cpu: 0.5, memoryGiB: 16, gpus: 0 } }], INPUTS);
    expect(c.generalNodes).toBe(3);
    expect(c.usdPerMonth).toBe(438);
  });

  it("gives each GPU pod the cheapest instance type that holds it", () => {
    // 1 GPU, 2 CPU, 8 GiB fits g6.xlarge ($0.5/h): 2 pods × 0.5 × 730 = $730.00
    const small = clusterCost([{ name: "infer", replicas: 2, perPod: { cpu: 2, memoryGiB: 8, gpus: 1 } }], INPUTS);
    expect(small.gpuNodes).toEqual([{ name: "infer", instanceType: "g6.xlarge", nodes: 2, usdPerMonth: 730 }]);
    expect(small.usdPerMonth).toBe(730);
    // 1 GPU, 6 CPU does not fit g6.xlarge (4 vCPU): g5.2xlarge ($1/h) -> 1 × 1 × 730 = $730.00
    expect(cheapestFit({ cpu: 6, memoryGiB: 8, gpus: 1 }, INPUTS)?.instanceType).toBe("g5.2xlarge");
    // 2 GPUs only fit g5.12xlarge ($5/h): 3 pods -> 3 × 5 × 730 = $10,950.00
    const big = clusterCost([{ name: "train", replicas: 3, perPod: { cpu: 8, memoryGiB: 64, gpus: 2 } }], INPUTS);
    expect(big.gpuUsdPerMonth).toBe(10950);
  });

  it("adds general and GPU costs, and leaves GPU pods' CPU out of the general nodes", () => {
    // general: 4 CPU, 4 GiB -> 1 node = $146.00; GPU: 1 × g6.xlarge = $365.00; total $511.00
    const c = clusterCost(
      [
        { name: "api", replicas: 4, perPod: { cpu: 1, memoryGiB: 1, gpus: 0 } },
        { name: "infer", replicas: 1, perPod: { cpu: 3, memoryGiB: 12, gpus: 1 } },
      ],
      INPUTS,
    );
    expect(c.general).toEqual({ cpu: 4, memoryGiB: 4, gpus: 0 });
    expect(c.generalUsdPerMonth).toBe(146);
    expect(c.gpuUsdPerMonth).toBe(365);
    expect(c.usdPerMonth).toBe(511);
  });

  it("reports what it cannot price instead of guessing", () => {
    const c = clusterCost([{ name: "huge", replicas: 1, perPod: { cpu: 1, memoryGiB: 1, gpus: 8 } }], INPUTS);
    expect(c.usdPerMonth).toBe(0);
    expect(c.unpriced).toEqual(["huge: no priced GPU instance type in us-west-2 holds 8 GPU(s), 1 CPU, 1 GiB"]);
    const noRegion = clusterCost([{ name: "api", replicas: 1, perPod: { cpu: 1, memoryGiB: 1, gpus: 0 } }], {
      ...INPUTS,
      region: "eu-west-1",
    });
    expect(noRegion.unpriced).toEqual(["general pods: no price for m6i.xlarge in eu-west-1"]);
  });

  it("costs nothing for workloads scaled to zero", () => {
    expect(clusterCost([{ name: "keda", replicas: 0, perPod: { cpu: 1, memoryGiB: 1, gpus: 1 } }], INPUTS).usdPerMonth).toBe(0);
  });

  it("writes dollars and deltas the way the PR comment shows them", () => {
    expect(formatUsd(1427.3)).toBe("$1,427");
    expect(formatUsd(713.65, true)).toBe("+$714");
    expect(formatUsd(-365, true)).toBe("−$365");
    expect(formatUsd(0.2, true)).toBe("±$0");
    expect(describeDelta({ cpu: 0, memoryGiB: 0, gpus: 2 }, 1460)).toBe("+2 GPUs ≈ +$1,460/month");
    expect(describeDelta({ cpu: -1.5, memoryGiB: -2, gpus: 0 }, -73)).toBe("−1.50 CPU, −2.0 GiB ≈ −$73/month");
    expect(describeDelta({ cpu: 0, memoryGiB: 0, gpus: 0 }, 0)).toBe("no capacity change ≈ ±$0/month");
  });
});
