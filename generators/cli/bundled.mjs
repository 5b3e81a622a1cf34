// @ts-check
/**
 * The npm scripts without tsx (generate, render, check, diff, promote, pins, docs, report): runs
 * generators/cli/<name>.ts from an esbuild bundle by plain node. Start-up is what made `npm run generate` slow (tsx transpiling the
 * generators and Node loading the model packages took ~2 s; generation itself ~0.2 s,
 * docs/performance.md); a bundle is loaded as one pre-compiled file.
 *
 * One bundle holds every CLI (cli/main.ts dispatches by name), so a clone's first `generate`
 * and `check` build it once. It lives in node_modules/.cache/fleet-cli/<key>/ (or under
 * $FLEET_CLI_CACHE), where the key hashes every code file under generators/, package-lock.json,
 * this launcher and esbuild's version, so it can never be stale: any source change builds a new
 * one (~1 s once). It holds no absolute path, so copies and worktrees of the same sources share it. When the sources do not
 * build (a syntax error in a tenant file), esbuild's errors are printed as
 * `file:line:col: message`, exactly as generate.ts prints tsx's (the same esbuild parser
 * underneath), and nothing runs. When esbuild is missing, the CLI runs through tsx instead.
 * generate-bundled.ts adds a memo of serialized YAML documents, valid across tenant edits, so
 * a run after an edit serializes only what changed. Plain JavaScript on purpose: a TypeScript
 * launcher would need tsx to start.
 *
 * package.json starts it with CLI_NODE_FLAGS (fleet/constants.ts: V8 tuned for short runs on few
 * cores); without them every CLI still runs alike, only with more CPU.
 *
 * Usage: node [flags] generators/cli/bundled.mjs <cli-name> [args...]
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..");
const name = process.argv[2] ?? "";
const args = process.argv.slice(3);
const entry = join(repo, "generators", "cli", `${name}.ts`);
if (!/^[a-z][a-z-]*$/.test(name) || !existsSync(entry)) {
  console.error(`bundled: no CLI "${name}" under generators/cli/; usage: node generators/cli/bundled.mjs generate [args]`);
  process.exit(2);
}

/** @param {string} dir @returns {string[]} every file below dir, sorted */
function files(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
}

const require = createRequire(import.meta.url);
/** @type {{ version: string, build: (o: object) => Promise<unknown>, stop: () => Promise<void> } | undefined} */
let esbuild;
try {
  esbuild = require("esbuild");
} catch {
  esbuild = undefined;
}

/** Runs the CLI through tsx (development path, and the fallback); exits with its status. */
function viaTsx() {
  const tsx = join(repo, "node_modules", ".bin", "tsx");
  const r = spawnSync(tsx, [entry, ...args], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}

if (!esbuild) viaTsx();

/**
 * Prints a failed build's errors the way generate.ts prints tsx's TransformError (`file:line:col:
 * message`, paths relative to the repository, columns 1-based) and exits 1; `--debug` adds the stack.
 * @param {unknown} e
 */
function reportBuildFailure(e) {
  /** @type {{ text: string, location: { file: string, line: number, column: number } | null }[]} */
  const errors = e instanceof Error && "errors" in e && Array.isArray(e.errors) ? e.errors : [];
  const located = errors.flatMap((m) =>
    m.location ? [`${relative(repo, resolve(repo, m.location.file))}:${m.location.line}:${m.location.column + 1}: ${m.text}`] : [],
  );
  if (located.length === 0) throw e;
  console.error([`${name}: ${located.length} syntax error(s) in the sources; nothing was written.`, ...located].join("\n"));
  if (args.includes("--debug")) console.error(e instanceof Error ? e.stack : String(e));
  process.exit(1);
}

// The key leaves out the data the CLIs read at run time (pins.json, the committed strict-field
// tree): a promotion or a pin resolution does not rebuild the bundle. uncovered() below keeps the
// key whole: a bundle that took in any other file of the repository is refused.
const CODE = /\.(ts|mts|cts|js|mjs|cjs)$/;
const h = createHash("sha256").update(`launcher ${readFileSync(fileURLToPath(import.meta.url))}\nesbuild ${esbuild?.version}\n`);
for (const f of files(join(repo, "generators")).filter((f) => CODE.test(f)))
  h.update(`${relative(repo, f)}\n`)
    .update(readFileSync(f))
    .update("\n");
const lock = join(repo, "package-lock.json");
if (existsSync(lock)) h.update(readFileSync(lock));
const key = h.digest("hex").slice(0, 32);
const cacheRoot = process.env.FLEET_CLI_CACHE ?? join(repo, "node_modules", ".cache", "fleet-cli");
const dir = join(cacheRoot, key);
const bundle = join(dir, "cli.mjs");
/** Bundles kept per cache: checkouts and copies sharing node_modules share the cache, each with its own sources. */
const KEEP = 8;

// esbuild calls a plugin's onLoad for every file its filter matches; node_modules never needs one.
const underGenerators = new RegExp(`^${join(repo, "generators").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/`);

/**
 * esbuild plugin: `import.meta.url` in a module under generators/ is that module's own file URL,
 * as under tsx, resolved at run time against the repository the launcher runs for (the schema
 * modules find the TypeScript compiler, cli/repo.ts finds the repository, from it).
 */
const ownLocation = {
  name: "own-location",
  /** @param {{ onLoad: (o: { filter: RegExp }, cb: (a: { path: string }) => { contents: string, loader: "ts" } | undefined) => void }} build */
  setup(build) {
    build.onLoad({ filter: underGenerators }, (a) => {
      if (!a.path.endsWith(".ts")) return undefined;
      const source = readFileSync(a.path, "utf8");
      if (!source.includes("import.meta.url")) return undefined;
      const own = `(globalThis.__fleetRepoUrl + ${JSON.stringify(relative(repo, a.path).split(sep).join("/"))})`;
      return { contents: source.replaceAll("import.meta.url", own), loader: "ts" };
    });
  },
};

/**
 * The bundle's inputs its key does not cover (esbuild's metafile, paths relative to the
 * repository): anything but code under generators/ and packages (the lockfile; a copy's linked
 * node_modules resolves outside the copy).
 * @param {{ metafile?: { inputs: Record<string, unknown> } }} result
 */
function uncovered(result) {
  return Object.keys(result.metafile?.inputs ?? {}).filter(
    (f) => !f.split("/").includes("node_modules") && !(f.startsWith("generators/") && CODE.test(f)),
  );
}

if (!existsSync(bundle)) {
  const tmp = `${dir}.${process.pid}.tmp`;
  mkdirSync(tmp, { recursive: true });
  // ESM output still holds CommonJS dependencies: give them require, __filename and __dirname.
  const banner =
    "import{createRequire as __cr}from'node:module';import{fileURLToPath as __fu}from'node:url';import{dirname as __dn}from'node:path';const require=__cr(import.meta.url);const __filename=__fu(import.meta.url);const __dirname=__dn(__filename);";
  /** @type {string[]} */
  let outside = [];
  try {
    const result = await esbuild?.build({
      entryPoints: [join(repo, "generators", "cli", "main.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      outfile: join(tmp, "cli.mjs"),
      banner: { js: banner },
      plugins: [ownLocation],
      absWorkingDir: repo,
      metafile: true,
      logLevel: "silent",
    });
    outside = uncovered(/** @type {{ metafile?: { inputs: Record<string, unknown> } }} */ (result));
    // The build service would otherwise linger beside the CLI, competing for the cores (kustomize's).
    await esbuild?.stop();
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    reportBuildFailure(e);
  }
  if (outside.length > 0) {
    rmSync(tmp, { recursive: true, force: true });
    const why = outside.map((f) => `${f} is imported, but the CLI bundle is keyed by code files only: read it at run time instead`);
    console.error([`${name}: ${outside.length} file(s) the bundle's key does not cover; nothing was written.`, ...why].join("\n"));
    process.exit(1);
  }
  // re2-wasm (pulled in by the model packages' validators) loads its wasm beside itself.
  const wasm = join(repo, "node_modules", "re2-wasm", "build", "wasm", "re2.wasm");
  if (existsSync(wasm)) copyFileSync(wasm, join(tmp, "re2.wasm"));
  try {
    renameSync(tmp, dir);
  } catch {
    // Another run built the same key meanwhile: use theirs.
    rmSync(tmp, { recursive: true, force: true });
  }
  // Bundles of older sources: keep the most recently used few (each use touches its folder);
  // folders of the earlier per-checkout layout (<checkout>-<key>) age out the same way.
  const bundles = readdirSync(cacheRoot)
    .filter((d) => /^([0-9a-f]{8}-)?[0-9a-f]{32}$/.test(d))
    .map((d) => ({ d, used: statSync(join(cacheRoot, d)).mtimeMs }))
    .sort((a, b) => b.used - a.used);
  for (const { d } of bundles.slice(KEEP)) if (d !== key) rmSync(join(cacheRoot, d), { recursive: true, force: true });
} else {
  try {
    const now = new Date();
    utimesSync(dir, now, now);
  } catch {
    // A read-only cache: the bundle is still good, it only ages out sooner.
  }
}
// The memo depends only on the serializer, the validation and the packages (layout/yaml.ts, layout/files.ts, the lockfile), not on the tenants.
const serializer = createHash("sha256")
  .update(readFileSync(join(repo, "generators", "layout", "yaml.ts")))
  .update(readFileSync(join(repo, "generators", "layout", "files.ts")))
  .update(existsSync(lock) ? readFileSync(lock) : "")
  .digest("hex")
  .slice(0, 32);
process.env.FLEET_YAML_MEMO = join(cacheRoot, `yaml-memo-${serializer}.json`);

// argv[1] is the launcher, so no CLI module's own main guard (generate.ts, docs.ts) fires: main.ts runs it.
process.argv = [process.argv[0] ?? "node", fileURLToPath(import.meta.url), ...args];
/** @type {{ __fleetRepoUrl?: string }} */ (globalThis).__fleetRepoUrl = pathToFileURL(`${repo}/`).href;
const { runCli } = await import(pathToFileURL(bundle).href);
await runCli(name);
