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
 *
 * Durability (a power cut, not only a killed process): a rename is only as durable as the
 * directory entry it changes, and a renamed file only as its data. So every staged file and
 * the journal are fsynced, then their directories, before COMMIT is renamed into place; the
 * `.generate/` directory is fsynced after that rename; and every directory a file was renamed
 * into or removed from is fsynced before COMMIT is removed (rename(2) and fsync(2): POSIX
 * guarantees neither the data nor the entry on disk without them).
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

/** One durable step, in order: a file or directory fsynced, the commit marker renamed into place or removed. */
export type DurabilityEvent =
  | { step: "fsync-file" | "fsync-dir"; path: string }
  | { step: "commit" | "uncommit"; path: string }
  | { step: "rename"; path: string };

export interface WriteOptions {
  fault?: FaultHook;
  /** Observes every fsync, rename into place and commit-marker step (tests prove the order). */
  trace?: (event: DurabilityEvent) => void;
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

type Trace = WriteOptions["trace"];

/** Writes a file and flushes it to disk, so a staged file, journal or marker never exists half-written. */
function writeDurably(path: string, content: string, trace: Trace): void {
  const fd = openSync(path, "w");
  try {
    writeFileSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  trace?.({ step: "fsync-file", path });
}

/**
 * Flushes a directory's entries (the names created, renamed or removed in it) to disk.
 * Linux and macOS fsync a directory opened read-only; Windows cannot open one, and NTFS
 * journals its metadata, so there it is a no-op.
 */
function syncDir(path: string, trace: Trace): void {
  if (process.platform === "win32" || !existsSync(path)) return;
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  trace?.({ step: "fsync-dir", path });
}

/** Each directory once, deepest first, so a new directory's entry in its parent is flushed after its own. */
function syncDirs(paths: Iterable<string>, trace: Trace): void {
  const all = new Set<string>();
  for (const p of paths) all.add(p);
  for (const d of [...all].sort((a, b) => b.length - a.length || a.localeCompare(b))) syncDir(d, trace);
}

/** A file's directory and every ancestor up to (and including) `top`: the entries a new path created. */
function dirsUpTo(file: string, top: string): string[] {
  const out: string[] = [];
  for (let d = dirname(file); d.startsWith(top) && d.length >= top.length; d = dirname(d)) {
    out.push(d);
    if (d === top) break;
  }
  return out;
}

/** Renames staged files into place and removes stale ones. Safe to run again after a crash at any point. */
function rollForward(repo: string, roots: readonly string[], dir: string, journal: Journal, options: WriteOptions = {}): void {
  let k = 0;
  const touched: string[] = [];
  for (const path of journal.writes) {
    const staged = join(dir, STAGED, path);
    if (!existsSync(staged)) continue; // renamed by the run that crashed
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    renameSync(staged, join(repo, path));
    options.trace?.({ step: "rename", path });
    touched.push(...dirsUpTo(join(repo, path), repo));
    options.fault?.("rename", ++k);
  }
  k = 0;
  for (const path of journal.removes) {
    rmSync(join(repo, path), { force: true });
    touched.push(...dirsUpTo(join(repo, path), repo));
    options.fault?.("remove", ++k);
  }
  for (const r of roots) removeEmptyDirs(join(repo, r));
  // The renames and removals must be on disk before COMMIT goes: after that, nothing redoes them.
  syncDirs(touched, options.trace);
}

function finish(dir: string, trace?: Trace): void {
  rmSync(join(dir, COMMIT), { force: true });
  trace?.({ step: "uncommit", path: join(dir, COMMIT) });
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
      const stagedDirs: string[] = [];
      for (const [path, content] of changed) {
        const staged = join(dir, STAGED, path);
        mkdirSync(dirname(staged), { recursive: true });
        writeDurably(staged, content, options.trace);
        stagedDirs.push(...dirsUpTo(staged, dir));
        options.fault?.("stage", ++k);
      }
      writeDurably(
        join(dir, JOURNAL_FILE),
        JSON.stringify({ writes: changed.map(([p]) => p), removes: stale } satisfies Journal),
        options.trace,
      );
      // The staged files' and the journal's names, then `.generate/` itself in the repository.
      syncDirs([...stagedDirs, dir, repo], options.trace);
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
    // 2. Commit: from here on the new tree wins, whatever happens.
    writeDurably(join(dir, `${COMMIT}.tmp`), "", options.trace);
    renameSync(join(dir, `${COMMIT}.tmp`), join(dir, COMMIT));
    options.trace?.({ step: "commit", path: join(dir, COMMIT) });
    syncDir(dir, options.trace);
    // 3. Apply, 4. done.
    rollForward(repo, roots, dir, { writes: changed.map(([p]) => p), removes: stale }, options);
    finish(dir, options.trace);
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
