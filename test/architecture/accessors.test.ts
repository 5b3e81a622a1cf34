/**
 * One set of object accessors: the check, the diff and the report read rendered objects
 * through generators/check/policy/util.ts (kind, name, namespace, labels, annotations,
 * tenant, sync wave, identity). A second definition of one of them anywhere under
 * generators/ fails here, naming the file and line, so `waveOf` and friends exist once.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/repo.js";

const ROOT = join(REPO, "generators");
const HOME = "check/policy/util.ts";

const ACCESSORS: Readonly<Record<string, string>> = {
  kindOf: HOME,
  apiVersionOf: HOME,
  nameOf: HOME,
  namespaceOf: HOME,
  labelsOf: HOME,
  annotationsOf: HOME,
  tenantOf: HOME,
  waveOf: HOME,
  objectKey: HOME,
  objectLabel: HOME,
  idOf: HOME,
  // Level 0 (Argo CD's semantics) cannot import the check; the accessor module re-exports it.
  groupOf: "argo/project.ts",
};

/** Same name, different job: not an object accessor. */
const UNRELATED = new Set(["rules/resources.ts kindOf"]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith(".ts") ? [relative(ROOT, p)] : [];
  });
}

/** Functions declared in a file: `function f`, and `const f = (…) => …` / `function (…)`. */
function functionsIn(file: string): { name: string; line: number }[] {
  const sf = ts.createSourceFile(file, readFileSync(join(ROOT, file), "utf8"), ts.ScriptTarget.Latest, true);
  const out: { name: string; line: number }[] = [];
  const at = (n: ts.Node): number => sf.getLineAndCharacterOfPosition(n.getStart()).line + 1;
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionDeclaration(n) && n.name) out.push({ name: n.name.text, line: at(n) });
    if (
      ts.isVariableDeclaration(n) &&
      ts.isIdentifier(n.name) &&
      n.initializer &&
      (ts.isArrowFunction(n.initializer) || ts.isFunctionExpression(n.initializer))
    )
      out.push({ name: n.name.text, line: at(n) });
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

const DEFINED = sources(ROOT).flatMap((file) => functionsIn(file).map((f) => ({ ...f, file })));

describe("object accessors", () => {
  it("are each defined in their one home", () => {
    for (const [name, home] of Object.entries(ACCESSORS))
      expect(
        DEFINED.some((d) => d.name === name && d.file === home),
        `${name} in ${home}`,
      ).toBe(true);
  });

  it("are defined nowhere else under generators/", () => {
    const twice = DEFINED.filter((d) => ACCESSORS[d.name] !== undefined && d.file !== ACCESSORS[d.name])
      .filter((d) => !UNRELATED.has(`${d.file} ${d.name}`))
      .map((d) => `generators/${d.file}:${d.line}: ${d.name} is defined again; import it from generators/${ACCESSORS[d.name]}`);
    expect(twice).toEqual([]);
  });

  it("serve the diff and the report as well as the check", () => {
    const importsHome = (f: string): boolean =>
      [...readFileSync(join(ROOT, f), "utf8").matchAll(/from "(\.[^"]+)"/g)].some(
        (m) => normalize(join(dirname(f), m[1] ?? "")).replace(/\.js$/, ".ts") === HOME,
      );
    const importers = sources(ROOT).filter(importsHome);
    for (const area of ["check/", "diff/", "report/"])
      expect(
        importers.some((f) => f.startsWith(area)),
        area,
      ).toBe(true);
  });
});
