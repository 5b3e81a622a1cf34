/**
 * One-way imports: every generators/**\/*.ts import points to its own layer or a lower
 * one (generators/layers.ts), the check never reads builder internals, and no file
 * reaches itself through its imports.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { layerOf, LAYERS } from "./layers.js";
import { REPO } from "../helpers/repo.js";

const ROOT = join(REPO, "generators");

interface Edge {
  from: string;
  to: string;
  line: number;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith(".ts") ? [relative(ROOT, p)] : [];
  });
}

/** Static imports, re-exports (type-only ones too: they tie concepts just the same) and dynamic imports. */
const IMPORT = /(?:^|\s)(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|^import\s*["']([^"']+)["']/gm;

function importsOf(file: string, text: string): Edge[] {
  const edges: Edge[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3] ?? "";
    if (!spec.startsWith(".")) continue;
    const to = normalize(join(dirname(file), spec)).replace(/\.js$/, ".ts");
    const line = text.slice(0, m.index + m[0].length).split("\n").length;
    edges.push({ from: file, to, line });
  }
  return edges;
}

const files = sources(ROOT);
const edges = files.flatMap((f) => importsOf(f, readFileSync(join(ROOT, f), "utf8")));

/** Every cycle's files, found by a depth-first search over the import graph. */
function cycles(): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const state = new Map<string, "open" | "done">();
  const found: string[][] = [];
  const stack: string[] = [];
  const visit = (f: string): void => {
    state.set(f, "open");
    stack.push(f);
    for (const t of next.get(f) ?? []) {
      if (state.get(t) === "open") found.push([...stack.slice(stack.indexOf(t)), t]);
      else if (!state.has(t)) visit(t);
    }
    stack.pop();
    state.set(f, "done");
  };
  for (const f of files) if (!state.has(f)) visit(f);
  return found;
}

describe("imports between generators/ modules", () => {
  it("finds the imports it judges (the parser is not blind)", () => {
    expect(files.length).toBeGreaterThan(80);
    expect(edges.length).toBeGreaterThan(200);
    const sample = importsOf(
      "check/run.ts",
      'import { x } from "../fleet/constants.js";\nimport type { Y } from "./report.js";\nexport { z } from "../api/problem.js";\nconst m = await import("../diff/git.js");',
    );
    expect(sample.map((e) => `${e.to}:${e.line}`)).toEqual([
      "fleet/constants.ts:1",
      "check/report.ts:2",
      "api/problem.ts:3",
      "diff/git.ts:4",
    ]);
  });

  it("places every file under generators/ in a layer", () => {
    expect(files.filter((f) => layerOf(f) === undefined)).toEqual([]);
  });

  it("resolves every relative import to a file that exists", () => {
    expect(edges.filter((e) => !files.includes(e.to)).map((e) => `generators/${e.from}:${e.line}: ${e.to}`)).toEqual([]);
  });

  it("never imports from a higher layer", () => {
    const backwards = edges.flatMap((e) => {
      const from = layerOf(e.from);
      const to = layerOf(e.to);
      if (!from || !to || to.level <= from.level) return [];
      return [
        `generators/${e.from}:${e.line} (layer ${from.level}, ${from.name}) imports generators/${e.to} (layer ${to.level}, ${to.name})`,
      ];
    });
    expect(backwards).toEqual([]);
  });

  it("judges rendered objects against the fleet model and the API, never against builder or layout internals", () => {
    const judges = ["check/", "diff/", "report/"];
    const inside = edges.filter(
      (e) => judges.some((j) => e.from.startsWith(j)) && (e.to.startsWith("builders/") || e.to.startsWith("layout/")),
    );
    expect(inside.map((e) => `generators/${e.from}:${e.line} imports generators/${e.to}`)).toEqual([]);
  });

  it("has no import cycle", () => {
    expect(cycles().map((c) => c.join(" -> "))).toEqual([]);
  });

  it("keeps the bottom layer free of imports from the rest of generators/", () => {
    const bottom = LAYERS[0]!.paths;
    const out = edges.filter((e) => bottom.some((p) => e.from.startsWith(p)) && !bottom.some((p) => e.to.startsWith(p)));
    expect(out.map((e) => `generators/${e.from}:${e.line} imports generators/${e.to}`)).toEqual([]);
  });
});
