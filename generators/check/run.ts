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
import type { Shard } from "../render/shard.js";
import { validateStrict } from "./schema/validate.js";
import { compareFindings, readAppsObjects, RULES, runPolicies, scanTrackedFiles, type K8sObject, type PolicyException } from "./policy/index.js";
import { CheckCache, DEFAULT_CHECK_CACHE_DIR } from "./cache.js";
import { collectExceptions } from "./exceptions.js";
import { idOf } from "./policy/util.js";
import type { Finding } from "./finding.js";
import type { CheckReport } from "./report.js";

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
}

/** Rule ids of the passes that are not policy rules. */
const SCHEMA_RULE = "schema";
const EXTRA_RULES = 2; // the schema pass and the tracked-file scan

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

export async function checkFleet(repo: string, fleet: Fleet, tenants: readonly TenantSource[], options: CheckOptions = {}): Promise<CheckReport> {
  if (options.shard !== undefined && options.cluster !== undefined) throw new Error("--shard and --cluster cannot be combined: a shard is a set of whole clusters");
  const folders =
    options.rendered ??
    (await renderFleet(repo, {
      ...(options.cluster !== undefined ? { cluster: options.cluster } : {}),
      ...(options.shard !== undefined ? { shard: { shard: options.shard, unit: "cluster" as const, ...(options.costs ? { costs: options.costs } : {}) } } : {}),
      cache: options.cache ?? false,
    }));
  const cache = openCheckCache(repo, options);
  const sharded = options.shard !== undefined;
  const firstShard = !sharded || options.shard?.index === 1;
  const apps = firstShard ? readAppsObjects(repo) : [];
  const rules = firstShard ? RULES : RULES.filter((r) => r.scope === "cluster");
  const policy = runPolicies({ fleet, folders, apps }, collectExceptions(tenants), options.today ?? new Date(), rules, { cache });
  const findings: Finding[] = [
    ...folders.flatMap((f) => folderSchema(f, cache)),
    ...schemaFindings(PATHS.apps, PATHS.apps, apps),
    ...policy.findings,
    // A full check also proves every exception is still needed; a one-cluster check cannot,
    // and a shard leaves it to the merge (which sees every shard's use).
    ...(options.cluster === undefined && !sharded ? policy.unusedOrExpired.map(exceptionFinding) : []),
    ...(firstShard ? scanTrackedFiles(repo) : []),
  ].sort(compareFindings);
  if (cache && options.cluster === undefined && !sharded && options.rendered === undefined) cache.prune();
  const report: CheckReport = {
    findings,
    excepted: policy.excepted.map((e) => ({ finding: e.finding, reason: e.exception.reason })),
    summary: {
      folders: folders.length,
      objects: policy.objectsChecked,
      rules: RULES.length + EXTRA_RULES,
      failures: findings.length,
      exceptions: policy.excepted.length,
    },
  };
  if (options.shard !== undefined)
    report.shard = {
      ...options.shard,
      folders: folders.map((f) => f.path),
      costs: Object.fromEntries(folders.map((f) => [f.path, f.objects.length])),
      exceptions: policy.unusedOrExpired.map((u) => ({ exception: u.exception, reason: u.reason })),
    };
  return report;
}
