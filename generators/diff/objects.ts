/** Object identity and a minimal field-level diff between two rendered objects. */
import { GPU_RESOURCE } from "../fleet/constants.js";
import { objectKey, objectLabel } from "../check/policy/util.js";

export type Obj = Record<string, unknown>;

/** The diff pairs objects by the accessor module's identity and names them by its label. */
export { objectKey, objectLabel };

export type ChangeKind = "added" | "removed" | "changed";

/** One object added, removed or changed between two sides. */
export interface ObjectChange {
  kind: ChangeKind;
  key: string;
  label: string;
  /** Field changes for "changed"; for added/removed the whole object is in `object`. */
  fields: FieldChange[];
  object?: Obj;
}

/** Pairs objects by identity (group/kind/namespace/name) and lists what was added, removed or changed, field by field. */
export function compareObjects(before: readonly Obj[], after: readonly Obj[]): ObjectChange[] {
  const a = new Map(before.map((o) => [objectKey(o), o]));
  const b = new Map(after.map((o) => [objectKey(o), o]));
  const changes: ObjectChange[] = [];
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(key);
    const y = b.get(key);
    if (x && !y) changes.push({ kind: "removed", key, label: objectLabel(x), fields: [], object: x });
    else if (!x && y) changes.push({ kind: "added", key, label: objectLabel(y), fields: [], object: y });
    else if (x && y) {
      const fields = diffValues(x, y);
      if (fields.length > 0) changes.push({ kind: "changed", key, label: objectLabel(y), fields });
    }
  }
  return changes;
}

export interface FieldChange {
  /** Dotted path; list items are `[name=x]` when every item has a name, else `[i]`. */
  path: string;
  old?: unknown;
  new?: unknown;
  /** For a list compared as a set: this entry was added to or removed from the list at `path`. */
  entry?: "added" | "removed";
}

function isPlain(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function named(list: unknown[]): Map<string, unknown> | undefined {
  const m = new Map<string, unknown>();
  for (const item of list) {
    if (!isPlain(item) || typeof item.name !== "string" || m.has(item.name)) return undefined;
    m.set(item.name, item);
  }
  return m;
}

const SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const join = (path: string, key: string): string =>
  SEGMENT.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;

/** The leaves that differ; an added or removed subtree is one change. */
export function diffValues(a: unknown, b: unknown, path = ""): FieldChange[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (isPlain(a) && isPlain(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => {
      const p = join(path, k);
      if (!(k in a)) return [{ path: p, new: b[k] }];
      if (!(k in b)) return [{ path: p, old: a[k] }];
      return diffValues(a[k], b[k], p);
    });
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const na = named(a);
    const nb = named(b);
    if (na && nb) {
      const keys = [...new Set([...na.keys(), ...nb.keys()])];
      return keys.flatMap((k) => {
        const p = `${path}[name=${k}]`;
        if (!na.has(k)) return [{ path: p, new: nb.get(k) }];
        if (!nb.has(k)) return [{ path: p, old: na.get(k) }];
        return diffValues(na.get(k), nb.get(k), p);
      });
    }
    if (a.length === b.length) return a.flatMap((x, i) => diffValues(x, b[i], `${path}[${i}]`));
  }
  return [{ path, old: a, new: b }];
}

export function formatValue(v: unknown): string {
  if (v === undefined) return "(absent)";
  return typeof v === "string" ? v : JSON.stringify(v);
}

export function formatChange(c: FieldChange): string {
  if (c.entry === "added") return `${c.path}: + ${formatValue(c.new)}`;
  if (c.entry === "removed") return `${c.path}: - ${formatValue(c.old)}`;
  return `${c.path}: ${formatValue(c.old)} → ${formatValue(c.new)}`;
}

/** Canonical JSON (keys sorted at every level): equal values, equal text. */
export function canonical(v: unknown): string {
  const sort = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(sort)
      : isPlain(x)
        ? Object.fromEntries(
            Object.keys(x)
              .sort()
              .map((k) => [k, sort(x[k])]),
          )
        : x;
  return JSON.stringify(sort(v));
}

/** A list compared as a set: one change per entry present on one side only. */
export function diffSet(a: readonly unknown[], b: readonly unknown[], path: string): FieldChange[] {
  const before = new Map(a.map((x) => [canonical(x), x]));
  const after = new Map(b.map((x) => [canonical(x), x]));
  return [
    ...[...before].filter(([k]) => !after.has(k)).map(([, x]): FieldChange => ({ path, old: x, entry: "removed" })),
    ...[...after].filter(([k]) => !before.has(k)).map(([, x]): FieldChange => ({ path, new: x, entry: "added" })),
  ];
}

/** Classification used by the summary table. */
export function isReplicaPath(path: string): boolean {
  return /(^|\.)spec\.(replicas|minReplicas|maxReplicas)$/.test(path) || /^spec\.(minReplicaCount|maxReplicaCount)$/.test(path);
}

export function isImagePath(path: string): boolean {
  return /(containers|initContainers)\[[^\]]+\]\.image$/.test(path);
}

function gpuOf(v: unknown): unknown {
  if (!isPlain(v)) return undefined;
  if (GPU_RESOURCE in v) return v[GPU_RESOURCE];
  for (const k of ["resources", "requests", "limits"]) if (k in v) return gpuOf(v[k]);
  return undefined;
}

/** A change to a container's GPU requests or limits. */
export function isGpuChange(c: FieldChange): boolean {
  if (c.path.includes(JSON.stringify(GPU_RESOURCE))) return true;
  if (!/(containers|initContainers)\[[^\]]+\](\.resources(\.(requests|limits))?)?$/.test(c.path)) return false;
  return JSON.stringify(gpuOf(c.old)) !== JSON.stringify(gpuOf(c.new));
}
