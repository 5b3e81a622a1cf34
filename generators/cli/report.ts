/**
 * `npm run report [-- --out DIR] [--base REF] [--today YYYY-MM-DD]`: writes the fleet report, one static HTML
 * page (DIR/index.html, default DIR "report"). With --base it adds the change view and
 * writes DIR/cost.md, the capacity and cost lines for the pull-request comment.
 * `--screenshot FILE` also saves a PNG of the page's top in headless Chromium (docs/report.png).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_FLEET } from "../fleet/fleet.js";
import { TENANTS } from "../tenants/index.js";
import { formatCapacityMarkdown } from "../diff/format.js";
import { loadReportInputs } from "../report/load.js";
import { buildReport } from "../report/model.js";
import { clockFrom } from "../fleet/clock.js";
import { renderHtml } from "../report/html.js";
import { repoRoot } from "./repo.js";

function fail(message: string): never {
  console.error(`report: ${message}`);
  process.exit(2);
}

let values: { out?: string; base?: string; screenshot?: string; today?: string };
try {
  ({ values } = parseArgs({
    options: {
      out: { type: "string", default: "report" },
      base: { type: "string" },
      screenshot: { type: "string" },
      today: { type: "string" },
    },
  }));
} catch (e) {
  fail(`${(e as Error).message}; usage: npm run report [-- --out DIR] [--base REF] [--screenshot FILE.png] [--today YYYY-MM-DD]`);
}

try {
  const repo = repoRoot();
  // Support windows, the control-plane fee and exceptions are judged on --today, else $FLEET_TODAY, else the real date.
  const today = clockFrom(values.today);
  const report = buildReport(
    await loadReportInputs(repo, DEFAULT_FLEET, TENANTS, { today, ...(values.base !== undefined ? { base: values.base } : {}) }),
  );
  const out = resolve(values.out ?? "report");
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "index.html"), renderHtml(report));
  if (report.change) writeFileSync(join(out, "cost.md"), formatCapacityMarkdown(report.change.lines.map((l) => l.text)));
  if (values.screenshot !== undefined) {
    // Loaded only here: playwright-core is a dev dependency, and the report itself needs no browser.
    const { screenshot } = await import("../report/browser.js");
    await screenshot(join(out, "index.html"), resolve(values.screenshot));
  }
  console.error(
    `report: ${report.clusters.length} clusters, ${report.tenants.length} tenants${report.change ? `, change view against ${report.change.diff.base.ref}` : ""}; wrote ${join(out, "index.html")}${report.change ? ` and ${join(out, "cost.md")}` : ""}`,
  );
} catch (e) {
  fail((e as Error).message);
}
