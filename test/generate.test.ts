import { afterEach, describe, expect, it } from "vitest";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_FLEET } from "../generators/fleet/fleet.js";
import { TENANTS } from "../generators/tenants/index.js";
import { generate, generateTree } from "../generators/generate.js";
import { GENERATED_MARK } from "../generators/layout/yaml.js";
import { PINS, REPO, removeScratch, scratchTree, snapshot } from "./helpers/repo.js";

describe("npm run generate", () => {
  let dir = "";
  afterEach(() => dir && removeScratch(dir));

  it("produces exactly the committed tree, so the committed tree is never stale", () => {
    const expected = generateTree(DEFAULT_FLEET, TENANTS, PINS);
    const onDisk = snapshot(REPO);
    const stale = [...expected].filter(([p, c]) => onDisk.get(p) !== c).map(([p]) => p);
    const extra = [...onDisk.keys()].filter((p) => !expected.has(p));
    expect({ stale, extra }, "run `npm run generate` and commit the result").toEqual({ stale: [], extra: [] });
  });

  it("gives byte-identical output on every run", () => {
    const a = generateTree(DEFAULT_FLEET, TENANTS, PINS);
    const b = generateTree(DEFAULT_FLEET, TENANTS, PINS);
    expect([...b]).toEqual([...a]);
  });

  it("changes nothing when run a second time", () => {
    dir = scratchTree();
    const first = generate(dir, DEFAULT_FLEET, TENANTS, PINS);
    expect(first.written).toBe(0);
    const before = snapshot(dir);
    const second = generate(dir, DEFAULT_FLEET, TENANTS, PINS);
    expect({ written: second.written, removed: second.removed }).toEqual({ written: 0, removed: 0 });
    expect(snapshot(dir)).toEqual(before);
  });

  it("puts a header naming its source on every generated file", () => {
    for (const [path, content] of generateTree(DEFAULT_FLEET, TENANTS, PINS)) {
      expect(content.split("\n")[0], path).toMatch(new RegExp(`^${GENERATED_MARK.replace(/[`]/g, ".")} from generators/\\S+\\.ts`));
    }
  });

  it("removes generated files that are no longer produced and keeps files it does not own", () => {
    dir = scratchTree();
    const orphan = join(dir, "base/uiota/retired-app.yaml");
    writeFileSync(orphan, `${GENERATED_MARK} from generators/tenants/uiota.ts.\nkind: ConfigMap\n`);
    const notes = join(dir, "base/uiota/NOTES.md");
    writeFileSync(notes, "hand-written notes\n");
    const result = generate(dir, DEFAULT_FLEET, TENANTS, PINS);
    expect(result.removed).toBe(1);
    expect(existsSync(orphan)).toBe(false);
    expect(readFileSync(notes, "utf8")).toBe("hand-written notes\n");
  });

  it("refuses to overwrite a file it does not own, and writes nothing at all", () => {
    dir = scratchTree();
    writeFileSync(join(dir, "base/uiota/mcp-server.yaml"), "# my own file\n");
    // Another file that needs writing: the tree must not change partially either.
    writeFileSync(join(dir, "base/uiota/offline-ai.yaml"), `${GENERATED_MARK} from generators/tenants/uiota.ts.\nstale: true\n`);
    const before = snapshot(dir);
    expect(() => generate(dir, DEFAULT_FLEET, TENANTS, PINS)).toThrow(/base\/uiota\/mcp-server\.yaml: exists and was not generated/);
    expect(snapshot(dir)).toEqual(before);
  });

  it("creates the whole tree from nothing", () => {
    dir = scratchTree();
    const empty = join(dir, "empty");
    mkdirSync(empty);
    const result = generate(empty, DEFAULT_FLEET, TENANTS, PINS);
    expect(result.written).toBe(generateTree(DEFAULT_FLEET, TENANTS, PINS).size);
    expect(snapshot(empty)).toEqual(snapshot(REPO));
  });
});
