/**
 * Small accessors over untyped rendered objects: the one set the check, the diff and the
 * report read objects with (test/architecture/accessors.test.ts keeps them defined once).
 */
import { ANNOTATIONS, LABELS } from "../../fleet/constants.js";
import { groupOf } from "../../argo/project.js";
import type { ClusterContext, ClusterRule, Hit, K8sObject, Located } from "./types.js";

/** API group of an apiVersion: "" for the core group (argo/project.ts, shared with Argo CD's resource admission). */
export { groupOf };

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function obj(v: unknown): Obj {
  return isObj(v) ? v : {};
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function objs(v: unknown): Obj[] {
  return arr(v).filter(isObj);
}

export function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export function num(v: unknown): number | undefined {
  return typeof v === "number" ? v : undefined;
}

export function strMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(v))) if (typeof val === "string") out[k] = val;
  return out;
}

export function kindOf(o: K8sObject): string {
  return str(o.kind) ?? "";
}

export function apiVersionOf(o: K8sObject): string {
  return str(o.apiVersion) ?? "";
}

export function nameOf(o: K8sObject): string {
  return str(obj(o.metadata).name) ?? "";
}

export function namespaceOf(o: K8sObject): string {
  return str(obj(o.metadata).namespace) ?? "";
}

export function labelsOf(o: K8sObject): Record<string, string> {
  return strMap(obj(o.metadata).labels);
}

export function annotationsOf(o: K8sObject): Record<string, string> {
  return strMap(obj(o.metadata).annotations);
}

/** The tenant an object belongs to (its tenant label), if any. */
export function tenantOf(o: K8sObject): string | undefined {
  return labelsOf(o)[LABELS.tenant];
}

/** An object's Argo CD sync wave: its `argocd.argoproj.io/sync-wave` annotation, 0 without one. */
export function waveOf(o: K8sObject): number {
  const w = annotationsOf(o)[ANNOTATIONS.argoSyncWave];
  return w === undefined ? 0 : Number(w);
}

/** group/kind/namespace/name, the identity the diff pairs objects by ("core" for the core group, "_" without a namespace). */
export function objectKey(o: K8sObject): string {
  return `${groupOf(apiVersionOf(o)) || "core"}/${kindOf(o)}/${namespaceOf(o) || "_"}/${nameOf(o) || "?"}`;
}

/** "Kind namespace/name", or "Kind name" for cluster-scoped objects: how the diff and the report name an object. */
export function objectLabel(o: K8sObject): string {
  const ns = namespaceOf(o);
  return `${kindOf(o)} ${ns ? `${ns}/` : ""}${nameOf(o) || "?"}`;
}

/** kind/namespace/name, or kind/name for cluster-scoped objects. */
export function idOf(o: K8sObject): string {
  const ns = namespaceOf(o);
  return ns ? `${kindOf(o)}/${ns}/${nameOf(o)}` : `${kindOf(o)}/${nameOf(o)}`;
}

export function ofKind(objects: readonly Located[], ...kinds: string[]): Located[] {
  return objects.filter((l) => kinds.includes(kindOf(l.obj)));
}

/** A Kubernetes label selector ({matchLabels, matchExpressions}) against labels. */
export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  const sel = obj(selector);
  for (const [k, v] of Object.entries(strMap(sel.matchLabels))) if (labels[k] !== v) return false;
  for (const e of objs(sel.matchExpressions)) {
    const key = str(e.key) ?? "";
    const values = arr(e.values).filter((x): x is string => typeof x === "string");
    const has = key in labels;
    switch (str(e.operator)) {
      case "In":
        if (!has || !values.includes(labels[key] ?? "")) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[key] ?? "")) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** A plain map selector (Service.spec.selector): every pair must match; empty matches nothing here. */
export function mapSelectorMatches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

export const WORKLOAD_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod"] as const;

/** The pod template of a workload. */
export interface PodTemplate {
  /** The owning object. */
  loc: Located;
  /** Field path of the pod spec, e.g. "spec.template.spec". */
  specPath: string;
  spec: Obj;
  labels: Record<string, string>;
  namespace: string;
}

export function podTemplateOf(loc: Located): PodTemplate | undefined {
  const o = loc.obj;
  const spec = obj(o.spec);
  let tmpl: Obj;
  let base: string;
  switch (kindOf(o)) {
    case "Pod":
      return { loc, specPath: "spec", spec, labels: labelsOf(o), namespace: namespaceOf(o) };
    case "CronJob":
      tmpl = obj(obj(obj(spec.jobTemplate).spec).template);
      base = "spec.jobTemplate.spec.template";
      break;
    case "Deployment":
    case "StatefulSet":
    case "DaemonSet":
    case "ReplicaSet":
    case "Job":
      tmpl = obj(spec.template);
      base = "spec.template";
      break;
    default:
      return undefined;
  }
  return { loc, specPath: `${base}.spec`, spec: obj(tmpl.spec), labels: strMap(obj(tmpl.metadata).labels), namespace: namespaceOf(o) };
}

export function podTemplates(objects: readonly Located[]): PodTemplate[] {
  return objects.flatMap((l) => {
    const t = podTemplateOf(l);
    return t ? [t] : [];
  });
}

export interface ContainerRef {
  c: Obj;
  /** Field path of the container. */
  path: string;
  field: "containers" | "initContainers" | "ephemeralContainers";
}

export function containersOf(
  t: PodTemplate,
  fields: readonly ContainerRef["field"][] = ["initContainers", "containers", "ephemeralContainers"],
): ContainerRef[] {
  return fields.flatMap((field) => objs(t.spec[field]).map((c, i) => ({ c, path: `${t.specPath}.${field}[${i}]`, field })));
}

/** A hit on a located object. */
export function hitOn(
  loc: Located,
  path: string,
  message: string,
  fix?: string,
): { object: string; tenant: string; path: string; message: string; fix?: string } {
  return fix === undefined
    ? { object: idOf(loc.obj), tenant: loc.tenant, path, message }
    : { object: idOf(loc.obj), tenant: loc.tenant, path, message, fix };
}

/** Replicas a workload runs with at least, and at most: spec.replicas, or its HPA / KEDA ScaledObject bounds. */
export interface ReplicaBounds {
  min: number;
  max: number;
  autoscaler: Located | undefined;
}

export function targets(ref: unknown, o: K8sObject, defaultKind?: string): boolean {
  const r = obj(ref);
  return (str(r.kind) ?? defaultKind) === kindOf(o) && str(r.name) === nameOf(o);
}

export function autoscalersOf(objects: readonly Located[], w: K8sObject): Located[] {
  const ns = namespaceOf(w);
  return objects.filter((l) => {
    if (namespaceOf(l.obj) !== ns) return false;
    const k = kindOf(l.obj);
    if (k === "HorizontalPodAutoscaler") return targets(obj(l.obj.spec).scaleTargetRef, w);
    if (k === "ScaledObject") return targets(obj(l.obj.spec).scaleTargetRef, w, "Deployment");
    return false;
  });
}

export function replicaBounds(objects: readonly Located[], w: K8sObject): ReplicaBounds {
  const scalers = autoscalersOf(objects, w);
  const a = scalers[0];
  if (a) {
    const s = obj(a.obj.spec);
    if (kindOf(a.obj) === "HorizontalPodAutoscaler") return { min: num(s.minReplicas) ?? 1, max: num(s.maxReplicas) ?? 1, autoscaler: a };
    return { min: num(s.minReplicaCount) ?? 0, max: num(s.maxReplicaCount) ?? 100, autoscaler: a };
  }
  if (kindOf(w) === "DaemonSet") return { min: 1, max: 1, autoscaler: undefined };
  const r = num(obj(w.spec).replicas) ?? 1;
  return { min: r, max: r, autoscaler: undefined };
}

/** A cluster rule that checks every pod template of the cluster on its own. */
export function perTemplate(check: (t: PodTemplate, ctx: ClusterContext) => Hit[]): ClusterRule["check"] {
  return (ctx) => podTemplates(ctx.objects).flatMap((t) => check(t, ctx));
}
