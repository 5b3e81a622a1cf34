/** The committed fleet, rendered with the real kustomize, passes every policy with zero findings. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { collectExceptions } from "../../generators/check/exceptions.js";
import { TENANTS } from "../../generators/tenants/index.js";
import { loadPolicyInput, runPolicies, scanTrackedFiles } from "../../generators/check/policy/index.js";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { TEST_RENDER_CACHE } from "../helpers/fleet.js";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

describe("committed fleet", () => {
  it("has zero policy findings and no unused or expired exceptions", async () => {
    const input = await loadPolicyInput(REPO, DEFAULT_FLEET, { cache: { dir: TEST_RENDER_CACHE }, prune: false });
    expect(input.folders.length).toBeGreaterThan(0);
    expect(input.apps.filter((o) => o.kind === "ApplicationSet").length).toBeGreaterThan(0);
    const r = runPolicies(input, collectExceptions(TENANTS), new Date());
    expect(r.findings.map((f) => `${f.rule} ${f.cluster} ${f.object} ${f.path}: ${f.message}`)).toEqual([]);
    expect(r.unusedOrExpired.map((u) => `${u.exception.rule} ${u.exception.object}: ${u.reason}`)).toEqual([]);
    expect(r.objectsChecked).toBeGreaterThan(100);
  });

  it("has no credential-looking strings in tracked files", () => {
    expect(scanTrackedFiles(REPO).map((f) => f.message)).toEqual([]);
  });
});

describe("scanTrackedFiles", () => {
  it("finds credentials in tracked files only", () => {
    const dir = mkdtempSync(join(tmpdir(), "policy-scan-"));
    const git = (...args: string[]): string => execFileSync("git", args, { cwd: dir, encoding: "utf8" });
    git("init", "-q");
    writeFileSync(join(dir, "clean.yaml"), "url: https://example.com/\n");
    writeFileSync(join(dir, "leak.env"), `# config\nKEY_ID=${["AK", "IA", "ZZZZZZZZZZZZZZZZ"].join("")}\n`);
    writeFileSync(join(dir, "untracked.txt"), ["mysql", "://root:pw@db/x"].join(""));
    git("add", "clean.yaml", "leak.env");
    const found = scanTrackedFiles(dir);
    expect(found.map((f) => [f.rule, f.object, f.path])).toEqual([["secret-tracked-file", "leak.env", "line 2"]]);
  });
});
