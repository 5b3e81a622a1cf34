/**
 * Exceptions in the check's output: counted on the summary line, and listed once each (clusters
 * merged) only when they expire within 30 days, in the text report, the PR comment's Markdown and
 * the merge of sharded reports.
 */
import { describe, expect, it } from "vitest";
import type { PolicyException } from "../../generators/api/exception.js";
import type { Finding } from "../../generators/check/finding.js";
import { expiringExceptions, mergeExpiring } from "../../generators/check/lifecycle.js";
import { formatReport, markdownSummary, type CheckReport } from "../../generators/check/report.js";

const day = (d: string): Date => new Date(`${d}T00:00:00Z`);
const finding = (cluster: string, object: string): Finding => ({
  rule: "wl-image-digest",
  cluster,
  tenant: "mlcf",
  object,
  path: "spec.template.spec.containers[0].image",
  message: "not pinned by digest",
  fix: "pin it",
});
const exception = (object: string, expires: string): PolicyException => ({
  rule: "wl-image-digest",
  object,
  reason: "prod is pinned by tag until the release pipeline records image digests",
  expires,
});

/** 3 prod clusters × 14 objects expiring 2027-01-31, plus one object expiring 2026-12-20. */
function excepted(): { finding: Finding; exception: PolicyException }[] {
  const out: { finding: Finding; exception: PolicyException }[] = [];
  for (let i = 0; i < 14; i++) {
    const e = exception(`Deployment/mlcf/app-${i}`, "2027-01-31");
    for (const c of ["prod-usw2", "prod-use1", "prod-euw1"]) out.push({ finding: finding(c, e.object), exception: e });
  }
  const soon = exception("Deployment/mlcf/api", "2026-12-20");
  for (const c of ["prod-euw1", "prod-usw2"]) out.push({ finding: finding(c, soon.object), exception: soon });
  return out;
}

function report(today: Date): CheckReport {
  const ex = excepted();
  return {
    findings: [],
    excepted: ex.map((e) => ({ finding: e.finding, reason: e.exception.reason, expires: e.exception.expires ?? "" })),
    expiring: expiringExceptions(ex, today),
    warnings: [],
    summary: { folders: 36, objects: 5000, rules: 90, failures: 0, exceptions: ex.length },
  };
}

describe("exceptions expiring within 30 days", () => {
  it("lists nothing when no exception expires within 30 days: the summary line carries the count", () => {
    const text = formatReport({ ...report(day("2026-11-01")) }, "text");
    expect(text).toBe("check: 36 folders, 5000 objects checked, 90 rules run, 0 failures, 44 exceptions\n");
  });

  it("lists each expiring exception once with all its clusters, soonest first", () => {
    const r = report(day("2027-01-05"));
    expect(r.expiring?.map((e) => [e.expires, e.object, e.clusters.join(",")])).toEqual([
      ["2026-12-20", "Deployment/mlcf/api", "prod-euw1,prod-usw2"],
      ...Array.from({ length: 14 }, (_, i) => ["2027-01-31", `Deployment/mlcf/app-${i}`, "prod-euw1,prod-use1,prod-usw2"]).sort((a, b) =>
        (a[1] ?? "").localeCompare(b[1] ?? ""),
      ),
    ]);
    const lines = formatReport(r, "text").trimEnd().split("\n");
    expect(lines[0]).toBe("exceptions expiring within 30 days (15):");
    expect(lines[1]).toBe(
      "  2026-12-20 (expired) [wl-image-digest] mlcf Deployment/mlcf/api on prod-euw1, prod-usw2: prod is pinned by tag until the release pipeline records image digests",
    );
    expect(lines[2]).toContain("2027-01-31 (26 days)");
    expect(lines).toHaveLength(1 + 15 + 1);
  });

  it("stops at 30 days: 31 days ahead is not listed, 30 is", () => {
    expect(expiringExceptions(excepted(), day("2026-12-31")).filter((e) => e.expires === "2027-01-31")).toHaveLength(0);
    expect(expiringExceptions(excepted(), day("2027-01-01")).filter((e) => e.expires === "2027-01-31")).toHaveLength(14);
  });

  it("puts the same list in the PR comment's Markdown, and nothing about exceptions when none is near", () => {
    const md = markdownSummary(report(day("2027-01-05")));
    expect(md).toContain("**Exceptions expiring within 30 days** (15)");
    expect(md).toContain("| 2026-12-20 | `wl-image-digest` | mlcf | `Deployment/mlcf/api` | prod-euw1, prod-usw2 |");
    expect(md.split("\n").filter((l) => l.startsWith("| 2027-01-31"))).toHaveLength(14);
    const quiet = markdownSummary(report(day("2026-11-01")));
    expect(quiet).toContain("✅ 0 failures, 44 findings under exceptions");
    expect(quiet).not.toContain("Exceptions expiring");
  });

  it("merges shards' lists into one entry per exception with every shard's clusters", () => {
    const ex = excepted();
    const a = expiringExceptions(
      ex.filter((e) => e.finding.cluster === "prod-usw2"),
      day("2027-01-05"),
    );
    const b = expiringExceptions(
      ex.filter((e) => e.finding.cluster !== "prod-usw2"),
      day("2027-01-05"),
    );
    expect(mergeExpiring([a, b])).toEqual(expiringExceptions(ex, day("2027-01-05")));
  });
});
