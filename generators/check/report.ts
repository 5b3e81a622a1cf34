/** Check reports for people (grouped text) and for CI systems (JSON, JUnit XML). */
import type { PolicyException } from "../api/exception.js";
import type { Finding } from "./finding.js";
import type { ExpiringException } from "./lifecycle.js";
import type { ClusterCertificates } from "./health/certificates.js";

export interface CheckSummary {
  folders: number;
  objects: number;
  rules: number;
  failures: number;
  exceptions: number;
}

export interface CheckReport {
  findings: Finding[];
  /** Findings an exception covers; counted, not failing (JSON keeps them all). */
  excepted: { finding: Finding; reason: string; expires?: string }[];
  /** Exceptions in use that expire within 30 days, once each: the only exceptions the text and the PR comment list. */
  expiring?: ExpiringException[];
  /** Notices that do not fail the check (a cluster's standard support ending within 60 days). */
  warnings?: Finding[];
  summary: CheckSummary;
  /** Set on a shard's report (`--shard i/n`): what `--merge` needs to judge the whole fleet. */
  shard?: ShardPart;
  /** The bootstrap pass's wave plan per cluster, as `npm run check -- --plan` prints it. */
  plan?: string;
  /** The needed flows per cluster with their verdicts, as `npm run check -- --flows` prints them. */
  flows?: string;
}

/** The part of a sharded check its report carries for the merge. */
export interface ShardPart {
  index: number;
  count: number;
  /** clusters/<cluster>/<tenant> folders this shard checked. */
  folders: string[];
  /** Objects each of those folders rendered to: the costs the next split balances by. */
  costs: Record<string, number>;
  /** Exceptions unused in this shard's clusters, expired or malformed: the merge keeps those no shard used. */
  exceptions: { exception: PolicyException; reason: string }[];
  /** Each checked cluster's certificate orders and publications: the merge judges them across shards (health/certificates.ts). */
  certificates?: ClusterCertificates[];
}

export type ReportFormat = "text" | "json" | "junit";

function group<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const i of items) m.set(key(i), [...(m.get(key(i)) ?? []), i]);
  return new Map([...m.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

function summaryLine(s: CheckSummary): string {
  return `check: ${s.folders} folders, ${s.objects} objects checked, ${s.rules} rules run, ${s.failures} failures, ${s.exceptions} exceptions`;
}

function text(r: CheckReport): string {
  const lines: string[] = [];
  for (const [cluster, inCluster] of group(r.findings, (f) => f.cluster)) {
    lines.push(`${cluster}`);
    for (const [tenant, inTenant] of group(inCluster, (f) => f.tenant)) {
      lines.push(`  ${tenant}`);
      for (const [object, inObject] of group(inTenant, (f) => f.object)) {
        lines.push(`    ${object}`);
        for (const f of inObject) lines.push(`      [${f.rule}] ${f.path}: ${f.message}`, `        fix: ${f.fix}`);
      }
    }
  }
  // Exceptions in use are counted in the summary line; only those about to expire are listed, once each.
  lines.push(...expiringLines(r));
  for (const w of r.warnings ?? []) lines.push(`warning: ${w.cluster} [${w.rule}] ${w.message}`, `  fix: ${w.fix}`);
  lines.push(summaryLine(r.summary));
  return `${lines.join("\n")}\n`;
}

/** "exceptions expiring within 30 days" and one line per exception, or nothing when none is near. */
export function expiringLines(r: Pick<CheckReport, "expiring">): string[] {
  const list = r.expiring ?? [];
  if (list.length === 0) return [];
  return [
    `exceptions expiring within 30 days (${list.length}):`,
    ...list.map(
      (e) =>
        `  ${e.expires} (${e.daysLeft < 0 ? "expired" : `${e.daysLeft} days`}) [${e.rule}] ${e.tenant} ${e.object} on ${e.clusters.join(", ")}: ${e.reason}`,
    ),
  ];
}

/** The check's verdict for a pull-request comment: counts, warnings, and the exceptions about to expire. */
export function markdownSummary(r: CheckReport): string {
  const s = r.summary;
  const out = [
    "### Policy check",
    "",
    `${s.failures === 0 ? "✅" : "❌"} ${s.failures} failures, ${s.exceptions} findings under exceptions, ${s.objects} objects in ${s.folders} folders.`,
  ];
  const warnings = r.warnings ?? [];
  if (warnings.length > 0) out.push("", "**Warnings**", "", ...warnings.map((w) => `- \`${w.cluster}\` ${w.message}. Fix: ${w.fix}.`));
  const expiring = r.expiring ?? [];
  if (expiring.length > 0)
    out.push(
      "",
      `**Exceptions expiring within 30 days** (${expiring.length})`,
      "",
      "| Expires | Rule | Tenant | Object | Clusters |",
      "|---|---|---|---|---|",
      ...expiring.map((e) => `| ${e.expires} | \`${e.rule}\` | ${e.tenant} | \`${e.object}\` | ${e.clusters.join(", ")} |`),
    );
  return `${out.join("\n")}\n`;
}

const xml = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function junit(r: CheckReport): string {
  const out = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="check" tests="${r.summary.objects}" failures="${r.summary.failures}">`,
  ];
  for (const [cluster, inCluster] of group(r.findings, (f) => f.cluster)) {
    out.push(`  <testsuite name="${xml(cluster)}" tests="${inCluster.length}" failures="${inCluster.length}">`);
    for (const f of inCluster) {
      out.push(`    <testcase classname="${xml(`${cluster}.${f.tenant}`)}" name="${xml(`${f.object} ${f.rule}`)}">`);
      out.push(`      <failure message="${xml(`${f.path}: ${f.message}`)}">${xml(`fix: ${f.fix}`)}</failure>`);
      out.push(`    </testcase>`);
    }
    out.push(`  </testsuite>`);
  }
  out.push(`</testsuites>`);
  return `${out.join("\n")}\n`;
}

export function formatReport(r: CheckReport, format: ReportFormat): string {
  if (format === "json") return `${JSON.stringify(r, null, 2)}\n`;
  if (format === "junit") return junit(r);
  return text(r);
}
