/**
 * `npm run generate` runs a bundle by plain node (generators/cli/bundled.mjs). The stale-tree
 * check depends on it writing exactly what the sources write (run in process here), and on the
 * bundle never being stale: proven in scratch copies of the repository, each with its own bundle.
 * The tsx path (`npm run generate:tsx`) runs once, to prove both report a syntax error alike.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runGenerate } from "../../generators/cli/generate.js";
import { BUNDLED_CLIS } from "../../generators/cli/main.js";
import { LAUNCHER, REPO, removeScratch, snapshot, sourceCopy } from "../helpers/repo.js";

const scratch: string[] = [];
// The copies' bundles and memos go to a scratch cache, not the repository's node_modules/.cache.
const CLI_CACHE = mkdtempSync(join(tmpdir(), "bundled-cache-"));
afterAll(() => {
  for (const d of [...scratch, CLI_CACHE]) removeScratch(d);
});

/** A copy of the sources and the generated tree; node_modules is linked, so the bundle lands in the shared cache under its own key. */
function copy(): string {
  const dir = sourceCopy("bundled");
  scratch.push(dir);
  return dir;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}
/** `npm run generate` in a copy: with the file's own scratch cache, or the repository's (the copy's sources are the repository's). */
const bundled = (dir: string, cache: "scratch" | "shared" = "scratch"): Run =>
  spawnSync(process.execPath, [...LAUNCHER, "generate"], {
    cwd: dir,
    encoding: "utf8",
    env: cache === "scratch" ? { ...process.env, FLEET_CLI_CACHE: CLI_CACHE } : process.env,
  });
const SHARED_CACHE = join(REPO, "node_modules", ".cache", "fleet-cli");
const viaTsx = (dir: string): Run =>
  spawnSync(join(REPO, "node_modules", ".bin", "tsx"), ["generators/cli/generate.ts"], { cwd: dir, encoding: "utf8" });

/** Breaks the generated tree the same way in each copy: a stale file, a missing folder. */
function breakTree(dir: string): void {
  const file = join(dir, "apps", readdirSync(join(dir, "apps")).find((f) => f.endsWith(".yaml")) ?? "");
  writeFileSync(file, `${readFileSync(file, "utf8")}# hand edit\n`);
  const cluster = readdirSync(join(dir, "clusters"))[0] ?? "";
  rmSync(join(dir, "clusters", cluster), { recursive: true });
}

describe("the bundled generate", () => {
  it("writes the same bytes and prints the same lines as the sources run in process, and changes nothing on the committed tree", async () => {
    const [a, b] = [copy(), copy()];
    const committed = snapshot(a);
    for (const d of [a, b]) breakTree(d);
    // The copies hold the repository's sources: the repository's bundle serves them (the next test builds one).
    const ra = bundled(a, "shared");
    const rb = await runGenerate([], b);
    expect(ra.stderr).toBe(rb.stderr.map((l) => `${l}\n`).join(""));
    expect(ra.status).toBe(0);
    expect(rb.code).toBe(0);
    expect(ra.stdout).toBe(rb.stdout.map((l) => `${l}\n`).join(""));
    expect(ra.stdout).toMatch(/generate: \d+ folders, [1-9]\d* written/);
    expect(snapshot(a)).toEqual(snapshot(b));
    expect(snapshot(a)).toEqual(committed);
    // Second run: served from the bundle and the YAML memo, still nothing to write.
    const again = bundled(a, "shared");
    expect(readdirSync(SHARED_CACHE).filter((f) => f.startsWith("yaml-memo-")).length).toBeGreaterThan(0);
    expect(again.stdout).toMatch(/generate: \d+ folders, 0 written, \d+ unchanged, 0 removed/);
  });

  it("is never stale: a changed source builds a new bundle whose output follows the change; changed data reuses it, imported data is refused", () => {
    const a = copy();
    const committed = snapshot(a);
    // The copy starts with the repository's sources: seeded with the shared cache's bundles (the
    // first test used the repository's), the scratch cache serves it without a build.
    for (const d of readdirSync(SHARED_CACHE).filter((f) => /^([0-9a-f]{32}|yaml-memo-[0-9a-f]{32}\.json)$/.test(f)))
      cpSync(join(SHARED_CACHE, d), join(CLI_CACHE, d), { recursive: true });
    const bundles = (): string[] => readdirSync(CLI_CACHE).filter((f) => !f.startsWith("yaml-memo-"));
    const seeded = bundles();
    expect(bundled(a).status).toBe(0);
    expect(bundles()).toEqual(seeded);
    // Data the CLIs read at run time (pins.json) is not in the bundle's key: same bundle, same tree.
    const pins = join(a, "generators", "release", "pins.json");
    writeFileSync(pins, `${JSON.stringify(JSON.parse(readFileSync(pins, "utf8")), null, 4)}\n`);
    expect(bundled(a).stdout).toMatch(/generate: \d+ folders, 0 written/);
    expect(bundles()).toEqual(seeded);
    const before = bundles();
    const yamlTs = join(a, "generators", "layout", "yaml.ts");
    const src = readFileSync(yamlTs, "utf8");
    const [from, to] = ["Do not edit: change the source and regenerate.", "Do not edit by hand: change the source and regenerate."];
    expect(src).toContain(from);
    writeFileSync(yamlTs, src.replace(from, to));
    const r = bundled(a);
    expect(r.status, r.stderr).toBe(0);
    expect(bundles().filter((d) => !before.includes(d))).toHaveLength(1);
    // Every generated file follows the new header, and nothing else changed.
    const expected = new Map([...committed].map(([f, c]) => [f, c.includes(from) ? c.replaceAll(from, to) : c]));
    expect(snapshot(a)).toEqual(expected);
    expect([...expected.values()].filter((c) => c.includes(to)).length).toBeGreaterThan(100);
    // A data file imported into the bundle, or code from outside generators/, would escape the key: the build refuses both.
    writeFileSync(join(a, "generators", "cli", "data.json"), "{}\n");
    writeFileSync(join(a, "outside.ts"), "export const outside = 1;\n");
    const main = join(a, "generators", "cli", "main.ts");
    writeFileSync(main, `import "./data.json";\nimport "../../outside.js";\n${readFileSync(main, "utf8")}`);
    const refused = bundled(a);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("generators/cli/data.json is imported, but the CLI bundle is keyed by code files only");
    expect(refused.stderr).toContain("outside.ts is imported, but the CLI bundle is keyed by code files only");
    expect(snapshot(a)).toEqual(expected);
  });

  it("reports a syntax error in a tenant file exactly as the tsx path does, writing nothing", () => {
    const [a, b] = [copy(), copy()];
    for (const d of [a, b]) {
      const tenantDir = join(d, "generators", "tenants");
      const file = readdirSync(tenantDir).filter((f) => f.endsWith(".ts") && f !== "index.ts")[0] ?? "";
      writeFileSync(join(tenantDir, file), `${readFileSync(join(tenantDir, file), "utf8")}\nexport const broken = {;\n`);
    }
    const before = snapshot(a);
    const [ra, rb] = [bundled(a), viaTsx(b)];
    expect(ra.status).not.toBe(0);
    expect(ra.status).toBe(rb.status);
    expect(ra.stderr.replaceAll(a, "<repo>")).toBe(rb.stderr.replaceAll(b, "<repo>"));
    expect(snapshot(a)).toEqual(before);
  });

  it("runs every npm script package.json sends to it, each with the CLI flags and doing its work (docs checks its tables)", () => {
    const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { scripts: Record<string, string> };
    const viaLauncher = Object.values(pkg.scripts).filter((c) => c.includes("generators/cli/bundled.mjs"));
    // Every one starts node as the diff, the bench and these tests do (CLI_NODE_FLAGS): no script drifts.
    const scripts = viaLauncher.map((c) => (c.startsWith(`node ${LAUNCHER.join(" ")} `) ? c.split(" ").slice(LAUNCHER.length + 1) : [c]));
    expect(scripts.map((a) => a.join(" ")).sort()).toEqual([...BUNDLED_CLIS]);
    // A CLI whose module only runs as tsx's main module once did nothing from the bundle.
    const docs = spawnSync(process.execPath, [...LAUNCHER, "docs", "--check"], { cwd: REPO, encoding: "utf8" });
    expect(docs.stderr).toBe("");
    expect(docs.stdout).toBe("docs: every table is current\n");
    expect(docs.status).toBe(0);
  });
});
