/**
 * The fleet bench measures synthetic tenants cloned from UIOTA: its numbers mean something
 * only if such a fleet renders. Two clones share every name UIOTA owns, which is exactly
 * where shared namespaces (monitoring) collide.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "../../generators/generate.js";
import { renderFleet } from "../../generators/render/render.js";
import { syntheticFleet, syntheticSources, SYNTHETIC_PINS } from "../../generators/bench/synthetic.js";
import { defaultClusterCounts } from "../../generators/bench/fleet.js";
import type { Obj } from "../helpers/fleet.js";

describe("a synthetic fleet of UIOTA clones", () => {
  const dir = mkdtempSync(join(tmpdir(), "synthetic-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("renders every folder with the real kustomize, one dashboard ConfigMap per tenant in monitoring", async () => {
    generate(dir, syntheticFleet(1), syntheticSources(2, 5), SYNTHETIC_PINS);
    const folders = await renderFleet(dir);
    expect(folders.map((f) => f.tenant).sort()).toEqual(["platform", "t01", "t02"]);
    const platform = folders.find((f) => f.tenant === "platform")?.objects as Obj[];
    const dashboards = platform.filter((o) => o.kind === "ConfigMap" && o.metadata.labels?.grafana_dashboard === "1");
    expect(dashboards.map((d) => `${d.metadata.namespace}/${d.metadata.name}`).sort()).toEqual([
      "monitoring/t01.guardian-activity",
      "monitoring/t02.guardian-activity",
    ]);
  });

  it("generates at every cluster count the fleet bench asks for: one EFS file system per cluster, prod in two regions", () => {
    const counts = defaultClusterCounts(100);
    expect(counts).toEqual([6, 10, 25, 100]);
    const fleet = syntheticFleet(6);
    expect(new Set(fleet.clusters.map((c) => c.efsFileSystemId)).size).toBe(6);
    for (const c of fleet.clusters) expect(c.efsFileSystemId).toMatch(/^fs-[0-9a-f]{17}$/);
    const generated = mkdtempSync(join(tmpdir(), "synthetic-6-"));
    try {
      expect(generate(generated, fleet, syntheticSources(1, 5), SYNTHETIC_PINS).written).toBeGreaterThan(0);
    } finally {
      rmSync(generated, { recursive: true, force: true });
    }
    expect(() => syntheticFleet(4)).toThrow(/runs prod in one region.*use 1, 2 or at least 6 clusters/);
  });
});
