import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { DEFAULT_CACHE_DIR } from "../generators/render/cache.js";
import { DEFAULT_CHECK_CACHE_DIR } from "../generators/check/cache.js";
import { HEAP_LIMIT_MIB } from "../generators/bench/fleet.js";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CI_RUN = join(REPO, ".ci/run");

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  outputs?: Record<string, string>;
  strategy?: { matrix?: { shard?: number[] | string }; "fail-fast"?: boolean };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
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
const runsOf = (job: string): string => (workflow.jobs[job]?.steps ?? []).map((s) => s.run ?? "").join("\n");
/** The diff and report steps only report; every other npm command is a gate. */
const isGate = (c: string): boolean => c !== "npm run diff" && c !== "npm run report";
/** Gate commands of every job, each once, in order of first appearance. */
const gates = [...new Set(npmCommands(runs).filter(isGate))];
const jobsRendering = ["check", "gate", "merge"];

describe("the pull-request workflow", () => {
  it("runs on pull requests with full history and Node 20 in every job that checks out", () => {
    expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
    for (const job of jobsRendering) {
      const s = workflow.jobs[job]?.steps ?? [];
      expect(s.find((x) => x.uses?.startsWith("actions/checkout@"))?.with?.["fetch-depth"], job).toBe(0);
      expect(String(s.find((x) => x.uses?.startsWith("actions/setup-node@"))?.with?.["node-version"]), job).toBe("20");
      expect(
        s.find((x) => x.run === "npm ci"),
        job,
      ).toBeDefined();
    }
  });

  it("gates on install, lint, a stale-tree check, the policy checks and the tests", () => {
    expect(gates).toEqual(["npm ci", "npm run check", "npm run lint", "npm run generate", "npm test"]);
    expect(runsOf("gate")).toMatch(/npm run generate\s*\n\s*if ! git diff --exit-code/);
  });

  it("runs exactly the npm commands .ci/run runs, spread over jobs", () => {
    expect([...gates].sort()).toEqual([...new Set(npmCommands(readFileSync(CI_RUN, "utf8")))].sort());
  });

  it("checks in a matrix of shards sized by the plan job, each splitting by the one cost file it hands out", () => {
    const check = workflow.jobs.check!;
    const planJob = workflow.jobs.plan!;
    expect(check.needs).toBe("plan");
    expect(check.strategy?.["fail-fast"]).toBe(false);
    // The matrix is the plan's JSON array [1..n] (render/shard.ts shardCount), not a fixed list.
    expect(check.strategy?.matrix?.shard).toBe("${{ fromJSON(needs.plan.outputs.shards) }}");
    expect(planJob.outputs?.shards).toBe("${{ steps.count.outputs.shards }}");
    const count = planJob.steps.findIndex((x) => (x as Step & { id?: string }).id === "count");
    expect(planJob.steps[count]?.run).toBe(
      'echo "shards=$(npm run -s check -- --shard-count --costs plan/shard-costs.json)" >> "$GITHUB_OUTPUT"',
    );
    // Counted from the same cost file the shards split by, after it is in place.
    const costFile = planJob.steps.findIndex((x) => /plan\/shard-costs\.json/.test(x.run ?? "") && x !== planJob.steps[count]);
    expect(costFile).toBeGreaterThanOrEqual(0);
    expect(count).toBeGreaterThan(costFile);
    expect(count).toBeGreaterThan(planJob.steps.findIndex((x) => x.run === "npm ci"));
    expect(runsOf("check")).toMatch(
      /npm run check -- --shard "\$\{\{ matrix\.shard \}\}\/\$\{\{ strategy\.job-total \}\}" --costs plan\/shard-costs\.json --format json --out "reports\/shard-\$\{\{ matrix\.shard \}\}\.json"/,
    );
    // Findings (exit 1) leave the verdict to the merge; errors (2) fail the shard.
    expect(runsOf("check")).toMatch(/if \[ "\$code" -ge 2 \]; then exit "\$code"; fi/);
    const shardStep = check.steps.find((s) => /npm run check -- --shard/.test(s.run ?? "")) as Step & { env?: Record<string, string> };
    expect(shardStep.env?.NODE_OPTIONS).toBe(`--max-old-space-size=${HEAP_LIMIT_MIB}`);
    const upload = check.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(upload?.with?.name).toBe("check-shard-${{ matrix.shard }}");
    const plan = check.steps.find((s) => s.uses?.startsWith("actions/download-artifact@"));
    expect(plan?.with?.name).toBe("shard-plan");
    expect(workflow.jobs.plan?.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"))?.with?.name).toBe("shard-plan");
  });

  it("merges the shards into one verdict and one JUnit file, then posts one diff comment, failing last on findings", () => {
    const merge = workflow.jobs.merge!;
    expect(merge.needs).toBe("check");
    const names = merge.steps.map((s) => s.name ?? s.uses ?? "");
    const download = merge.steps.find((s) => s.uses?.startsWith("actions/download-artifact@"));
    expect(download?.with).toMatchObject({ pattern: "check-shard-*", "merge-multiple": true });
    expect(runsOf("merge")).toMatch(/npm run check -- --merge reports\/shard-\*\.json --junit reports\/check\.xml/);
    expect(merge.steps.some((s) => s.uses?.startsWith("actions/upload-artifact@") && s.with?.path === "reports/check.xml")).toBe(true);
    expect(merge.steps.filter((s) => s.uses?.startsWith("marocchino/sticky-pull-request-comment@"))).toHaveLength(1);
    expect(
      Object.values(workflow.jobs)
        .flatMap((j) => j.steps)
        .filter((s) => s.uses?.startsWith("marocchino/sticky-pull-request-comment@")),
    ).toHaveLength(1);
    expect(names.at(-1)).toBe("Verdict of the policy checks");
    expect(merge.steps.at(-1)?.run).toBe('exit "${{ steps.verdict.outputs.code }}"');
    // The costs the merge recorded are saved for the next plan.
    expect(merge.steps.find((s) => s.uses?.startsWith("actions/cache/save@"))?.with?.path).toBe(".cache/shard-costs.json");
    expect(workflow.jobs.plan?.steps.find((s) => s.uses?.startsWith("actions/cache/restore@"))?.with?.path).toBe(".cache/shard-costs.json");
  });

  it("posts the markdown diff as a PR comment", () => {
    expect(runs).toMatch(/npm run --silent diff -- .*--format markdown > diff\.md/);
    const comment = steps.find((s) => s.uses?.startsWith("marocchino/sticky-pull-request-comment@"));
    expect(comment?.with?.path).toBe("diff.md");
  });

  it("uploads the fleet report as an artifact and links it from the diff comment", () => {
    expect(runs).toMatch(/npm run --silent report -- --out report --base /);
    const upload = steps.find((s) => s.uses?.startsWith("actions/upload-artifact@") && s.with?.name === "fleet-report");
    expect(upload?.with?.path).toBe("report/");
    expect(runs).toMatch(/cat report\/cost\.md.*steps\.report\.outputs\.artifact-url.*>> diff\.md/);
  });

  it("only uses npm scripts that exist", () => {
    const scripts = Object.keys(
      (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts,
    );
    for (const c of npmCommands(runs)) if (c.startsWith("npm run ")) expect(scripts).toContain(c.slice("npm run ".length));
  });

  it("persists the render cache between runs in every job that renders, restoring older caches (entries are content-keyed)", () => {
    for (const job of jobsRendering) {
      const s = workflow.jobs[job]?.steps ?? [];
      const cache = s.find((x) => x.uses?.startsWith("actions/cache@") && x.with?.path === DEFAULT_CACHE_DIR);
      expect(cache, job).toBeDefined();
      expect(String(cache?.with?.key)).toContain("hashFiles(");
      expect(String(cache?.with?.["restore-keys"])).toMatch(/(^|\n)render-\$\{\{ runner\.os \}\}-\s*$/);
      const install = s.findIndex((x) => x.run === "npm ci");
      const first = s.findIndex((x) => /npm run (--silent )?(generate|check|diff)/.test(x.run ?? ""));
      expect(s.indexOf(cache!)).toBeGreaterThan(install);
      expect(s.indexOf(cache!)).toBeLessThan(first);
    }
  });

  it("persists the check cache per shard, keyed by the rules and the rendered inputs", () => {
    const s = workflow.jobs.check?.steps ?? [];
    const cache = s.find((x) => x.uses?.startsWith("actions/cache@") && x.with?.path === DEFAULT_CHECK_CACHE_DIR);
    expect(String(cache?.with?.key)).toMatch(
      /^check-\$\{\{ runner\.os \}\}-shard\$\{\{ matrix\.shard \}\}-\$\{\{ hashFiles\('generators\/\*\*', 'package-lock\.json'/,
    );
    expect(String(cache?.with?.["restore-keys"])).toMatch(/\ncheck-\$\{\{ runner\.os \}\}-\s*$/);
    expect(s.indexOf(cache!)).toBeLessThan(s.findIndex((x) => /npm run check/.test(x.run ?? "")));
  });
});
