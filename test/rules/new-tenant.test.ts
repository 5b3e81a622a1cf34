/**
 * Adding a tenant the README's way: the sources validate, the tree generates, and the one
 * check failure a new tenant meets in prod (images not pinned by digest) names the file
 * and the exact key to add. Adding that pin makes the check pass.
 */
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_FLEET, DEFAULT_IMAGE_REGISTRIES, type Fleet } from "../../generators/fleet/fleet.js";
import { TENANTS, type TenantSource } from "../../generators/tenants/index.js";
import type { TenantSpec } from "../../generators/api/tenant.js";
import { generate } from "../../generators/generate.js";
import { checkFleet } from "../../generators/check/run.js";
import { loadPins, type Pins } from "../../generators/api/pins.js";
import { REPO } from "../helpers/repo.js";
import { TEST_RENDER_CACHE } from "../helpers/fleet.js";
import { removeScratch, scratchRepo } from "../helpers/repo.js";
import { unusedName } from "../helpers/fleet-shape.js";

/** README's example name, unless a tenant of that name has since been added for real. */
const NAME = unusedName(
  "newt",
  TENANTS.map((t) => t.spec.name),
);
const newt: TenantSpec = {
  name: NAME,
  description: "A new tenant added as the README says",
  apps: [
    {
      name: "web",
      image: { repository: "ghcr.io/example/web", tag: "2.0.1" },
      ports: [{ name: "http", containerPort: 8080 }],
      resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
      scaling: { replicas: 1 },
    },
  ],
};
const SOURCES: TenantSource[] = [...TENANTS, { file: `generators/tenants/${NAME}.ts`, spec: newt }];
/** Its images come from a new organisation, which the README says to add to the fleet's registry allow-list. */
const FLEET: Fleet = { ...DEFAULT_FLEET, imageRegistries: [...DEFAULT_IMAGE_REGISTRIES, "ghcr.io/example/"] };

describe("a new tenant", () => {
  let dir = "";
  afterEach(() => dir && removeScratch(dir));

  it("is told which pin to add to pass the prod digest rule, and passes once it is added", async () => {
    dir = scratchRepo();
    generate(dir, FLEET, SOURCES);
    // Folders the new tenant leaves alone come from the suite's render cache (keyed by content): kustomize runs on the rest.
    const report = await checkFleet(dir, FLEET, SOURCES, { cluster: "prod-usw2", cache: { dir: TEST_RENDER_CACHE } });
    const newtFindings = report.findings.filter((f) => f.tenant === NAME);
    expect(newtFindings.map((f) => f.rule)).toEqual(["wl-image-digest"]);
    expect(newtFindings[0]?.fix).toBe(
      `Add the digest to generators/release/pins.json at "${NAME}" > "prod" > "web": { "tag": "2.0.1", "digest": "sha256:<64 hex digits of ghcr.io/example/web>" } (npm run promote copies pins between environments).`,
    );

    const pins: Pins = { ...loadPins(REPO), [NAME]: { prod: { web: { tag: "2.0.1", digest: `sha256:${"c".repeat(64)}` } } } };
    generate(dir, FLEET, SOURCES, pins);
    const after = await checkFleet(dir, FLEET, SOURCES, { cluster: "prod-usw2", cache: { dir: TEST_RENDER_CACHE } });
    expect(after.findings.filter((f) => f.tenant === NAME)).toEqual([]);
  }, 120_000);
});
