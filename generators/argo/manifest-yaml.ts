/**
 * Reads YAML the pipeline did not just build (kustomize's output, apps/, kustomization files,
 * Helm values), with the YAML 1.2 core schema: no timestamps and no merge keys, what the `yaml`
 * package's default gives and what kustomize's go-yaml v3 printer quotes for. js-yaml builds
 * plain values straight from parser events, three to five times less CPU than `yaml`'s document
 * model (identical values on the committed fleet; docs/performance.md, "Where the cold render
 * went"). Writing stays with `yaml` (layout/yaml.ts): its printer is what the tree is made of.
 */
import { CORE_SCHEMA, load, loadAll } from "js-yaml";

/** Every document of a YAML stream. Throws `<where>: invalid YAML: <reason, line and column>`. */
export function loadDocuments(text: string, where: string): unknown[] {
  try {
    return loadAll(text, { schema: CORE_SCHEMA, filename: where });
  } catch (e) {
    throw new Error(`${where}: invalid YAML: ${(e as Error).message}`);
  }
}

/** A stream of manifests as plain objects; empty documents are dropped, any other non-object is an error. */
export function parseObjects(text: string, where: string): Record<string, unknown>[] {
  return loadDocuments(text, where).flatMap((value) => {
    if (value === null || value === undefined) return [];
    if (typeof value !== "object" || Array.isArray(value)) throw new Error(`${where}: a document is not an object`);
    return [value as Record<string, unknown>];
  });
}

/**
 * How many documents a stream as kustomize prints it holds, without parsing it: kustomize puts
 * each resource after a `---` line of its own and prints no empty document, and a `---` inside
 * a value is indented. The same count as parseObjects on every committed folder
 * (test/argo/manifest-yaml.test.ts).
 */
export function countDocuments(text: string): number {
  return text.split(/^---[ \t]*$/m).filter((d) => d.trim() !== "").length;
}

/** One document (a kustomization, a Helm values block); undefined when empty. */
export function parseDocument(text: string, where: string): unknown {
  try {
    return load(text, { schema: CORE_SCHEMA, filename: where }) ?? undefined;
  } catch (e) {
    throw new Error(`${where}: invalid YAML: ${(e as Error).message}`);
  }
}
