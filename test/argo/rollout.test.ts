/** The fleet rollout setting: "auto" keeps automated sync; "progressive" switches tenant ApplicationSets to RollingSync. */
import { describe, expect, it } from "vitest";
import { DEFAULT_FLEET, DEFAULT_ROLLOUT, type Fleet, type RegionSpec } from "../../generators/fleet/fleet.js";
import { TENANTS } from "../../generators/tenants/index.js";
import { generateTree } from "../../generators/generate.js";
import { PINS } from "../helpers/repo.js";
import { expandApplicationSet } from "../../generators/argo/expand.js";
import { fleetAppsFrom, type FleetApps } from "../../generators/argo/load.js";
import { buildAddonApplicationSet } from "../../generators/builders/addons.js";
import { ADDONS } from "../../generators/addons/catalogue.js";
import { gpuClusters } from "../helpers/fleet-shape.js";

interface Step {
  matchExpressions: { key: string; operator: string; values: string[] }[];
  maxUpdate?: number | string;
}

function appsFor(fleet: Fleet): FleetApps {
  const tree = generateTree(fleet, TENANTS, PINS);
  return fleetAppsFrom((p) => {
    const t = tree.get(p);
    if (t === undefined) throw new Error(`not generated: ${p}`);
    return t;
  });
}

const strategy = (s: FleetApps["applicationSets"][number]) =>
  (s.spec as { strategy?: { type: string; rollingSync?: { steps: Step[] } } }).strategy;
const tenantSets = (f: FleetApps) => f.applicationSets.filter((s) => !s.metadata.name.startsWith("addon-"));
const addonSets = (f: FleetApps) => f.applicationSets.filter((s) => s.metadata.name.startsWith("addon-"));
const automated = (s: FleetApps["applicationSets"][number]) =>
  (s.spec.template.spec as { syncPolicy?: { automated?: unknown } }).syncPolicy?.automated;

function matches(step: Step, labels: Record<string, string>): boolean {
  return step.matchExpressions.every((e) =>
    e.operator === "In" ? e.values.includes(labels[e.key] ?? "") : !e.values.includes(labels[e.key] ?? ""),
  );
}

describe("rollout: auto (default)", () => {
  const f = appsFor(DEFAULT_FLEET);
  it("is the default and keeps automated sync everywhere, without a strategy", () => {
    expect(DEFAULT_FLEET.rollout?.mode).toBe("auto");
    for (const s of f.applicationSets) {
      expect(strategy(s), s.metadata.name).toBeUndefined();
      expect(automated(s), s.metadata.name).toEqual({ prune: true, selfHeal: true });
    }
  });
});

describe("rollout: progressive", () => {
  const progressive: Fleet = { ...DEFAULT_FLEET, rollout: { ...DEFAULT_ROLLOUT, mode: "progressive" } };
  const f = appsFor(progressive);

  it("tenant ApplicationSets get RollingSync steps dev -> staging -> prod us-west-2 -> prod us-east-1 -> prod eu-west-1", () => {
    expect(
      tenantSets(f)
        .map((s) => s.metadata.name)
        .sort(),
    ).toEqual(["platform", ...TENANTS.map((t) => t.spec.name)].sort());
    for (const s of tenantSets(f)) {
      const st = strategy(s)!;
      expect(st.type).toBe("RollingSync");
      expect(st.rollingSync!.steps).toEqual([
        { matchExpressions: [{ key: "ai-platform.io/env", operator: "In", values: ["dev"] }], maxUpdate: "100%" },
        { matchExpressions: [{ key: "ai-platform.io/env", operator: "In", values: ["staging"] }], maxUpdate: "100%" },
        {
          matchExpressions: [
            { key: "ai-platform.io/env", operator: "In", values: ["prod"] },
            { key: "ai-platform.io/region", operator: "In", values: ["us-west-2"] },
          ],
          maxUpdate: 1,
        },
        {
          matchExpressions: [
            { key: "ai-platform.io/env", operator: "In", values: ["prod"] },
            { key: "ai-platform.io/region", operator: "In", values: ["us-east-1"] },
          ],
          maxUpdate: 1,
        },
        {
          matchExpressions: [
            { key: "ai-platform.io/env", operator: "In", values: ["prod"] },
            { key: "ai-platform.io/region", operator: "In", values: ["eu-west-1"] },
          ],
          maxUpdate: 1,
        },
      ]);
    }
  });

  it("turns automated sync off only on the ApplicationSets RollingSync manages", () => {
    for (const s of tenantSets(f)) expect(automated(s), s.metadata.name).toBeUndefined();
    for (const s of addonSets(f)) {
      expect(strategy(s), s.metadata.name).toBeUndefined();
      expect(automated(s), s.metadata.name).toEqual({ prune: true, selfHeal: true });
    }
  });

  it("every generated tenant Application is selected by exactly one step", () => {
    for (const s of tenantSets(f)) {
      const steps = strategy(s)!.rollingSync!.steps;
      for (const a of expandApplicationSet(s)) {
        expect(steps.filter((st) => matches(st, a.metadata.labels ?? {})).length, a.metadata.name).toBe(1);
      }
    }
  });

  it("maxUpdate is configurable per step, 0 being a manual gate", () => {
    const gated = appsFor({
      ...DEFAULT_FLEET,
      rollout: { mode: "progressive", canaryRegion: "us-west-2", maxUpdate: { staging: "50%", "prod/us-east-1": 0 } },
    });
    const steps = strategy(tenantSets(gated)[0]!)!.rollingSync!.steps;
    expect(steps.map((s) => s.maxUpdate)).toEqual(["100%", "50%", "100%", 0, "100%"]);
  });

  it("the canary region goes first among prod regions", () => {
    const eu = appsFor({ ...DEFAULT_FLEET, rollout: { mode: "progressive", canaryRegion: "eu-west-1" } });
    const regions = strategy(tenantSets(eu)[0]!)!.rollingSync!.steps.flatMap((s) =>
      s.matchExpressions.filter((e) => e.key === "ai-platform.io/region").flatMap((e) => e.values),
    );
    expect(regions).toEqual(["eu-west-1", "us-west-2", "us-east-1"]);
  });
});

describe("add-ons a cluster does not need are not installed", () => {
  it("no GPU pool in a region: no GPU operator on its clusters", () => {
    const regions: RegionSpec[] = DEFAULT_FLEET.regions.map((r) => (r.name === "eu-west-1" ? { ...r, gpuPool: undefined } : r));
    const fleet: Fleet = { ...DEFAULT_FLEET, regions };
    const gpu = buildAddonApplicationSet(fleet, ADDONS.find((a) => a.name === "gpu-operator")!)!;
    const names = expandApplicationSet(gpu.toJSON() as never).map((a) => a.metadata.name);
    expect(names).toEqual(gpuClusters(fleet).map((c) => `${c}-gpu-operator`));
    expect(names.some((n) => n.includes("euw1"))).toBe(false);
    const none: Fleet = { ...DEFAULT_FLEET, regions: DEFAULT_FLEET.regions.map((r) => ({ ...r, gpuPool: undefined })) };
    expect(buildAddonApplicationSet(none, ADDONS.find((a) => a.name === "gpu-operator")!)).toBeUndefined();
  });
});
