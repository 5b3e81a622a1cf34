/** The in-memory generated tree: path -> bytes, each object validated against its model's schema first. */
import { createHash } from "node:crypto";
import type { KubeObject } from "../builders/object.js";
import { objectId } from "../builders/object.js";
import { yamlDoc, yamlFile } from "./yaml.js";
import { isClusterScoped, type GroupKind } from "../argo/scope.js";

export type Tree = Map<string, string>;

/**
 * sha256 of the JSON of objects that passed validation in an earlier run. Validation is a
 * pure function of an object's JSON (apiVersion and kind pick the model) and the model
 * packages, so cli/generate-bundled.ts keeps this set beside the YAML memo, keyed by this
 * file and the lockfile. Empty unless loaded: every object is then validated.
 */
const passed = new Set<string>();
const passedNow = new Set<string>();

export function loadValidatedMemo(keys: readonly string[]): void {
  for (const k of keys) passed.add(k);
}

/** Keys of the objects validated in this run, for the next one. */
export function validatedMemo(): string[] {
  return [...passedNow];
}

/** One schema error of one emitted object (ajv's instancePath into the object, and its message). */
export interface SchemaFailure {
  /** The generated file. */
  path: string;
  /** The source that produced the object (a tenant file, the fleet file). */
  source: string;
  object: KubeObject;
  errors: readonly { instancePath: string; message: string; keyword?: string; params?: Record<string, unknown> }[];
  /** The model's message, as it reads in the generated tree (shown with --debug). */
  raw: string;
}

/**
 * Validates every object against its model's schema. Failures go to `failed` when given
 * (generate maps them back to the source field); otherwise a builder bug stops generation here.
 */
function validated(objects: KubeObject[], where: string, source: string, failed?: SchemaFailure[]): KubeObject[] {
  for (const o of objects) {
    const key = createHash("sha256").update(JSON.stringify(o)).digest("base64");
    if (!passed.has(key)) {
      try {
        o.validate();
      } catch (e) {
        const raw = `${where}: ${objectId(o)} fails its schema: ${(e as Error).message}`;
        if (!failed) throw new Error(raw);
        const errors = ((e as { errors?: SchemaFailure["errors"] }).errors ?? []).map((x) => ({
          ...x,
          message: x.message ?? "is invalid",
        }));
        failed.push({
          path: where,
          source,
          object: o,
          errors: errors.length > 0 ? errors : [{ instancePath: "", message: (e as Error).message }],
          raw,
        });
        continue;
      }
    }
    passedNow.add(key);
  }
  return objects;
}

/**
 * Sees every object emitted, with its file and source (generate runs the API server's rules
 * through it), and the schema failures among them: with an observer, a schema failure is
 * reported to it rather than thrown.
 */
export type ObjectObserver = (
  path: string,
  source: string,
  objects: readonly KubeObject[],
  schemaFailures: readonly SchemaFailure[],
) => void;

export class TreeBuilder {
  readonly files: Tree = new Map();
  /** The group and kind of every object written, by file: AppProjects whitelist exactly these. */
  readonly kinds = new Map<string, GroupKind[]>();
  constructor(private readonly observe?: ObjectObserver) {}

  /** Writes objects to one file; returns the file name, as a kustomization lists it. */
  objects(path: string, source: string, objects: KubeObject[]): string {
    const failures: SchemaFailure[] = [];
    this.files.set(path, yamlFile(source, validated(objects, path, source, this.observe ? failures : undefined)));
    this.kinds.set(
      path,
      objects.map((o) => ({ group: o.apiVersion.includes("/") ? o.apiVersion.slice(0, o.apiVersion.indexOf("/")) : "", kind: o.kind })),
    );
    this.observe?.(path, source, objects, failures);
    return path.slice(path.lastIndexOf("/") + 1);
  }

  /** The namespaced kinds written under any of the folders, sorted and unique. */
  namespacedKinds(folders: readonly string[]): GroupKind[] {
    const seen = new Map<string, GroupKind>();
    for (const [path, kinds] of this.kinds)
      if (folders.some((f) => path.startsWith(`${f}/`)))
        for (const gk of kinds) if (!isClusterScoped(gk)) seen.set(`${gk.group}/${gk.kind}`, gk);
    return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, gk]) => gk);
  }

  doc(path: string, source: string, doc: unknown): void {
    this.files.set(path, yamlDoc(source, doc));
  }

  /** The files sorted by path, so the tree's order never depends on build order. */
  sorted(): Tree {
    return new Map([...this.files.entries()].sort(([a], [z]) => (a < z ? -1 : a > z ? 1 : 0)));
  }
}
