import { describe, expect, it } from "vitest";
import { DEFAULT_FLEET } from "../generators/fleet/fleet.js";
import { PLATFORM_TENANT } from "../generators/fleet/constants.js";
import { TENANTS } from "../generators/tenants/index.js";
import { renderFleet } from "../generators/render/render.js";
import { renderedFleet, TEST_RENDER_CACHE } from "./helpers/fleet.js";
import { REPO } from "./helpers/repo.js";

describe("rendering the fleet with the real kustomize", () => {
  it("renders one folder per cluster and tenant, each with objects", async () => {
    const folders = await renderedFleet();
    const expected = DEFAULT_FLEET.clusters
      .flatMap((c) => [PLATFORM_TENANT, ...TENANTS.map((t) => t.spec.name)].sort().map((t) => `${c.name}/${t}`))
      .sort();
    expect(folders.map((f) => `${f.cluster}/${f.tenant}`).sort()).toEqual(expected);
    for (const f of folders) expect(f.objects.length, f.path).toBeGreaterThan(0);
  });

  it("gives byte-identical output rendered in parallel and in sequence", async () => {
    // The suite's render (global setup) ran kustomize in parallel; one cluster's folders, rendered
    // again in sequence without any cache, must match it byte for byte and in order. A cluster is
    // every kind of folder (platform and each tenant), so the whole fleet would only repeat it.
    const cluster = "prod-usw2";
    const parallel = (await renderedFleet()).filter((f) => f.cluster === cluster);
    const sequential = await renderFleet(REPO, { cluster, parallelism: 1 });
    expect(sequential.length).toBe(TENANTS.length + 1);
    expect(sequential.map((f) => f.path)).toEqual(parallel.map((f) => f.path));
    expect(sequential.map((f) => f.yaml)).toEqual(parallel.map((f) => f.yaml));
  });

  it("limits a render to one cluster on request", async () => {
    const folders = await renderFleet(REPO, { cluster: "prod-euw1", cache: { dir: TEST_RENDER_CACHE } });
    expect(new Set(folders.map((f) => f.cluster))).toEqual(new Set(["prod-euw1"]));
    expect(folders.length).toBe(TENANTS.length + 1);
  });

  it("parses a folder's objects only when they are read, naming the folder when its output is not YAML", async () => {
    // `npm run render` writes the YAML and never reads the objects: it must not pay for parsing them.
    let built = 0;
    const builder = async (): Promise<string> => {
      built += 1;
      return "kind: A\n---\na: [1\n";
    };
    const folders = await renderFleet(REPO, { cluster: "prod-usw2", parallelism: 1, builder });
    expect(built).toBe(TENANTS.length + 1);
    const first = folders[0];
    if (!first) throw new Error("no folder rendered");
    expect(() => first.objects).toThrow(`${first.path}: invalid YAML`);
  });

  it("names the known clusters when asked for an unknown one", async () => {
    await expect(renderFleet(REPO, { cluster: "prod-mars1" })).rejects.toThrow(/unknown cluster "prod-mars1"; clusters: dev-usw2/);
  });
});
