import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { DEFAULT_CACHE_DIR } from "../generators/render/cache.js";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CI_RUN = join(REPO, ".ci/run");

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { steps: Step[] }>;
}

/** `npm ci`, `npm test` and `npm run <script>` (with or without -s/--silent), in order of appearance. */
function npmCommands(text: string): string[] {
  const found: string[] = [];
  const re = /\bnpm\s+(ci|test|run\s+(?:(?:-s|--silent)\s+)?([a-z][\w:-]*))\b/g;
  for (const line of text.split("\n")) {
    if (/^\s*#/.test(line) || /^\s*echo\b/.test(line)) continue;
    for (const m of line.matchAll(re)) found.push(m[2] !== undefined ? `npm run ${m[2]}` : `npm ${m[1]}`);
  }
  return found;
}

const workflow = parse(readFileSync(join(REPO, ".github/workflows/pr.yml"), "utf8")) as Workflow;
const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
const runs = steps.map((s) => s.run ?? "").join("\n");
/** The diff and report steps only report; every other npm command is a gate. */
const gates = npmCommands(runs).filter((c) => c !== "npm run diff" && c !== "npm run report");

describe("the pull-request workflow", () => {
  it("runs on pull requests with full history and Node 20", () => {
    expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
    const checkout = steps.find((s) => s.uses?.startsWith("actions/checkout@"));
    expect(checkout?.with?.["fetch-depth"]).toBe(0);
    const node = steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
    expect(String(node?.with?.["node-version"])).toBe("20");
  });

  it("gates on install, a stale-tree check, the policy checks and the tests", () => {
    expect(gates).toEqual(["npm ci", "npm run generate", "npm run check", "npm test"]);
    expect(runs).toMatch(/npm run generate\s*\n\s*if ! git diff --exit-code/);
  });

  it("runs exactly the npm commands .ci/run runs", () => {
    expect(gates).toEqual(npmCommands(readFileSync(CI_RUN, "utf8")));
  });

  it("posts the markdown diff as a PR comment", () => {
    expect(runs).toMatch(/npm run --silent diff -- .*--format markdown > diff\.md/);
    const comment = steps.find((s) => s.uses?.startsWith("marocchino/sticky-pull-request-comment@"));
    expect(comment?.with?.path).toBe("diff.md");
  });

  it("uploads the fleet report as an artifact and links it from the diff comment", () => {
    expect(runs).toMatch(/npm run --silent report -- --out report --base /);
    const upload = steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(upload?.with?.path).toBe("report/");
    expect(runs).toMatch(/cat report\/cost\.md.*steps\.report\.outputs\.artifact-url.*>> diff\.md/);
  });

  it("only uses npm scripts that exist", () => {
    const scripts = Object.keys((JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts);
    for (const c of npmCommands(runs)) if (c.startsWith("npm run ")) expect(scripts).toContain(c.slice("npm run ".length));
  });

  it("persists the render cache between runs, restoring older caches (entries are content-keyed)", () => {
    const cache = steps.find((s) => s.uses?.startsWith("actions/cache@"));
    expect(cache?.with?.path).toBe(DEFAULT_CACHE_DIR);
    expect(String(cache?.with?.key)).toContain("hashFiles(");
    expect(String(cache?.with?.["restore-keys"])).toMatch(/^render-\$\{\{ runner\.os \}\}-\s*$/);
    const install = steps.findIndex((s) => s.run === "npm ci");
    const first = steps.findIndex((s) => /npm run (generate|check)/.test(s.run ?? ""));
    expect(steps.indexOf(cache!)).toBeGreaterThan(install);
    expect(steps.indexOf(cache!)).toBeLessThan(first);
  });
});
