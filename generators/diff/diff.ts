/**
 * The rendered difference between a base git ref and the working tree, per
 * clusters/<cluster>/<tenant> folder. The base is generated from its own code in a
 * temporary worktree; folders whose transitive inputs hash equal are not rendered.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { buildFolder, DEFAULT_PARALLELISM, findKustomize, mapLimit, parseObjects } from "../render/kustomize.js";
import { listClusterFolders, type ClusterFolder } from "../render/folders.js";
import { inputsKey } from "../render/inputs.js";
import { DiffError, defaultBase, resolveRef, withWorktree } from "./git.js";

/** Both sides render with the same kustomize, so the version plays no part in the comparison. */
const folderKey = (root: string, path: string): string => inputsKey(root, join(root, path), "");
import { diffValues, isGpuChange, isImagePath, isReplicaPath, objectKey, objectLabel, type FieldChange, type Obj } from "./objects.js";

/** Renders one folder (absolute path) to YAML. Injectable so tests can count kustomize runs. */
export type FolderRenderer = (dir: string) => Promise<string>;

export interface DiffOptions {
  /** Git ref to compare against. @default merge-base with main, or HEAD when the tree is dirty */
  base?: string;
  /** Only this cluster. @default every cluster */
  cluster?: string;
  /** Only this tenant. @default every tenant */
  tenant?: string;
  /** @default the real kustomize */
  render?: FolderRenderer;
  /** Regenerate the base ref with its own generator before rendering. @default true */
  generateBase?: boolean;
  parallelism?: number;
}

export type ChangeKind = "added" | "removed" | "changed";

export interface ObjectChange {
  kind: ChangeKind;
  key: string;
  label: string;
  /** Field changes for "changed"; for added/removed the whole object is in `object`. */
  fields: FieldChange[];
  object?: Obj;
}

export interface FolderDiff extends ClusterFolder {
  /** "added"/"removed" when the folder exists on one side only. */
  status: "changed" | "added" | "removed" | "unchanged";
  objects: ObjectChange[];
}

export interface ClusterSummary {
  cluster: string;
  added: number;
  changed: number;
  removed: number;
  replicas: number;
  images: number;
  gpus: number;
}

export interface DiffResult {
  base: { ref: string; commit: string; why: string };
  folders: FolderDiff[];
  summaries: ClusterSummary[];
  /** Folders compared, and how many were skipped because their input hashes were equal. */
  stats: { folders: number; skipped: number; rendered: number };
  hasChanges: boolean;
}

export function runNpmGenerate(dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile("npm", ["run", "--silent", "generate"], { cwd: dir, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`npm run generate failed in the base worktree:\n${(stderr || stdout).trim() || err.message}`));
      else resolve();
    });
  });
}

function listFolders(root: string, cluster: string | undefined, tenant: string | undefined): ClusterFolder[] {
  const all = listClusterFolders(root);
  const clusters = new Set(all.map((f) => f.cluster));
  const chosen = all.filter((f) => (cluster === undefined || f.cluster === cluster) && (tenant === undefined || f.tenant === tenant));
  return cluster !== undefined && !clusters.has(cluster) ? [] : chosen;
}

export function compareObjects(before: Obj[], after: Obj[]): ObjectChange[] {
  const a = new Map(before.map((o) => [objectKey(o), o]));
  const b = new Map(after.map((o) => [objectKey(o), o]));
  const changes: ObjectChange[] = [];
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(key);
    const y = b.get(key);
    if (x && !y) changes.push({ kind: "removed", key, label: objectLabel(x), fields: [], object: x });
    else if (!x && y) changes.push({ kind: "added", key, label: objectLabel(y), fields: [], object: y });
    else if (x && y) {
      const fields = diffValues(x, y);
      if (fields.length > 0) changes.push({ kind: "changed", key, label: objectLabel(y), fields });
    }
  }
  return changes;
}

export function summarize(folders: FolderDiff[]): ClusterSummary[] {
  const by = new Map<string, ClusterSummary>();
  for (const f of folders) {
    if (f.objects.length === 0) continue;
    const s = by.get(f.cluster) ?? { cluster: f.cluster, added: 0, changed: 0, removed: 0, replicas: 0, images: 0, gpus: 0 };
    by.set(f.cluster, s);
    for (const o of f.objects) {
      s[o.kind]++;
      s.replicas += o.fields.filter((c) => isReplicaPath(c.path)).length;
      s.images += o.fields.filter((c) => isImagePath(c.path)).length;
      s.gpus += o.fields.filter(isGpuChange).length;
    }
  }
  return [...by.values()].sort((x, y) => x.cluster.localeCompare(y.cluster));
}

/** Diffs the rendered fleet of `repo`'s working tree against a base ref. Never writes to `repo`'s checkout. */
export async function diffFleet(repo: string, options: DiffOptions = {}): Promise<DiffResult> {
  const chosen = options.base !== undefined ? { ref: options.base, why: "given with --base" } : defaultBase(repo);
  const commit = resolveRef(repo, chosen.ref);
  const render: FolderRenderer = options.render ?? ((dir) => buildFolder(dir, findKustomize()));
  const parallelism = options.parallelism ?? DEFAULT_PARALLELISM;

  const head = listFolders(repo, options.cluster, options.tenant);
  return withWorktree(repo, commit, async (baseDir) => {
    if (options.generateBase ?? true) await runNpmGenerate(baseDir);
    const base = listFolders(baseDir, options.cluster, options.tenant);
    if (options.cluster !== undefined && head.length === 0 && base.length === 0) {
      throw new DiffError(`unknown cluster "${options.cluster}" (not under clusters/ on either side)`);
    }
    if (options.tenant !== undefined && head.length === 0 && base.length === 0) {
      throw new DiffError(`no folder of tenant "${options.tenant}" under clusters/${options.cluster ?? "*"}/ on either side`);
    }
    const paths = [...new Set([...base, ...head].map((f) => f.path))].sort();
    const byPath = new Map([...base, ...head].map((f) => [f.path, f]));
    const inBase = new Set(base.map((f) => f.path));
    const inHead = new Set(head.map((f) => f.path));
    let rendered = 0;
    let skipped = 0;
    const objectsOf = async (root: string, path: string): Promise<Obj[]> => {
      rendered++;
      return parseObjects(await render(join(root, path)), path);
    };

    const folders = await mapLimit(paths, parallelism, async (path): Promise<FolderDiff> => {
      const f = byPath.get(path) as ClusterFolder;
      const here = inHead.has(path);
      const there = inBase.has(path);
      if (here && there && folderKey(baseDir, path) === folderKey(repo, path)) {
        skipped++;
        return { ...f, status: "unchanged", objects: [] };
      }
      const [before, after] = await Promise.all([there ? objectsOf(baseDir, path) : [], here ? objectsOf(repo, path) : []]);
      const objects = compareObjects(before, after);
      const status = !there ? "added" : !here ? "removed" : objects.length > 0 ? "changed" : "unchanged";
      return { ...f, status, objects };
    });
    const summaries = summarize(folders);
    return {
      base: { ref: chosen.ref, commit, why: chosen.why },
      folders,
      summaries,
      stats: { folders: paths.length, skipped, rendered },
      hasChanges: folders.some((f) => f.objects.length > 0),
    };
  });
}
