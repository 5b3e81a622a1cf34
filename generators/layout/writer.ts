/**
 * Writes a generated tree so that a crash at any moment (kill -9, power cut between
 * renames) leaves either the old tree or the new one after the next run, and never a
 * temporary file inside the generated roots.
 *
 * A write is a small transaction journalled under `.generate/` at the repository root
 * (gitignored, on the same file system, so renames out of it are atomic):
 *
 *   1. stage: every changed file is written to `.generate/files/<path>`, and the list
 *      of writes and removals to `.generate/journal.json`;
 *   2. commit: `.generate/COMMIT` appears by an atomic rename. Before it exists, the
 *      generated roots are untouched; after it, the transaction must complete;
 *   3. apply: staged files are renamed into place, stale generated files removed;
 *   4. done: COMMIT is removed, then `.generate/`.
 *
 * Every run starts with `recover`: a journal with COMMIT is rolled forward (each step is
 * idempotent: a staged file already renamed is simply gone), one without is discarded.
 * Files without the generated header are never overwritten or deleted.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";
import { GENERATE_JOURNAL } from "../fleet/constants.js";
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

/** Where a test may inject a crash: called after each staged file, rename into place and removal (1-based). */
export type FaultHook = (phase: "stage" | "rename" | "remove", k: number) => void;

export interface WriteOptions {
  fault?: FaultHook;
}

interface Journal {
  /** Repo-relative paths staged under files/, to be renamed into place. */
  writes: string[];
  /** Repo-relative generated paths to delete. */
  removes: string[];
}

const STAGED = "files";
const JOURNAL_FILE = "journal.json";
const COMMIT = "COMMIT";
/** The pid of the run that owns the journal: a live one is another generate still writing. */
const OWNER = "pid";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
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

/** Writes a file and flushes it to disk, so a journal or marker never exists half-written. */
function writeDurably(path: string, content: string): void {
  const fd = openSync(path, "w");
  try {
    writeFileSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Renames staged files into place and removes stale ones. Safe to run again after a crash at any point. */
function rollForward(repo: string, roots: readonly string[], dir: string, journal: Journal, fault?: FaultHook): void {
  let k = 0;
  for (const path of journal.writes) {
    const staged = join(dir, STAGED, path);
    if (!existsSync(staged)) continue; // renamed by the run that crashed
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    renameSync(staged, join(repo, path));
    fault?.("rename", ++k);
  }
  k = 0;
  for (const path of journal.removes) {
    rmSync(join(repo, path), { force: true });
    fault?.("remove", ++k);
  }
  for (const r of roots) removeEmptyDirs(join(repo, r));
}

function finish(dir: string): void {
  rmSync(join(dir, COMMIT), { force: true });
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Completes or undoes a write interrupted by a crash: with a commit marker the journal
 * is rolled forward, without one the staging area is discarded (the roots were not
 * touched yet). Returns what it did.
 */
export function recover(repo: string, roots: readonly string[]): "none" | "rolled-forward" | "rolled-back" {
  const dir = join(repo, GENERATE_JOURNAL);
  if (!existsSync(dir)) return "none";
  const owner = existsSync(join(dir, OWNER)) ? Number(readFileSync(join(dir, OWNER), "utf8")) : NaN;
  if (Number.isInteger(owner) && owner !== process.pid && alive(owner)) {
    throw new Error(
      `another npm run generate (pid ${owner}) is writing this tree; wait for it to finish, or delete ${GENERATE_JOURNAL}/ if that process is not a generate`,
    );
  }
  if (existsSync(join(dir, COMMIT))) {
    const journal = JSON.parse(readFileSync(join(dir, JOURNAL_FILE), "utf8")) as Journal;
    rollForward(repo, roots, dir, journal);
    finish(dir);
    return "rolled-forward";
  }
  rmSync(dir, { recursive: true, force: true });
  return "rolled-back";
}

/** The folder a file is summarized under: its parent directory. */
const folderOf = (path: string): string => dirname(path);

/**
 * Brings `roots` under `repo` to exactly `tree`. Throws, having changed nothing, when
 * a file to write exists without the generated header.
 */
export function writeTree(repo: string, roots: readonly string[], tree: Tree, options: WriteOptions = {}): WriteResult {
  recover(repo, roots);
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
        throw new Error(
          `${path}: exists and was not generated (no "${GENERATED_MARK}" header); move it away or delete it, then run npm run generate again`,
        );
      }
    }
    changed.push([path, content]);
  }
  const stale = [...existing].filter((p) => !tree.has(p) && isGenerated(join(repo, p))).sort();

  if (changed.length > 0 || stale.length > 0) {
    const dir = join(repo, GENERATE_JOURNAL);
    // 1. Stage. A crash or error here leaves the roots untouched; the next run discards the rest.
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, OWNER), String(process.pid));
      let k = 0;
      for (const [path, content] of changed) {
        const staged = join(dir, STAGED, path);
        mkdirSync(dirname(staged), { recursive: true });
        writeFileSync(staged, content);
        options.fault?.("stage", ++k);
      }
      writeDurably(join(dir, JOURNAL_FILE), JSON.stringify({ writes: changed.map(([p]) => p), removes: stale } satisfies Journal));
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
    // 2. Commit: from here on the new tree wins, whatever happens.
    writeDurably(join(dir, `${COMMIT}.tmp`), "");
    renameSync(join(dir, `${COMMIT}.tmp`), join(dir, COMMIT));
    // 3. Apply, 4. done.
    rollForward(repo, roots, dir, { writes: changed.map(([p]) => p), removes: stale }, options.fault);
    finish(dir);
  }
  for (const [path] of changed) bump(path, "written");
  for (const path of stale) bump(path, "removed");

  const folders = [...summary.values()].sort((a, b) => a.folder.localeCompare(b.folder));
  return {
    folders,
    written: changed.length,
    unchanged: folders.reduce((n, f) => n + f.unchanged, 0),
    removed: stale.length,
  };
}
