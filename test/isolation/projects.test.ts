/** Least-privilege AppProjects: each tenant may create exactly the namespaced kinds its folders hold; the guardrails are the platform's. */
import { describe, expect, it } from "vitest";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { LABELS, PLATFORM_TENANT } from "../../generators/fleet/constants.js";
import { TENANTS } from "../../generators/tenants/index.js";
import { tenantNamespace } from "../../generators/build/labels.js";
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
  it("whitelist exactly the namespaced kinds its rendered folders hold, and none of the platform's guardrail kinds", async () => {
    const folders = (await renderedFleet()).filter((f) => f.tenant === name);
    // The kinds of all its folders: an environment may lack one (a PDB where dev runs one replica), never add one.
    const held = new Set(folders.flatMap((f) => (f.objects as Obj[]).map(gk)).filter((g) => !isClusterScoped(g)).map(key));
    for (const env of DEFAULT_FLEET.environments) {
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
      for (const kind of ["ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"]) expect(isGroupKindPermitted(p, { group: "admissionregistration.k8s.io", kind }, false), kind).toBe(true);
      const namespaces = new Set((p.spec.destinations ?? []).map((d: Obj) => d.namespace));
      for (const t of TENANTS) expect(namespaces.has(tenantNamespace(t.spec)), t.spec.name).toBe(true);
      expect((p as Obj).metadata.labels[LABELS.env]).toBe(env.name);
    }
  });
});
