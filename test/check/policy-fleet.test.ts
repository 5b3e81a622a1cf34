/** The committed fleet, rendered with the real kustomize, passes every policy with zero findings. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { EXCEPTIONS } from "../../generators/check/exceptions.js";
import { runPolicies, scanTrackedFiles, type K8sObject } from "../../generators/check/policy/index.js";
import { PATHS } from "../../generators/fleet/constants.js";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { renderFleet } from "../../generators/render/render.js";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

function appsObjects(repo: string): K8sObject[] {
  const files = execFileSync("git", ["ls-files", PATHS.apps], { cwd: repo, encoding: "utf8" }).split("\n").filter((f) => /\.ya?ml$/.test(f));
  return files.flatMap((f) =>
    parseAllDocuments(readFileSync(join(repo, f), "utf8"))
      .map((d) => d.toJS() as unknown)
      .filter((v): v is K8sObject => typeof v === "object" && v !== null && !Array.isArray(v) && (v as K8sObject).kind !== "Kustomization"),
  );
}

describe("committed fleet", () => {
  it("has zero policy findings and no unused or expired exceptions", async () => {
    const folders = await renderFleet(REPO);
    expect(folders.length).toBeGreaterThan(0);
    const r = runPolicies({ fleet: DEFAULT_FLEET, folders, apps: appsObjects(REPO) }, EXCEPTIONS, new Date());
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
