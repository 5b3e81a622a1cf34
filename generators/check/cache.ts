/**
 * The check cache: findings of one rendered folder stored under .cache/check/<key>.json,
 * beside the render cache (generators/render/cache.ts) and with its conventions: the key
 * is sha256 over everything the findings depend on, writes are atomic (temp file +
 * rename), an entry removed meanwhile is a miss, and a full check prunes what it did not
 * use. What a key covers is decided by the caller (check/run.ts for the schema pass,
 * check/policy/partition.ts for namespace-local rules); this module only adds the rule
 * set's version, so a change to any rule or to the model packages misses every entry.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** Where the cache lives unless told otherwise: gitignored, beside .cache/render. */
export const DEFAULT_CHECK_CACHE_DIR = ".cache/check";

/** Bumped when the stored shape changes. */
const ENTRY_FORMAT = 1;
const ENTRY = /^[0-9a-f]{64}\.json$/;

/**
 * Source trees the rules and the schema pass execute, relative to generators/: a change
 * in any of them may change a finding. The tenant and builder sources are not here: what
 * they produce reaches the check only as rendered objects, which every key hashes.
 */
const RULE_SOURCES = ["check", "rules", "argo", "fleet", "addons", "api"];

function* files(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (e.isFile()) yield p;
  }
}

let version: string | undefined;

/**
 * The rule set's version: sha256 of the rule and schema sources (found beside this
 * module, since the code that judges is not an input of the repository being judged),
 * the lockfile that pins the model packages, and the entry format.
 */
export function ruleSetVersion(): string {
  if (version !== undefined) return version;
  const generators = join(dirname(fileURLToPath(import.meta.url)), "..");
  const h = createHash("sha256").update(`format ${ENTRY_FORMAT}\n`);
  for (const sub of RULE_SOURCES)
    for (const f of files(join(generators, sub)))
      h.update(`${relative(generators, f)}\n`)
        .update(readFileSync(f))
        .update("\n");
  const lock = join(generators, "..", "package-lock.json");
  if (existsSync(lock)) h.update(readFileSync(lock));
  version = h.digest("hex");
  return version;
}

/** sha256 of strings, each length-prefixed so that no two different lists collide. */
export function hashParts(parts: readonly string[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(`${Buffer.byteLength(p)}:`).update(p);
  return h.digest("hex");
}

export class CheckCache {
  readonly dir: string;
  private readonly used = new Set<string>();
  /** Entries served and written since construction. */
  readonly stats = { hits: 0, misses: 0 };

  /** `dir` is absolute, or relative to `repo`. */
  constructor(repo: string, dir: string = DEFAULT_CHECK_CACHE_DIR) {
    this.dir = dir.startsWith("/") ? dir : join(repo, dir);
  }

  /** The key of an entry: the rule set's version plus the caller's parts. */
  key(parts: readonly string[]): string {
    const key = hashParts([ruleSetVersion(), ...parts]);
    this.used.add(key);
    return key;
  }

  get<T>(key: string): T | undefined {
    try {
      const value = JSON.parse(readFileSync(join(this.dir, `${key}.json`), "utf8")) as T;
      this.stats.hits += 1;
      return value;
    } catch {
      this.stats.misses += 1;
      return undefined;
    }
  }

  put(key: string, value: unknown): void {
    mkdirSync(this.dir, { recursive: true });
    const file = join(this.dir, `${key}.json`);
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    writeFileSync(tmp, JSON.stringify(value));
    renameSync(tmp, file);
  }

  /** Removes every entry this instance did not key; returns how many. */
  prune(): number {
    if (!existsSync(this.dir)) return 0;
    let n = 0;
    for (const name of readdirSync(this.dir)) {
      if (!ENTRY.test(name) || this.used.has(name.slice(0, 64))) continue;
      const p = join(this.dir, name);
      if (statSync(p, { throwIfNoEntry: false })) rmSync(p, { force: true });
      n += 1;
    }
    return n;
  }
}
