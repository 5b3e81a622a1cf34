/**
 * The fleet report model: everything the page shows, computed from the rendered cluster
 * folders (what Argo CD applies), apps/, the check report, the fleet model, the release
 * pins and the price table. Pure: no file system, no clock, no network. Its parts:
 * capacity.ts (workloads, limits, cost), releases.ts, addons.ts (add-ons and waves),
 * change.ts (the change view against a base); the types are in types.ts.
 */
import { PLATFORM_TENANT } from "../fleet/constants.js";
import { rolloutSteps } from "../fleet/rollout.js";
import type { CheckReport } from "../check/report.js";
import { arr, kindOf, nameOf, obj, objs, str } from "../check/policy/util.js";
import type { Located } from "../check/policy/types.js";
import { addons, waves } from "./addons.js";
import { durabilityRows } from "./durability.js";
import { BATCH, clusterNames, clusterReport, located, sum, workloadsOf } from "./capacity.js";
import { changeView } from "./change.js";
import { releases } from "./releases.js";
import type { Cell, FleetReport, ReportFolder, ReportInputs } from "./types.js";

export type * from "./types.js";
export { describeDelta } from "./change.js";

function hostsOf(objects: readonly Located[]): string[] {
  const hosts = objects.flatMap((l) => {
    const spec = obj(l.obj.spec);
    if (kindOf(l.obj) === "Ingress") return objs(spec.rules).map((r) => str(r.host) ?? "");
    // Gateway API routes (the edge, builders/edge.ts); a Gateway API Gateway's wildcard listeners are no host.
    if (kindOf(l.obj) === "HTTPRoute" || kindOf(l.obj) === "GRPCRoute")
      return arr(spec.hostnames)
        .map((h) => String(h))
        .filter((h) => !h.startsWith("*."));
    if (kindOf(l.obj) === "Gateway" && !String(l.obj.apiVersion).startsWith("gateway.networking.k8s.io/"))
      return objs(spec.servers).flatMap((s) => arr(s.hosts).map((h) => String(h)));
    return [];
  });
  return [...new Set(hosts.filter(Boolean).map((h) => h.replace(/^[^/]*\//, "")))].sort();
}

function cellOf(folder: ReportFolder, objects: readonly Located[], check: CheckReport): Cell {
  const mine = objects.filter((l) => l.tenant === folder.tenant);
  const ws = workloadsOf(objects).filter((w) => w.tenant === folder.tenant);
  const fixed = ws.filter((w) => w.autoscaler === undefined);
  const auto = ws.filter((w) => w.autoscaler !== undefined);
  return {
    cluster: folder.cluster,
    tenant: folder.tenant,
    workloads: ws,
    objects: mine.length,
    fixedReplicas: fixed.reduce((n, w) => n + w.min, 0),
    autoscaled: { workloads: auto.length, min: auto.reduce((n, w) => n + w.min, 0), max: auto.reduce((n, w) => n + w.max, 0) },
    gpus: { min: sum(ws, "min").gpus, max: sum(ws, "max").gpus },
    jobs: mine.filter((l) => BATCH.has(kindOf(l.obj))).map((l) => `${kindOf(l.obj)} ${nameOf(l.obj)}`),
    hosts: hostsOf(mine),
    findings: check.findings.filter((f) => f.cluster === folder.cluster && f.tenant === folder.tenant),
    excepted: check.excepted.filter((e) => e.finding.cluster === folder.cluster && e.finding.tenant === folder.tenant),
  };
}

function tenantOrder(folders: readonly ReportFolder[]): string[] {
  const names = [...new Set(folders.map((f) => f.tenant))].sort();
  return [...names.filter((n) => n === PLATFORM_TENANT), ...names.filter((n) => n !== PLATFORM_TENANT)];
}

export function buildReport(inputs: ReportInputs): FleetReport {
  const names = clusterNames(inputs.folders, inputs.fleet);
  const clusters = names.map((c) => clusterReport(c, inputs.folders, inputs));
  const cells = inputs.folders.map((f) => cellOf(f, located(inputs.folders, f.cluster), inputs.check));
  const folderKeys = new Set(inputs.folders.map((f) => `${f.cluster}/${f.tenant}`));
  const rollout = inputs.fleet.rollout;
  return {
    clusters,
    tenants: tenantOrder(inputs.folders),
    cells,
    releases: releases(inputs.folders, inputs.fleet, inputs.pins),
    addons: addons(inputs.apps),
    waves: waves(inputs.apps),
    durability: durabilityRows(inputs.folders),
    rollout: { mode: rollout?.mode ?? "auto", steps: rolloutSteps(inputs.fleet).map((s) => `${s.name} (maxUpdate ${s.maxUpdate})`) },
    check: {
      summary: inputs.check.summary,
      appsFindings: inputs.check.findings.filter(
        (f) => !folderKeys.has(`${f.cluster}/${f.tenant}`) && (f.cluster === "apps" || f.cluster === ""),
      ),
      otherFindings: inputs.check.findings.filter(
        (f) => !folderKeys.has(`${f.cluster}/${f.tenant}`) && f.cluster !== "apps" && f.cluster !== "",
      ),
    },
    prices: inputs.prices,
    change: changeView(inputs, clusters),
  };
}
