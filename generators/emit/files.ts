/** The in-memory generated tree: path -> bytes, each object validated against its model's schema first. */
import type { KubeObject } from "../build/object.js";
import { objectId } from "../build/object.js";
import { yamlDoc, yamlFile } from "./yaml.js";

export type Tree = Map<string, string>;

/** Validates every object against its model's schema; a builder bug stops generation here. */
function validated(objects: KubeObject[], where: string): KubeObject[] {
  for (const o of objects) {
    try {
      o.validate();
    } catch (e) {
      throw new Error(`${where}: ${objectId(o)} fails its schema: ${(e as Error).message}`);
    }
  }
  return objects;
}

/** Sees every object emitted, with its file and source (generate runs the API server's rules through it). */
export type ObjectObserver = (path: string, source: string, objects: readonly KubeObject[]) => void;

export class TreeBuilder {
  readonly files: Tree = new Map();
  constructor(private readonly observe?: ObjectObserver) {}

  /** Writes objects to one file; returns the file name, as a kustomization lists it. */
  objects(path: string, source: string, objects: KubeObject[]): string {
    this.files.set(path, yamlFile(source, validated(objects, path)));
    this.observe?.(path, source, objects);
    return path.slice(path.lastIndexOf("/") + 1);
  }

  doc(path: string, source: string, doc: unknown): void {
    this.files.set(path, yamlDoc(source, doc));
  }

  /** The files sorted by path, so the tree's order never depends on build order. */
  sorted(): Tree {
    return new Map([...this.files.entries()].sort(([a], [z]) => (a < z ? -1 : a > z ? 1 : 0)));
  }
}
