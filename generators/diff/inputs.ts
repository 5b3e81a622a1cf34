/**
 * Content hash of a kustomize folder's transitive inputs: its kustomization.yaml and every
 * file it references through resources, components and patches paths, recursively. Two
 * checkouts whose hashes agree render identically, so neither needs rendering.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, normalize, relative } from "node:path";
import { parse } from "yaml";

const KUSTOMIZATION_NAMES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

function kustomizationFile(dir: string): string | undefined {
  return KUSTOMIZATION_NAMES.map((n) => join(dir, n)).find((f) => existsSync(f));
}

/** Local paths a kustomization refers to. Remote URLs are hashed by their text (they sit in the kustomization). */
function referencedPaths(doc: Record<string, unknown>): string[] {
  const out: string[] = [];
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
  out.push(...strings(doc.resources), ...strings(doc.components), ...strings(doc.bases), ...strings(doc.crds));
  out.push(...strings(doc.patchesStrategicMerge));
  for (const key of ["patches", "patchesJson6902"]) {
    const patches = doc[key];
    if (!Array.isArray(patches)) continue;
    for (const p of patches) {
      if (typeof p === "string") out.push(p);
      else if (p && typeof p === "object" && typeof (p as { path?: unknown }).path === "string") out.push((p as { path: string }).path);
    }
  }
  for (const key of ["configMapGenerator", "secretGenerator"]) {
    const gens = doc[key];
    if (!Array.isArray(gens)) continue;
    for (const g of gens) {
      for (const f of strings((g as { files?: unknown }).files)) out.push(f.includes("=") ? f.slice(f.indexOf("=") + 1) : f);
      for (const f of strings((g as { envs?: unknown }).envs)) out.push(f);
    }
  }
  return out.filter((p) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(p) && !p.startsWith("git@") && !p.includes("?ref="));
}

/** Every input file of a folder, repo-relative, sorted. Missing references are recorded as such. */
export function folderInputs(repo: string, folder: string): string[] {
  const files = new Set<string>();
  const seenDirs = new Set<string>();
  const visitDir = (dir: string): void => {
    const rel = relative(repo, dir);
    if (seenDirs.has(rel)) return;
    seenDirs.add(rel);
    const k = kustomizationFile(dir);
    if (!k) {
      files.add(`${rel}/<no kustomization>`);
      return;
    }
    files.add(relative(repo, k));
    const doc = parse(readFileSync(k, "utf8")) as unknown;
    if (!doc || typeof doc !== "object") return;
    for (const ref of referencedPaths(doc as Record<string, unknown>)) {
      const target = normalize(join(dir, ref));
      if (!existsSync(target)) files.add(`${relative(repo, target)}<missing>`);
      else if (statSync(target).isDirectory()) visitDir(target);
      else files.add(relative(repo, target));
    }
  };
  visitDir(join(repo, folder));
  return [...files].sort();
}

/** sha256 over the input files' paths and contents. */
export function folderHash(repo: string, folder: string): string {
  const h = createHash("sha256");
  for (const f of folderInputs(repo, folder)) {
    h.update(f).update("\0");
    if (!f.endsWith(">")) h.update(readFileSync(join(repo, f))).update("\0");
  }
  return h.digest("hex");
}
