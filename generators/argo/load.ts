/** Reads what Argo CD reads from apps/: the root Application's folder (apps/fleet) as its kustomization lists it, or every object under a folder. */
import { readdirSync, readFileSync, existsSync, statSync } from "node:fs";
import { join, normalize, relative } from "node:path";
import { loadDocuments, parseObjects } from "./manifest-yaml.js";
import type { AppSetLike } from "./expand.js";
import type { ProjectLike } from "./project.js";

export interface FleetApps {
  applicationSets: (AppSetLike & { metadata: { annotations?: Record<string, string>; labels?: Record<string, string> } })[];
  projects: ProjectLike[];
}

/** Every document of a folder's kustomization `resources` (files only; apps/fleet has no sub-bases). */
export function loadFleetApps(repo: string, folder = "apps/fleet"): FleetApps {
  return fleetAppsFrom((path) => readFileSync(join(repo, path), "utf8"), folder);
}

/** The same from any reader of repo-relative paths, e.g. an in-memory generated tree. */
export function fleetAppsFrom(read: (path: string) => string, folder = "apps/fleet"): FleetApps {
  const file = `${folder}/kustomization.yaml`;
  const k = parseObjects(read(file), file)[0] as { resources: string[] };
  const docs = k.resources.flatMap((r) => parseObjects(read(`${folder}/${r}`), `${folder}/${r}`));
  return {
    applicationSets: docs.filter((d) => d.kind === "ApplicationSet") as unknown as FleetApps["applicationSets"],
    projects: docs.filter((d) => d.kind === "AppProject") as unknown as ProjectLike[],
  };
}

/**
 * Every object in the YAML files under `folder` of `repo` (recursively, in path order,
 * kustomization files excluded): what Argo CD's root Application and `kubectl apply -f
 * apps/root.yaml` read. A missing folder has no objects; bad YAML names its file.
 */
export function loadYamlObjects(repo: string, folder: string): Record<string, unknown>[] {
  const root = join(repo, folder);
  if (!existsSync(root)) return [];
  const files = readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  return files.flatMap((f) =>
    loadDocuments(readFileSync(join(root, f), "utf8"), `${folder}/${f}`).flatMap((v) => {
      if (typeof v !== "object" || v === null || Array.isArray(v)) return [];
      const o = v as Record<string, unknown>;
      return o.kind === "Kustomization" ? [] : [o];
    }),
  );
}

/**
 * Every local folder a kustomization folder reads, itself included: its resources and
 * components that are directories, recursively (repo-relative paths).
 */
export function kustomizeInputs(repo: string, folder: string, seen = new Set<string>()): Set<string> {
  const dir = normalize(folder);
  if (seen.has(dir)) return seen;
  seen.add(dir);
  const file = join(repo, dir, "kustomization.yaml");
  if (!existsSync(file)) return seen;
  const k = (parseObjects(readFileSync(file, "utf8"), file)[0] ?? {}) as { resources?: string[]; components?: string[] };
  for (const r of [...(k.resources ?? []), ...(k.components ?? [])]) {
    if (/^[a-z]+:\/\//.test(r)) continue;
    const abs = join(repo, dir, r);
    if (existsSync(abs) && statSync(abs).isDirectory()) kustomizeInputs(repo, relative(repo, abs), seen);
  }
  return seen;
}
