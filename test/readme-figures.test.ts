/**
 * The README's worked example prints what the commands print today: its `npm run generate
 * -- --changed` lines and the folder counts of its `npm run diff` header are recomputed here
 * by running the same change through the real generator on a scratch copy of the tree.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { forEnv } from "../generators/api/per-env.js";
import { DEFAULT_FLEET } from "../generators/fleet/fleet.js";
import { generate } from "../generators/generate.js";
import { listClusterFolders } from "../generators/render/folders.js";
import { TENANTS } from "../generators/tenants/index.js";
import { PINS, REPO, removeScratch, scratchTree } from "./helpers/repo.js";

const README = readFileSync(join(REPO, "README.md"), "utf8");
const example = README.slice(README.indexOf("## Reviewing a change"));

/** The registered tenants with offline-dns of uiota one prod replica up, as the example edits it. */
function withExampleEdit(): typeof TENANTS {
  return TENANTS.map((s) => {
    if (s.spec.name !== "uiota") return s;
    const spec = structuredClone(s.spec);
    const app = spec.apps.find((a) => a.name === "offline-dns");
    if (!app?.scaling.replicas) throw new Error("offline-dns of uiota has no fixed replicas; update the README's example");
    const r = app.scaling.replicas;
    app.scaling = { replicas: { dev: forEnv(r, "dev"), staging: forEnv(r, "staging"), prod: forEnv(r, "prod") + 1 } };
    return { ...s, spec };
  });
}

describe("the README's worked example", () => {
  const dir = scratchTree();
  afterAll(() => removeScratch(dir));

  it("shows the edit the example makes", () => {
    const dns = TENANTS.find((s) => s.spec.name === "uiota")?.spec.apps.find((a) => a.name === "offline-dns");
    const prod = dns?.scaling.replicas !== undefined ? forEnv(dns.scaling.replicas, "prod") : NaN;
    expect(example).toContain(`+  scaling: { replicas: { dev: 1, staging: 2, prod: ${prod + 1} } },`);
    expect(example).toContain(`spec.replicas: ${prod} → ${prod + 1}`);
  });

  it("prints the generate summary npm run generate -- --changed prints for it", () => {
    const result = generate(dir, DEFAULT_FLEET, withExampleEdit(), PINS);
    const changed = result.folders.filter((f) => f.written + f.removed > 0);
    expect(changed.map((f) => f.folder)).toEqual(["overlays/prod/uiota"]);
    for (const f of changed) expect(example).toContain(`${f.folder}: ${f.written} written, ${f.unchanged} unchanged, ${f.removed} removed`);
    expect(example).toContain(
      `generate: ${result.folders.length} folders, ${result.written} written, ${result.unchanged} unchanged, ${result.removed} removed`,
    );
  });

  it("counts the cluster folders the diff header names: every folder, all but the three prod uiota ones skipped", () => {
    const folders = listClusterFolders(REPO).length;
    const prodClusters = DEFAULT_FLEET.clusters.filter((c) => c.env === DEFAULT_FLEET.environments.find((e) => e.production)?.name);
    expect(example).toContain(
      `${folders} folder(s), ${folders - prodClusters.length} skipped (inputs unchanged), ${2 * prodClusters.length} render(s)`,
    );
  });
});
