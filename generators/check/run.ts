/**
 * `npm run check` in-process. It renders every cluster folder exactly as committed
 * (what Argo CD syncs), reads apps/, and runs three passes over the same objects:
 * the strict schema, the policy rules, and the credential scan of tracked files.
 * It never regenerates; staleness is a separate check.
 */
import { PATHS } from "../fleet/constants.js";
import type { Fleet } from "../fleet/fleet.js";
import type { TenantSource } from "../tenants/index.js";
import { renderFleet, type RenderedFolder, type RenderOptions } from "../render/render.js";
import { validateStrict } from "./schema/validate.js";
import { readAppsObjects, RULES, runPolicies, scanTrackedFiles, type K8sObject } from "./policy/index.js";
import { collectExceptions } from "./exceptions.js";
import { idOf } from "./policy/util.js";
import type { Finding } from "./finding.js";
import type { CheckReport } from "./report.js";
import { ADDONS } from "../addons/catalogue.js";
import { BOOTSTRAP_RULES, formatPlans, runBootstrap } from "./bootstrap/index.js";

export interface CheckOptions {
  /** Only this cluster's folders (apps/ is always checked). @default every cluster */
  cluster?: string;
  /** Already rendered folders, e.g. from the render cache. @default render now */
  rendered?: readonly RenderedFolder[];
  /** The day exceptions are judged against. @default today */
  today?: Date;
  /** Render through the render cache (.cache/render, or the given folder). @default false; `npm run check` turns it on */
  cache?: RenderOptions["cache"];
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

export async function checkFleet(repo: string, fleet: Fleet, tenants: readonly TenantSource[], options: CheckOptions = {}): Promise<CheckReport> {
  const folders = options.rendered ?? (await renderFleet(repo, { ...(options.cluster !== undefined ? { cluster: options.cluster } : {}), cache: options.cache ?? false }));
  const apps = readAppsObjects(repo);
  const policy = runPolicies({ fleet, folders, apps }, collectExceptions(tenants), options.today ?? new Date());
  // The sync from an empty cluster, wave by wave (generators/check/bootstrap/).
  const bootstrap = runBootstrap({ fleet, apps, folders, addons: ADDONS }, options.cluster !== undefined ? [options.cluster] : undefined);
  const findings: Finding[] = [
    ...folders.flatMap((f) => schemaFindings(f.cluster, f.tenant, f.objects)),
    ...schemaFindings(PATHS.apps, PATHS.apps, apps),
    ...policy.findings,
    ...bootstrap.findings,
    // A full check also proves every exception is still needed; a one-cluster check cannot.
    ...(options.cluster === undefined
      ? policy.unusedOrExpired.map((u) => ({
          rule: "exception",
          cluster: u.exception.cluster ?? "*",
          tenant: "-",
          object: u.exception.object,
          path: u.exception.rule,
          message: u.reason,
          fix: "delete the exception from the tenant spec, or renew it with a reason",
        }))
      : []),
    ...scanTrackedFiles(repo),
  ];
  return {
    findings,
    excepted: policy.excepted.map((e) => ({ finding: e.finding, reason: e.exception.reason })),
    summary: {
      folders: folders.length,
      objects: policy.objectsChecked,
      rules: RULES.length + BOOTSTRAP_RULES.length + EXTRA_RULES,
      failures: findings.length,
      exceptions: policy.excepted.length,
    },
    plan: formatPlans(bootstrap.plans, bootstrap.management),
  };
}
