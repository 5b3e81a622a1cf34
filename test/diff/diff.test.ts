import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { diffFleet, type FolderRenderer } from "../../generators/diff/diff.js";
import { formatMarkdown, formatText } from "../../generators/diff/format.js";
import { buildFolder } from "../../generators/render/kustomize.js";
import { listClusterFolders } from "../../generators/render/folders.js";
import { formatPins, loadPins } from "../../generators/release/pins.js";
import { promote } from "../../generators/release/promote.js";
import { commitAll, edit, generate, makeTempRepo, removeRepo, resetRepo, run } from "./temp-repo.js";

const TENANT_FILE = "generators/tenants/uiota.ts";

/** The real kustomize, counting invocations per folder. */
function countingRenderer(): { render: FolderRenderer; calls: string[] } {
  const calls: string[] = [];
  return { calls, render: (dir) => (calls.push(dir), buildFolder(dir)) };
}

function worktrees(repo: string): number {
  return run(repo, "git", ["worktree", "list", "--porcelain"]).stdout.split("\n").filter((l) => l.startsWith("worktree ")).length;
}

describe("npm run diff on a temporary copy of the repository", () => {
  let repo: string;
  beforeAll(() => {
    repo = makeTempRepo();
  });
  afterAll(() => removeRepo(repo));
  beforeEach(() => resetRepo(repo));

  it("prints no changes and exits 0 for an unchanged tree", () => {
    const r = run(repo, "npm", ["run", "--silent", "diff"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("no changes");
    expect(r.code).toBe(0);
    expect(worktrees(repo)).toBe(1);
  });

  it("removes its temporary worktree also when rendering fails", async () => {
    edit(repo, TENANT_FILE, "replicas: { dev: 1, staging: 2, prod: 3 }", "replicas: { dev: 1, staging: 2, prod: 4 }");
    generate(repo);
    const render: FolderRenderer = () => Promise.reject(new Error("kustomize exploded"));
    await expect(diffFleet(repo, { render })).rejects.toThrow("kustomize exploded");
    expect(worktrees(repo)).toBe(1);
  });

  it("gives a clear error naming a bad ref, and exits 2", () => {
    const r = run(repo, "npm", ["run", "--silent", "diff", "--", "--base", "no-such-branch"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('base ref "no-such-branch" does not name a commit');
  });

  it("shows a prod replica bump only in the prod clusters' summaries, with old → new", async () => {
    edit(repo, TENANT_FILE, "replicas: { dev: 1, staging: 2, prod: 3 }", "replicas: { dev: 1, staging: 2, prod: 4 }");
    generate(repo);
    const result = await diffFleet(repo);
    expect(result.base.ref).toBe("HEAD"); // the tree is dirty
    expect(result.summaries.map((s) => s.cluster)).toEqual(["prod-euw1", "prod-use1", "prod-usw2"]);
    for (const s of result.summaries) expect(s).toMatchObject({ added: 0, removed: 0, changed: 1, replicas: 1, images: 0, gpus: 0 });
    const text = formatText(result);
    expect(text).toContain("changed StatefulSet uiota/offline-dns");
    expect(text).toContain("spec.replicas: 3 → 4");
    expect(text).not.toContain("staging-");
    const md = formatMarkdown(result);
    expect(md.match(/<details>/g)).toHaveLength(3);
  });

  it("shows an image promotion from staging to prod in exactly the prod clusters", async () => {
    const pins = loadPins(repo);
    pins.uiota = { ...pins.uiota, staging: { "offline-ai": { tag: "1.1.0" } } };
    writeFileSync(join(repo, "generators/release/pins.json"), formatPins(pins));
    generate(repo);
    commitAll(repo, "pin offline-ai 1.1.0 in staging");
    try {
      const promoted = await promote(repo, { tenant: "uiota", app: "offline-ai", from: "staging", to: "prod" });
      expect(promoted).toEqual([{ app: "offline-ai", after: { tag: "1.1.0" } }]);
      const result = await diffFleet(repo, { base: "HEAD" });
      expect(result.summaries.map((s) => s.cluster)).toEqual(["prod-euw1", "prod-use1", "prod-usw2"]);
      for (const s of result.summaries) expect(s.images).toBe(1);
      expect(formatText(result)).toContain("spec.template.spec.containers[name=offline-ai].image: docker.io/uiota/offline-ai:1.0.0 → docker.io/uiota/offline-ai:1.1.0");
    } finally {
      run(repo, "git", ["reset", "-q", "--hard", "HEAD~1"]);
    }
  });

  it("shows a removed app as removed objects", async () => {
    edit(repo, TENANT_FILE, "backendApi, securityMonitor]", "backendApi]");
    edit(repo, TENANT_FILE, ', { app: "security-monitor" }]', "]");
    generate(repo);
    const result = await diffFleet(repo, { cluster: "dev-usw2" });
    const folder = result.folders.find((f) => f.path === "clusters/dev-usw2/uiota");
    const removed = folder?.objects.filter((o) => o.kind === "removed").map((o) => o.label) ?? [];
    expect(removed).toContain("StatefulSet uiota/security-monitor");
    expect(removed).toContain("Service uiota/security-monitor");
    expect(result.summaries).toHaveLength(1);
    expect(result.summaries[0]?.removed).toBeGreaterThan(1);
    expect(formatText(result)).toMatch(/removed StatefulSet uiota\/security-monitor\n {4}- apiVersion: apps\/v1/);
    // Whole objects are long: Markdown cuts them at --max-lines with a note.
    expect(formatMarkdown(result, { maxLines: 5 })).toContain("more line(s) truncated (--max-lines 5)");
  });

  it("re-renders only the changed tenant's folders in a diff over the whole fleet", async () => {
    edit(repo, TENANT_FILE, "replicas: { dev: 1, staging: 2, prod: 3 }", "replicas: { dev: 2, staging: 3, prod: 4 }");
    generate(repo);
    const { render, calls } = countingRenderer();
    const result = await diffFleet(repo, { render });
    const all = listClusterFolders(repo);
    const uiota = all.filter((f) => f.tenant === "uiota").map((f) => join(repo, f.path));
    expect(all.length).toBeGreaterThan(uiota.length);
    // Each uiota folder renders twice (base and working tree); no other folder renders at all.
    expect(calls.filter((c) => c.startsWith(repo)).sort()).toEqual(uiota.sort());
    expect(calls).toHaveLength(2 * uiota.length);
    expect(result.stats).toEqual({ folders: all.length, skipped: all.length - uiota.length, rendered: 2 * uiota.length });
  });

});
