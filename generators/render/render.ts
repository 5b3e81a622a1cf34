/** Renders cluster folders with the real kustomize, in parallel. */
import { join } from "node:path";
import { buildFolder, DEFAULT_PARALLELISM, findKustomize, mapLimit, parseObjects } from "./kustomize.js";
import { listClusterFolders, type ClusterFolder } from "./folders.js";

export interface RenderedFolder extends ClusterFolder {
  yaml: string;
  objects: Record<string, unknown>[];
}

export interface RenderOptions {
  /** Only this cluster's folders. @default every cluster */
  cluster?: string;
  /** Concurrent kustomize processes. @default the core count */
  parallelism?: number;
}

export async function renderFleet(repo: string, options: RenderOptions = {}): Promise<RenderedFolder[]> {
  const k = findKustomize();
  const folders = listClusterFolders(repo, options.cluster);
  return mapLimit(folders, options.parallelism ?? DEFAULT_PARALLELISM, async (f) => {
    const yaml = await buildFolder(join(repo, f.path), k);
    return { ...f, yaml, objects: parseObjects(yaml, f.path) };
  });
}
