/**
 * `npm run check [-- --cluster c] [--format text|json|junit] [--plan] [--no-cache]`: exits 0
 * only when every object passes; --plan also prints each cluster's wave plan. Folders whose
 * inputs did not change come from the render cache.
 */
import { parseArgs } from "node:util";
import { checkFleet } from "../check/run.js";
import { formatReport, type ReportFormat } from "../check/report.js";
import { DEFAULT_FLEET } from "../fleet/fleet.js";
import { TENANTS } from "../tenants/index.js";
import { repoRoot } from "./repo.js";

const FORMATS: readonly ReportFormat[] = ["text", "json", "junit"];

const { values } = parseArgs({ options: { cluster: { type: "string" }, format: { type: "string", default: "text" }, plan: { type: "boolean", default: false }, "no-cache": { type: "boolean", default: false } } });
const format = values.format as ReportFormat;
if (!FORMATS.includes(format)) {
  console.error(`check: --format ${values.format} is not supported; use one of ${FORMATS.join(", ")}`);
  process.exit(2);
}

try {
  const report = await checkFleet(repoRoot(), DEFAULT_FLEET, TENANTS, { ...(values.cluster !== undefined ? { cluster: values.cluster } : {}), cache: !values["no-cache"] });
  const { plan, ...rest } = report;
  // The plan goes to text output before the findings, and into JSON/JUnit consumers only when asked for.
  if (values.plan === true && plan !== undefined && format === "text") process.stdout.write(plan);
  process.stdout.write(formatReport(values.plan === true ? report : rest, format));
  // exitCode, not exit(): a large report written to a pipe must be flushed first.
  process.exitCode = report.findings.length === 0 ? 0 : 1;
} catch (e) {
  console.error(`check: ${(e as Error).message}`);
  process.exit(2);
}
