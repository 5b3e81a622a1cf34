/**
 * The two most common changes, done the README's way on a copy of the repository: a
 * second staging cluster in us-east-1 (an entry in generators/fleet/fleet.ts) and a new
 * tenant written from README's smallest example (its file, its registration, its registry
 * prefix and its prod pin). Generate and the whole check must pass on the copy, with the
 * real CLIs and the real kustomize.
 *
 * The copy's render cache starts as a copy of the suite's (test/helpers/global-render.ts
 * filled it with the real kustomize's output of the committed tree). Entries are keyed by
 * every input byte of a folder and the kustomize version, with repo-relative paths, so only
 * folders the growth leaves byte-identical are served from it; every folder the change
 * touches (each cluster's platform folder, the new tenant's, the new cluster's) is rendered
 * by kustomize in the copy. The check cache is not copied: every finding is computed anew.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_FLEET } from "../generators/fleet/fleet.js";
import { TENANTS } from "../generators/tenants/index.js";
import { LAUNCHER, REPO, removeScratch, sourceCopy } from "./helpers/repo.js";
import { unusedName } from "./helpers/fleet-shape.js";
import { TEST_RENDER_CACHE } from "./helpers/fleet.js";
import { DEFAULT_CACHE_DIR } from "../generators/render/cache.js";
import { DEFAULT_CHECK_CACHE_DIR } from "../generators/check/cache.js";

/** README's smallest tenant: the ```ts block that starts with `// generators/tenants/<file>`. */
function readmeTenant(): { file: string; exportName: string; tenant: string; text: string } {
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  const block = /```ts\n\/\/ (generators\/tenants\/[a-z0-9-]+\.ts)\n([\s\S]*?)```/.exec(readme);
  if (!block?.[1] || block[2] === undefined) throw new Error("README has no tenant example (```ts // generators/tenants/<name>.ts)");
  const exportName = /export const (\w+): TenantSpec/.exec(block[2])?.[1];
  const tenant = /name: "([a-z0-9-]+)"/.exec(block[2])?.[1];
  if (!exportName || !tenant) throw new Error("README's tenant example has no `export const x: TenantSpec` with a name");
  return { file: block[1], exportName, tenant, text: block[2] };
}

/** The CLIs as package.json runs them: through the bundled launcher. */
function run(dir: string, cli: string, ...args: string[]): { status: number | null; out: string } {
  const argv = [...LAUNCHER, cli, ...args];
  const r = spawnSync(process.execPath, argv, {
    cwd: dir,
    encoding: "utf8",
    timeout: 600_000,
    // The copy's bundle lands in the linked node_modules/.cache, as a worktree's does.
  });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

describe("the fleet grows the README's way", () => {
  const dir = sourceCopy("grow");
  afterAll(() => {
    removeScratch(dir);
  });

  it("a second staging cluster in us-east-1 and a new tenant from README's example generate and pass the whole check", () => {
    const edit = (file: string, change: (t: string) => string): void => {
      const before = readFileSync(join(dir, file), "utf8");
      const after = change(before);
      expect(after, `edit of ${file}`).not.toBe(before);
      writeFileSync(join(dir, file), after);
    };

    // The tenant: README's file under a name no tenant has yet, registered, its organisation allowed, its prod pin.
    const ex = readmeTenant();
    const name = unusedName(
      ex.tenant,
      TENANTS.map((t) => t.spec.name),
    );
    const file = ex.file.replace(`${ex.tenant}.ts`, `${name}.ts`);
    const ident = ex.exportName === ex.tenant ? name.replace(/-./g, (m) => (m[1] ?? "").toUpperCase()) : ex.exportName;
    expect(existsSync(join(dir, file))).toBe(false);
    writeFileSync(
      join(dir, file),
      ex.text.replaceAll(`"${ex.tenant}"`, `"${name}"`).replace(`export const ${ex.exportName}:`, `export const ${ident}:`),
    );
    const base = file.slice("generators/tenants/".length, -3);
    edit("generators/tenants/index.ts", (t) =>
      t
        .replace(/(import type \{ TenantSource \} from "..\/api\/source.js";\n)/, `$1import { ${ident} } from "./${base}.js";\n`)
        .replace(/(export const TENANTS: readonly TenantSource\[\] = \[\n)/, `$1  { file: "${file}", spec: ${ident} },\n`),
    );
    const repository = /repository: "([^"]+)"/.exec(ex.text)?.[1] ?? "";
    const org = `${repository.split("/").slice(0, 2).join("/")}/`;
    edit("generators/fleet/fleet.ts", (t) =>
      t.replace(/(export const DEFAULT_IMAGE_REGISTRIES: readonly string\[\] = \[\n)/, `$1  "${org}",\n`),
    );
    const pins = JSON.parse(readFileSync(join(dir, "generators/release/pins.json"), "utf8")) as Record<string, unknown>;
    const apps = [...ex.text.matchAll(/\n {6}name: "([a-z0-9-]+)"/g)].map((m) => m[1] ?? "");
    const tag = /tag: "([^"]+)"/.exec(ex.text)?.[1] ?? "";
    pins[name] = { prod: Object.fromEntries(apps.map((a) => [a, { tag, digest: `sha256:${"a".repeat(64)}` }])) };
    writeFileSync(join(dir, "generators/release/pins.json"), `${JSON.stringify(pins, null, 2)}\n`);

    // The cluster: one more entry in fleet.ts, with identifiers of the right AWS formats.
    const cluster = unusedName(
      "staging-use1",
      DEFAULT_FLEET.clusters.map((c) => c.name),
    );
    edit("generators/fleet/fleet.ts", (t) =>
      t.replace(
        /( {2}clusters: \[\n)/,
        `$1    {\n      name: "${cluster}",\n      env: "staging",\n      region: "us-east-1",\n      kubernetesVersion: "1.35",\n      vpcCidr: "10.44.0.0/16",\n      efsFileSystemId: "fs-0c1d2e3f4a5b60007",\n      oidcIssuerId: "0C1D2E3F4A5B6AA075C1D0E7A9B3F2E4",\n    },\n`,
      ),
    );

    const gen = run(dir, "generate");
    expect(gen.out).toContain("generate: ");
    expect(gen.status, gen.out).toBe(0);
    expect(existsSync(join(dir, "clusters", cluster, name, "kustomization.yaml"))).toBe(true);
    expect(existsSync(join(dir, "clusters", cluster, "uiota", "kustomization.yaml"))).toBe(true);

    // The check reads `git ls-files` (the secret scan), as in a clone.
    for (const args of [
      ["init", "-q"],
      ["add", "-A"],
    ])
      spawnSync("git", args, { cwd: dir, stdio: "ignore" });
    // Seed the render cache with the committed tree's renders (content-keyed: changed folders miss); no check cache.
    cpSync(TEST_RENDER_CACHE, join(dir, DEFAULT_CACHE_DIR), { recursive: true, filter: (src) => !src.endsWith(".tmp") });
    expect(existsSync(join(dir, DEFAULT_CHECK_CACHE_DIR))).toBe(false);
    const check = run(dir, "check");
    const folders = (DEFAULT_FLEET.clusters.length + 1) * (TENANTS.length + 2);
    expect(check.out, check.out).toMatch(new RegExp(`check: ${folders} folders, \\d+ objects checked, \\d+ rules run, 0 failures`));
    expect(check.status, check.out).toBe(0);
  }, 900_000);
});
