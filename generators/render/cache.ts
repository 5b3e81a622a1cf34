/**
 * The render cache: a folder's rendered YAML stored under .cache/render/<key>.yaml, where
 * the key hashes the folder's transitive inputs (generators/render/inputs.ts) and the
 * kustomize version. An unchanged folder costs a hash instead of a kustomize run.
 *
 * A full render (every cluster) prunes entries it did not produce, so deleted or changed
 * folders leave nothing stale behind; a render limited to one cluster only adds.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FileHasher, inputsKey } from "./inputs.js";
import type { RenderedFolder, RenderOptions } from "./render.js";
import { renderFleet } from "./render.js";

/** Where the cache lives unless told otherwise: gitignored. */
export const DEFAULT_CACHE_DIR = ".cache/render";

const ENTRY = /^[0-9a-f]{64}\.yaml$/;

export class RenderCache {
  readonly dir: string;
  private readonly hasher = new FileHasher();
  private readonly used = new Set<string>();

  /** `dir` is absolute, or relative to `repo`. */
  constructor(
    readonly repo: string,
    readonly kustomizeVersion: string,
    dir: string = DEFAULT_CACHE_DIR,
  ) {
    this.dir = join(dir.startsWith("/") ? "" : repo, dir);
  }

  /** The key of a folder (absolute path) for this kustomize version. */
  key(folder: string): string {
    const key = inputsKey(this.repo, folder, this.kustomizeVersion, this.hasher);
    this.used.add(key);
    return key;
  }

  get(key: string): string | undefined {
    const file = join(this.dir, `${key}.yaml`);
    return existsSync(file) ? readFileSync(file, "utf8") : undefined;
  }

  /** Stores atomically: a concurrent reader sees the old entry or the whole new one. */
  put(key: string, yaml: string): void {
    mkdirSync(this.dir, { recursive: true });
    const file = join(this.dir, `${key}.yaml`);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, yaml);
    renameSync(tmp, file);
  }

  /** Removes every entry not keyed during this cache's life. Returns how many went. */
  prune(): number {
    if (!existsSync(this.dir)) return 0;
    let removed = 0;
    for (const name of readdirSync(this.dir)) {
      if ((ENTRY.test(name) && !this.used.has(name.slice(0, -".yaml".length))) || name.endsWith(".tmp")) {
        rmSync(join(this.dir, name), { force: true });
        removed += 1;
      }
    }
    return removed;
  }

  /** Every entry on disk, by key. */
  entries(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((n) => ENTRY.test(n))
      .map((n) => n.slice(0, -".yaml".length))
      .sort();
  }
}

/** `renderFleet` with the cache on: unchanged folders are read back instead of rebuilt. */
export function renderFleetCached(repo: string, options: Omit<RenderOptions, "cache"> & { cacheDir?: string } = {}): Promise<RenderedFolder[]> {
  const { cacheDir, ...rest } = options;
  return renderFleet(repo, { ...rest, cache: cacheDir !== undefined ? { dir: cacheDir } : true });
}
