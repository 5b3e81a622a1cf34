/**
 * The edge on the Gateway API, on the committed fleet rendered by the real kustomize: every
 * public host of every tenant is an HTTPRoute attached to the platform Gateway, with its
 * certificate issued where the Gateway reads it, and no cluster runs ingress-nginx. Planted
 * breaks fail the edge rules.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { EDGE, PLATFORM_TENANT } from "../../generators/fleet/constants.js";
import { hostsFor } from "../../generators/fleet/domains.js";
import { TENANTS } from "../../generators/tenants/index.js";
import { validateAll } from "../../generators/api/validate.js";
import { tenantNamespace } from "../../generators/builders/labels.js";
import { EDGE_RULES } from "../../generators/check/policy/edge.js";
import type { ClusterContext, Located } from "../../generators/check/policy/types.js";
import type { RenderedFolder } from "../../generators/render/render.js";
import { renderedFleet, type Obj } from "../helpers/fleet.js";
import { PINS, REPO } from "../helpers/repo.js";

const docsOf = (text: string): Obj[] =>
  text
    .split(/^---$/m)
    .map((d) => parse(d) as Obj | null)
    .filter((d): d is Obj => d !== null);

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

describe("the committed fleet's edge (every environment on the Gateway API)", () => {
  it("serves every public host through HTTPRoutes only: no Ingress, DNS from the routes, no ingress-nginx anywhere", () => {
    const all = fleet.flatMap((f) => f.objects as Obj[]);
    expect(all.filter((o) => o.kind === "Ingress")).toEqual([]);
    const hosts = all.filter((o) => o.kind === "HTTPRoute" && o.metadata.namespace !== EDGE.namespace).flatMap((o) => o.spec.hostnames);
    const declared = DEFAULT_FLEET.clusters.flatMap((c) =>
      exposedApps.flatMap((e) => hostsFor(DEFAULT_FLEET, e.app.exposure!.ingress!.host, e.tenant.name, c)),
    );
    expect(hosts.sort()).toEqual(declared.sort());
    const addons = docsOf(readFileSync(join(REPO, "apps/fleet/addons.yaml"), "utf8"));
    expect(addons.find((o) => o.metadata?.name === "addon-ingress-nginx")).toBeUndefined();
    const dns = addons.find((o) => o.metadata?.name === "addon-external-dns")!;
    for (const e of dns.spec.generators[0].list.elements) {
      const sources = parse(e.values).sources;
      expect(sources, e.cluster).toContain("gateway-httproute");
      expect(sources, e.cluster).not.toContain("ingress");
    }
    const mlcf = docsOf(readFileSync(join(REPO, "base/platform/network-policies.yaml"), "utf8")).find(
      (o) => o.metadata.name === "mlcf-api",
    )!;
    const froms = mlcf.spec.ingress
      .flatMap((r: Obj) => r.from ?? [])
      .map((p: Obj) => p.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"]);
    expect(froms).toContain(EDGE.namespace);
    expect(froms).not.toContain("ingress-nginx");
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

describe("the tenants' edge options", () => {
  it("validate on the Gateway API: they are typed, not ingress-nginx annotations", () => {
    expect(validateAll(DEFAULT_FLEET, TENANTS, PINS)).toEqual([]);
  });
});
