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
});
