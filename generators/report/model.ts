/**
 * The fleet report model: everything the page shows, computed from the rendered cluster
 * folders (what Argo CD applies), apps/, the check report, the fleet model, the release
 * pins and the price table. Pure: no file system, no clock, no network.
 */
import { ANNOTATIONS, GPU_RESOURCE, LABELS, PLATFORM, PLATFORM_TENANT } from "../fleet/constants.js";
import type { Env, Fleet } from "../fleet/fleet.js";
import type { InstancePrice, InstanceShape } from "../fleet/prices.js";
import { pinFor, type Pins } from "../api/pins.js";
import { quantityValue } from "../rules/quantity.js";
import type { CheckReport } from "../check/report.js";
import type { Finding } from "../check/finding.js";
import { expandAll } from "../argo/expand.js";
import {
  kindOf,
  labelsOf,
  nameOf,
  namespaceOf,
  obj,
  objs,
  podTemplateOf,
  replicaBounds,
  str,
  strMap,
  arr,
  type Obj,
} from "../check/policy/util.js";
import type { K8sObject, Located } from "../check/policy/types.js";
import { rolloutSteps } from "../builders/argocd-apps.js";
import { compareObjects, NO_FLEET_CHANGES, summarize, type DiffResult, type FolderDiff } from "../diff/diff.js";
import { supportOn, type SupportPhase } from "../fleet/eks-calendar.js";
import { clusterCost, formatUsd, type ClusterCost, type GpuOption, type PodDemand } from "./cost.js";
import { add, istioSidecar, podRequests, scale, ZERO, type Resources } from "./resources.js";

/** One rendered clusters/<cluster>/<tenant> folder (RenderedFolder fits). */
export interface ReportFolder {
  cluster: string;
  tenant: string;
  path: string;
  objects: readonly K8sObject[];
}

export interface Workload {
  tenant: string;
  namespace: string;
  kind: string;
  name: string;
  min: number;
  max: number;
  /** "HorizontalPodAutoscaler" or "ScaledObject" when autoscaled. */
  autoscaler: string | undefined;
  /** One pod's requests, the injected Istio proxy included. */
  perPod: Resources;
  /** NodePool the pods land on. */
  pool: string;
  images: string[];
}

export interface Cell {
  cluster: string;
  tenant: string;
  workloads: Workload[];
  /** Objects in the rendered folder. */
  objects: number;
  /** Replicas of workloads without an autoscaler. */
  fixedReplicas: number;
  /** Summed bounds of the autoscaled workloads. */
  autoscaled: { workloads: number; min: number; max: number };
  gpus: { min: number; max: number };
  /** Jobs and CronJobs: run to completion, left out of steady-state capacity. */
  jobs: string[];
  hosts: string[];
  findings: Finding[];
  excepted: { finding: Finding; reason: string }[];
}

export type LimitStatus = "ok" | "over-at-max" | "over-at-min";

/** One requested-vs-limit comparison: a NodePool limit or a ResourceQuota entry. */
export interface LimitCheck {
  /** e.g. "NodePool gpu" or "ResourceQuota ossa-platform/ossa-quota". */
  against: string;
  resource: "cpu" | "memory" | "gpu" | "pods";
  /** Cores, GiB, GPUs or pods. */
  min: number;
  max: number;
  limit: number;
  status: LimitStatus;
}

export interface ClusterReport {
  name: string;
  env: string;
  region: string;
  kubernetesVersion: string;
  /** The minor's EKS support window on the report's day and the control-plane fee it costs (fleet/eks-calendar.ts). */
  support: ClusterSupport;
  requested: { min: Resources; max: Resources };
  limits: LimitCheck[];
  cost: { min: ClusterCost; max: ClusterCost };
  gpuInstanceTypes: string[];
}

export interface ClusterSupport {
  phase: SupportPhase;
  released?: string;
  endOfStandardSupport?: string;
  endOfExtendedSupport?: string;
  /** The control-plane fee per hour; absent when EKS offers no cluster of this minor on the day. */
  usdPerHour?: number;
}

export interface ReleaseImage {
  /** The image reference as rendered. */
  image: string;
  /** "digest" when pinned to sha256, else "tag". */
  by: "digest" | "tag";
}

export interface ReleaseRow {
  tenant: string;
  app: string;
  /** Per environment: the distinct images its clusters run, and whether release/pins.json pins it. */
  envs: Partial<Record<Env, { images: ReleaseImage[]; pinned: boolean }>>;
  /** Staging runs something prod does not yet run. */
  pendingPromotion: boolean;
}

export interface AddonRow {
  name: string;
  chart: string;
  repoURL: string;
  wave: number;
  /** cluster -> chart version; absent where the add-on is not installed. */
  versions: Record<string, string>;
}

export interface Wave {
  wave: number;
  items: string[];
}

export interface ChangeLine {
  cluster: string;
  delta: { min: Resources; max: Resources };
  usd: { min: number; max: number };
  /** "prod-usw2: +2 GPUs ≈ +$1,427/month" */
  text: string;
}

export interface ChangeView {
  diff: DiffResult;
  lines: ChangeLine[];
}

export interface FleetReport {
  clusters: ClusterReport[];
  tenants: string[];
  cells: Cell[];
  releases: ReleaseRow[];
  addons: AddonRow[];
  waves: Wave[];
  rollout: { mode: string; steps: string[] };
  check: { summary: CheckReport["summary"]; appsFindings: Finding[]; otherFindings: Finding[] };
  prices: readonly InstancePrice[];
  change: ChangeView | undefined;
}

export interface ReportInputs {
  fleet: Fleet;
  pins: Pins;
  folders: readonly ReportFolder[];
  apps: readonly K8sObject[];
  check: CheckReport;
  prices: readonly InstancePrice[];
  shapes: Readonly<Record<string, InstanceShape>>;
  /** The day support windows and fees are judged on. @default today */
  today?: Date;
  /** With --base: the base side's folders and what the base is. */
  base?: { folders: readonly ReportFolder[]; ref: string; commit: string; why: string };
}

const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet"]);
const BATCH = new Set(["Job", "CronJob"]);
const GiB = 2 ** 30;

/** Namespaces whose pods get an Istio proxy injected (istio-injection=enabled, Istio's namespace injection label). */
function injectedNamespaces(objects: readonly Located[]): Set<string> {
  return new Set(
    objects.filter((l) => kindOf(l.obj) === "Namespace" && labelsOf(l.obj)["istio-injection"] === "enabled").map((l) => nameOf(l.obj)),
  );
}

function workloadsOf(objects: readonly Located[]): Workload[] {
  const injected = injectedNamespaces(objects);
  return objects.flatMap((l) => {
    if (!WORKLOADS.has(kindOf(l.obj))) return [];
    const t = podTemplateOf(l);
    if (!t) return [];
    const annotations = strMap(obj(obj(obj(obj(l.obj.spec).template).metadata).annotations));
    const b = replicaBounds(objects, l.obj);
    const images = [...new Set(objs(t.spec.containers).map((c) => str(c.image) ?? ""))].filter(Boolean);
    return [
      {
        tenant: l.tenant,
        namespace: t.namespace,
        kind: kindOf(l.obj),
        name: nameOf(l.obj),
        min: b.min,
        max: b.max,
        autoscaler: b.autoscaler ? kindOf(b.autoscaler.obj) : undefined,
        perPod: podRequests(t, injected.has(t.namespace) ? istioSidecar(annotations) : ZERO),
        pool: str(obj(t.spec.nodeSelector)[LABELS.karpenterNodePool]) ?? PLATFORM.generalNodePool,
        images,
      },
    ];
  });
}

function hostsOf(objects: readonly Located[]): string[] {
  const hosts = objects.flatMap((l) => {
    const spec = obj(l.obj.spec);
    if (kindOf(l.obj) === "Ingress") return objs(spec.rules).map((r) => str(r.host) ?? "");
    if (kindOf(l.obj) === "Gateway") return objs(spec.servers).flatMap((s) => arr(s.hosts).map((h) => String(h)));
    return [];
  });
  return [...new Set(hosts.filter(Boolean).map((h) => h.replace(/^[^/]*\//, "")))].sort();
}

const sum = (ws: readonly Workload[], at: "min" | "max"): Resources => ws.reduce((r, w) => add(r, scale(w.perPod, w[at])), ZERO);

function status(min: number, max: number, limit: number): LimitStatus {
  return min > limit ? "over-at-min" : max > limit ? "over-at-max" : "ok";
}

/** A Kubernetes quantity as cores, GiB or a count. */
function quantityOf(v: unknown, unit: "cpu" | "memory" | "count"): number {
  const n = quantityValue(String(v));
  return unit === "memory" ? n / GiB : n;
}

/** NodePool limits (karpenter.sh/v1 NodePool spec.limits) against the pods that select each pool. */
function poolChecks(objects: readonly Located[], ws: readonly Workload[]): LimitCheck[] {
  const out: LimitCheck[] = [];
  for (const p of objects.filter((l) => kindOf(l.obj) === "NodePool")) {
    const name = nameOf(p.obj);
    const limits = obj(obj(p.obj.spec).limits);
    const mine = ws.filter((w) => w.pool === name);
    const lo = sum(mine, "min");
    const hi = sum(mine, "max");
    const entries: [LimitCheck["resource"], string, "cpu" | "memory" | "count"][] = [
      ["cpu", "cpu", "cpu"],
      ["memory", "memory", "memory"],
      ["gpu", GPU_RESOURCE, "count"],
    ];
    for (const [resource, key, unit] of entries) {
      if (limits[key] === undefined) continue;
      const limit = quantityOf(limits[key], unit);
      const field = resource === "memory" ? "memoryGiB" : resource === "gpu" ? "gpus" : "cpu";
      out.push({
        against: `NodePool ${name}`,
        resource,
        min: lo[field],
        max: hi[field],
        limit,
        status: status(lo[field], hi[field], limit),
      });
    }
  }
  return out;
}

/** ResourceQuota spec.hard (requests.cpu, requests.memory, requests.nvidia.com/gpu, pods) against its namespace's workloads. */
function quotaChecks(objects: readonly Located[], ws: readonly Workload[]): LimitCheck[] {
  const out: LimitCheck[] = [];
  for (const qo of objects.filter((l) => kindOf(l.obj) === "ResourceQuota")) {
    const ns = namespaceOf(qo.obj);
    const hard = obj(obj(qo.obj.spec).hard);
    const mine = ws.filter((w) => w.namespace === ns);
    const lo = sum(mine, "min");
    const hi = sum(mine, "max");
    const against = `ResourceQuota ${ns}/${nameOf(qo.obj)}`;
    const push = (resource: LimitCheck["resource"], key: string, unit: "cpu" | "memory" | "count", min: number, max: number): void => {
      if (hard[key] === undefined) return;
      const limit = quantityOf(hard[key], unit);
      out.push({ against, resource, min, max, limit, status: status(min, max, limit) });
    };
    push("cpu", "requests.cpu", "cpu", lo.cpu, hi.cpu);
    push("memory", "requests.memory", "memory", lo.memoryGiB, hi.memoryGiB);
    push("gpu", `requests.${GPU_RESOURCE}`, "count", lo.gpus, hi.gpus);
    push(
      "pods",
      "pods",
      "count",
      mine.reduce((n, w) => n + w.min, 0),
      mine.reduce((n, w) => n + w.max, 0),
    );
  }
  return out;
}

/** Instance types the GPU NodePool may launch (its node.kubernetes.io/instance-type requirement), with GPUs per type from the fleet model. */
function gpuOptions(objects: readonly Located[], fleet: Fleet, region: string): GpuOption[] {
  const known = fleet.regions.find((r) => r.name === region)?.gpuPool?.instanceTypes ?? [];
  const pools = objects.filter((l) => kindOf(l.obj) === "NodePool" && obj(obj(l.obj.spec).limits)[GPU_RESOURCE] !== undefined);
  const types = pools.flatMap((p) =>
    objs(obj(obj(obj(p.obj.spec).template).spec).requirements)
      .filter((r) => str(r.key) === "node.kubernetes.io/instance-type" && str(r.operator) === "In")
      .flatMap((r) => arr(r.values).map(String)),
  );
  return types.flatMap((t) => {
    const k = known.find((x) => x.name === t);
    return k ? [{ instanceType: t, gpus: k.gpus }] : [];
  });
}

function located(folders: readonly ReportFolder[], cluster: string): Located[] {
  return folders.filter((f) => f.cluster === cluster).flatMap((f) => f.objects.map((o) => ({ obj: o, tenant: f.tenant })));
}

function clusterNames(folders: readonly ReportFolder[], fleet: Fleet): string[] {
  const inFleet = fleet.clusters.map((c) => c.name);
  const rendered = [...new Set(folders.map((f) => f.cluster))];
  return [...inFleet.filter((c) => rendered.includes(c)), ...rendered.filter((c) => !inFleet.includes(c)).sort()];
}

function demands(ws: readonly Workload[], at: "min" | "max"): PodDemand[] {
  return ws.map((w) => ({ name: `${w.tenant}/${w.name}`, replicas: w[at], perPod: w.perPod }));
}

function clusterReport(
  name: string,
  folders: readonly ReportFolder[],
  inputs: Pick<ReportInputs, "fleet" | "prices" | "shapes" | "today">,
): ClusterReport {
  const spec = inputs.fleet.clusters.find((c) => c.name === name);
  const objects = located(folders, name);
  const ws = workloadsOf(objects);
  const region = spec?.region ?? "unknown";
  const options = gpuOptions(objects, inputs.fleet, region);
  const s = supportOn(spec?.kubernetesVersion ?? "unknown", inputs.today ?? new Date());
  const support: ClusterSupport = {
    phase: s.phase,
    ...(s.entry
      ? {
          released: s.entry.released,
          endOfStandardSupport: s.entry.endOfStandardSupport,
          endOfExtendedSupport: s.entry.endOfExtendedSupport,
        }
      : {}),
    ...(s.usdPerHour !== undefined ? { usdPerHour: s.usdPerHour } : {}),
  };
  const costInputs = {
    region,
    gpuOptions: options,
    prices: inputs.prices,
    shapes: inputs.shapes,
    ...(s.usdPerHour !== undefined ? { controlPlaneUsdPerHour: s.usdPerHour } : {}),
  };
  return {
    name,
    env: spec?.env ?? "unknown",
    region,
    kubernetesVersion: spec?.kubernetesVersion ?? "unknown",
    support,
    requested: { min: sum(ws, "min"), max: sum(ws, "max") },
    limits: [...poolChecks(objects, ws), ...quotaChecks(objects, ws)],
    cost: { min: clusterCost(demands(ws, "min"), costInputs), max: clusterCost(demands(ws, "max"), costInputs) },
    gpuInstanceTypes: options.map((o) => o.instanceType),
  };
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

function releases(folders: readonly ReportFolder[], fleet: Fleet, pins: Pins): ReleaseRow[] {
  const rows = new Map<string, ReleaseRow>();
  for (const f of folders) {
    const env = fleet.clusters.find((c) => c.name === f.cluster)?.env;
    if (!env) continue;
    const objects = f.objects.map((o) => ({ obj: o, tenant: f.tenant }));
    for (const w of workloadsOf(objects)) {
      const key = `${f.tenant}/${w.name}`;
      const row = rows.get(key) ?? { tenant: f.tenant, app: w.name, envs: {}, pendingPromotion: false };
      rows.set(key, row);
      const slot = row.envs[env] ?? { images: [], pinned: pinFor(pins, f.tenant, env, w.name) !== undefined };
      row.envs[env] = slot;
      for (const image of w.images) {
        if (!slot.images.some((i) => i.image === image)) slot.images.push({ image, by: image.includes("@sha256:") ? "digest" : "tag" });
      }
    }
  }
  const imagesOf = (r: ReleaseRow, env: Env): string => (r.envs[env]?.images.map((i) => i.image) ?? []).sort().join("\n");
  return [...rows.values()]
    .map((r) => ({
      ...r,
      pendingPromotion: r.envs.staging !== undefined && r.envs.prod !== undefined && imagesOf(r, "staging") !== imagesOf(r, "prod"),
    }))
    .sort((a, b) => `${a.tenant}/${a.app}`.localeCompare(`${b.tenant}/${b.app}`));
}

const waveOf = (o: Obj): number => Number(strMap(obj(o.metadata).annotations)[ANNOTATIONS.argoSyncWave] ?? "0");

function addons(apps: readonly K8sObject[]): AddonRow[] {
  const rows = new Map<string, AddonRow>();
  const sets = new Map(apps.filter((o) => kindOf(o) === "ApplicationSet").map((o) => [`${kindOf(o)} ${namespaceOf(o)}/${nameOf(o)}`, o]));
  for (const g of expandAll(apps).apps) {
    const spec = obj(g.app.spec);
    const source = obj(spec.source);
    const chart = str(source.chart);
    if (!chart) continue;
    const set = [...sets.entries()].find(([, o]) => g.from?.endsWith(`/${nameOf(o)}`))?.[1];
    const name = set ? nameOf(set).replace(/^addon-/, "") : g.app.metadata.name;
    const row = rows.get(name) ?? {
      name,
      chart,
      repoURL: str(source.repoURL) ?? "",
      wave: set ? waveOf(set) : Number(g.app.metadata.annotations?.[ANNOTATIONS.argoSyncWave] ?? "0"),
      versions: {},
    };
    rows.set(name, row);
    row.versions[str(obj(spec.destination).name) ?? str(obj(spec.destination).server) ?? "?"] = str(source.targetRevision) ?? "?";
  }
  return [...rows.values()].sort((a, b) => a.wave - b.wave || a.name.localeCompare(b.name));
}

/** The root app-of-apps applies apps/fleet in sync-wave order (argo-cd docs: user-guide/sync-waves.md). */
function waves(apps: readonly K8sObject[]): Wave[] {
  const by = new Map<number, string[]>();
  for (const o of apps) {
    if (!["ApplicationSet", "Application", "AppProject"].includes(kindOf(o))) continue;
    const w = waveOf(o);
    by.set(w, [...(by.get(w) ?? []), `${kindOf(o)} ${nameOf(o)}`]);
  }
  return [...by.entries()].sort(([a], [b]) => a - b).map(([wave, items]) => ({ wave, items: items.sort() }));
}

function tenantOrder(folders: readonly ReportFolder[]): string[] {
  const names = [...new Set(folders.map((f) => f.tenant))].sort();
  return [...names.filter((n) => n === PLATFORM_TENANT), ...names.filter((n) => n !== PLATFORM_TENANT)];
}

const signed = (n: number, unit: string, digits = 0): string => `${n > 0 ? "+" : "−"}${Math.abs(n).toFixed(digits)} ${unit}`;
const EPS = 1e-9;

/** "+2 GPUs, +8 CPU, +32.0 GiB ≈ +$1,427/month" for the non-zero parts of a delta. */
export function describeDelta(d: Resources, usd: number): string {
  const parts: string[] = [];
  if (Math.abs(d.gpus) > EPS) parts.push(signed(d.gpus, Math.abs(d.gpus) === 1 ? "GPU" : "GPUs"));
  if (Math.abs(d.cpu) > EPS) parts.push(signed(d.cpu, "CPU", Number.isInteger(Math.round(d.cpu * 100) / 100) ? 0 : 2));
  if (Math.abs(d.memoryGiB) > EPS) parts.push(signed(d.memoryGiB, "GiB", 1));
  return `${parts.length > 0 ? parts.join(", ") : "no capacity change"} ≈ ${formatUsd(usd, true)}/month`;
}

function diffOf(
  base: readonly ReportFolder[],
  head: readonly ReportFolder[],
  meta: { ref: string; commit: string; why: string },
): DiffResult {
  const byPath = (fs: readonly ReportFolder[]): Map<string, ReportFolder> => new Map(fs.map((f) => [f.path, f]));
  const b = byPath(base);
  const h = byPath(head);
  const folders: FolderDiff[] = [...new Set([...b.keys(), ...h.keys()])].sort().map((path) => {
    const f = (h.get(path) ?? b.get(path)) as ReportFolder;
    const objects = compareObjects([...(b.get(path)?.objects ?? [])], [...(h.get(path)?.objects ?? [])]);
    const status = !b.has(path) ? "added" : !h.has(path) ? "removed" : objects.length > 0 ? "changed" : "unchanged";
    return { cluster: f.cluster, tenant: f.tenant, path, status, objects };
  });
  return {
    base: meta,
    folders,
    fleet: NO_FLEET_CHANGES,
    summaries: summarize(folders),
    stats: { folders: folders.length, skipped: 0, rendered: base.length + head.length },
    hasChanges: folders.some((f) => f.objects.length > 0),
  };
}

const minus = (a: Resources, b: Resources): Resources => add(a, scale(b, -1));

function changeView(inputs: ReportInputs, head: readonly ClusterReport[]): ChangeView | undefined {
  if (!inputs.base) return undefined;
  const diff = diffOf(inputs.base.folders, inputs.folders, inputs.base);
  const baseReports = new Map(
    clusterNames(inputs.base.folders, inputs.fleet).map((c) => [c, clusterReport(c, inputs.base?.folders ?? [], inputs)]),
  );
  const lines: ChangeLine[] = [];
  for (const s of diff.summaries) {
    const now = head.find((c) => c.name === s.cluster);
    const was = baseReports.get(s.cluster);
    const zero = { min: ZERO, max: ZERO };
    const reqNow = now?.requested ?? zero;
    const reqWas = was?.requested ?? zero;
    const delta = { min: minus(reqNow.min, reqWas.min), max: minus(reqNow.max, reqWas.max) };
    const usd = {
      min: (now?.cost.min.usdPerMonth ?? 0) - (was?.cost.min.usdPerMonth ?? 0),
      max: (now?.cost.max.usdPerMonth ?? 0) - (was?.cost.max.usdPerMonth ?? 0),
    };
    const atMin = describeDelta(delta.min, usd.min);
    const atMax = describeDelta(delta.max, usd.max);
    const text = atMin === atMax ? `${s.cluster}: ${atMin}` : `${s.cluster}: ${atMin} at minimum scale; ${atMax} at maximum scale`;
    lines.push({ cluster: s.cluster, delta, usd, text });
  }
  return { diff, lines };
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
