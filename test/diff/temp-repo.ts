/** A throwaway git copy of this repository for end-to-end diff and promote tests. */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync, existsSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TenantSource } from "../../generators/api/source.js";
import type { TenantSpec } from "../../generators/api/tenant.js";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { TENANTS } from "../../generators/tenants/index.js";
import { generate } from "../../generators/generate.js";
import { loadPins, type Pins } from "../../generators/api/pins.js";
import { DEFAULT_CACHE_DIR } from "../../generators/render/cache.js";
import { TEST_RENDER_CACHE } from "../helpers/fleet.js";
import { copyInto, LAUNCHER } from "../helpers/repo.js";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(cwd: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Run {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function sh(cwd: string, cmd: string, args: string[]): string {
  const r = run(cwd, cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.code}) in ${cwd}:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

/**
 * Copies the files of this checkout that git would track (tracked plus untracked, not
 * ignored) into a new repository on branch main, with one commit and node_modules symlinked.
 */
export function makeTempRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), "fleet-test-"));
  const files = sh(REPO, "git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"]).split("\0").filter(Boolean);
  // A deleted-but-tracked file has nothing to copy; a node_modules symlink is linked below.
  copyInto(
    dir,
    files.filter((f) => existsSync(join(REPO, f)) && f !== "node_modules" && !f.startsWith("node_modules/")),
  );
  // "node_modules/" does not match a symlink; ignore the link itself.
  appendFileSync(join(dir, ".gitignore"), "\nnode_modules\n");
  symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"), "dir");
  // The suite's render cache (real kustomize output of the committed tree, keyed by every input
  // byte with repo-relative paths): folders a test leaves unchanged are served from it, changed
  // ones miss and are rendered. .cache/ is gitignored, so the copy's commits never hold it.
  if (existsSync(TEST_RENDER_CACHE))
    cpSync(TEST_RENDER_CACHE, join(dir, DEFAULT_CACHE_DIR), { recursive: true, filter: (src) => !src.endsWith(".tmp") });
  sh(dir, "git", ["init", "-q", "-b", "main"]);
  sh(dir, "git", ["config", "user.email", "test@example.com"]);
  sh(dir, "git", ["config", "user.name", "test"]);
  sh(dir, "git", ["config", "commit.gpgsign", "false"]);
  commitAll(dir, "initial");
  return dir;
}

export function commitAll(dir: string, message: string): void {
  sh(dir, "git", ["add", "-A"]);
  sh(dir, "git", ["commit", "-q", "--allow-empty", "-m", message]);
}

/** Back to main's last commit, untracked files gone. */
export function resetRepo(dir: string): void {
  sh(dir, "git", ["reset", "-q", "--hard"]);
  sh(dir, "git", ["clean", "-qfd"]);
}

/** Replaces exactly one occurrence of `from` in a file; fails loudly when the text moved. */
export function edit(dir: string, file: string, from: string | RegExp, to: string): void {
  const path = join(dir, file);
  const text = readFileSync(path, "utf8");
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${file}: ${String(from)} not found; update the test to the tenant file`);
  writeFileSync(path, next);
}

/** Runs `generators/cli/<name>.ts` in `cwd` through the bundled launcher, as `npm run <name> -- args` does, without an npm process. */
export function cli(cwd: string, name: string, args: string[] = []): Run {
  // The bundle lands in the linked node_modules/.cache: copies of the same sources share it.
  return run(cwd, process.execPath, [...LAUNCHER, name, ...args]);
}

/** Generates the temp repo's tree in process from these tenants and pins (by default the repo's own). */
export function generateWith(dir: string, tenants: readonly TenantSource[], pins: Pins = loadPins(dir)): void {
  generate(dir, DEFAULT_FLEET, tenants, pins);
}

/** The registered tenants with one tenant's spec changed (a deep copy; the sources stay untouched). */
export function tenantsWith(name: string, change: (t: TenantSpec) => void): TenantSource[] {
  return TENANTS.map((s) => {
    if (s.spec.name !== name) return s;
    const spec = structuredClone(s.spec);
    change(spec);
    return { ...s, spec };
  });
}
