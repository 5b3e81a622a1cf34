/**
 * Strict "known fields" trees derived from the model packages' TypeScript declarations.
 *
 * Why: the JSON schemas compiled into kubernetes-models (and the CRD model packages) check types
 * and required fields but carry no `additionalProperties: false`, so a typo such as
 * `imagePullPolicyy` passes. The packages' .d.ts files, however, declare every field of every
 * object exactly, so we derive the set of allowed field names from them.
 *
 * How:
 * Files: `field-graph.ts` (the graph's types), `declaration-walker.ts` (steps 1 and 2, the
 * compiler and the walk), this file (step 3, the cache, and the entry point the check calls).
 *
 *   1. ONE `ts.Program` is created over a virtual root module that does
 *      `import type { IDeployment as T0 } from "kubernetes-models/apps/v1/Deployment"` for every
 *      registered kind (module resolution NodeNext, so package "exports"/"types" are honoured;
 *      only the .d.ts files actually referenced get parsed; no type-check pass is run).
 *   2. From each root interface the declarations are walked recursively into a graph of
 *      `FieldNode`s (one flat array, children referenced by index, so recursive types terminate).
 *      The walk follows the type *syntax* of the declarations and uses the checker only to
 *      resolve names (imports, aliases, `extends`) to their declarations. Asking the checker for
 *      each property's resolved type would be simpler but is unusable here: Istio's generated
 *      DestinationRule (37k lines) encodes oneOf as `X & (A | B | C) & (Exclude<…> | …)`, which
 *      the checker distributes into enormous unions of intersections (65 s, 136k nodes for that
 *      kind alone; the syntax walk: ~10 ms, 45 nodes). Rules:
 *        - `T | undefined` / optional props  → the node of T (nullability is ajv's business);
 *        - `Array<T>`, `T[]`, tuples          → `items` = node of the element type;
 *        - interfaces (incl. `extends`) and object literal types → `props` = name → node;
 *        - string index signatures (`Record<string, X>`, `{[k: string]: X}`) → `anyKey` = node of X;
 *        - `any`, `unknown`, `object`, and object types with no members (e.g. RawExtension and
 *          apiextensions JSON = `interface {}`, i.e. x-kubernetes-preserve-unknown-fields)
 *                                            → `open`: anything is allowed below;
 *        - unions AND intersections          → the merge of their members' fields (for "which
 *          field names exist" both mean the union of fields); `Exclude<T, U>`, `Partial<T>`, …
 *          → T's fields (a superset);
 *        - primitives and literals           → a leaf (types/enums/formats are checked by ajv);
 *        - any other syntax (none occurs in the current packages) → the checker's resolved type,
 *          walked with the same rules (`checker fallbacks` in the debug output).
 *      Nodes are memoized per declaration symbol and hash-consed by content (the generated CRD
 *      declarations repeat identical anonymous literals many times), merged nodes per pair.
 *   3. The result (`StrictFieldTree`: nodes + root index per registered module#interface) is
 *      plain JSON, keyed by a hash of the model/typescript package versions, the requested roots
 *      and the source of the walker and this file. It is committed beside this file
 *      (strict-fields.json, written by `npm run schema`; test/check/strict-tree.test.ts fails when
 *      it is stale), so a clone's first check does not run the compiler, and cached in
 *      `node_modules/.cache/ai-fleet-strict-schema/<hash>.json` for a key the committed file does
 *      not hold (a walker being edited, a package bumped and not yet committed). Neither is
 *      trusted beyond its key: a missing, stale or unreadable file means the tree is derived again.
 *
 * Timing (2 vCPU container under load): cold derivation for the 45 registered kinds ≈ 1.5–2.5 s
 * (program over ~845 .d.ts files / 3.4 MB ≈ 1.3–2.2 s with JSDoc parsing off, walk 0.05–0.4 s,
 * ~830 nodes); a committed or cached tree loads in ≈ 2 ms and `typescript` is then not even
 * loaded. Set STRICT_SCHEMA_DEBUG=1 to print these figures on stderr, STRICT_SCHEMA_NO_CACHE=1 to
 * bypass the node_modules cache (not the committed tree, which is a source file); nothing is
 * printed otherwise.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { deriveStrictFieldTree, WALKER_SOURCE } from "./declaration-walker.js";
import { rootKey, type StrictFieldTree, type StrictRoot, type StrictTreeStats } from "./field-graph.js";

export { deriveStrictFieldTree } from "./declaration-walker.js";
export { type FieldNode, rootKey, type StrictFieldTree, type StrictRoot, type StrictTreeStats } from "./field-graph.js";

const PROJECT_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const CACHE_DIR = join(PROJECT_ROOT, "node_modules", ".cache", "ai-fleet-strict-schema");
/** The committed tree of today's packages and walker. */
export const COMMITTED_TREE = "generators/check/schema/strict-fields.json";
const COMMITTED_SOURCE =
  "derived from the model packages' declarations by generators/check/schema/declaration-walker.ts; do not edit: run npm run schema";

function packageVersion(name: string): string {
  try {
    const pkg: unknown = JSON.parse(readFileSync(join(PROJECT_ROOT, "node_modules", name, "package.json"), "utf8"));
    const version = typeof pkg === "object" && pkg !== null ? (pkg as { version?: unknown }).version : undefined;
    return typeof version === "string" ? version : "?";
  } catch {
    return "missing";
  }
}

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** Everything the derived tree depends on: package versions, requested roots and the walker's source. */
function cacheKey(roots: readonly StrictRoot[]): string {
  const packages = new Set(["typescript", "@kubernetes-models/apimachinery", "@kubernetes-models/base"]);
  for (const r of roots) if (!r.module.startsWith("./")) packages.add(packageName(r.module));
  const hash = createHash("sha256");
  for (const name of [...packages].sort()) hash.update(`${name}@${packageVersion(name)}\n`);
  for (const r of roots) hash.update(`${rootKey(r)}\n`);
  // The walker's source and this file's (one file when bundled).
  for (const file of new Set([WALKER_SOURCE, fileURLToPath(import.meta.url)])) {
    try {
      hash.update(readFileSync(file));
    } catch {
      hash.update("no-source");
    }
  }
  // Models of this repository ("./" roots, generators/addons/models): their source is part of the key.
  for (const r of roots.filter((x) => x.module.startsWith("./"))) {
    try {
      hash.update(readFileSync(join(PROJECT_ROOT, r.module.slice(2).replace(/\.js$/, ".ts"))));
    } catch {
      hash.update(`missing ${r.module}`);
    }
  }
  return hash.digest("hex").slice(0, 24);
}

function isStrictFieldTree(value: unknown, roots: readonly StrictRoot[]): value is StrictFieldTree {
  if (typeof value !== "object" || value === null) return false;
  const v = value as { nodes?: unknown; roots?: unknown };
  if (!Array.isArray(v.nodes) || typeof v.roots !== "object" || v.roots === null) return false;
  const r = v.roots as Record<string, unknown>;
  const n = v.nodes.length;
  return roots.every((root) => {
    const id = r[rootKey(root)];
    return typeof id === "number" && id >= 0 && id < n;
  });
}

let lastStats: StrictTreeStats | undefined;

/** Statistics of the last `loadStrictFieldTree` call (for benchmarks and STRICT_SCHEMA_DEBUG). */
export function strictTreeStats(): StrictTreeStats | undefined {
  return lastStats;
}

/** The committed tree when it was derived for `key` and holds every root. */
function readCommitted(key: string, roots: readonly StrictRoot[]): StrictFieldTree | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(PROJECT_ROOT, COMMITTED_TREE), "utf8"));
    if ((parsed as { key?: unknown } | null)?.key !== key || !isStrictFieldTree(parsed, roots)) return undefined;
    return { nodes: parsed.nodes, roots: parsed.roots };
  } catch {
    return undefined;
  }
}

/** The committed file's text for a tree: one node per line, so a package bump reads as a diff. */
export function committedTreeText(roots: readonly StrictRoot[], tree: StrictFieldTree): string {
  const nodes = tree.nodes.map((n) => `    ${JSON.stringify(n)}`).join(",\n");
  return `{\n  "source": ${JSON.stringify(COMMITTED_SOURCE)},\n  "key": ${JSON.stringify(cacheKey(roots))},\n  "roots": ${JSON.stringify(tree.roots)},\n  "nodes": [\n${nodes}\n  ]\n}\n`;
}

/**
 * `npm run schema`: derives the tree anew (no file is trusted) and writes the committed file when
 * its text differs. Returns whether it was stale; `check` only compares.
 */
export function refreshCommittedTree(roots: readonly StrictRoot[], opts: { check?: boolean } = {}): boolean {
  const file = join(PROJECT_ROOT, COMMITTED_TREE);
  const text = committedTreeText(roots, deriveStrictFieldTree(roots).tree);
  let current = "";
  try {
    current = readFileSync(file, "utf8");
  } catch {
    // Not written yet.
  }
  if (current === text) return false;
  if (!opts.check) {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  }
  return true;
}

/**
 * The known-fields graph for `roots`: the committed tree when it was derived for today's packages
 * and walker, else the node_modules cache, else derived (and cached).
 * Set `useCache: false` to force a derivation (tests).
 */
export function loadStrictFieldTree(roots: readonly StrictRoot[], opts: { useCache?: boolean } = {}): StrictFieldTree {
  const force = opts.useCache === false;
  const useCache = !force && process.env.STRICT_SCHEMA_NO_CACHE !== "1";
  const key = cacheKey(roots);
  const cacheFile = join(CACHE_DIR, `${key}.json`);
  const c0 = performance.now();
  const committed = force ? undefined : readCommitted(key, roots);
  if (committed) {
    lastStats = { source: "committed", programMs: 0, walkMs: 0, cacheMs: performance.now() - c0, nodes: committed.nodes.length };
    debug();
    return committed;
  }
  if (useCache) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(cacheFile, "utf8"));
      if (isStrictFieldTree(parsed, roots)) {
        lastStats = { source: "cache", programMs: 0, walkMs: 0, cacheMs: performance.now() - c0, nodes: parsed.nodes.length };
        debug();
        return parsed;
      }
    } catch {
      // No cache yet, or unreadable: derive below.
    }
  }
  const { tree, programMs, walkMs } = deriveStrictFieldTree(roots);
  const c1 = performance.now();
  if (useCache) {
    try {
      mkdirSync(dirname(cacheFile), { recursive: true });
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(tree));
      renameSync(tmp, cacheFile);
    } catch {
      // Read-only node_modules etc.: the cache is optional.
    }
  }
  lastStats = { source: "built", programMs, walkMs, cacheMs: performance.now() - c1, nodes: tree.nodes.length };
  debug();
  return tree;
}

function debug(): void {
  if (process.env.STRICT_SCHEMA_DEBUG === "1" && lastStats) {
    const s = lastStats;
    process.stderr.write(
      `strict-schema: ${s.source} ${s.nodes} nodes; program ${s.programMs.toFixed(0)} ms, ` +
        `walk ${s.walkMs.toFixed(0)} ms, cache ${s.cacheMs.toFixed(0)} ms\n`,
    );
  }
}
