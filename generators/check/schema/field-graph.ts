/** The known-fields graph: what a strict walk of a rendered object consults (check/schema/strict-fields.ts). */

/** One node of the known-fields graph. An empty node is a leaf (scalar). */
export interface FieldNode {
  /** Anything is allowed at and below this value. */
  open?: true;
  /** Known property names → node index. */
  props?: Record<string, number>;
  /** Map-like object: any key is allowed, each value follows this node. */
  anyKey?: number;
  /** Array value: each element follows this node. */
  items?: number;
}

export interface StrictFieldTree {
  nodes: FieldNode[];
  /** `${module}#${interfaceName}` → node index of the root interface. */
  roots: Record<string, number>;
}

export interface StrictRoot {
  module: string;
  interfaceName: string;
}

export interface StrictTreeStats {
  source: "built" | "cache" | "committed";
  /** Time to create the program and resolve the root types (0 when read from a file). */
  programMs: number;
  /** Time to walk the types into the field graph (0 when loaded from cache). */
  walkMs: number;
  /** Time to read or write the cache file. */
  cacheMs: number;
  nodes: number;
}

export function rootKey(root: StrictRoot): string {
  return `${root.module}#${root.interfaceName}`;
}
