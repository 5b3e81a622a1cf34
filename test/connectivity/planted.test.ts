/**
 * The connectivity rules on a real rendered cluster (dev-usw2, built with the real kustomize),
 * with breaks planted in memory: each fails `net-flow-denied` naming the flow and the layer that
 * denies it, and a flow that was allowed before is the one that fails.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { describeFlow } from "../../generators/check/connectivity/rules.js";
import { clusterFlows } from "../../generators/check/connectivity/evaluate.js";
import { formatFlows } from "../../generators/check/connectivity/matrix.js";
import { clusterContexts, runPolicies, RULES, type Finding, type PolicyFolder } from "../../generators/check/policy/index.js";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import type { RenderedFolder } from "../../generators/render/render.js";
import { renderedFleet, type Obj } from "../helpers/fleet.js";

const CLUSTER = "dev-usw2";
const RULE_IDS = new Set(["net-flow-denied", "net-egress-world"]);
const rules = RULES.filter((r) => RULE_IDS.has(r.id));
let committed: RenderedFolder[] = [];

beforeAll(async () => {
  committed = (await renderedFleet()).filter((f) => f.cluster === CLUSTER);
});

/** A deep copy of the cluster's folders with `plant` applied to every object. */
function planted(plant: (o: Obj) => Obj | undefined): PolicyFolder[] {
  return committed.map((f) => ({
    cluster: f.cluster,
    tenant: f.tenant,
    objects: f.objects.flatMap((o) => {
      const out = plant(structuredClone(o) as Obj);
      return out ? [out] : [];
    }),
  }));
}

function findings(folders: readonly PolicyFolder[]): Finding[] {
  return runPolicies({ fleet: DEFAULT_FLEET, folders, apps: [] }, [], new Date(), rules).findings;
}

const is = (o: Obj, kind: string, ns: string, name: string): boolean =>
  o.kind === kind && o.metadata?.namespace === ns && o.metadata?.name === name;

/** Findings present after the plant and not before. */
function introduced(plant: (o: Obj) => Obj | undefined): Finding[] {
  const before = new Set(findings(planted((o) => o)).map((f) => `${f.rule} ${f.object} ${f.message}`));
  return findings(planted(plant)).filter((f) => !before.has(`${f.rule} ${f.object} ${f.message}`));
}

describe("planted breaks fail net-flow-denied with the layer named", () => {
  it("a removed egress rule: mcp-server can no longer reach backend-api", () => {
    const found = introduced((o) => {
      if (is(o, "NetworkPolicy", "uiota", "mcp-server"))
        o.spec.egress = o.spec.egress.filter(
          (r: Obj) => !r.to?.some((p: Obj) => p.podSelector?.matchLabels?.["app.kubernetes.io/name"] === "backend-api"),
        );
      return o;
    });
    expect(found.length).toBeGreaterThan(0);
    for (const f of found) {
      expect(f.rule).toBe("net-flow-denied");
      expect(f.object).toBe("Deployment/uiota/mcp-server");
      expect(f.message).toMatch(
        /^uiota\/mcp-server -> uiota\/backend-api:\d+\/TCP \(env [A-Z_]+\) is denied by NetworkPolicy egress of uiota\/mcp-server/,
      );
    }
  });

  it("a STRICT port scraped by Prometheus, which has no sidecar", () => {
    const found = introduced((o) => {
      if (is(o, "PeerAuthentication", "mlcf", "qdrant-metrics")) delete o.spec.portLevelMtls;
      return o;
    });
    expect(found.map((f) => [f.rule, f.object])).toEqual([["net-flow-denied", "ServiceMonitor/mlcf/qdrant"]]);
    expect(found[0]?.message).toContain("Prometheus (monitoring) -> mlcf/qdrant:6333/TCP");
    expect(found[0]?.message).toContain("PeerAuthentication STRICT (mlcf/qdrant-metrics) refuses plaintext from Prometheus (monitoring)");
  });

  it("an ALLOW policy that misses a caller: neo4j no longer admits mlcf-api", () => {
    const found = introduced((o) => {
      if (is(o, "AuthorizationPolicy", "mlcf", "neo4j"))
        o.spec.rules = o.spec.rules.filter(
          (r: Obj) => !r.from?.some((s: Obj) => s.source?.principals?.includes("cluster.local/ns/mlcf/sa/mlcf-api")),
        );
      return o;
    });
    expect(found.map((f) => [f.rule, f.object])).toEqual([["net-flow-denied", "Deployment/mlcf/mlcf-api"]]);
    expect(found[0]?.message).toContain(
      "mlcf/mlcf-api -> mlcf/neo4j:7687/TCP (env NEO4J_URI) is denied by no rule of AuthorizationPolicy mlcf/neo4j (ALLOW) admits cluster.local/ns/mlcf/sa/mlcf-api on port 7687",
    );
  });

  // The edge is the platform Gateway (the Istio gateway's pods) serving the tenants' HTTPRoutes.
  const EDGE_NAMESPACES = ["istio-ingress"];
  const EDGE_OBJECTS = ["HTTPRoute/uiota/security-monitor"];

  it("an edge route whose backend Service is gone is left to the reference rules", () => {
    const found = introduced((o) => (is(o, "Service", "uiota", "security-monitor") ? undefined : o));
    expect(found.filter((f) => EDGE_OBJECTS.includes(f.object))).toEqual([]);
  });

  it("an edge backend that the callee's ingress policy does not admit", () => {
    const found = introduced((o) => {
      if (is(o, "NetworkPolicy", "uiota", "security-monitor"))
        o.spec.ingress = o.spec.ingress.filter(
          (r: Obj) =>
            !r.from?.some((p: Obj) => EDGE_NAMESPACES.includes(p.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"])),
        );
      return o;
    });
    expect(found.length).toBeGreaterThan(0);
    for (const f of found) {
      expect(EDGE_OBJECTS).toContain(f.object);
      expect(f.message).toMatch(
        /-> uiota\/security-monitor:8080\/TCP \((Ingress|HTTPRoute) uiota\/security-monitor\) is denied by NetworkPolicy ingress of uiota\/security-monitor \(uiota\/default-deny, uiota\/security-monitor\)$/,
      );
    }
  });

  it("an address naming a Service that does not exist", () => {
    const found = introduced((o) => {
      if (is(o, "Deployment", "uiota", "mcp-server"))
        o.spec.template.spec.containers[0].env.push({ name: "CACHE_URL", value: "redis://cache.uiota.svc.cluster.local:6379" });
      return o;
    });
    expect(found.map((f) => f.message)).toEqual([
      "uiota/mcp-server -> cache.uiota.svc.cluster.local:6379 (env CACHE_URL) is denied by no Service cache in namespace uiota",
    ]);
  });

  it("egress to 0.0.0.0/0 fails net-egress-world, and a typed exception excepts it", () => {
    const folders = planted((o) => {
      if (is(o, "NetworkPolicy", "mlcf", "mlcf-api"))
        o.spec.egress.push({
          to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.169.254/32"] } }],
          ports: [{ port: 443, protocol: "TCP" }],
        });
      return o;
    });
    const hit = findings(folders).find((f) => f.rule === "net-egress-world" && f.object === "NetworkPolicy/mlcf/mlcf-api");
    expect(hit?.message).toBe("egress to 0.0.0.0/0 on 443/TCP");
    const r = runPolicies(
      { fleet: DEFAULT_FLEET, folders, apps: [] },
      [{ rule: "net-egress-world", object: "NetworkPolicy/mlcf/mlcf-api", reason: "calls a SaaS API", expires: "2099-01-01" }],
      new Date(),
      rules,
    );
    expect(r.excepted.map((e) => e.finding.object)).toContain("NetworkPolicy/mlcf/mlcf-api");
  });
});

describe("the committed cluster's flows", () => {
  it("include every kind of need, each judged", () => {
    const [ctx] = clusterContexts({ fleet: DEFAULT_FLEET, folders: committed, apps: [] });
    if (!ctx) throw new Error("no cluster");
    const flows = clusterFlows(ctx);
    const evidence = new Set(flows.map((r) => r.flow.evidence.split(" ")[0]));
    for (const kind of ["env", "ConfigMap", "VirtualService", "ServiceMonitor", "ScaledObject", "DNS", "ServiceAccount"])
      expect(evidence).toContain(kind);
    expect(evidence.has("Ingress") || evidence.has("HTTPRoute")).toBe(true);
    // The gateway reaches mlcf-api over mTLS with its own identity, admitted by the ALLOW rule for it.
    const gw = flows.find((r) => describeFlow(r).startsWith("Istio ingress gateway (istio-ingress) -> mlcf/mlcf-api"));
    expect(gw?.denials).toEqual([]);
    expect(gw?.allowedBy).toContain("AuthorizationPolicy mlcf/mlcf-api allows");
  });

  it("print as a matrix per cluster and tenant (npm run check -- --flows)", () => {
    const lines = formatFlows({ fleet: DEFAULT_FLEET, folders: committed, apps: [] });
    const [head] = lines;
    const [ctx] = clusterContexts({ fleet: DEFAULT_FLEET, folders: committed, apps: [] });
    if (!ctx) throw new Error("no cluster");
    const flows = clusterFlows(ctx);
    expect(head).toBe(`flows ${CLUSTER}: ${flows.length} needed, ${flows.filter((r) => r.denials.length > 0).length} denied`);
    expect(lines).toContain("  platform");
    expect(
      lines.some((l) =>
        /^ {4}mlcf\/mlcf-api -> mlcf\/neo4j:7687\/TCP {2}\[env NEO4J_URI\] {2}allowed \(egress mlcf\/mlcf-api; ingress mlcf\/neo4j; AuthorizationPolicy mlcf\/neo4j allows\)$/.test(
          l,
        ),
      ),
    ).toBe(true);
  });

  it("take Gateway API routes from the pods that serve their Gateway: the committed edge is allowed, a route to an unexposed port is not", () => {
    // The committed fleet serves every exposed app through the platform Gateway (builders/edge.ts); plant one more route.
    const planted: Obj = {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { name: "qdrant", namespace: "mlcf" },
      spec: {
        parentRefs: [{ name: "edge", namespace: "istio-ingress", sectionName: "mlcf" }],
        rules: [{ backendRefs: [{ name: "qdrant", port: 6333 }] }],
      },
    };
    const folders: PolicyFolder[] = [...committed, { cluster: CLUSTER, tenant: "mlcf", objects: [planted] }];
    const [ctx] = clusterContexts({ fleet: DEFAULT_FLEET, folders, apps: [] });
    if (!ctx) throw new Error("no cluster");
    const routed = clusterFlows(ctx).filter((r) => r.flow.evidence.startsWith("HTTPRoute"));
    const isPlanted = (r: (typeof routed)[number]): boolean => r.flow.evidence.startsWith("HTTPRoute mlcf/qdrant");
    expect(routed.filter((r) => !isPlanted(r)).length).toBeGreaterThan(0);
    expect(routed.filter((r) => !isPlanted(r) && r.denials.length > 0).map(describeFlow)).toEqual([]);
    expect(routed.filter(isPlanted).map((r) => [describeFlow(r), r.denials.map((d) => d.layer)])).toEqual([
      ["Istio ingress gateway (istio-ingress) -> mlcf/qdrant:6333/TCP (HTTPRoute mlcf/qdrant)", ["netpol-ingress"]],
    ]);
  });
});
