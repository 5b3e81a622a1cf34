/**
 * `npm run check -- --merge reports/*.json`: one verdict from every shard's JSON report.
 *
 * Each shard checked whole clusters (check/run.ts), so findings and excepted findings are
 * the union of the shards'. Only the exceptions need the whole fleet: one a shard did not
 * use may be used by another, so "matches no finding" stands only when every shard says
 * so; expired and malformed exceptions are reported once. The merge refuses reports
 * that are not one complete set of shards: a folder checked twice or not at all (shards
 * computed from different cost files), or a shard missing.
 */
import { exceptionFinding } from "./run.js";
import { compareFindings } from "./policy/index.js";
import type { CheckReport, ShardPart } from "./report.js";
import { mergeExpiring } from "./lifecycle.js";
import { fleetCertificateFindings } from "./health/certificates.js";

const UNUSED = "matches no finding";

export class MergeError extends Error {}

/** Merges the reports of shards 1..n of one check; `expectedFolders` (every folder of the checkout) proves coverage. */
export function mergeReports(reports: readonly CheckReport[], expectedFolders?: readonly string[]): CheckReport {
  if (reports.length === 0)
    throw new MergeError("no reports to merge; pass every shard's JSON report (check --shard i/n --format json --out FILE)");
  const parts = reports.map((r, i) => {
    if (!r.shard)
      throw new MergeError(`report ${i + 1} is not a shard's report (no "shard" field); produce it with --shard i/n --format json`);
    return r.shard;
  });
  const count = parts[0]?.count ?? 0;
  const indexes = parts.map((p) => p.index).sort((a, b) => a - b);
  const want = Array.from({ length: count }, (_, i) => i + 1);
  if (parts.some((p) => p.count !== count) || indexes.join(",") !== want.join(","))
    throw new MergeError(
      `the reports are shards ${parts.map((p) => `${p.index}/${p.count}`).join(", ")}; merge exactly shards 1/${count} to ${count}/${count}, each once`,
    );

  const seen = new Map<string, number>();
  for (const p of parts)
    for (const f of p.folders) {
      const other = seen.get(f);
      if (other !== undefined)
        throw new MergeError(`folder ${f} was checked by shards ${other} and ${p.index}; every shard must split by the same cost file`);
      seen.set(f, p.index);
    }
  if (expectedFolders) {
    const missing = expectedFolders.filter((f) => !seen.has(f));
    if (missing.length > 0) throw new MergeError(`no shard checked ${missing.join(", ")}; every shard must split by the same cost file`);
  }

  // Exceptions: keep expired/malformed once; keep "unused" only when every shard found it unused.
  const verdicts = new Map<string, { u: ShardPart["exceptions"][number]; shards: number }>();
  for (const p of parts)
    for (const u of p.exceptions) {
      const key = `${JSON.stringify(u.exception)}\n${u.reason}`;
      const v = verdicts.get(key);
      if (v) v.shards += 1;
      else verdicts.set(key, { u, shards: 1 });
    }
  const exceptionFindings = [...verdicts.values()]
    .filter((v) => v.u.reason !== UNUSED || v.shards === parts.length)
    .map((v) => exceptionFinding(v.u));

  // One owner per certificate name across every shard's clusters (check/health/certificates.ts).
  const certificateFindings = fleetCertificateFindings(parts.flatMap((p) => p.certificates ?? []));
  const findings = [...reports.flatMap((r) => r.findings), ...exceptionFindings, ...certificateFindings].sort(compareFindings);
  const excepted = reports.flatMap((r) => r.excepted).sort((a, b) => compareFindings(a.finding, b.finding));
  const sum = (k: "folders" | "objects"): number => reports.reduce((n, r) => n + r.summary[k], 0);
  return {
    findings,
    excepted,
    expiring: mergeExpiring(reports.map((r) => r.expiring ?? [])),
    warnings: reports.flatMap((r) => r.warnings ?? []).sort(compareFindings),
    summary: {
      folders: sum("folders"),
      objects: sum("objects"),
      rules: reports[0]?.summary.rules ?? 0,
      failures: findings.length,
      exceptions: excepted.length,
    },
  };
}
