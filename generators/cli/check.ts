/**
 * `npm run check [-- --cluster c] [--format text|json|junit] [--out FILE] [--junit FILE] [--summary FILE] [--plan] [--flows] [--today YYYY-MM-DD] [--no-cache]`:
 * exits 0 only when every object passes; --plan also prints each cluster's wave plan, --flows
 * each cluster's needed flows, allowed or denied and by what (check/connectivity/); --summary
 * writes the verdict, warnings and the exceptions expiring within 30 days as Markdown (the PR
 * comment). The day support windows and exception expiry are judged on is --today, else
 * $FLEET_TODAY, else the real date (fleet/clock.ts).
 * Folders whose inputs did not change come from the render cache, and their findings
 * from the check cache.
 *
 * Sharded, for CI: `--shard i/n [--costs FILE] --format json --out reports/shard-i.json`
 * checks one shard's clusters, split by the costs in FILE (default .cache/shard-costs.json;
 * every shard must read the same file); `--merge reports/*.json [--junit FILE]` gives one
 * verdict over all shards and records the shards' costs in .cache/shard-costs.json for
 * the next split. `--shard-count [--costs FILE]` prints the shard indexes the PR workflow's
 * matrix runs, as a JSON array sized by the fleet (render/shard.ts shardCount).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { mergeReports } from "../check/merge.js";
import { checkFleet } from "../check/run.js";
import { formatReport, markdownSummary, type CheckReport, type ReportFormat } from "../check/report.js";
import { clockFrom } from "../fleet/clock.js";
import { DEFAULT_FLEET } from "../fleet/fleet.js";
import { listClusterFolders } from "../render/folders.js";
import { parseShard, readCosts, recordCosts, shardCount } from "../render/shard.js";
import { TENANTS } from "../tenants/index.js";
import { repoRoot } from "./repo.js";

const FORMATS: readonly ReportFormat[] = ["text", "json", "junit"];

function fail(message: string): never {
  console.error(`check: ${message}`);
  process.exit(2);
}

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      cluster: { type: "string" },
      format: { type: "string", default: "text" },
      out: { type: "string" },
      junit: { type: "string" },
      summary: { type: "string" },
      today: { type: "string" },
      shard: { type: "string" },
      costs: { type: "string" },
      merge: { type: "boolean", default: false },
      "shard-count": { type: "boolean", default: false },
      plan: { type: "boolean", default: false },
      flows: { type: "boolean", default: false },
      "no-cache": { type: "boolean", default: false },
    },
    allowPositionals: true,
  });
}
try {
  parsed = parse();
} catch (e) {
  fail((e as Error).message);
}
const { values, positionals } = parsed;
const format = values.format as ReportFormat;
if (!FORMATS.includes(format)) fail(`--format ${values.format} is not supported; use one of ${FORMATS.join(", ")}`);
if (!values.merge && positionals.length > 0) fail(`unexpected argument "${positionals[0]}"; report files are read only with --merge`);

function write(file: string, text: string): void {
  const path = resolve(file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

function readReport(file: string): CheckReport {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as CheckReport;
  } catch (e) {
    return fail(`cannot read report ${file}: ${(e as Error).message}; pass the JSON reports of --shard i/n --format json`);
  }
}

if (values["shard-count"]) {
  const repo = repoRoot();
  const n = shardCount(listClusterFolders(repo), values.costs !== undefined ? readCosts(process.cwd(), values.costs) : readCosts(repo));
  process.stdout.write(`${JSON.stringify(Array.from({ length: n }, (_, i) => i + 1))}\n`);
  process.exit(0);
}

try {
  const repo = repoRoot();
  const today = clockFrom(values.today);
  const shards = values.merge ? positionals.map(readReport) : [];
  const report = values.merge
    ? mergeReports(
        shards,
        listClusterFolders(repo).map((f) => f.path),
      )
    : await checkFleet(repo, DEFAULT_FLEET, TENANTS, {
        ...(values.cluster !== undefined ? { cluster: values.cluster } : {}),
        ...(values.shard !== undefined ? { shard: parseShard(values.shard) } : {}),
        ...(values.costs !== undefined ? { costs: readCosts(process.cwd(), values.costs) } : {}),
        cache: !values["no-cache"],
        flows: values.flows === true,
        today,
      });
  if (values.merge)
    recordCosts(
      repo,
      shards.flatMap((r) => Object.entries(r.shard?.costs ?? {}).map(([path, objects]) => ({ path, objects }))),
    );
  const { plan, flows, ...rest } = report;
  // The plan and the flows go to text output before the findings, and into JSON/JUnit consumers only when asked for.
  const shown = { ...rest, ...(values.plan === true ? { plan } : {}), ...(values.flows === true ? { flows } : {}) };
  const before = `${values.plan === true && plan !== undefined ? plan : ""}${values.flows === true && flows !== undefined ? flows : ""}`;
  const text = `${format === "text" ? before : ""}${formatReport(shown, format)}`;
  if (values.out !== undefined) write(values.out, text);
  else process.stdout.write(text);
  if (values.junit !== undefined) write(values.junit, formatReport(rest, "junit"));
  if (values.summary !== undefined) write(values.summary, markdownSummary(report));
  if (values.out !== undefined) console.error(`check: ${report.findings.length} failures; report written to ${values.out}`);
  // exitCode, not exit(): a large report written to a pipe must be flushed first.
  process.exitCode = report.findings.length === 0 ? 0 : 1;
} catch (e) {
  fail((e as Error).message);
}
