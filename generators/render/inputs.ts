/**
 * The transitive inputs of a kustomization folder: every file kustomize may read to
 * build it, found by parsing kustomization.yaml and following resources, components,
 * patches, generators and transformers through the directories they name.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseDocument } from "../argo/manifest-yaml.js";

const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/** A reference kustomize resolves remotely; it is hashed by its text, not followed. */
const isRemote = (ref: string): boolean =>
  /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(ref) || ref.includes("?ref=");

export interface FolderInputs {
  /** Absolute paths of every local file the build reads, sorted. */
  files: string[];
  /** Remote references (URLs), hashed by their text. */
  remote: string[];
}

function kustomizationFile(dir: string): string | undefined {
  for (const name of KUSTOMIZATION_FILES) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const objects = (v: unknown): Record<string, unknown>[] =>
  Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x)) : [];

/** A generator's `files` entry may be `key=path`; the path is after the first `=`. */
const generatorFile = (entry: string): string => (entry.includes("=") ? entry.slice(entry.indexOf("=") + 1) : entry);

/** Every path-like reference a kustomization makes, relative to its folder. */
function references(k: Record<string, unknown>): string[] {
  const refs = [...strings(k.resources), ...strings(k.bases), ...strings(k.components), ...strings(k.crds)];
  refs.push(...strings(k.generators), ...strings(k.transformers), ...strings(k.validators));
  // patchesStrategicMerge entries are file paths or inline patches; only single-line entries can be paths.
  refs.push(...strings(k.patchesStrategicMerge).filter((p) => !p.includes("\n")));
  for (const p of [...objects(k.patches), ...objects(k.patchesJson6902)]) if (typeof p.path === "string") refs.push(p.path);
  for (const g of [...objects(k.configMapGenerator), ...objects(k.secretGenerator)]) {
    refs.push(...strings(g.files).map(generatorFile), ...strings(g.envs));
    if (typeof g.env === "string") refs.push(g.env);
  }
  for (const h of objects(k.helmCharts)) if (typeof h.valuesFile === "string") refs.push(h.valuesFile);
  const openapiPath = typeof k.openapi === "object" && k.openapi !== null ? (k.openapi as Record<string, unknown>).path : undefined;
  if (typeof openapiPath === "string") refs.push(openapiPath);
  for (const c of objects(k.configurations)) if (typeof c.path === "string") refs.push(c.path);
  refs.push(...strings(k.configurations));
  return refs;
}

/** Collects the inputs of the kustomization in `dir`. Throws when `dir` has no kustomization file. */
export function folderInputs(dir: string): FolderInputs {
  const files = new Set<string>();
  const remote = new Set<string>();
  const seenDirs = new Set<string>();
  const visitDir = (d: string): void => {
    const abs = resolve(d);
    if (seenDirs.has(abs)) return;
    seenDirs.add(abs);
    const kfile = kustomizationFile(abs);
    if (!kfile) throw new Error(`${abs}: no kustomization.yaml`);
    files.add(kfile);
    const parsed = parseDocument(readFileSync(kfile, "utf8"), kfile);
    const k = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
    for (const ref of references(k)) {
      if (isRemote(ref)) {
        remote.add(ref);
        continue;
      }
      const target = resolve(abs, ref);
      // A missing reference is kustomize's error to report; hash its name so the key still changes when it appears.
      if (!existsSync(target)) files.add(target);
      else if (statSync(target).isDirectory()) visitDir(target);
      else files.add(target);
    }
  };
  visitDir(dir);
  return { files: [...files].sort(), remote: [...remote].sort() };
}

/** Hashes file contents, remembering each file's digest for the life of the memo (one render run). */
export class FileHasher {
  private readonly memo = new Map<string, string>();

  digest(path: string): string {
    let d = this.memo.get(path);
    if (d === undefined) {
      d = existsSync(path) ? createHash("sha256").update(readFileSync(path)).digest("hex") : "missing";
      this.memo.set(path, d);
    }
    return d;
  }
}

/**
 * The cache key of a folder: sha256 over the kustomize version, the folder's own path
 * and every input file's repo-relative path and bytes. Paths are relative to `repo`, so
 * a copy of the repo elsewhere shares keys.
 */
export function inputsKey(repo: string, dir: string, kustomizeVersion: string, hasher: FileHasher = new FileHasher()): string {
  const { files, remote } = folderInputs(dir);
  const h = createHash("sha256");
  h.update(`kustomize ${kustomizeVersion}\0folder ${relative(repo, resolve(dir))}\0`);
  for (const f of files) h.update(`file ${relative(repo, f)}\0${hasher.digest(f)}\0`);
  for (const r of remote) h.update(`remote ${r}\0`);
  return h.digest("hex");
}
