import { appendFileSync, existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildFolder, findKustomize, type Kustomize } from "../../generators/render/kustomize.js";
import { renderFleet, type FolderBuilder, type RenderStats } from "../../generators/render/render.js";
import { RenderCache } from "../../generators/render/cache.js";
import { folderInputs } from "../../generators/render/inputs.js";
import { removeScratch, scratchTree } from "../helpers/repo.js";

/** A builder that runs the real kustomize and records which folders it built. */
function countingBuilder(): { builder: FolderBuilder; built: string[] } {
  const built: string[] = [];
  return {
    built,
    builder: (dir, k) => {
      built.push(dir);
      return buildFolder(dir, k);
    },
  };
}

const freshStats = (): RenderStats => ({ built: 0, cached: 0, pruned: 0 });

const KEEP_CLUSTERS = ["dev-usw2", "prod-euw1"];
const KEEP_TENANTS = ["uiota"];

describe("the render cache", () => {
  let repo: string;
  const cacheDir = (): string => join(repo, ".cache/render");

  beforeEach(() => {
    repo = scratchTree();
    // Two clusters (two regions, two environments) and one tenant prove every cache property
    // (uiota's base is shared by both clusters); all 36 folders would only take longer.
    for (const c of readdirSync(join(repo, "clusters"))) {
      if (!KEEP_CLUSTERS.includes(c)) rmSync(join(repo, "clusters", c), { recursive: true });
      else
        for (const t of readdirSync(join(repo, "clusters", c)))
          if (!KEEP_TENANTS.includes(t)) rmSync(join(repo, "clusters", c, t), { recursive: true });
    }
  });
  afterEach(() => removeScratch(repo));

  it("serves an unchanged folder from the cache without running kustomize", async () => {
    const first = countingBuilder();
    const folders = await renderFleet(repo, { cache: true, builder: first.builder });
    expect(first.built.length).toBe(folders.length);

    const second = countingBuilder();
    const stats = freshStats();
    await renderFleet(repo, { cache: true, builder: second.builder, stats });
    expect(second.built).toEqual([]);
    expect(stats.cached).toBe(folders.length);
  });

  it("gives cached output byte-identical to a fresh render", async () => {
    const fresh = await renderFleet(repo);
    await renderFleet(repo, { cache: true });
    const { builder, built } = countingBuilder();
    const cached = await renderFleet(repo, { cache: true, builder });
    expect(built).toEqual([]);
    expect(cached.map((f) => f.yaml)).toEqual(fresh.map((f) => f.yaml));
    expect(cached.map((f) => f.objects)).toEqual(fresh.map((f) => f.objects));
    expect(cached.map((f) => f.path)).toEqual(fresh.map((f) => f.path));
  });

  it("re-renders both folders that share a base file when that file changes, and nothing else", async () => {
    await renderFleet(repo, { cache: true });
    // base/uiota is shared by every cluster's uiota folder; pick two clusters that read it.
    const shared = "base/uiota/backend-api.yaml";
    const readers = readdirSync(join(repo, "clusters")).filter((c) =>
      folderInputs(join(repo, "clusters", c, "uiota")).files.includes(join(repo, shared)),
    );
    expect(readers.length).toBeGreaterThanOrEqual(2);
    appendFileSync(join(repo, shared), "# a reviewer's note\n");

    const { builder, built } = countingBuilder();
    await renderFleet(repo, { cache: true, builder });
    expect(built.map((d) => d.slice(repo.length + 1)).sort()).toEqual(readers.map((c) => `clusters/${c}/uiota`).sort());
  });

  it("re-renders everything when the kustomize version changes", async () => {
    const real = findKustomize();
    const folders = await renderFleet(repo, { cache: true, kustomize: real });
    const newer: Kustomize = { ...real, version: `${real.version}-next` };
    const { builder, built } = countingBuilder();
    const stats = freshStats();
    await renderFleet(repo, { cache: true, kustomize: newer, builder, stats });
    expect(built.length).toBe(folders.length);
    // The old version's entries are pruned: one entry per folder remains.
    expect(new RenderCache(repo, newer.version).entries().length).toBe(folders.length);
    expect(stats.pruned).toBe(folders.length);
  });

  it("leaves no stale entry for a deleted folder", async () => {
    const before = await renderFleet(repo, { cache: true });
    const gone = before.find((f) => f.tenant === "uiota");
    if (!gone) throw new Error("no uiota folder to delete");
    const goneKey = new RenderCache(repo, findKustomize().version).key(join(repo, gone.path));
    expect(existsSync(join(cacheDir(), `${goneKey}.yaml`))).toBe(true);

    rmSync(join(repo, gone.path), { recursive: true });
    const after = await renderFleet(repo, { cache: true });
    expect(after.length).toBe(before.length - 1);
    expect(existsSync(join(cacheDir(), `${goneKey}.yaml`))).toBe(false);
    expect(new RenderCache(repo, findKustomize().version).entries().length).toBe(after.length);
  });

  it("keeps entries it did not use when told not to prune (readers sharing a cache)", async () => {
    const before = await renderFleet(repo, { cache: true });
    const gone = before.find((f) => f.tenant === "uiota");
    if (!gone) throw new Error("no uiota folder to delete");
    const goneKey = new RenderCache(repo, findKustomize().version).key(join(repo, gone.path));
    rmSync(join(repo, gone.path), { recursive: true });
    const stats = freshStats();
    await renderFleet(repo, { cache: true, prune: false, stats });
    expect(stats).toEqual({ built: 0, cached: before.length - 1, pruned: 0 });
    expect(existsSync(join(cacheDir(), `${goneKey}.yaml`))).toBe(true);
  });

  it("finds a folder's inputs through its overlay, base and component", () => {
    const { files } = folderInputs(join(repo, "clusters/prod-euw1/uiota"));
    const rel = files.map((f) => f.slice(repo.length + 1));
    expect(rel).toContain("clusters/prod-euw1/uiota/kustomization.yaml");
    expect(rel).toContain("overlays/prod/uiota/kustomization.yaml");
    expect(rel).toContain("overlays/regions/eu-west-1/workloads/kustomization.yaml");
    expect(rel).toContain("base/uiota/offline-ai.yaml");
    expect(rel.some((f) => f.startsWith("overlays/dev/"))).toBe(false);
  });
});
