/**
 * The edge on the Gateway API, on the committed fleet rendered by the real kustomize: every
 * public host of every tenant is an HTTPRoute attached to the platform Gateway, with its
 * certificate issued where the Gateway reads it, and no cluster runs ingress-nginx. Planted
 * breaks fail the edge rules; the cut-over's "dual" stage serves both edges.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DEFAULT_FLEET, type Fleet } from "../../generators/fleet/fleet.js";
import { EDGE, PLATFORM, PLATFORM_TENANT } from "../../generators/fleet/constants.js";
import { hostsFor } from "../../generators/fleet/domains.js";
import { TENANTS } from "../../generators/tenants/index.js";
import { layoutTree } from "../../generators/layout/tree.js";
import { validateAll } from "../../generators/api/validate.js";
import { tenantNamespace } from "../../generators/builders/labels.js";
import { EDGE_RULES } from "../../generators/check/policy/edge.js";
import type { ClusterContext, Located } from "../../generators/check/policy/types.js";
import type { RenderedFolder } from "../../generators/render/render.js";
import { renderedFleet, type Obj } from "../helpers/fleet.js";
import { PINS } from "../helpers/repo.js";

let fleet: RenderedFolder[];
beforeAll(async () => {
  fleet = await renderedFleet();
});

const exposedApps = TENANTS.flatMap((t) => t.spec.apps.filter((a) => a.exposure?.ingress).map((a) => ({ tenant: t.spec, app: a })));

function clusterContext(name: string, mutate: (objects: Obj[]) => Obj[] = (o) => o): ClusterContext {
  const objects: Located[] = [];
  for (const f of fleet.filter((x) => x.cluster === name)) {
    for (const obj of mutate(structuredClone(f.objects as Obj[]))) objects.push({ obj, tenant: f.tenant });
  }
  return { fleet: DEFAULT_FLEET, name, spec: DEFAULT_FLEET.clusters.find((c) => c.name === name), objects };
}

const runEdge = (ctx: ClusterContext) => EDGE_RULES.flatMap((r) => r.check(ctx).map((h) => ({ rule: r.id, ...h })));

describe("the committed fleet's edge (every environment at the dual stage)", () => {
  it("still publishes DNS from the Ingresses while the Gateway serves the same hosts", () => {
    const all = fleet.flatMap((f) => f.objects as Obj[]);
    const hosts = (kind: string) =>
      all
        .filter((o) => o.kind === kind && o.metadata.namespace !== EDGE.namespace)
        .flatMap((o) => (kind === "Ingress" ? o.spec.rules.map((r: Obj) => r.host) : o.spec.hostnames))
        .sort();
    expect(hosts("HTTPRoute").length).toBeGreaterThan(0);
    expect(hosts("HTTPRoute")).toEqual(hosts("Ingress"));
  });

  it.each(DEFAULT_FLEET.clusters.map((c) => [c.name, c] as const))(
    "serves every exposed app's hosts on %s through an attached HTTPRoute",
    (name, cluster) => {
      const objects = fleet.filter((f) => f.cluster === name).flatMap((f) => f.objects as Obj[]);
      for (const { tenant, app } of exposedApps) {
        const route = objects.find(
          (o) => o.kind === "HTTPRoute" && o.metadata.name === app.name && o.metadata.namespace === tenantNamespace(tenant),
        );
        expect(route, `${tenant.name}/${app.name}`).toBeDefined();
        expect(route!.spec.hostnames).toEqual(hostsFor(DEFAULT_FLEET, app.exposure!.ingress!.host, tenant.name, cluster));
        expect(route!.spec.parentRefs.every((p: Obj) => p.namespace === EDGE.namespace && p.name === EDGE.gatewayName)).toBe(true);
        expect(route!.metadata.annotations["external-dns.alpha.kubernetes.io/aws-region"]).toBe(cluster.region);
      }
      expect(runEdge(clusterContext(name))).toEqual([]);
    },
  );

  it("gives each tenant its own listeners, admitting routes from its namespace only, with certificates issued beside the Gateway", () => {
    const platform = fleet.find((f) => f.cluster === "prod-use1" && f.tenant === PLATFORM_TENANT)!.objects as Obj[];
    const gateway = platform.find((o) => o.kind === "Gateway" && o.apiVersion === "gateway.networking.k8s.io/v1")!;
    const tenantsWithHosts = [...new Set(exposedApps.map((e) => e.tenant.name))];
    const names = gateway.spec.listeners.map((l: Obj) => l.name);
    expect(names).toEqual(["http", ...tenantsWithHosts.flatMap((t) => [t, `${t}-global`])]);
    for (const t of tenantsWithHosts) {
      const l = gateway.spec.listeners.find((x: Obj) => x.name === t);
      const ns = tenantNamespace(TENANTS.find((x) => x.spec.name === t)!.spec);
      expect(l.hostname).toBe(`*.${t}.prod-use1.ai.example.com`);
      expect(l.allowedRoutes.namespaces).toEqual({ from: "Selector", selector: { matchLabels: { "kubernetes.io/metadata.name": ns } } });
      const cert = platform.find((o) => o.kind === "Certificate" && o.spec.secretName === l.tls.certificateRefs[0].name);
      expect(cert?.metadata.namespace).toBe(EDGE.namespace);
    }
    expect(gateway.spec.addresses).toEqual([{ type: "Hostname", value: "istio-ingressgateway.istio-ingress.svc.cluster.local" }]);
  });
});

describe("planted edge breaks fail the edge rules", () => {
  const route = (objects: Obj[]): Obj | undefined => objects.find((o) => o.kind === "HTTPRoute" && o.metadata.namespace !== EDGE.namespace);

  it("a route attached to another tenant's listener is NotAllowedByListeners (edge-route-attached)", () => {
    const hits = runEdge(
      clusterContext("dev-usw2", (objects) => {
        const r = route(objects);
        if (r) r.spec.parentRefs[0].sectionName = r.metadata.namespace === "mlcf" ? "uiota" : "mlcf";
        return objects;
      }),
    );
    expect(hits.some((h) => h.rule === "edge-route-attached" && h.message.includes("NotAllowedByListeners"))).toBe(true);
  });

  it("a hostname outside the tenant's wildcard is served by no listener (edge-route-attached)", () => {
    const hits = runEdge(
      clusterContext("dev-usw2", (objects) => {
        route(objects)?.spec.hostnames.push("api.someone-else.dev-usw2.ai.example.com");
        return objects;
      }),
    );
    expect(hits.map((h) => [h.rule, h.path])).toContainEqual(["edge-route-attached", "spec.hostnames[1]"]);
  });

  it("a backend in another namespace without a ReferenceGrant, or a Service that does not exist, fails edge-route-backends", () => {
    const hits = runEdge(
      clusterContext("dev-usw2", (objects) => {
        const r = route(objects);
        if (r)
          r.spec.rules[0].backendRefs = [
            { name: "x", namespace: "kube-system", port: 80 },
            { name: "no-such-service", port: 80 },
          ];
        return objects;
      }),
    );
    const messages = hits.filter((h) => h.rule === "edge-route-backends").map((h) => h.message);
    expect(messages.some((m) => m.includes("RefNotPermitted"))).toBe(true);
    expect(messages.some((m) => m.includes("BackendNotFound"))).toBe(true);
  });

  it("a listener whose certificate no Certificate issues fails edge-listener-certificates", () => {
    const hits = runEdge(
      clusterContext("dev-usw2", (objects) =>
        objects.filter(
          (o) => !(o.kind === "Certificate" && o.metadata.namespace === EDGE.namespace && String(o.spec.secretName).endsWith(".edge-tls")),
        ),
      ),
    );
    expect(hits.filter((h) => h.rule === "edge-listener-certificates").length).toBeGreaterThan(0);
  });
});

describe("the cut-over's last stage: an environment on the Gateway API only (docs/edge.md)", () => {
  const onGateway = (envs: string[]): Fleet => ({
    ...DEFAULT_FLEET,
    environments: DEFAULT_FLEET.environments.map((e) => (envs.includes(e.name) ? { ...e, edge: "gateway-api" as const } : e)),
  });
  const docsOf =
    (tree: Map<string, string>) =>
    (path: string): Obj[] =>
      (tree.get(path) ?? "")
        .split(/^---$/m)
        .map((d) => parse(d) as Obj | null)
        .filter((d): d is Obj => d !== null);

  // The layout alone: validation (the last test) refuses these fleets until the annotations are translated.
  it("serves dev only through the Gateway: no Ingress, no ingress-nginx, DNS from the HTTPRoutes; staging and prod unchanged", () => {
    const docs = docsOf(layoutTree(onGateway(["dev"]), TENANTS, PINS));
    expect(docs("clusters/dev-usw2/mlcf/ingress.yaml")).toEqual([]);
    expect(docs("clusters/dev-usw2/mlcf/routes.yaml").map((o) => o.kind)).toEqual(["HTTPRoute"]);
    expect(docs("clusters/prod-usw2/mlcf/ingress.yaml").map((o) => o.kind)).toEqual(["Ingress", "Certificate", "ExternalSecret"]); // the cluster host's Certificate, the global wildcard read (builders/certificates.ts)
    const addons = docs("apps/fleet/addons.yaml");
    const nginx = addons.find((o) => o.metadata?.name === "addon-ingress-nginx")!;
    expect(nginx.spec.generators[0].list.elements.map((e: Obj) => e.cluster)).not.toContain("dev-usw2");
    // Its Applications carry the cascade finalizer, so dropping them removes the controller (argo-removal-cascade).
    expect(nginx.spec.template.metadata.finalizers).toEqual(["resources-finalizer.argocd.argoproj.io"]);
    const dns = addons.find((o) => o.metadata?.name === "addon-external-dns")!;
    const sources = (cluster: string) => parse(dns.spec.generators[0].list.elements.find((e: Obj) => e.cluster === cluster).values).sources;
    expect(sources("dev-usw2")).toContain("gateway-httproute");
    expect(sources("dev-usw2")).not.toContain("ingress");
    expect(sources("prod-usw2")).toContain("ingress");
  });

  it("removes ingress-nginx from every cluster, and from the policies, once every environment is on the Gateway API", () => {
    const docs = docsOf(layoutTree(onGateway(["dev", "staging", "prod"]), TENANTS, PINS));
    expect(docs("apps/fleet/addons.yaml").find((o) => o.metadata?.name === "addon-ingress-nginx")).toBeUndefined();
    const mlcf = docs("base/platform/network-policies.yaml").find((o) => o.metadata.name === "mlcf-api")!;
    const froms = mlcf.spec.ingress
      .flatMap((r: Obj) => r.from ?? [])
      .map((p: Obj) => p.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"]);
    expect(froms).toContain(EDGE.namespace);
    expect(froms).not.toContain(PLATFORM.ingressNamespace);
  });

  it("refuses at generate an ingress-nginx annotation the Gateway edge would drop, naming the tenant file and the fix", () => {
    const problems = validateAll(onGateway(["dev"]), TENANTS, PINS);
    const p = problems.find((x) => x.file === "generators/tenants/mlcf.ts" && x.field === "apps[mlcf-api].exposure.ingress.annotations");
    expect(p?.message).toMatch(/no effect on the Gateway API edge that dev run \(docs\/edge.md\); remove it/);
  });
});
