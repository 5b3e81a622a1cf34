/** Renders the committed fleet once per test file and indexes it for assertions. */
import { renderFleet, type RenderedFolder } from "../../generators/render/render.js";
import { REPO } from "./repo.js";

// Rendered YAML is untyped; tests reach into it freely.
export type Obj = Record<string, any>;

let cached: Promise<RenderedFolder[]> | undefined;

/** Every clusters/<cluster>/<tenant> folder, rendered by the real kustomize. */
export function renderedFleet(): Promise<RenderedFolder[]> {
  cached ??= renderFleet(REPO);
  return cached;
}

export function find(objects: readonly Obj[], kind: string, name: string): Obj | undefined {
  return objects.find((o) => o.kind === kind && o.metadata?.name === name);
}

export function get(objects: readonly Obj[], kind: string, name: string): Obj {
  const o = find(objects, kind, name);
  if (!o) throw new Error(`no ${kind}/${name} among ${objects.length} objects`);
  return o;
}
