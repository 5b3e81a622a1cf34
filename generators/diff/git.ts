/** The few git operations the diff needs, each failing with a message that names what was asked. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A problem with the request itself (bad ref, unknown cluster): the CLI exits 2. */
export class DiffError extends Error {
  override name = "DiffError";
}

export function git(repo: string, args: string[]): string {
  return execFileSync("git", args, { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function tryGit(repo: string, args: string[]): string | undefined {
  try {
    return git(repo, args).trim();
  } catch {
    return undefined;
  }
}

/** True when `git status --porcelain` lists anything, untracked files included. */
export function isDirty(repo: string): boolean {
  return git(repo, ["status", "--porcelain"]).trim() !== "";
}

/** The commit a ref names, or a DiffError naming the ref. */
export function resolveRef(repo: string, ref: string): string {
  const sha = tryGit(repo, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (!sha)
    throw new DiffError(`base ref "${ref}" does not name a commit in ${repo}; give a branch, tag or commit (e.g. --base origin/main)`);
  return sha;
}

/** HEAD when the working tree is dirty, else the merge-base of HEAD with main (or origin/main). */
export function defaultBase(repo: string): { ref: string; why: string } {
  if (isDirty(repo)) return { ref: "HEAD", why: "the working tree has uncommitted changes" };
  for (const main of ["main", "origin/main"]) {
    if (!tryGit(repo, ["rev-parse", "--verify", "--quiet", `${main}^{commit}`])) continue;
    const mb = tryGit(repo, ["merge-base", "HEAD", main]);
    if (mb) return { ref: mb, why: `the merge-base of HEAD with ${main}` };
  }
  throw new DiffError(`no base given and neither "main" nor "origin/main" exists to take a merge-base with; pass --base <git-ref>`);
}

/**
 * Checks `commit` out in a temporary detached worktree, runs `fn` on it and removes the
 * worktree afterwards, also when `fn` throws. node_modules is symlinked from `repo`.
 */
export async function withWorktree<T>(repo: string, commit: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const parent = mkdtempSync(join(tmpdir(), "fleet-diff-"));
  const dir = join(parent, "base");
  try {
    git(repo, ["worktree", "add", "--detach", "--quiet", dir, commit]);
  } catch (e) {
    rmSync(parent, { recursive: true, force: true });
    throw new DiffError(
      `could not check out ${commit} in a temporary worktree: ${(e as { stderr?: string }).stderr?.trim() || (e as Error).message}`,
    );
  }
  try {
    const modules = join(repo, "node_modules");
    if (existsSync(modules) && !existsSync(join(dir, "node_modules"))) symlinkSync(modules, join(dir, "node_modules"), "dir");
    return await fn(dir);
  } finally {
    tryGit(repo, ["worktree", "remove", "--force", dir]);
    rmSync(parent, { recursive: true, force: true });
    tryGit(repo, ["worktree", "prune"]);
  }
}
