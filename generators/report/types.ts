/** The fleet report's types: what the page shows, as report/model.ts computes it. */
import type { Env, Fleet } from "../fleet/fleet.js";
import type { InstancePrice, InstanceShape } from "../fleet/prices.js";
import type { Pins } from "../api/pins.js";
import type { CheckReport } from "../check/report.js";
import type { Finding } from "../check/finding.js";
import type { K8sObject } from "../check/policy/types.js";
import type { DiffResult } from "../diff/diff.js";
import type { ClusterCost } from "./cost.js";
import type { Resources } from "./resources.js";
import type { SupportPhase } from "../fleet/eks-calendar.js";

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

export interface ClusterSupport {
  phase: SupportPhase;
  released?: string;
  endOfStandardSupport?: string;
  endOfExtendedSupport?: string;
  /** The control-plane fee per hour; absent when EKS offers no cluster of this minor on the day. */
  usdPerHour?: number;
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

/** One stateful store on one cluster (report/durability.ts). */
export interface DurabilityRow {
  cluster: string;
  namespace: string;
  /** The Cluster's name, or `<workload>/<claim>`. */
  store: string;
  mechanism: string;
  /** Undefined for a re-creatable store, or where the declaration is not rendered (EFS). */
  declared?: { rpo: string; rto: string };
  /** By configuration; undefined when nothing protects the store. */
  achieved?: { rpo: string; rto: string };
  /** Where the copy lives: "s3://…" in the region, plus the copy outside it in prod. */
  copy: string;
  /** The achieved figures are within the declared ones (true for a re-creatable store). */
  meets: boolean;
}

export interface FleetReport {
  clusters: ClusterReport[];
  tenants: string[];
  cells: Cell[];
  releases: ReleaseRow[];
  addons: AddonRow[];
  waves: Wave[];
  /** Every stateful store: mechanism, RPO and RTO declared and achieved, where the copy lives (report/durability.ts). */
  durability: DurabilityRow[];
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
