/**
 * The layers of generators/, bottom to top. A module may import only from its own layer
 * or a lower one; imports.test.ts beside this file enforces it, and ARCHITECTURE.md
 * draws it. The first matching prefix wins, so a file listed on its own
 * sits apart from its folder.
 */
export interface Layer {
  level: number;
  name: string;
  /** Paths relative to generators/: a folder ends with "/", a file is named whole. */
  paths: readonly string[];
}

export const LAYERS: readonly Layer[] = [
  { level: 0, name: "external semantics (Argo CD, the Gateway API, Kubernetes API-server rules)", paths: ["argo/", "gateway/", "rules/"] },
  { level: 1, name: "fleet model and add-on catalogue", paths: ["fleet/", "addons/"] },
  { level: 2, name: "tenant API and release pins", paths: ["api/"] },
  { level: 3, name: "tenant specs", paths: ["tenants/"] },
  { level: 4, name: "builders", paths: ["builders/"] },
  { level: 5, name: "layout", paths: ["layout/"] },
  { level: 6, name: "render", paths: ["render/"] },
  { level: 7, name: "check, diff, promote, report", paths: ["check/", "diff/", "release/", "report/"] },
  { level: 8, name: "orchestration", paths: ["bench/", "cli/", "generate.ts"] },
];

/** The layer of a file (path relative to generators/), or undefined when no layer claims it. */
export function layerOf(path: string): Layer | undefined {
  let best: { layer: Layer; length: number } | undefined;
  for (const layer of LAYERS) {
    for (const p of layer.paths) {
      const hit = p.endsWith("/") ? path.startsWith(p) : path === p;
      if (hit && (!best || p.length > best.length)) best = { layer, length: p.length };
    }
  }
  return best?.layer;
}
