/** Two versions of a small generated tree for the writer tests: `after` changes, adds and removes files of `before`. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { header } from "../../generators/layout/yaml.js";
import type { Tree } from "../../generators/layout/tree.js";

export const ROOTS = ["base", "overlays", "clusters", "apps"];

const file = (n: string, v: string): string => `${header("test/writer")}kind: ConfigMap\nname: ${n}\nversion: ${v}\n`;

export function before(): Tree {
  const t: Tree = new Map();
  for (let i = 0; i < 24; i++) t.set(`${ROOTS[i % 4]}/t${i % 3}/f${i}.yaml`, file(`f${i}`, "old"));
  return t;
}

/** Every file of `before` but four changes, eight removals (a whole folder) and six new files in new folders. */
export function after(): Tree {
  const t: Tree = new Map();
  for (const [p, c] of before()) {
    if (p.includes("/t2/")) continue;
    t.set(p, /f(0|1|3|4)\.yaml$/.test(p) ? c.replace("old", "new") : c);
  }
  for (let i = 0; i < 6; i++) t.set(`${ROOTS[i % 4]}/new${i % 2}/n${i}.yaml`, file(`n${i}`, "new"));
  return t;
}

/** Every file under the roots, path -> contents. */
export function onDisk(dir: string): Tree {
  const out: Tree = new Map();
  const walk = (d: string): void => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, "utf8"));
    }
  };
  for (const r of ROOTS) walk(join(dir, r));
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

export const sorted = (t: Tree): Tree => new Map([...t].sort(([a], [b]) => a.localeCompare(b)));
