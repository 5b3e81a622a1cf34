/**
 * Sharding: n shards cover every folder exactly once, deterministically and balanced by
 * last-known cost; sharded checks merge into exactly the unsharded report.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mergeReports, MergeError } from "../../generators/check/merge.js";
import { compareFindings } from "../../generators/check/policy/index.js";
import { formatReport, type CheckReport } from "../../generators/check/report.js";
import { checkFleet } from "../../generators/check/run.js";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { listClusterFolders, type ClusterFolder } from "../../generators/render/folders.js";
import {
  ASSUMED_FOLDER_OBJECTS,
  MAX_SHARDS,
  parseShard,
  readCosts,
  recordCosts,
  shardCount,
  shardFolders,
  SHARD_OBJECTS,
  type ShardUnit,
} from "../../generators/render/shard.js";
import { TENANTS } from "../../generators/tenants/index.js";
import { renderedFleet, TEST_RENDER_CACHE } from "../helpers/fleet.js";
import { REPO } from "../helpers/repo.js";

const COUNTS = [1, 2, 3, 7];

/** A synthetic fleet of 12 clusters × 9 tenants with uneven costs. */
function synthetic(): { folders: ClusterFolder[]; costs: Map<string, number> } {
  const folders: ClusterFolder[] = [];
  const costs = new Map<string, number>();
  for (let c = 0; c < 12; c++)
    for (let t = 0; t < 9; t++) {
      const f = { cluster: `c${c}`, tenant: `t${t}`, path: `clusters/c${c}/t${t}` };
      folders.push(f);
      costs.set(f.path, 10 + ((c * 7 + t * 13) % 50) * (t === 0 ? 8 : 1));
    }
  return { folders, costs };
}

function shards(folders: ClusterFolder[], n: number, costs: Map<string, number>, unit: ShardUnit): ClusterFolder[][] {
  return Array.from({ length: n }, (_, i) => shardFolders(folders, { index: i + 1, count: n }, costs, unit));
}

describe("--shard i/n", () => {
  for (const unit of ["folder", "cluster"] as const)
    for (const n of COUNTS)
      it(`covers every folder exactly once with ${n} shard(s) of ${unit}s, the same way every time`, () => {
        const { folders, costs } = synthetic();
        const parts = shards(folders, n, costs, unit);
        const all = parts.flat().map((f) => f.path);
        expect(all.length).toBe(folders.length);
        expect(new Set(all)).toEqual(new Set(folders.map((f) => f.path)));
        expect(shards(folders, n, costs, unit)).toEqual(parts);
        // A listing in another order gives the same shards.
        expect(shards([...folders].reverse(), n, costs, unit).map((p) => p.map((f) => f.path).sort())).toEqual(
          parts.map((p) => p.map((f) => f.path).sort()),
        );
        if (unit === "cluster")
          for (const p of parts) for (const f of p) expect(parts.filter((q) => q.some((g) => g.cluster === f.cluster))).toHaveLength(1);
      });

  it("balances shards by last-known cost within the largest unit", () => {
    const { folders, costs } = synthetic();
    for (const n of [2, 3, 7]) {
      const loads = shards(folders, n, costs, "folder").map((p) => p.reduce((s, f) => s + (costs.get(f.path) ?? 0), 0));
      const largest = Math.max(...costs.values());
      expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(largest);
    }
  });

  it("falls back to an even split in a stable hash order when no cost is known", () => {
    const { folders } = synthetic();
    const parts = shards(folders, 7, new Map(), "folder");
    const sizes = parts.map((p) => p.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(shards(folders, 7, new Map(), "folder")).toEqual(parts);
  });

  it("records costs and reads them back", () => {
    const dir = mkdtempSync(join(tmpdir(), "shard-costs-"));
    recordCosts(dir, [{ path: "clusters/a/x", objects: [1, 2, 3] }]);
    recordCosts(dir, [{ path: "clusters/a/y", objects: [1] }]);
    expect([...readCosts(dir).entries()]).toEqual([
      ["clusters/a/x", 3],
      ["clusters/a/y", 1],
    ]);
  });

  it("rejects a malformed --shard with the value and the fix", () => {
    expect(parseShard("2/7")).toEqual({ index: 2, count: 7 });
    for (const bad of ["0/3", "4/3", "1/0", "2", "a/b"]) expect(() => parseShard(bad)).toThrow(/--shard ".*" is not i\/n.*--shard 2\/7/);
  });
});

const TODAY = new Date("2026-11-22T12:00:00Z");
/** The report as `check --format json` writes it (the wave plan only with --plan), findings sorted. */
const sorted = ({ plan: _plan, ...r }: CheckReport): string =>
  formatReport(
    {
      ...r,
      findings: [...r.findings].sort(compareFindings),
      excepted: [...r.excepted].sort((a, b) => compareFindings(a.finding, b.finding)),
    },
    "json",
  );

describe("check --shard-count: the PR workflow's matrix follows the fleet", () => {
  const fleet = (clusters: number, tenants: number): ClusterFolder[] =>
    Array.from({ length: clusters * tenants }, (_, i) => ({
      cluster: `c${Math.floor(i / tenants)}`,
      tenant: `t${i % tenants}`,
      path: `clusters/c${Math.floor(i / tenants)}/t${i % tenants}`,
    }));
  const costed = (folders: ClusterFolder[], objects: number): Map<string, number> => new Map(folders.map((f) => [f.path, objects]));

  it("runs one shard for the committed fleet and more only as its objects grow", () => {
    const committed = listClusterFolders(REPO);
    expect(shardCount(committed, readCosts(REPO, "/nonexistent"))).toBe(1);
    const big = fleet(100, 51); // 50×20×100: 5,100 folders of ~178 objects
    expect(shardCount(big, costed(big, 178))).toBe(Math.ceil((5100 * 178) / SHARD_OBJECTS));
    expect(shardCount(big, costed(big, 178))).toBe(7);
  });

  it("sizes by the median known cost where a folder's is unknown, and by an assumed size when none is", () => {
    const big = fleet(100, 51);
    expect(shardCount(big, new Map())).toBe(Math.ceil((5100 * ASSUMED_FOLDER_OBJECTS) / SHARD_OBJECTS));
    const half = new Map([...costed(big, 500)].slice(0, 2550));
    expect(shardCount(big, half)).toBe(Math.ceil((5100 * 500) / SHARD_OBJECTS));
  });

  it("never asks for more shards than clusters or than the runner limit", () => {
    const few = fleet(3, 2);
    expect(shardCount(few, costed(few, 1_000_000))).toBe(3);
    const huge = fleet(400, 51);
    expect(shardCount(huge, costed(huge, 1000))).toBe(MAX_SHARDS);
  });
});

describe("check --merge", () => {
  it("merges sharded reports of the committed fleet into exactly the unsharded report (json and junit)", async () => {
    const rendered = await renderedFleet();
    const costs = new Map(rendered.map((f) => [f.path, f.objects.length]));
    const options = { cache: { dir: TEST_RENDER_CACHE }, checkCache: false, today: TODAY, costs } as const;
    const whole = await checkFleet(REPO, DEFAULT_FLEET, TENANTS, options);
    expect(whole.summary.folders).toBe(listClusterFolders(REPO).length);
    expect(whole.excepted.length).toBeGreaterThan(0);
    // The smallest split, and more shards than clusters (some shards empty).
    for (const n of [2, 7]) {
      const parts = await Promise.all(
        Array.from({ length: n }, (_, i) => checkFleet(REPO, DEFAULT_FLEET, TENANTS, { ...options, shard: { index: i + 1, count: n } })),
      );
      // Reports travel between CI jobs as JSON.
      const merged = mergeReports(
        parts.map(({ plan: _plan, ...p }) => JSON.parse(formatReport(p, "json")) as CheckReport),
        listClusterFolders(REPO).map((f) => f.path),
      );
      expect(sorted(merged)).toBe(sorted(whole));
      expect(formatReport(merged, "junit")).toBe(formatReport(whole, "junit"));
    }
  });

  it("judges exceptions over all shards: unused only when no shard used it, expired once", async () => {
    const rendered = await renderedFleet();
    const costs = new Map(rendered.map((f) => [f.path, f.objects.length]));
    // One exception used somewhere, one never used, one expired.
    const used = TENANTS.flatMap((t) => t.spec.exceptions ?? [])[0];
    expect(used).toBeDefined();
    const extra = [
      { rule: "pss-privileged", object: "Deployment/nowhere/none", reason: "never matches", expires: "2027-01-31" },
      { rule: "pss-privileged", object: "Deployment/nowhere/old", reason: "expired", expires: "2020-01-01" },
    ];
    const tenants = TENANTS.map((t, i) =>
      i === 0 ? { ...t, spec: { ...t.spec, exceptions: [...(t.spec.exceptions ?? []), ...extra] } } : t,
    );
    const options = { cache: { dir: TEST_RENDER_CACHE }, checkCache: false, today: TODAY, costs } as const;
    const whole = await checkFleet(REPO, DEFAULT_FLEET, tenants, options);
    const parts = await Promise.all(
      [1, 2, 3].map((index) => checkFleet(REPO, DEFAULT_FLEET, tenants, { ...options, shard: { index, count: 3 } })),
    );
    const merged = mergeReports(parts);
    expect(merged.findings.filter((f) => f.rule === "exception").map((f) => `${f.object}: ${f.message}`)).toEqual([
      "Deployment/nowhere/none: matches no finding",
      "Deployment/nowhere/old: expired on 2020-01-01",
    ]);
    expect(sorted(merged)).toBe(sorted(whole));
  });

  it("judges certificate ownership across shards: two shards' clusters ordering one name fail certificate-single-owner once", () => {
    const order = (cluster: string) => ({
      cluster,
      orders: [
        {
          cluster,
          part: `${cluster}-platform`,
          object: "Certificate/istio-ingress/uiota.edge-global-tls",
          path: "spec.issuerRef",
          dnsName: "*.uiota.ai.example.com",
          record: "_acme-challenge.uiota.ai.example.com",
          zone: "ai.example.com",
        },
      ],
      publications: [],
      subscriptions: [],
    });
    const part = (index: number, cluster: string): CheckReport => ({
      findings: [],
      excepted: [],
      summary: { folders: 1, objects: 0, rules: 1, failures: 0, exceptions: 0 },
      shard: { index, count: 2, folders: [`clusters/${cluster}/platform`], costs: {}, exceptions: [], certificates: [order(cluster)] },
    });
    const merged = mergeReports([part(1, "prod-usw2"), part(2, "prod-use1")]);
    expect(merged.findings.map((f) => `${f.rule} ${f.cluster}`)).toEqual([
      "certificate-single-owner prod-use1",
      "certificate-single-owner prod-usw2",
    ]);
  });

  it("refuses an incomplete or overlapping set of shards", () => {
    const part = (index: number, count: number, folders: string[]): CheckReport => ({
      findings: [],
      excepted: [],
      summary: { folders: folders.length, objects: 0, rules: 1, failures: 0, exceptions: 0 },
      shard: { index, count, folders, costs: {}, exceptions: [] },
    });
    expect(() => mergeReports([part(1, 2, ["a"])])).toThrow(MergeError);
    expect(() => mergeReports([part(1, 2, ["a"]), part(2, 2, ["a"])])).toThrow(/folder a was checked by shards 1 and 2/);
    expect(() => mergeReports([part(1, 2, ["a"]), part(2, 2, ["b"])], ["a", "b", "c"])).toThrow(/no shard checked c/);
    expect(mergeReports([part(1, 2, ["a"]), part(2, 2, ["b"])], ["a", "b"]).summary.folders).toBe(2);
  });
});
