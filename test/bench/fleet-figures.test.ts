/**
 * The fleet bench's arithmetic: what it divides by what, and how it judges the issue's
 * targets. Measures are made up here; a real run is recorded in docs/performance.md.
 */
import { describe, expect, it } from "vitest";
import { fleetPoint, formatFleet, type FleetBenchResult, type StageMeasure } from "../../generators/bench/fleet.js";

const MiB = 1024 * 1024;
const m = (wall: number, cpu: number, out: Record<string, number> = {}, rss = 200 * MiB): StageMeasure => ({ wall, cpu, rss, out });
const noop = m(2, 3);

describe("the fleet bench's figures", () => {
  it("charges check CPU per object on the per-folder work only, from the steady-state run when there is one", () => {
    const committed = fleetPoint(
      "committed",
      undefined,
      {
        render: m(10, 13, { folders: 36, objects: 2000 }),
        check: m(5, 8, { objects: 2100, folderCpu: 2, folderObjects: 2000 }),
        "check-steady": m(6, 9, { folderCpu: 0.8, folderObjects: 2000 }),
      },
      noop,
    );
    expect(committed.checkFolderCpuPerObject).toBeCloseTo(0.0004);
    // Whole process, net of the start-up every process pays.
    expect(committed.checkCpuPerObject).toBeCloseTo((8 - 3) / 2100);
    expect(committed.renderCpuPerFolder).toBeCloseTo((13 - 3) / 36);
  });

  it("sets the incremental gate against the cold one: generate, render and check", () => {
    const p = fleetPoint(
      "50×20×4",
      { tenants: 50, apps: 20, clusters: 4 },
      {
        generate: m(10, 12),
        render: m(70, 140, { folders: 204, objects: 35000 }),
        check: m(20, 21, { folderCpu: 14, folderObjects: 35000 }),
        incremental: m(10, 12),
      },
      noop,
    );
    expect(p.incrementalShare).toBeCloseTo(10 / 100);
    expect(p.checkFolderCpuPerObject).toBeCloseTo(0.0004);
  });

  it("judges the targets on the largest synthetic size against the committed fleet", () => {
    const base = fleetPoint(
      "committed",
      undefined,
      { render: m(10, 13, { folders: 36, objects: 2000 }), check: m(5, 8, { objects: 2000, folderCpu: 0.8, folderObjects: 2000 }) },
      noop,
    );
    const near = fleetPoint(
      "50×20×100",
      { tenants: 50, apps: 20, clusters: 100 },
      {
        generate: m(60, 60),
        render: m(1800, 3600, { folders: 5100, objects: 880000 }),
        check: m(300, 310, { objects: 880000, folderCpu: 352, folderObjects: 880000 }),
        incremental: m(150, 160),
      },
      noop,
    );
    const far = { ...near, checkFolderCpuPerObject: near.checkFolderCpuPerObject * 2 };
    const report = (p: typeof near, rss = 300 * MiB): string =>
      formatFleet({
        asked: "50×20×100",
        machine: { cores: 2, loadBefore: 0, loadAfter: 0 },
        parallelism: 2,
        noop,
        points: [base, { ...p, stages: { ...p.stages, check: { ...p.stages.check!, rss } } }],
      } satisfies FleetBenchResult);
    expect(report(near)).toContain(
      "[met] check CPU per object within ±20% of the committed fleet's (per-folder work, steady state): 0.400 ms at 50×20×100 vs 0.400 ms (0%)",
    );
    expect(report(far)).toContain("[NOT met] check CPU per object within ±20%");
    expect(report(near)).toContain("[met] incremental gate ≤ 10% of the cold gate: 6.9% at 50×20×100");
    expect(report(near, 1100 * MiB)).toContain("[NOT met] peak RSS of any process < 1 GiB: 1100 MiB");
    // The whole-process figure carries fixed costs, so it is shown without a verdict.
    expect(report(near)).toMatch(/^ {2}for reference, whole check process net of start-up \(fixed costs included\): /m);
    expect(report(near).match(/\[(met|NOT met)\]/g)).toHaveLength(3);
  });
});
