/**
 * Writes a generated tree all-or-nothing. Every changed file is first written to a
 * temporary sibling; only when all of them are on disk are they renamed into place
 * (a rename is atomic), and only then are stale generated files removed. A file the
 * generator does not own (no generated header) is never overwritten or deleted.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { GENERATED_MARK } from "./yaml.js";
import type { Tree } from "./tree.js";

export interface FolderSummary {
  folder: string;
  written: number;
  unchanged: number;
  removed: number;
}

export interface WriteResult {
  folders: FolderSummary[];
  written: number;
  unchanged: number;
  removed: number;
}

function isGenerated(path: string): boolean {
  return readFileSync(path, "utf8").startsWith(GENERATED_MARK);
}

function listFiles(root: string, dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? listFiles(root, p) : [relative(root, p)];
  });
}

function removeEmptyDirs(dir: string): void {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) removeEmptyDirs(join(dir, e.name));
  if (readdirSync(dir).length === 0) rmdirSync(dir);
}

/** The folder a file is summarized under: its parent directory. */
const folderOf = (path: string): string => dirname(path);

/**
 * Brings `roots` under `repo` to exactly `tree`. Throws, having changed nothing, when
 * a file to write exists without the generated header.
 */
export function writeTree(repo: string, roots: readonly string[], tree: Tree): WriteResult {
  const existing = new Set(roots.flatMap((r) => listFiles(repo, join(repo, r))));
  const changed: [string, string][] = [];
  const summary = new Map<string, FolderSummary>();
  const bump = (path: string, key: "written" | "unchanged" | "removed"): void => {
    const folder = folderOf(path);
    const s = summary.get(folder) ?? { folder, written: 0, unchanged: 0, removed: 0 };
    s[key] += 1;
    summary.set(folder, s);
  };

  for (const [path, content] of tree) {
    const abs = join(repo, path);
    if (existing.has(path)) {
      const current = readFileSync(abs, "utf8");
      if (current === content) {
        bump(path, "unchanged");
        continue;
      }
      if (!current.startsWith(GENERATED_MARK)) {
        throw new Error(`${path}: exists and was not generated (no "${GENERATED_MARK}" header); move it away or delete it, then run npm run generate again`);
      }
    }
    changed.push([path, content]);
  }
  const stale = [...existing].filter((p) => !tree.has(p) && isGenerated(join(repo, p))).sort();

  // Phase 1: stage every changed file beside its target. A failure here leaves the tree as it was.
  const staged: [string, string][] = [];
  try {
    for (const [path, content] of changed) {
      const abs = join(repo, path);
      mkdirSync(dirname(abs), { recursive: true });
      const tmp = `${abs}.generate-${process.pid}.tmp`;
      writeFileSync(tmp, content);
      staged.push([tmp, abs]);
    }
  } catch (e) {
    for (const [tmp] of staged) rmSync(tmp, { force: true });
    for (const r of roots) removeEmptyDirs(join(repo, r));
    throw e;
  }
  // Phase 2: swap them in, then drop what is no longer generated.
  for (const [tmp, abs] of staged) renameSync(tmp, abs);
  for (const [path] of changed) bump(path, "written");
  for (const path of stale) {
    rmSync(join(repo, path));
    bump(path, "removed");
  }
  for (const r of roots) removeEmptyDirs(join(repo, r));

  const folders = [...summary.values()].sort((a, b) => a.folder.localeCompare(b.folder));
  return {
    folders,
    written: changed.length,
    unchanged: folders.reduce((n, f) => n + f.unchanged, 0),
    removed: stale.length,
  };
}
