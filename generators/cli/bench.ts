/**
 * `npm run bench [-- --runs N] [--json FILE] [--compare OLD.json] [--parallelism P]
 *                [--synthetic-budget SECONDS] [--no-synthetic] [--layouts]`
 *
 * Times every PR-gate stage against the kustomize floor measured in the same run, plus
 * synthetic fleets of growing size. Writes JSON to .cache/bench/latest.json by default.
 * `--layouts` instead measures layout alternatives (generators/bench/layouts.ts).
 * `--fleet TxAxC [--sizes c1,c2,...]` instead measures the full synthetic fleet and the
 * cost curve up to it, one process per stage (generators/bench/fleet.ts); long, not CI.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { formatCompare, formatResult } from "../bench/report.js";
import { DEFAULT_PARALLELISM, DEFAULT_SIZES, runBench, type BenchResult } from "../bench/run.js";
import { repoRoot } from "./repo.js";

const USAGE = `usage: npm run bench [-- --runs N] [--json FILE] [--compare OLD.json] [--parallelism P]
                     [--synthetic-budget SECONDS] [--no-synthetic] [--layouts]
       npm run bench -- --fleet TxAxC [--sizes c1,c2,...]`;

/** The options; an unknown one is reported with the usage instead of a stack trace. */
function options() {
  try {
    return parseArgs({
      options: {
        runs: { type: "string", default: "5" },
        json: { type: "string" },
        compare: { type: "string" },
        parallelism: { type: "string" },
        "synthetic-budget": { type: "string", default: "270" },
        "no-synthetic": { type: "boolean", default: false },
        layouts: { type: "boolean", default: false },
        fleet: { type: "string" },
        sizes: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    console.error(`bench: ${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

const { values } = options();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const positive = (name: string, v: string | undefined, fallback: number): number => {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} wants a non-negative number, got "${v}"`);
  return n;
};

try {
  const repo = repoRoot();
  if (values.fleet !== undefined) {
    const { defaultClusterCounts, formatFleet, parseFleet, runFleetBench } = await import("../bench/fleet.js");
    const size = parseFleet(values.fleet);
    const clusters =
      values.sizes !== undefined
        ? values.sizes
            .split(",")
            .map((x) => Math.round(positive("sizes", x, 1)))
            .filter((x) => x >= 1)
        : defaultClusterCounts(size.clusters);
    const out = resolve(values.json ?? `${repo}/.cache/bench/fleet.json`);
    const result = await runFleetBench({
      repo,
      size,
      clusters,
      parallelism: Math.max(1, Math.round(positive("parallelism", values.parallelism, DEFAULT_PARALLELISM))),
      out,
      log: (l) => console.error(l),
    });
    console.log(formatFleet(result));
    console.log(`written: ${out}`);
  } else if (values.layouts) {
    const { runLayouts } = await import("../bench/layouts.js");
    await runLayouts({ repo, runs: positive("runs", values.runs, 5), log: (l) => console.log(l) });
  } else {
    const runs = Math.max(1, Math.round(positive("runs", values.runs, 5)));
    const result = await runBench({
      repo,
      runs,
      parallelism: Math.max(1, Math.round(positive("parallelism", values.parallelism, DEFAULT_PARALLELISM))),
      syntheticBudget: values["no-synthetic"] ? 0 : positive("synthetic-budget", values["synthetic-budget"], 270),
      sizes: DEFAULT_SIZES,
      log: (l) => console.error(l),
    });
    console.log(formatResult(result));
    const out = resolve(values.json ?? `${repo}/.cache/bench/latest.json`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\nwritten: ${out}`);
    if (values.compare) {
      const old = JSON.parse(readFileSync(resolve(values.compare), "utf8")) as BenchResult;
      console.log(`\n${formatCompare(old, result)}`);
    }
  }
} catch (e) {
  console.error(`bench: ${(e as Error).stack ?? String(e)}`);
  process.exit(1);
}
