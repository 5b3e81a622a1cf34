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

/** Where the cache lives unless told otherwise: gitignored. */
export const DEFAULT_CACHE_DIR = ".cache/render";

const ENTRY = /^[0-9a-f]{64}\.(yaml|json)$/;

/**
 * Version of what an entry holds (the YAML as printed, the objects as parsed by
 * argo/manifest-yaml.ts parseObjects). Part of every key: bump it when either changes, so
 * old entries are never read back in a new shape.
 */
const ENTRY_FORMAT = 2;

/** A cache hit: the YAML exactly as kustomize printed it, and its objects (stored as JSON, which parses far faster than YAML). */
export interface CacheEntry {
  yaml: string;
  objects: Record<string, unknown>[] | undefined;
}

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

  /** What every key hashes besides the inputs: the kustomize version and the entry format. */
  get keyVersion(): string {
    return `${this.kustomizeVersion} format ${ENTRY_FORMAT}`;
  }

  /** The key of a folder (absolute path) for this kustomize version. */
  key(folder: string): string {
    const key = inputsKey(this.repo, folder, this.keyVersion, this.hasher);
    this.used.add(key);
    return key;
  }

  /** The entry of a key, or undefined; an entry removed meanwhile by another process's prune is a miss. */
  get(key: string): CacheEntry | undefined {
    let yaml: string;
    try {
      yaml = readFileSync(join(this.dir, `${key}.yaml`), "utf8");
    } catch {
      return undefined;
    }
    let objects: Record<string, unknown>[] | undefined;
    try {
      objects = JSON.parse(readFileSync(join(this.dir, `${key}.json`), "utf8")) as Record<string, unknown>[];
    } catch {
      objects = undefined;
    }
    return { yaml, objects };
  }

  /** Stores atomically: a concurrent reader sees the old entry or the whole new one. The objects file is written first. */
  put(key: string, yaml: string, objects?: readonly Record<string, unknown>[]): void {
    mkdirSync(this.dir, { recursive: true });
    const write = (file: string, text: string): void => {
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, text);
      renameSync(tmp, file);
    };
    if (objects) write(join(this.dir, `${key}.json`), JSON.stringify(objects));
    write(join(this.dir, `${key}.yaml`), yaml);
  }

  /** Removes every entry not keyed during this cache's life. Returns how many entries went. */
  prune(): number {
    if (!existsSync(this.dir)) return 0;
    const removed = new Set<string>();
    for (const name of readdirSync(this.dir)) {
      const key = name.slice(0, name.indexOf("."));
      if ((ENTRY.test(name) && !this.used.has(key)) || name.endsWith(".tmp")) {
        rmSync(join(this.dir, name), { force: true });
        if (ENTRY.test(name)) removed.add(key);
      }
    }
    return removed.size;
  }

  /** Every entry on disk, by key. */
  entries(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((n) => ENTRY.test(n) && n.endsWith(".yaml"))
      .map((n) => n.slice(0, -".yaml".length))
      .sort();
  }
}
