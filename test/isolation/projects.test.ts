/** Least-privilege AppProjects: each tenant may create exactly the namespaced kinds its folders hold; the guardrails are the platform's. */
import { describe, expect, it } from "vitest";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { LABELS, PLATFORM_TENANT } from "../../generators/fleet/constants.js";
import { TENANTS } from "../../generators/tenants/index.js";
import { tenantNamespace } from "../../generators/builders/labels.js";
import { readAppsObjects } from "../../generators/check/policy/index.js";
import { isGroupKindPermitted, type ProjectLike } from "../../generators/argo/project.js";
import { isClusterScoped } from "../../generators/argo/scope.js";
import { renderedFleet, type Obj } from "../helpers/fleet.js";
import { REPO } from "../helpers/repo.js";

const projects = readAppsObjects(REPO).filter((o) => o.kind === "AppProject") as Obj[];
const project = (name: string): Obj => projects.find((p) => p.metadata.name === name)!;
const gk = (o: Obj) => ({ group: o.apiVersion.includes("/") ? o.apiVersion.split("/")[0] : "", kind: o.kind as string });
const key = (g: { group: string; kind: string }) => `${g.group}/${g.kind}`;
const GUARDRAIL_KINDS = ["networking.k8s.io/NetworkPolicy", "/ResourceQuota", "/LimitRange", "external-secrets.io/SecretStore"];

describe.each(TENANTS.map((t) => [t.spec.name]))("the AppProjects of tenant %s", (name) => {
  it("whitelist, per environment, exactly the namespaced kinds that environment's folders render, and none of the platform's guardrail kinds", async () => {
    const folders = (await renderedFleet()).filter((f) => f.tenant === name);
    const envOf = new Map(DEFAULT_FLEET.clusters.map((c) => [c.name, c.env]));
    for (const env of DEFAULT_FLEET.environments) {
      const held = new Set(
        folders
          .filter((f) => envOf.get(f.cluster) === env.name)
          .flatMap((f) => (f.objects as Obj[]).map(gk))
          .filter((g) => !isClusterScoped(g))
          .map(key),
      );
      const p = project(`${name}-${env.name}`);
      const listed = new Set((p.spec.namespaceResourceWhitelist as Obj[]).map((g) => key(g as { group: string; kind: string })));
      expect([...listed].sort(), `${name}-${env.name}`).toEqual([...held].sort());
      for (const k of GUARDRAIL_KINDS) expect(listed.has(k), `${name}-${env.name} lists ${k}`).toBe(false);
    }
  });
});

describe("the platform's AppProjects", () => {
  it("own the guardrails: they may write NetworkPolicies, quotas, secret stores and admission policies into every tenant namespace", () => {
    for (const env of DEFAULT_FLEET.environments) {
      const p = project(`${PLATFORM_TENANT}-${env.name}`) as Obj & ProjectLike;
      for (const k of GUARDRAIL_KINDS) {
        const [group, kind] = k.split("/") as [string, string];
        expect(isGroupKindPermitted(p, { group, kind }, true), k).toBe(true);
      }
      for (const kind of ["ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"])
        expect(isGroupKindPermitted(p, { group: "admissionregistration.k8s.io", kind }, false), kind).toBe(true);
      const namespaces = new Set((p.spec.destinations ?? []).map((d: Obj) => d.namespace));
      for (const t of TENANTS) expect(namespaces.has(tenantNamespace(t.spec)), t.spec.name).toBe(true);
      expect((p as Obj).metadata.labels[LABELS.env]).toBe(env.name);
    }
  });
});

describe("an environment's AppProject", () => {
  it("admits no kind only another environment emits: the seed's PodDisruptionBudgets are staging and prod only, so uiota-dev refuses one", () => {
    const pdb = { group: "policy", kind: "PodDisruptionBudget" };
    expect(isGroupKindPermitted(project("uiota-dev") as Obj & ProjectLike, pdb, true)).toBe(false);
    expect(isGroupKindPermitted(project("uiota-prod") as Obj & ProjectLike, pdb, true)).toBe(true);
  });
});
