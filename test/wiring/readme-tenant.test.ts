/**
 * The smallest complete tenant in README.md is real: its code block, imports pointed at
 * this checkout, validates and generates beside the fleet's tenants (with its registry
 * allowed, as README's "Registries" asks), and its one declaration per connection yields
 * both sides.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_FLEET, DEFAULT_IMAGE_REGISTRIES } from "../../generators/fleet/fleet.js";
import { TENANTS } from "../../generators/tenants/index.js";
import type { TenantSpec } from "../../generators/api/tenant.js";
import { validateAll } from "../../generators/api/validate.js";
import { buildNetworkPolicies } from "../../generators/builders/network.js";
import { buildHttpRoute, edgeNamespaces } from "../../generators/builders/edge.js";
import { REPO } from "../helpers/repo.js";

function readmeTenant(): string {
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  const at = readme.indexOf("The smallest complete tenant");
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  if (at < 0 || !block?.[1]) throw new Error("README.md: the smallest tenant's code block is gone");
  return block[1].replace(/from "\.\.\/(api\/[^"]+)"/g, (_m, p: string) => `from "${join(REPO, "generators", p.replace(/\.js$/, ".ts"))}"`);
}

describe("README's smallest tenant", () => {
  it("validates, and its calls give both sides", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "readme-tenant-")), "newt.ts");
    writeFileSync(file, readmeTenant());
    const { newt } = (await import(file)) as { newt: TenantSpec };
    const fleet = { ...DEFAULT_FLEET, imageRegistries: [...(DEFAULT_FLEET.imageRegistries ?? DEFAULT_IMAGE_REGISTRIES), "ghcr.io/newt/"] };
    const sources = [...TENANTS, { file: "generators/tenants/newt.ts", spec: newt }];
    expect(validateAll(fleet, sources)).toEqual([]);
    const web = newt.apps.find((a) => a.name === "web");
    expect(web?.env).toEqual({ API_URL: "http://api:8000" });
    // Its public host is an HTTPRoute on newt's own listener of the platform Gateway.
    const cluster = DEFAULT_FLEET.clusters.find((c) => c.env === "dev")!;
    const [route] = buildHttpRoute(fleet, newt, web!, cluster) as unknown as { spec: Record<string, any> }[];
    expect(route?.spec.hostnames).toEqual([`www.newt.${cluster.name}.ai.example.com`]);
    expect(route?.spec.parentRefs.map((p: { name: string; sectionName: string }) => `${p.name}/${p.sectionName}`)).toEqual(["edge/newt"]);
    const policies = buildNetworkPolicies(newt, [newt], edgeNamespaces()) as unknown as {
      metadata: { name: string };
      spec: Record<string, any>;
    }[];
    const api = policies.find((p) => p.metadata.name === "api");
    expect(api?.spec.ingress).toContainEqual({
      from: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "web", "app.kubernetes.io/part-of": "newt" } } }],
      ports: [{ protocol: "TCP", port: 8000 }],
    });
  });
});
