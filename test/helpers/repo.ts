/** Test helpers: the repo root and its release pins, and scratch copies of the generated tree to break safely. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { parse, stringify } from "yaml";
import { afterAll, beforeAll } from "vitest";
import { CLI_NODE_FLAGS, GENERATED_ROOTS } from "../../generators/fleet/constants.js";
import { repoRoot } from "../../generators/cli/repo.js";
import { loadPins, PINS_FILE, type Pins } from "../../generators/api/pins.js";

export const REPO: string = repoRoot();

/** What package.json's scripts run after `node`: the flags and the launcher; append the CLI and its arguments. */
export const LAUNCHER: readonly string[] = [...CLI_NODE_FLAGS, "generators/cli/bundled.mjs"];
/** The committed release pins: an input of generation like the fleet and the tenants. */
export const PINS: Pins = loadPins(REPO);

/**
 * Copies files and folders of the repository into `dir`, keeping their relative paths, with
 * the system's cp in one process: Node 20's cpSync and rmSync walk the tree in JavaScript, a
 * stat and a call per entry, several times the CPU on the ~320 files of the generated tree.
 */
export function copyInto(dir: string, paths: readonly string[]): void {
  execFileSync("cp", ["-R", "--parents", "-t", dir, "--", ...paths], { cwd: REPO, stdio: ["ignore", "ignore", "pipe"] });
}

/** A temp folder holding a copy of the committed generated tree and the release pins it was generated with. */
export function scratchTree(): string {
  const dir = mkdtempSync(join(tmpdir(), "fleet-"));
  copyInto(dir, [...GENERATED_ROOTS, PINS_FILE]);
  return dir;
}

/**
 * One scratch tree for the tests of the calling describe block, made before them and removed
 * after; `before` is its snapshot as made, for tests that prove a failing run wrote nothing.
 */
export function blockScratchTree(): { readonly dir: string; readonly before: Map<string, string> } {
  let dir = "";
  let before = new Map<string, string>();
  beforeAll(() => {
    dir = scratchTree();
    before = snapshot(dir);
  });
  afterAll(() => removeScratch(dir));
  return {
    get dir() {
      return dir;
    },
    get before() {
      return before;
    },
  };
}

/**
 * A temp folder holding the repository's sources (generators/, the package files) and generated
 * tree, with node_modules linked: what the real CLIs need to run in a copy. The link is removed
 * by removeScratch without following it.
 */
export function sourceCopy(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  copyInto(dir, ["generators", "package.json", "package-lock.json", "tsconfig.json", ...GENERATED_ROOTS]);
  symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"));
  return dir;
}

/** Removes a scratch folder; a linked node_modules goes as a link (rm never follows one). */
export function removeScratch(dir: string): void {
  execFileSync("rm", ["-rf", "--", dir]);
}

/** Every file under the generated roots, path -> contents. */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, "utf8"));
    }
  };
  for (const r of GENERATED_ROOTS) walk(join(dir, r));
  return out;
}

/** A scratch copy of the generated tree inside its own git repository (the secret scan reads `git ls-files`). */
export function scratchRepo(): string {
  const dir = scratchTree();
  const git = (...args: string[]): void => {
    execFileSync("git", args, { cwd: dir, stdio: "ignore" });
  };
  git("init", "-q");
  git("add", "-A");
  return dir;
}

/**
 * Puts a scratchRepo() back as it was made: every staged file restored from the index, every
 * untracked file removed. Tests that each break one file share one copy this way instead of
 * copying the tree and staging it again per test.
 */
export function resetScratchRepo(dir: string): void {
  execFileSync("git", ["checkout", "-q", "--", "."], { cwd: dir, stdio: "ignore" });
  execFileSync("git", ["clean", "-qfd"], { cwd: dir, stdio: "ignore" });
}

/** Appends RFC 6902 patches to a cluster folder's kustomization, the way a hand edit would. */
export function addPatch(dir: string, folder: string, target: Record<string, string>, ops: readonly Record<string, unknown>[]): void {
  const file = join(dir, folder, "kustomization.yaml");
  const k = parse(readFileSync(file, "utf8")) as { patches?: unknown[] };
  k.patches = [...(k.patches ?? []), { target, patch: stringify(ops) }];
  writeFileSync(file, stringify(k));
}
