/** Scratch copies of the repo for the benchmark: nothing it does touches the worktree. */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { GENERATED_ROOTS } from "../fleet/constants.js";
import type { RenderedFolder } from "../render/render.js";

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `bench-${prefix}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A copy of the committed generated tree. */
export function copyTree(repo: string, into: string = tempDir("tree")): string {
  for (const r of GENERATED_ROOTS) cpSync(join(repo, r), join(into, r), { recursive: true });
  return into;
}

/** A runnable copy of the repo (sources, generated tree, node_modules linked) for CLI processes. */
export function copyRepo(repo: string): string {
  const dir = copyTree(repo);
  cpSync(join(repo, "generators"), join(dir, "generators"), { recursive: true });
  for (const f of ["package.json", "tsconfig.json"]) cpSync(join(repo, f), join(dir, f));
  symlinkSync(join(repo, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

/**
 * The floor's input: each folder's rendered output as a single file beside a one-line
 * kustomization, so kustomize does nothing but read and print it. Returns the folders.
 */
export function hydrated(rendered: readonly RenderedFolder[], into: string = tempDir("floor")): string[] {
  return rendered.map((f) => {
    const dir = join(into, f.cluster, f.tenant);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "all.yaml"), f.yaml);
    writeFileSync(join(dir, "kustomization.yaml"), "resources: [all.yaml]\n");
    return dir;
  });
}

/** Makes `dir` a git repository with every file staged: the check's tracked-file scan lists the index. */
export function gitIndex(dir: string): void {
  execFileSync("git", ["init", "-q"], { cwd: dir, stdio: "ignore" });
  execFileSync("git", ["add", "-A"], { cwd: dir, stdio: "ignore" });
}

export function writeFiles(root: string, files: ReadonlyMap<string, string>): void {
  for (const [path, content] of files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}
