/**
 * The API server's per-kind validation beyond names and pods' basics (rules/objects.ts):
 * env var names and mount paths in pod templates, ConfigMap keys and size, Deployment
 * rolling updates, Job and CronJob fields and schedules, HPA bounds and behavior, Ingress
 * paths and hosts, NetworkPolicy ipBlocks. Each rule cites its upstream source in the
 * module it comes from (env.ts, cron.ts, workloads.ts, networking.ts).
 */
import { configMapKey, configMapSizeProblem, envVarName, mountPathProblems } from "./env.js";
import { cronScheduleProblem } from "./cron.js";
import {
  cronJobSpecProblems,
  hpaBoundsProblems,
  jobSpecProblems,
  rollingUpdateProblems,
  scalingRulesProblems,
  utilizationProblem,
} from "./workloads.js";
import { hostnameProblems, ingressPathProblems, ipBlockProblems } from "./networking.js";

export interface KindProblem {
  rule: "kube-env" | "kube-configmap" | "kube-workload" | "kube-network";
  path: string;
  value: unknown;
  message: string;
}

type O = Record<string, unknown>;
const isO = (v: unknown): v is O => typeof v === "object" && v !== null && !Array.isArray(v);
const o = (v: unknown): O => (isO(v) ? v : {});
const os = (v: unknown): O[] => (Array.isArray(v) ? v.filter(isO) : []);
const s = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Env names and mount paths of every container of a pod spec at `path`. */
export function podFieldProblems(spec: O, path: string): KindProblem[] {
  const out: KindProblem[] = [];
  for (const field of ["initContainers", "containers"])
    os(spec[field]).forEach((c, i) => {
      const cp = `${path}.${field}[${i}]`;
      os(c.env).forEach((e, j) => {
        const n = s(e.name) ?? "";
        for (const m of envVarName(n)) out.push({ rule: "kube-env", path: `${cp}.env[${j}].name`, value: n, message: m });
      });
      const mounts = os(c.volumeMounts);
      for (const p of mountPathProblems(mounts.map((m) => s(m.mountPath) ?? "")))
        out.push({
          rule: "kube-env",
          path: `${cp}.volumeMounts[${p.index}].mountPath`,
          value: s(mounts[p.index]?.mountPath),
          message: p.message,
        });
    });
  return out;
}

function configMapProblems(obj: O): KindProblem[] {
  const out: KindProblem[] = [];
  const values: string[] = [];
  for (const field of ["data", "binaryData"])
    for (const [k, v] of Object.entries(o(obj[field]))) {
      for (const m of configMapKey(k)) out.push({ rule: "kube-configmap", path: `${field}[${k}]`, value: k, message: m });
      if (typeof v === "string") values.push(v);
    }
  const size = configMapSizeProblem(values);
  if (size) out.push({ rule: "kube-configmap", path: "data", value: values.length, message: size });
  return out;
}

function workloadProblems(kind: string, spec: O): KindProblem[] {
  const out: KindProblem[] = [];
  const add = (base: string, ps: readonly { field: string; value: unknown; message: string }[]): void => {
    for (const p of ps) out.push({ rule: "kube-workload", path: `${base}${p.field}`, value: p.value, message: p.message });
  };
  if (kind === "Deployment") {
    const ru = o(o(spec.strategy).rollingUpdate);
    if (s(o(spec.strategy).type) !== "Recreate")
      add("spec.strategy.rollingUpdate.", rollingUpdateProblems(ru.maxSurge ?? "25%", ru.maxUnavailable ?? "25%"));
    const rhl = spec.revisionHistoryLimit;
    if (rhl !== undefined && (typeof rhl !== "number" || !Number.isInteger(rhl) || rhl < 0))
      out.push({ rule: "kube-workload", path: "spec.revisionHistoryLimit", value: rhl, message: "must be greater than or equal to 0" });
  }
  if (kind === "Job") add("spec.", jobSpecProblems(spec));
  if (kind === "CronJob") {
    const schedule = s(spec.schedule) ?? "";
    const m = cronScheduleProblem(schedule);
    if (m) out.push({ rule: "kube-workload", path: "spec.schedule", value: schedule, message: m });
    add("spec.", cronJobSpecProblems(spec));
    add("spec.jobTemplate.spec.", jobSpecProblems(o(o(spec.jobTemplate).spec)));
  }
  if (kind === "HorizontalPodAutoscaler") {
    add("spec.", hpaBoundsProblems(spec.minReplicas ?? 1, spec.maxReplicas));
    const b = o(spec.behavior);
    for (const dir of ["scaleUp", "scaleDown"])
      if (isO(b[dir])) add("spec.behavior.", scalingRulesProblems(dir, b[dir] as O as Parameters<typeof scalingRulesProblems>[1]));
    os(spec.metrics).forEach((m, i) => {
      const target = o(o(o(m).resource).target);
      if (target.averageUtilization !== undefined) {
        const u = utilizationProblem(target.averageUtilization);
        if (u)
          out.push({
            rule: "kube-workload",
            path: `spec.metrics[${i}].resource.target.averageUtilization`,
            value: target.averageUtilization,
            message: u,
          });
      }
    });
  }
  return out;
}

function ingressProblems(spec: O): KindProblem[] {
  const out: KindProblem[] = [];
  os(spec.rules).forEach((r, i) => {
    const host = s(r.host);
    if (host !== undefined)
      for (const m of hostnameProblems(host.replace(/^\*\./, "x.")))
        out.push({ rule: "kube-network", path: `spec.rules[${i}].host`, value: host, message: m });
    os(o(r.http).paths).forEach((p, j) => {
      const path = s(p.path) ?? "";
      for (const m of ingressPathProblems(path, s(p.pathType) ?? "ImplementationSpecific"))
        out.push({ rule: "kube-network", path: `spec.rules[${i}].http.paths[${j}].path`, value: path, message: m });
    });
  });
  os(spec.tls).forEach((t, i) => {
    (Array.isArray(t.hosts) ? t.hosts : []).forEach((h, j) => {
      if (typeof h === "string")
        for (const m of hostnameProblems(h.replace(/^\*\./, "x.")))
          out.push({ rule: "kube-network", path: `spec.tls[${i}].hosts[${j}]`, value: h, message: m });
    });
  });
  return out;
}

function networkPolicyProblems(spec: O): KindProblem[] {
  const out: KindProblem[] = [];
  for (const [dir, peers] of [
    ["ingress", "from"],
    ["egress", "to"],
  ] as const)
    os(spec[dir]).forEach((r, i) => {
      os(r[peers]).forEach((p, j) => {
        if (!isO(p.ipBlock)) return;
        const b = p.ipBlock;
        const except = (Array.isArray(b.except) ? b.except : []).filter((x): x is string => typeof x === "string");
        for (const x of ipBlockProblems(s(b.cidr) ?? "", except))
          out.push({
            rule: "kube-network",
            path: `spec.${dir}[${i}].${peers}[${j}].ipBlock.${x.field}`,
            value: x.value,
            message: x.message,
          });
      });
    });
  return out;
}

/** The per-kind problems of one object. `pod` is its pod template spec and path, when it has one. */
export function kindProblems(obj: Readonly<Record<string, unknown>>, pod?: { spec: O; path: string }): KindProblem[] {
  const kind = s(obj.kind) ?? "";
  const spec = o(obj.spec);
  const out: KindProblem[] = pod ? podFieldProblems(pod.spec, pod.path) : [];
  if (kind === "ConfigMap") out.push(...configMapProblems(obj as O));
  out.push(...workloadProblems(kind, spec));
  if (kind === "Ingress") out.push(...ingressProblems(spec));
  if (kind === "NetworkPolicy") out.push(...networkPolicyProblems(spec));
  return out;
}
