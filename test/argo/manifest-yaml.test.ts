import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { countDocuments, loadDocuments, parseDocument, parseObjects } from "../../generators/argo/manifest-yaml.js";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "../helpers/repo.js";
import { renderedFleet } from "../helpers/fleet.js";

// Scalars where YAML 1.1 readers, js-yaml's default schema and the YAML 1.2 core schema part ways.
const SCALARS = [
  "on",
  "yes",
  "No",
  "2027-01-31",
  "2001-12-14t21:59:43.10-05:00",
  "0o17",
  "017",
  "0x1F",
  "1_000",
  "1e3",
  ".inf",
  "-.Inf",
  ".nan",
  "~",
  "null",
  "Null",
  "TRUE",
  "1.0",
  "+12",
  "=",
  "<<",
];

describe("reading manifests with the YAML 1.2 core schema", () => {
  it("reads every tricky scalar as the `yaml` package's default (YAML 1.2 core) does", () => {
    for (const s of SCALARS) {
      const text = `v: ${s}\nq: "${s}"\n`;
      expect(parseDocument(text, "t.yaml"), s).toEqual(parse(text));
    }
  });

  it("does not merge `<<` keys, as kustomize's go-yaml v3 does not for the core schema", () => {
    const text = "base: &b {a: 1}\nobj:\n  <<: *b\n  c: 2\n";
    expect(parseDocument(text, "t.yaml")).toEqual(parse(text));
    expect((parseDocument(text, "t.yaml") as { obj: Record<string, unknown> }).obj).toHaveProperty("<<");
  });

  it("names the file, line and column of invalid YAML and of a duplicate key", () => {
    expect(() => loadDocuments("a: [1, 2\n", "apps/fleet/x.yaml")).toThrow(/^apps\/fleet\/x\.yaml: invalid YAML: .*\(\d+:\d+\)/s);
    expect(() => parseDocument("a: 1\na: 2\n", "k.yaml")).toThrow(/^k\.yaml: invalid YAML: duplicated mapping key/);
  });

  it("drops empty documents and refuses a document that is not an object", () => {
    expect(parseObjects("---\n---\nkind: A\n---\n", "s.yaml")).toEqual([{ kind: "A" }]);
    expect(() => parseObjects("- a\n", "s.yaml")).toThrow("s.yaml: a document is not an object");
  });

  it("gives the objects the `yaml` package gives for every file under apps/", () => {
    const files = readdirSync(join(REPO, "apps"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".yaml"));
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) {
      const text = readFileSync(join(REPO, "apps", f), "utf8");
      expect(loadDocuments(text, f), f).toEqual(parseAllDocuments(text).map((d) => d.toJS() as unknown));
    }
  });

  it("counts the documents of kustomize's output without parsing it, as parseObjects does for every rendered folder", async () => {
    const folders = await renderedFleet();
    expect(folders.length).toBeGreaterThan(30);
    for (const f of folders) expect(countDocuments(f.yaml), f.path).toBe(parseObjects(f.yaml, f.path).length);
    // A `---` inside a block scalar is indented: still one document.
    const block = "kind: ConfigMap\ndata:\n  a: |\n    ---\n    x\n---\nkind: B\n";
    expect(countDocuments(block)).toBe(2);
    expect(parseObjects(block, "b.yaml")).toHaveLength(2);
    expect(countDocuments("")).toBe(0);
    expect(countDocuments("---\nkind: A\n---\n")).toBe(1);
  });
});
