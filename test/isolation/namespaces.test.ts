import { describe, expect, it } from "vitest";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { LABELS, PLATFORM_TENANT } from "../../generators/fleet/constants.js";
import { TENANTS } from "../../generators/tenants/index.js";
import { tenantNamespace } from "../../generators/builders/labels.js";
import { readAppsObjects } from "../../generators/check/policy/index.js";
import { renderedFleet, type Obj } from "../helpers/fleet.js";
import { REPO } from "../helpers/repo.js";

const NAMESPACES = new Map(TENANTS.map((t) => [t.spec.name, tenantNamespace(t.spec)]));

/** Every peer admitted by a policy's ingress rules. */
const ingressPeers = (policy: Obj): Obj[] => (policy.spec.ingress ?? []).flatMap((r: Obj) => r.from ?? []);

describe.each(TENANTS.map((t) => [t.spec.name, t.spec] as const))("tenant %s is isolated", (name, spec) => {
  const namespace = tenantNamespace(spec);
  const others = [...NAMESPACES.entries()].filter(([t]) => t !== name).map(([, ns]) => ns);

  it("keeps every namespaced object of its folders in its own namespace", async () => {
    for (const f of (await renderedFleet()).filter((x) => x.tenant === name)) {
      const namespaces = new Set(f.objects.map((o: Obj) => o.metadata?.namespace));
      expect([...namespaces], f.path).toEqual([namespace]);
    }
  });

  it("has one AppProject per environment, confined to its namespace and its environment's clusters", () => {
    const projects = readAppsObjects(REPO).filter(
      (o) => o.kind === "AppProject" && (o.metadata as Obj).labels?.[LABELS.tenant] === name,
    ) as Obj[];
    expect(projects.map((p) => p.metadata.name).sort()).toEqual(DEFAULT_FLEET.environments.map((e) => `${name}-${e.name}`).sort());
    for (const p of projects) {
      const env = p.metadata.labels[LABELS.env];
      expect(p.spec.destinations).toEqual(DEFAULT_FLEET.clusters.filter((c) => c.env === env).map((c) => ({ name: c.name, namespace })));
      expect(p.spec.clusterResourceWhitelist ?? []).toEqual([]);
    }
  });

  it("admits to each app exactly the callers its intents name, and never another tenant's namespace", async () => {
    // The platform owns the NetworkPolicies of every tenant namespace: a tenant folder carries none.
    const fleet = await renderedFleet();
    for (const f of fleet.filter((x) => x.tenant === name)) {
      expect(
        (f.objects as Obj[]).filter((o) => o.kind === "NetworkPolicy"),
        f.path,
      ).toEqual([]);
      const platform = fleet.find((x) => x.tenant === PLATFORM_TENANT && x.cluster === f.cluster);
      const policies = ((platform?.objects ?? []) as Obj[]).filter((o) => o.kind === "NetworkPolicy" && o.metadata.namespace === namespace);
      expect(policies.find((p) => p.metadata.name === "default-deny")?.spec, `${f.cluster}: default-deny`).toEqual({
        podSelector: {},
        policyTypes: ["Ingress", "Egress"],
      });
      for (const app of spec.apps) {
        const policy = policies.find((p: Obj) => p.metadata.name === app.name);
        expect(policy, `${f.path}: NetworkPolicy ${app.name}`).toBeDefined();
        // Same-namespace callers: the tenant's apps whose `calls` name this app, and the Jobs it admits.
        const named = new Set([
          ...spec.apps
            .filter((caller) => (caller.calls ?? []).some((c) => c.app === app.name && c.tenant === undefined))
            .map((c) => c.name),
          ...(app.network?.ingress ?? []).flatMap((r) => r.from.flatMap((p) => (p.job !== undefined ? [p.job] : []))),
        ]);
        const admitted = new Set(
          ingressPeers(policy as Obj)
            .filter((p) => p.podSelector && !p.namespaceSelector)
            .map((p) => p.podSelector.matchLabels?.[LABELS.name]),
        );
        expect([...admitted].sort(), `${f.path}: callers of ${app.name}`).toEqual([...named].sort());
      }
      for (const p of policies) {
        const nsAdmitted = ingressPeers(p)
          .map((peer) => peer.namespaceSelector?.matchLabels?.[LABELS.namespaceName])
          .filter(Boolean);
        for (const ns of nsAdmitted) expect(others, `${f.path}: ${p.metadata.name} admits namespace ${ns}`).not.toContain(ns);
      }
    }
  });
});

describe("the platform tenant", () => {
  it("creates every tenant namespace with the restricted Pod Security profile enforced", async () => {
    const folder = (await renderedFleet()).find((f) => f.tenant === PLATFORM_TENANT);
    const namespaces = ((folder?.objects ?? []) as Obj[]).filter((o) => o.kind === "Namespace");
    for (const ns of NAMESPACES.values()) {
      const n = namespaces.find((o: Obj) => o.metadata.name === ns);
      expect(n?.metadata.labels[LABELS.podSecurityEnforce], ns).toBe("restricted");
    }
  });
});
