/** Renders cluster folders with the real kustomize, in parallel, optionally through the render cache. */
import { join } from "node:path";
import { parseObjects } from "../argo/manifest-yaml.js";
import { buildFolder, DEFAULT_PARALLELISM, findKustomize, mapLimit, type Kustomize } from "./kustomize.js";
import { listClusterFolders, type ClusterFolder } from "./folders.js";
import { RenderCache } from "./cache.js";
import { readCosts, recordCosts, shardFolders, type Shard, type ShardUnit } from "./shard.js";

export interface RenderedFolder extends ClusterFolder {
  yaml: string;
  /** Parsed from `yaml` on first read (renderedFolder); never assigned. */
  readonly objects: Record<string, unknown>[];
}

/**
 * A folder rendered to `yaml`, its objects parsed on first use: `npm run render` only writes
 * the YAML, and parsing the fleet's 2.8 MB was a third of its own CPU (docs/performance.md).
 */
function renderedFolder(f: ClusterFolder, yaml: string, parsed?: Record<string, unknown>[]): RenderedFolder {
  let objects = parsed;
  return {
    ...f,
    yaml,
    get objects(): Record<string, unknown>[] {
      objects ??= parseObjects(yaml, f.path);
      return objects;
    },
  };
}

/** Builds one folder (absolute path) to YAML text. The default runs the real kustomize. */
export type FolderBuilder = (dir: string, k: Kustomize) => Promise<string>;

/** What a render did, filled in when passed as `stats`. */
export interface RenderStats {
  /** Folders built by the builder (kustomize runs). */
  built: number;
  /** Folders served from the render cache. */
  cached: number;
  /** Cache entries removed after a full render. */
  pruned: number;
}

export interface RenderOptions {
  /** Only this cluster's folders. @default every cluster */
  cluster?: string;
  /** Concurrent kustomize processes. @default the core count */
  parallelism?: number;
  /**
   * Serve unchanged folders from the render cache (.cache/render, or `dir` relative to
   * the repo or absolute). A full render prunes entries it did not use. @default false
   */
  cache?: boolean | { dir?: string };
  /** After a full render through the cache, remove the entries it did not use. @default true */
  prune?: boolean;
  /** Builds a folder. @default the real kustomize (buildFolder) */
  builder?: FolderBuilder;
  /** The kustomize to build with; its version is part of every cache key. @default findKustomize() */
  kustomize?: Kustomize;
  /** Counters filled in by the render. */
  stats?: RenderStats;
  /**
   * Only this shard's folders (render/shard.ts), balanced by the costs given or recorded
   * in .cache/shard-costs.json; whole clusters stay together with unit "cluster". A
   * sharded render never prunes the cache. @default every folder
   */
  shard?: { shard: Shard; unit?: ShardUnit; costs?: ReadonlyMap<string, number> };
}

export async function renderFleet(repo: string, options: RenderOptions = {}): Promise<RenderedFolder[]> {
  const k = options.kustomize ?? findKustomize();
  const build = options.builder ?? buildFolder;
  const all = listClusterFolders(repo, options.cluster);
  const sh = options.shard;
  const folders = sh ? shardFolders(all, sh.shard, sh.costs ?? readCosts(repo), sh.unit) : all;
  const cache = options.cache
    ? new RenderCache(repo, k.version, typeof options.cache === "object" ? options.cache.dir : undefined)
    : undefined;
  const stats = options.stats;
  const rendered = await mapLimit(folders, options.parallelism ?? DEFAULT_PARALLELISM, async (f) => {
    const dir = join(repo, f.path);
    const key = cache?.key(dir);
    const hit = key !== undefined ? cache?.get(key) : undefined;
    if (hit) {
      if (stats) stats.cached += 1;
      return renderedFolder(f, hit.yaml, hit.objects);
    }
    const yaml = await build(dir, k);
    const folder = renderedFolder(f, yaml);
    // The cache keeps the objects beside the YAML, so a later check reads JSON instead of parsing.
    if (key !== undefined) cache?.put(key, yaml, folder.objects);
    if (stats) stats.built += 1;
    return folder;
  });
  // The next sharded run balances by what this one rendered.
  if (cache) recordCosts(repo, rendered);
  if (cache && options.cluster === undefined && sh === undefined && (options.prune ?? true)) {
    const pruned = cache.prune();
    if (stats) stats.pruned += pruned;
  }
  return rendered;
}
