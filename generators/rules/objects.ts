/**
 * The API server's own validation of an object, for what a structural schema cannot say:
 * names per kind and the names controllers derive from them, label and annotation keys
 * and values, quantities and limits >= requests, unique container, port and volume names,
 * unique Service port+protocol pairs, image references. Runs on every emitted object at
 * generate time and on every rendered object in `npm run check`.
 *
 * References (kubernetes/kubernetes): pkg/apis/core/validation/validation.go
 * (ValidateObjectMeta, ValidateService, validateContainers, validateContainerPorts,
 * ValidateVolumes, ValidateResourceRequirements), pkg/apis/apps/validation/validation.go,
 * pkg/apis/batch/validation/validation.go; kubernetes/apimachinery
 * pkg/api/validation/objectmeta.go (ValidateAnnotations: lower-cased keys are label keys,
 * total size at most 256 KiB).
 */
import { derivedNameProblems, dns1123Label, labelKey, labelValue, nameProblems, nameRuleFor, portName } from "./names.js";
import { imageProblem } from "./image.js";
import { resourceProblems } from "./resources.js";
import { kindProblems } from "./kinds.js";

/** One problem with one field of one object. */
export interface ObjectProblem {
  /** Short rule id, shared by generate and check ("kube-name", "kube-label", ...). */
  rule: string;
  /** Dotted path into the object, e.g. "spec.template.spec.containers[0].resources.requests.memory". */
  path: string;
  value: unknown;
  message: string;
}

type O = Record<string, unknown>;
const isO = (v: unknown): v is O => typeof v === "object" && v !== null && !Array.isArray(v);
const o = (v: unknown): O => (isO(v) ? v : {});
const os = (v: unknown): O[] => (Array.isArray(v) ? v.filter(isO) : []);
const s = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

const TOTAL_ANNOTATION_SIZE = 256 * 1024;
const POD_OWNERS = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"];

function metadataProblems(obj: O, out: ObjectProblem[]): void {
  const kind = s(obj.kind) ?? "";
  const meta = o(obj.metadata);
  const name = s(meta.name);
  if (name !== undefined)
    for (const m of nameProblems(nameRuleFor(kind), name))
      out.push({ rule: "kube-name", path: "metadata.name", value: name, message: `${kind} name ${m}` });
  const ns = s(meta.namespace);
  if (ns !== undefined)
    for (const m of dns1123Label(ns)) out.push({ rule: "kube-name", path: "metadata.namespace", value: ns, message: `namespace ${m}` });
  labelsProblems(o(meta.labels), "metadata.labels", out);
  annotationProblems(o(meta.annotations), "metadata.annotations", out);
}

function labelsProblems(labels: O, path: string, out: ObjectProblem[]): void {
  for (const [k, v] of Object.entries(labels)) {
    for (const m of labelKey(k)) out.push({ rule: "kube-label", path: `${path}[${k}]`, value: k, message: `label key ${m}` });
    if (typeof v !== "string") out.push({ rule: "kube-label", path: `${path}[${k}]`, value: v, message: "label values are strings" });
    else for (const m of labelValue(v)) out.push({ rule: "kube-label", path: `${path}[${k}]`, value: v, message: `label value ${m}` });
  }
}

function annotationProblems(annotations: O, path: string, out: ObjectProblem[]): void {
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) {
    for (const m of labelKey(k.toLowerCase()))
      out.push({ rule: "kube-annotation", path: `${path}[${k}]`, value: k, message: `annotation key ${m}` });
    size += k.length + (typeof v === "string" ? v.length : 0);
  }
  if (size > TOTAL_ANNOTATION_SIZE)
    out.push({
      rule: "kube-annotation",
      path,
      value: size,
      message: `annotations total ${size} bytes; must have at most ${TOTAL_ANNOTATION_SIZE} bytes`,
    });
}

/** The pod template of a workload object, with its path. */
function podSpecOf(obj: O): { spec: O; path: string; meta: O } | undefined {
  const kind = s(obj.kind);
  if (kind === "Pod") return { spec: o(obj.spec), path: "spec", meta: o(obj.metadata) };
  if (kind === "CronJob") {
    const t = o(o(o(o(obj.spec).jobTemplate).spec).template);
    return { spec: o(t.spec), path: "spec.jobTemplate.spec.template.spec", meta: o(t.metadata) };
  }
  if (kind !== undefined && POD_OWNERS.includes(kind)) {
    const t = o(o(obj.spec).template);
    return { spec: o(t.spec), path: "spec.template.spec", meta: o(t.metadata) };
  }
  return undefined;
}

/** `claims`: a StatefulSet's volumeClaimTemplates, which its pods mount like volumes. */
function podProblems(pod: { spec: O; path: string; meta: O }, claims: readonly string[], out: ObjectProblem[]): void {
  labelsProblems(o(pod.meta.labels), `${pod.path.replace(/\.spec$/, "")}.metadata.labels`, out);
  annotationProblems(o(pod.meta.annotations), `${pod.path.replace(/\.spec$/, "")}.metadata.annotations`, out);
  const volumes = os(pod.spec.volumes);
  const volumeNames = new Set<string>(claims);
  volumes.forEach((v, i) => {
    const n = s(v.name) ?? "";
    for (const m of dns1123Label(n))
      out.push({ rule: "kube-name", path: `${pod.path}.volumes[${i}].name`, value: n, message: `volume name ${m}` });
    if (volumeNames.has(n))
      out.push({
        rule: "kube-unique",
        path: `${pod.path}.volumes[${i}].name`,
        value: n,
        message: "duplicate volume name; volume names must be unique in a pod",
      });
    volumeNames.add(n);
  });
  const containerNames = new Set<string>();
  for (const field of ["initContainers", "containers"]) {
    os(pod.spec[field]).forEach((c, i) => {
      const cp = `${pod.path}.${field}[${i}]`;
      const n = s(c.name) ?? "";
      for (const m of dns1123Label(n)) out.push({ rule: "kube-name", path: `${cp}.name`, value: n, message: `container name ${m}` });
      if (containerNames.has(n))
        out.push({
          rule: "kube-unique",
          path: `${cp}.name`,
          value: n,
          message: "duplicate container name; container and init container names must be unique in a pod",
        });
      containerNames.add(n);
      const image = s(c.image);
      const ip = image === undefined ? "must be set" : imageProblem(image);
      if (ip) out.push({ rule: "kube-image", path: `${cp}.image`, value: image, message: ip });
      const portNames = new Set<string>();
      os(c.ports).forEach((p, j) => {
        const pn = s(p.name);
        if (pn === undefined) return;
        for (const m of portName(pn)) out.push({ rule: "kube-name", path: `${cp}.ports[${j}].name`, value: pn, message: `port name ${m}` });
        if (portNames.has(pn))
          out.push({ rule: "kube-unique", path: `${cp}.ports[${j}].name`, value: pn, message: "duplicate port name in the container" });
        portNames.add(pn);
      });
      os(c.volumeMounts).forEach((m, j) => {
        const vn = s(m.name) ?? "";
        if (!volumeNames.has(vn))
          out.push({
            rule: "kube-unique",
            path: `${cp}.volumeMounts[${j}].name`,
            value: vn,
            message: "mounts a volume the pod does not declare",
          });
      });
      const r = o(c.resources);
      for (const p of resourceProblems(o(r.requests) as Record<string, string>, o(r.limits) as Record<string, string>)) {
        out.push({ rule: "kube-resources", path: `${cp}.resources.${p.field}`, value: p.value, message: p.message });
      }
    });
  }
}

function serviceProblems(obj: O, out: ObjectProblem[]): void {
  const ports = os(o(obj.spec).ports);
  const names = new Set<string>();
  const pairs = new Set<string>();
  ports.forEach((p, i) => {
    const n = s(p.name);
    if (n === undefined) {
      if (ports.length > 1)
        out.push({
          rule: "kube-unique",
          path: `spec.ports[${i}].name`,
          value: undefined,
          message: "a Service with more than one port must name every port",
        });
    } else {
      for (const m of dns1123Label(n))
        out.push({ rule: "kube-name", path: `spec.ports[${i}].name`, value: n, message: `Service port name ${m}` });
      if (names.has(n)) out.push({ rule: "kube-unique", path: `spec.ports[${i}].name`, value: n, message: "duplicate Service port name" });
      names.add(n);
    }
    const pair = `${String(p.port)}/${s(p.protocol) ?? "TCP"}`;
    if (pairs.has(pair))
      out.push({
        rule: "kube-unique",
        path: `spec.ports[${i}]`,
        value: pair,
        message: "duplicate Service port and protocol; each port+protocol pair must be unique",
      });
    pairs.add(pair);
  });
}

/** Every problem the API server (or the controller that derives names from it) would have with this object. */
export function objectProblems(obj: Readonly<Record<string, unknown>>): ObjectProblem[] {
  const out: ObjectProblem[] = [];
  const o2 = obj as O;
  metadataProblems(o2, out);
  const kind = s(o2.kind) ?? "";
  const pod = podSpecOf(o2);
  if (pod) podProblems(pod, kind === "StatefulSet" ? os(o(o2.spec).volumeClaimTemplates).map((c) => s(o(c.metadata).name) ?? "") : [], out);
  if (kind === "Service") serviceProblems(o2, out);
  out.push(...kindProblems(o2, pod));
  const name = s(o(o2.metadata).name);
  if (name !== undefined) {
    const spec = o(o2.spec);
    const replicas = typeof spec.replicas === "number" ? spec.replicas : 1;
    const claims = os(spec.volumeClaimTemplates).map((c) => s(o(c.metadata).name) ?? "");
    for (const d of derivedNameProblems(kind, name, replicas, claims)) {
      for (const m of d.problems) out.push({ rule: "kube-name", path: "metadata.name", value: d.value, message: `${d.what} ${m}` });
    }
  }
  return out;
}
