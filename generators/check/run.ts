/**
 * `npm run check` in-process. It renders every cluster folder exactly as committed
 * (what Argo CD syncs), reads apps/, and runs three passes over the same objects:
 * the strict schema, the policy rules, and the credential scan of tracked files.
 * It never regenerates; staleness is a separate check.
 *
 * Cost stays linear in the fleet: the schema pass and the namespace-local rules are
 * cached per folder (check/cache.ts), the rules that read across namespaces use indexes
 * (policy/references.ts), and a shard checks whole clusters only (render/shard.ts), so
 * `--merge` of every shard's report equals the unsharded report (check/merge.ts).
 */
import { PATHS } from "../fleet/constants.js";
import type { Fleet } from "../fleet/fleet.js";
import type { TenantSource } from "../tenants/index.js";
import { renderFleet, type RenderedFolder, type RenderOptions } from "../render/render.js";
import { listClusterFolders } from "../render/folders.js";
import { readCosts, shardFolders, type Shard } from "../render/shard.js";
import { validateStrict } from "./schema/validate.js";
import {
  appsFindings,
  applyExceptions,
  clusterFindings,
  compareFindings,
  readAppsObjects,
  RULES,
  scanTrackedFiles,
  type K8sObject,
  type PolicyException,
} from "./policy/index.js";
import { CheckCache, DEFAULT_CHECK_CACHE_DIR } from "./cache.js";
import { collectExceptions } from "./exceptions.js";
import { eksSupportFindings, expiringExceptions } from "./lifecycle.js";
import { idOf } from "./policy/util.js";
import type { Finding } from "./finding.js";
import type { CheckReport } from "./report.js";
import { ADDONS } from "../addons/catalogue.js";
import { formatFlows } from "./connectivity/matrix.js";
import { BOOTSTRAP_RULES, formatManagement, formatPlan, runAppsBootstrap, runClusterBootstrap } from "./bootstrap/index.js";
import { type ClusterCertificates, fleetCertificateFindings } from "./health/certificates.js";

export interface CheckOptions {
  /** Only this cluster's folders (apps/ is always checked). @default every cluster */
  cluster?: string;
  /** Already rendered folders, e.g. from the render cache. @default render now */
  rendered?: readonly RenderedFolder[];
  /** The day exceptions are judged against. @default today */
  today?: Date;
  /** Render through the render cache (.cache/render, or the given folder). @default false; `npm run check` turns it on */
  cache?: RenderOptions["cache"];
  /**
   * Cache per-folder findings (.cache/check, or the given folder). A full unsharded
   * check prunes entries it did not use. @default on exactly when `cache` is
   */
  checkCache?: boolean | { dir?: string };
  /**
   * Check only this shard's clusters (whole clusters: cross-namespace rules need them),
   * balanced by last-known cost. apps/ and the tracked files are checked by shard 1,
   * and exceptions are judged by `mergeReports` over every shard. @default everything
   */
  shard?: Shard;
  /** Last-known folder costs for sharding. @default .cache/shard-costs.json */
  costs?: ReadonlyMap<string, number>;
  /** Also record each cluster's needed flows and their verdicts (report.flows). @default false */
  flows?: boolean;
  /** Filled with where this process's CPU went (the fleet bench reads it). */
  stats?: CheckStats;
}

/**
 * CPU seconds (user + system of this process) of one check, split by what it scales with.
 * `folderCpu` grows with the rendered objects: reading each cluster's folders, the schema
 * pass, the cluster rules and the cluster's bootstrap plan. `fleetWideCpu` is paid once
 * per check whatever the fleet's size: apps/, the apps-wide rules and plan, exceptions
 * and the tracked-file scan. The bench divides only `folderCpu` by the objects checked.
 */
export interface CheckStats {
  folderCpu: number;
  fleetWideCpu: number;
  /** Objects in the checked folders (apps/ not included). */
  folderObjects: number;
}

/** CPU seconds of this process since `from` (a process.cpuUsage() reading). */
function cpuSince(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
}

/** Rule ids of the passes that are not policy rules. */
const SCHEMA_RULE = "schema";
const EXTRA_RULES = 3; // the schema pass, the tracked-file scan and eks-version-support (check/lifecycle.ts)

function schemaFindings(cluster: string, tenant: string, objects: readonly K8sObject[]): Finding[] {
  return objects.flatMap((o) =>
    validateStrict(o).map((issue) => ({
      rule: SCHEMA_RULE,
      cluster,
      tenant,
      object: idOf(o),
      path: issue.path || "/",
      message: issue.message,
      fix: "make the field match the API schema: change the TypeScript source (or the overlay patch) and regenerate",
    })),
  );
}

/** Schema findings of one folder, from the cache when its rendered output is unchanged. */
function folderSchema(f: RenderedFolder, cache: CheckCache | undefined): Finding[] {
  if (!cache) return schemaFindings(f.cluster, f.tenant, f.objects);
  const key = cache.key(["schema", f.cluster, f.tenant, f.yaml]);
  const hit = cache.get<Finding[]>(key);
  if (hit) return hit;
  const found = schemaFindings(f.cluster, f.tenant, f.objects);
  cache.put(key, found);
  return found;
}

/** An exception no finding uses, or an expired or malformed one, as a finding. */
export function exceptionFinding(u: { exception: PolicyException; reason: string }): Finding {
  return {
    rule: "exception",
    cluster: u.exception.cluster ?? "*",
    tenant: "-",
    object: u.exception.object,
    path: u.exception.rule,
    message: u.reason,
    fix: "delete the exception from the tenant spec, or renew it with a reason",
  };
}

function openCheckCache(repo: string, options: CheckOptions): CheckCache | undefined {
  const on = options.checkCache ?? Boolean(options.cache);
  if (!on) return undefined;
  return new CheckCache(repo, typeof on === "object" && on.dir !== undefined ? on.dir : DEFAULT_CHECK_CACHE_DIR);
}

/** The clusters a check covers: one, a shard's (whole clusters), or all. */
function clustersToCheck(repo: string, options: CheckOptions): string[] {
  const all = listClusterFolders(repo, options.cluster);
  const chosen = options.shard ? shardFolders(all, options.shard, options.costs ?? readCosts(repo), "cluster") : all;
  return [...new Set(chosen.map((f) => f.cluster))];
}

export async function checkFleet(
  repo: string,
  fleet: Fleet,
  tenants: readonly TenantSource[],
  options: CheckOptions = {},
): Promise<CheckReport> {
  if (options.shard !== undefined && options.cluster !== undefined)
    throw new Error("--shard and --cluster cannot be combined: a shard is a set of whole clusters");
  const start = process.cpuUsage();
  let folderCpu = 0;
  const cache = openCheckCache(repo, options);
  const sharded = options.shard !== undefined;
  const firstShard = !sharded || options.shard?.index === 1;
  const rules = firstShard ? RULES : RULES.filter((r) => r.scope === "cluster");
  // Every shard reads apps/: rules that judge a folder by its AppProject, and the bootstrap plans, need it.
  const apps = readAppsObjects(repo);

  // One cluster at a time: its folders are rendered (or read from the render cache),
  // checked and dropped, so memory holds one cluster's objects, not the fleet's.
  const raw: Finding[] = [];
  const schema: Finding[] = [];
  const bootstrapFindings: Finding[] = [];
  // Plans are kept as text: a plan holds its cluster's objects.
  const plans: { cluster: string; lines: string[] }[] = [];
  const certificates: ClusterCertificates[] = [];
  const flowLines: string[] = [];
  const checked: { path: string; objects: number }[] = [];
  const batches: (() => Promise<readonly RenderedFolder[]>)[] = options.rendered
    ? [() => Promise.resolve(options.rendered ?? [])]
    : clustersToCheck(repo, options).map((cluster) => () => renderFleet(repo, { cluster, cache: options.cache ?? false }));
  for (const batch of batches) {
    const batchStart = process.cpuUsage();
    const folders = await batch();
    for (const f of folders) schema.push(...folderSchema(f, cache));
    raw.push(...clusterFindings(fleet, folders, apps, rules, { cache }));
    // The sync from an empty cluster, wave by wave (generators/check/bootstrap/), for this batch's clusters.
    const bootstrap = runClusterBootstrap({ fleet, apps, folders, addons: ADDONS }, [...new Set(folders.map((f) => f.cluster))]);
    bootstrapFindings.push(...bootstrap.findings);
    certificates.push(...bootstrap.certificates);
    plans.push(...bootstrap.plans.map((p) => ({ cluster: p.cluster, lines: formatPlan(p, apps) })));
    if (options.flows === true) flowLines.push(...formatFlows({ fleet, folders, apps }));
    for (const f of folders) checked.push({ path: f.path, objects: f.objects.length });
    folderCpu += cpuSince(batchStart);
  }
  // One owner per certificate name, over every cluster this check covered (a one-cluster check sees
  // one); a shard leaves it to the merge, which sees every shard's clusters.
  if (!sharded) bootstrapFindings.push(...fleetCertificateFindings(certificates));
  // The apps-wide bootstrap rules and the Argo CD cluster's own waves, once.
  const appsWide = runAppsBootstrap(apps);
  if (firstShard) bootstrapFindings.push(...appsWide.findings);
  const rank = new Map(fleet.clusters.map((c, i) => [c.name, i]));
  const order = (c: string): number => rank.get(c) ?? -1;
  plans.sort((a, b) => order(a.cluster) - order(b.cluster));
  const appsChecked = firstShard ? apps : [];
  raw.push(...appsFindings(fleet, appsChecked, rules));
  raw.sort(compareFindings);
  const objects = checked.reduce((n, f) => n + f.objects, 0) + appsChecked.length;
  const today = options.today ?? new Date();
  const policy = applyExceptions(raw, collectExceptions(tenants), today, rules.length, objects);
  // The EKS calendar's verdict per cluster: the cluster asked for, or every cluster once (shard 1).
  const support = firstShard
    ? eksSupportFindings(fleet, today, options.cluster !== undefined ? [options.cluster] : undefined)
    : { findings: [], warnings: [] };

  const findings: Finding[] = [
    ...schema,
    ...schemaFindings(PATHS.apps, PATHS.apps, appsChecked),
    ...policy.findings,
    ...bootstrapFindings,
    ...support.findings,
    // A full check also proves every exception is still needed; a one-cluster check cannot,
    // and a shard leaves it to the merge (which sees every shard's use).
    ...(options.cluster === undefined && !sharded ? policy.unusedOrExpired.map(exceptionFinding) : []),
    ...(firstShard ? scanTrackedFiles(repo) : []),
  ].sort(compareFindings);
  if (cache && options.cluster === undefined && !sharded && options.rendered === undefined) cache.prune();
  if (options.stats) {
    options.stats.folderCpu = folderCpu;
    options.stats.fleetWideCpu = cpuSince(start) - folderCpu;
    options.stats.folderObjects = checked.reduce((n, f) => n + f.objects, 0);
  }
  const report: CheckReport = {
    findings,
    excepted: policy.excepted.map((e) => ({
      finding: e.finding,
      reason: e.exception.reason,
      ...(e.exception.expires !== undefined ? { expires: e.exception.expires } : {}),
    })),
    expiring: expiringExceptions(policy.excepted, today),
    warnings: support.warnings,
    summary: {
      folders: checked.length,
      objects: policy.objectsChecked,
      rules: RULES.length + BOOTSTRAP_RULES.length + EXTRA_RULES,
      failures: findings.length,
      exceptions: policy.excepted.length,
    },
    plan: `${[...formatManagement(appsWide.management), ...plans.flatMap((p) => p.lines)].join("\n")}\n`,
  };
  if (options.flows === true) report.flows = `${flowLines.join("\n")}\n`;
  if (options.shard !== undefined)
    report.shard = {
      ...options.shard,
      folders: checked.map((f) => f.path),
      costs: Object.fromEntries(checked.map((f) => [f.path, f.objects])),
      exceptions: policy.unusedOrExpired.map((u) => ({ exception: u.exception, reason: u.reason })),
      certificates,
    };
  return report;
}
