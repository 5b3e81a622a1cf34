// @ts-check
/**
 * The npm scripts without tsx (generate, render, check, diff, promote, pins, docs, report): runs
 * generators/cli/<name>.ts from an esbuild bundle by plain node. Start-up is what made `npm run generate` slow (tsx transpiling the
 * generators and Node loading the model packages took ~2 s; generation itself ~0.2 s,
 * docs/performance.md); a bundle is loaded as one pre-compiled file.
 *
 * The bundle lives in node_modules/.cache/fleet-cli/<checkout>-<key>/ (or under
 * $FLEET_CLI_CACHE), where the key hashes every
 * file under generators/, package-lock.json, this launcher, esbuild's version and the
 * repository's path, so it can never be stale: any source change builds a new one (~1 s
 * once). When esbuild is missing or the sources do not build (a syntax error in a tenant
 * file), the same CLI runs through tsx instead, so errors are reported exactly as in
 * development. generate-bundled.ts adds a memo of serialized YAML documents, valid across
 * tenant edits, so a run after an edit serializes only what changed. Plain JavaScript on purpose: a TypeScript launcher would need tsx to start.
 *
 * Usage: node generators/cli/bundled.mjs <cli-name> [args...]
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..");
const name = process.argv[2] ?? "";
const args = process.argv.slice(3);
const entry = join(repo, "generators", "cli", `${name}.ts`);
// A CLI may have a bundle-only wrapper (generate-bundled.ts keeps a YAML memo beside the bundle).
const wrapper = join(repo, "generators", "cli", `${name}-bundled.ts`);
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
/** @type {{ version: string, build: (o: object) => Promise<unknown> } | undefined} */
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

const h = createHash("sha256").update(
  `launcher ${readFileSync(fileURLToPath(import.meta.url))}\nesbuild ${esbuild?.version}\nrepo ${repo}\nentry ${name}\n`,
);
for (const f of files(join(repo, "generators")))
  h.update(`${relative(repo, f)}\n`)
    .update(readFileSync(f))
    .update("\n");
const lock = join(repo, "package-lock.json");
if (existsSync(lock)) h.update(readFileSync(lock));
const key = h.digest("hex").slice(0, 32);
// Bundles of one checkout share a prefix, so pruning never touches another checkout's.
const prefix = createHash("sha256").update(repo).digest("hex").slice(0, 8);
const cacheRoot = process.env.FLEET_CLI_CACHE ?? join(repo, "node_modules", ".cache", "fleet-cli");
const dir = join(cacheRoot, `${prefix}-${key}`);
const bundle = join(dir, `${name}.mjs`);

/** esbuild plugin: `import.meta.url` in a module outside generators/cli/ is that module's own file URL. */
const ownLocation = {
  name: "own-location",
  /** @param {{ onLoad: (o: { filter: RegExp }, cb: (a: { path: string }) => { contents: string, loader: "ts" } | undefined) => void }} build */
  setup(build) {
    const cli = `${join(repo, "generators", "cli")}/`;
    const generators = `${join(repo, "generators")}/`;
    build.onLoad({ filter: /\.ts$/ }, (a) => {
      if (!a.path.startsWith(generators) || a.path.startsWith(cli)) return undefined;
      const source = readFileSync(a.path, "utf8");
      if (!source.includes("import.meta.url")) return undefined;
      return { contents: source.replaceAll("import.meta.url", JSON.stringify(pathToFileURL(a.path).href)), loader: "ts" };
    });
  },
};

if (!existsSync(bundle)) {
  const tmp = `${dir}.${process.pid}.tmp`;
  mkdirSync(tmp, { recursive: true });
  // ESM output still holds CommonJS dependencies: give them require, __filename and __dirname.
  const banner =
    "import{createRequire as __cr}from'node:module';import{fileURLToPath as __fu}from'node:url';import{dirname as __dn}from'node:path';const require=__cr(import.meta.url);const __filename=__fu(import.meta.url);const __dirname=__dn(__filename);";
  try {
    await esbuild?.build({
      entryPoints: [existsSync(wrapper) ? wrapper : entry],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      outfile: join(tmp, `${name}.mjs`),
      banner: { js: banner },
      // cli/repo.ts finds the repository from its own location: keep that the source's, not the bundle's.
      // (The CLI entries compare their import.meta.url with argv[1] to run as main: this keeps that false,
      // since the launcher, or a -bundled wrapper, runs them.)
      define: { "import.meta.url": JSON.stringify(pathToFileURL(join(repo, "generators", "cli", "repo.ts")).href) },
      // Every other module keeps its own location, as under tsx: the check's schema modules find the
      // repository's sources and the TypeScript compiler from it.
      plugins: [ownLocation],
      logLevel: "silent",
    });
  } catch {
    rmSync(tmp, { recursive: true, force: true });
    viaTsx();
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
  // This checkout's bundles of older sources are never used again.
  for (const old of readdirSync(cacheRoot))
    if (old !== `${prefix}-${key}` && old.startsWith(`${prefix}-`) && /^[0-9a-f]{8}-[0-9a-f]{32}$/.test(old))
      rmSync(join(cacheRoot, old), { recursive: true, force: true });
}
// The memo depends only on the serializer, the validation and the packages (layout/yaml.ts, layout/files.ts, the lockfile), not on the tenants.
const serializer = createHash("sha256")
  .update(readFileSync(join(repo, "generators", "layout", "yaml.ts")))
  .update(readFileSync(join(repo, "generators", "layout", "files.ts")))
  .update(existsSync(lock) ? readFileSync(lock) : "")
  .digest("hex")
  .slice(0, 32);
process.env.FLEET_YAML_MEMO = join(cacheRoot, `yaml-memo-${serializer}.json`);

process.argv = [process.argv[0] ?? "node", entry, ...args];
await import(pathToFileURL(bundle).href);
