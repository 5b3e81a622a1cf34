/**
 * What every Pod Security check reads, as upstream's checks do: the pod's metadata and spec
 * (kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy/checks.go
 * CheckPodFn), its containers visited in upstream's order (visitor.go visitContainers:
 * initContainers, containers, ephemeralContainers), and a violation per offending field.
 */
export type Obj = Record<string, unknown>;

export const obj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});
export const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);
export const text = (v: unknown): string => (typeof v === "string" ? v : "");

/** A pod as admission sees it: `metadata` and `spec`. */
export interface Pod {
  metadata: Obj;
  spec: Obj;
}

/** One offending field: its path from the pod (`spec....` or `metadata....`) and what is wrong. */
export interface Violation {
  path: string;
  message: string;
}

export type Level = "baseline" | "restricted";

export interface PodCheck {
  /** Upstream's check ID (checks.go Check.ID). */
  id: string;
  /** The `npm run check` rule id. */
  rule: string;
  level: Level;
  /** The upstream file the check is ported from. */
  upstream: string;
  description: string;
  fix: string;
  check(pod: Pod): Violation[];
}

export interface ContainerAt {
  c: Obj;
  /** Path from the pod, e.g. `spec.containers[0]`. */
  path: string;
  name: string;
}

/** visitor.go visitContainers: init, regular, then ephemeral containers. */
export function containers(pod: Pod): ContainerAt[] {
  return (["initContainers", "containers", "ephemeralContainers"] as const).flatMap((f) =>
    list(pod.spec[f]).map((c, i) => ({ c, path: `spec.${f}[${i}]`, name: text(c.name) })),
  );
}

export const securityContext = (o: Obj): Obj => obj(o.securityContext);

/** helpers.go relaxPolicyForUserNamespacePod: a pod with `hostUsers: false` runs in its own user namespace. */
export const userNamespaced = (pod: Pod): boolean => pod.spec.hostUsers === false;

/** A Windows pod (spec.os.name), which the restricted Linux-only checks skip since 1.25. */
export const windows = (pod: Pod): boolean => obj(pod.spec.os).name === "windows";

export const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(text) : []);
