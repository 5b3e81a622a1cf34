/** Check reports for people (grouped text) and for CI systems (JSON, JUnit XML). */
import type { PolicyException } from "../api/exception.js";
import type { Finding } from "./finding.js";

export interface CheckSummary {
  folders: number;
  objects: number;
  rules: number;
  failures: number;
  exceptions: number;
}

export interface CheckReport {
  findings: Finding[];
  /** Findings an exception covers; shown, not failing. */
  excepted: { finding: Finding; reason: string }[];
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
  if (r.excepted.length > 0) {
    lines.push("exceptions in use:");
    for (const [key, uses] of group(r.excepted, (e) => `[${e.finding.rule}] ${e.finding.tenant} ${e.finding.object}`)) {
      const clusters = [...new Set(uses.map((u) => u.finding.cluster))].sort();
      lines.push(`  ${key} on ${clusters.join(", ")}: ${uses[0]?.reason ?? ""}`);
    }
  }
  lines.push(summaryLine(r.summary));
  return `${lines.join("\n")}\n`;
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
