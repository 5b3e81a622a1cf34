import { stringify } from "yaml";

/** The slice of the Kustomize file format the pipeline emits, typed. */

export interface PatchTarget {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  labelSelector?: string;
}

export interface JsonPatchOp {
  op: "add" | "replace" | "remove";
  path: string;
  value?: unknown;
}

export interface Patch {
  target: PatchTarget;
  /** RFC 6902 operations, serialized inline. */
  patch: string;
}

export interface ImageOverride {
  name: string;
  newTag: string;
  digest?: string;
}

export interface Kustomization {
  apiVersion: "kustomize.config.k8s.io/v1beta1";
  kind: "Kustomization";
  resources: string[];
  components?: string[];
  replicas?: { name: string; count: number }[];
  images?: ImageOverride[];
  patches?: Patch[];
}

export interface Component {
  apiVersion: "kustomize.config.k8s.io/v1alpha1";
  kind: "Component";
  resources?: string[];
  patches?: Patch[];
}

export function kustomization(fields: Omit<Kustomization, "apiVersion" | "kind">): Kustomization {
  return { apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization", ...fields };
}

export function component(fields: Omit<Component, "apiVersion" | "kind">): Component {
  return { apiVersion: "kustomize.config.k8s.io/v1alpha1", kind: "Component", ...fields };
}

/** An inline RFC 6902 patch, written as YAML; unlike a strategic merge it needs no OpenAPI schema. */
export function jsonPatch(target: PatchTarget, ops: readonly JsonPatchOp[]): Patch {
  return { target, patch: stringify(ops, { lineWidth: 0 }) };
}

/** Escapes a map key for a JSON pointer segment (RFC 6901). */
export function pointerKey(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}
