/** The docs describe the code that exists: the README tree and ARCHITECTURE.md's layer picture. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LAYERS } from "./layers.js";
import { REPO } from "../helpers/repo.js";

const folders = readdirSync(join(REPO, "generators"), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => `${e.name}/`)
  .sort();

/** The folders the README's tree lists under generators/: lines indented two spaces inside the "## The tree" code block. */
function readmeTree(): string[] {
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## The tree"));
  const block = section.slice(section.indexOf("```") + 3, section.indexOf("```", section.indexOf("```") + 3));
  const lines = block.split("\n");
  const start = lines.findIndex((l) => l.startsWith("generators/"));
  const listed: string[] = [];
  for (const l of lines.slice(start + 1)) {
    const m = /^ {2}([a-z][\w.-]*\/)/.exec(l);
    if (!m) break;
    listed.push(m[1]!);
  }
  return listed.sort();
}

describe("the documentation", () => {
  it("README's tree lists every folder under generators/, and no folder that is gone", () => {
    expect(folders.length).toBeGreaterThan(5);
    expect(readmeTree()).toEqual(folders);
  });

  it("ARCHITECTURE.md's layer picture names every layer's folders, bottom to top as the import test enforces", () => {
    const arch = readFileSync(join(REPO, "ARCHITECTURE.md"), "utf8");
    const picture = arch.slice(arch.indexOf("## Layers"));
    const block = picture.slice(picture.indexOf("```") + 3, picture.indexOf("```", picture.indexOf("```") + 3));
    // The picture is drawn top to bottom: one line per layer, highest first.
    const rows = block.split("\n").filter((l) => /^\s*\d\s/.test(l));
    const drawn = rows.map((l) => ({
      level: Number(l.trim()[0]),
      paths: [...l.matchAll(/([a-z][\w.-]*\/(?:[\w.-]+\.ts)?|[a-z][\w.-]*\.ts)/g)].map((m) => m[1]!),
    }));
    expect(drawn.map((d) => d.level)).toEqual([...LAYERS].reverse().map((l) => l.level));
    for (const layer of LAYERS)
      expect(drawn.find((d) => d.level === layer.level)?.paths.sort(), `layer ${layer.level}`).toEqual([...layer.paths].sort());
  });

  it('ARCHITECTURE.md\'s "one change, end to end" names functions that exist where it says, and the calls between them', () => {
    const arch = readFileSync(join(REPO, "ARCHITECTURE.md"), "utf8");
    const start = arch.indexOf("## One change, end to end");
    const section = arch.slice(start, arch.indexOf("\n## ", start + 1));
    const named = [...section.matchAll(/`(\w+)`\s+\(`(generators\/[\w/.-]+\.ts)`\)/g)].map((m) => ({ fn: m[1]!, file: m[2]! }));
    expect(named.length).toBeGreaterThanOrEqual(10);
    for (const { fn, file } of named) {
      const text = readFileSync(join(REPO, file), "utf8");
      expect(new RegExp(`export (async )?function ${fn}\\b`).test(text), `${fn} is exported by ${file}`).toBe(true);
    }
    // The value's path through the generator, as the code calls it.
    const calls = (file: string, fn: string): boolean => readFileSync(join(REPO, file), "utf8").includes(`${fn}(`);
    expect(calls("generators/generate.ts", "validateAll")).toBe(true);
    expect(calls("generators/generate.ts", "layoutTree")).toBe(true);
    expect(calls("generators/generate.ts", "writeTree")).toBe(true);
    expect(calls("generators/layout/tree.ts", "buildReplicaCounts")).toBe(true);
    expect(calls("generators/api/validate/quota.ts", "podAmounts")).toBe(true);
    expect(calls("generators/diff/diff.ts", "compareObjects")).toBe(true);
  });
});
