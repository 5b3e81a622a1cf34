/**
 * One declaration, both sides: a small fixture fleet (a meshed tenant `shop` calling its
 * own API, a platform service, a VPC-range database and another tenant's exposed port)
 * goes through validation and the real builders, and every side of each connection is
 * asserted on the objects: the consumer's env, the caller's egress, the callee's ingress
 * and the callee's AuthorizationPolicy.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import type { AppSpec, TenantSpec } from "../../generators/api/tenant.js";
import { validateAll } from "../../generators/api/validate.js";
import { external, platform, wiring } from "../../generators/api/components/wiring.js";
import { httpService } from "../../generators/api/components/http-service.js";
import { resources } from "../../generators/api/components/resources.js";
import { buildClusterNetworkPolicies, buildNetworkPolicies } from "../../generators/builders/network.js";
import { buildMeshBase } from "../../generators/builders/istio.js";
import { edgeNamespaces } from "../../generators/builders/edge.js";
import { buildWorkload } from "../../generators/builders/workload.js";

type Obj = { kind: string; metadata: { name: string }; spec: Record<string, any> };

const small = resources("100m", "128Mi", "500m", "256Mi");
const image = { repository: "ghcr.io/ossa/app", tag: "1.0.0" };

const LEDGER: AppSpec = {
  ...httpService({ name: "ledger", image, port: 8080, replicas: { min: 1, max: 2 }, resources: small }),
  network: { exposeTo: [{ tenants: ["shop"], ports: ["http"] }] },
};
const pay: TenantSpec = { name: "pay", description: "Payments.", apps: [LEDGER] };

const wire = wiring("shop");
const API = httpService({
  name: "api",
  image,
  port: 8000,
  servicePort: 80,
  metricsPort: 9090,
  replicas: { min: 1, max: 3 },
  resources: small,
});
const apiHttp = wire.port(API, "http");
const ledger = wire.port(LEDGER, "http", pay);
const db = external({ host: "*.rds.amazonaws.com", port: 5432, reason: "Amazon RDS for PostgreSQL, the orders", range: "vpc" });
const shop: TenantSpec = {
  name: "shop",
  description: "A shop.",
  mesh: {},
  apps: [
    httpService({
      name: "web",
      image,
      port: 3000,
      replicas: { min: 1, max: 2 },
      resources: small,
      env: { API_URL: apiHttp.url() },
      calls: [apiHttp.call],
    }),
    {
      ...API,
      env: { LEDGER_URL: ledger.url(), PROMETHEUS_URL: platform.prometheus.url() },
      calls: [ledger.call, platform.prometheus.call, db.call],
    },
  ],
};
const sources = [
  { file: "generators/tenants/shop.ts", spec: shop },
  { file: "generators/tenants/pay.ts", spec: pay },
];
const all = [shop, pay];
const cluster = DEFAULT_FLEET.clusters[0];
if (!cluster?.vpcCidr) throw new Error("fixture: the default fleet's first cluster has a vpcCidr");

/** The edges of the default fleet, as generate passes them (builders/edge.ts). */
const EDGE = edgeNamespaces();
const policies = [...buildNetworkPolicies(shop, all, EDGE), ...buildNetworkPolicies(pay, all, EDGE)] as unknown as Obj[];
const policy = (name: string, ns?: string): Obj => {
  const p = policies.find((x) => x.metadata.name === name && (ns === undefined || (x.metadata as Record<string, string>).namespace === ns));
  if (!p) throw new Error(`no NetworkPolicy ${name}`);
  return p;
};

describe("a connection declared once on the caller", () => {
  it("passes validation", () => {
    expect(validateAll(DEFAULT_FLEET, sources)).toEqual([]);
  });

  it("gives the consumer the address from its handle, and nothing it does not call", () => {
    const web = buildWorkload(shop, shop.apps[0] as AppSpec, small) as unknown as Obj;
    const env = web.spec.template.spec.containers[0].env as { name: string; value?: string }[];
    expect(env.filter((e) => e.value !== undefined)).toEqual([{ name: "API_URL", value: "http://api:80" }]);
    const api = buildWorkload(shop, shop.apps[1] as AppSpec, small) as unknown as Obj;
    expect(api.spec.template.spec.containers[0].env).toEqual(
      expect.arrayContaining([
        { name: "LEDGER_URL", value: "http://ledger.pay.svc.cluster.local:8080" },
        { name: "PROMETHEUS_URL", value: "http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090" },
      ]),
    );
  });

  it("opens the caller's egress to the callee's container port", () => {
    expect(policy("web").spec.egress).toContainEqual({
      to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "api", "app.kubernetes.io/part-of": "shop" } } }],
      ports: [{ protocol: "TCP", port: 8000 }],
    });
    expect(policy("api").spec.egress).toContainEqual({
      to: [
        {
          podSelector: { matchLabels: { "app.kubernetes.io/name": "ledger", "app.kubernetes.io/part-of": "pay" } },
          namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "pay" } },
        },
      ],
      ports: [{ protocol: "TCP", port: 8080 }],
    });
    expect(policy("api").spec.egress).toContainEqual({
      to: [
        {
          namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } },
          podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } },
        },
      ],
      ports: [{ protocol: "TCP", port: 9090 }],
    });
  });

  it("opens the callee's ingress from exactly its callers", () => {
    expect(policy("api").spec.ingress).toContainEqual({
      from: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "web", "app.kubernetes.io/part-of": "shop" } } }],
      ports: [{ protocol: "TCP", port: 8000 }],
    });
    expect(policy("ledger").spec.ingress).toEqual([
      {
        from: [
          {
            podSelector: { matchLabels: { "app.kubernetes.io/name": "api", "app.kubernetes.io/part-of": "shop" } },
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "shop" } },
          },
        ],
        ports: [{ protocol: "TCP", port: 8080 }],
      },
    ]);
    // web calls nobody's ingress but api's: nobody admits web elsewhere.
    expect(policy("web").spec.ingress ?? []).toEqual([]);
  });

  it("admits the caller's identity in the meshed callee's AuthorizationPolicy", () => {
    const authz = (buildMeshBase(shop, all, EDGE) as unknown as Obj[]).find(
      (o) => o.kind === "AuthorizationPolicy" && o.metadata.name === "api",
    );
    expect(authz?.spec.action).toBe("ALLOW");
    expect(authz?.spec.rules).toContainEqual({
      from: [{ source: { principals: ["cluster.local/ns/shop/sa/web"] } }],
      to: [{ operation: { ports: ["8000"] } }],
    });
    // The unmeshed tenant gets no AuthorizationPolicy at all.
    expect(buildMeshBase(pay, all, EDGE)).toEqual([]);
  });

  it("narrows a VPC-range external to the cluster's own VPC CIDR, per cluster", () => {
    const vpc = buildClusterNetworkPolicies(shop, all, cluster) as unknown as Obj[];
    expect(vpc.map((o) => o.metadata.name)).toEqual(["api-vpc"]);
    expect(vpc[0]?.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: cluster.vpcCidr } }], ports: [{ protocol: "TCP", port: 5432 }] }]);
    expect(JSON.stringify(policies)).not.toContain("0.0.0.0/0");
  });

  it("opens 0.0.0.0/0 only on the external's port, with its reason and expiry on the policy", () => {
    const claude = external({ host: "api.anthropic.com", port: 443, reason: "the Claude API", range: "internet", expires: "2027-03-31" });
    const open: TenantSpec = { ...pay, apps: [{ ...LEDGER, calls: [claude.call] }] };
    const [, p] = buildNetworkPolicies(open, [shop, open], EDGE) as unknown as (Obj & {
      metadata: { annotations?: Record<string, string> };
    })[];
    expect(p?.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 443 }] });
    expect(p?.metadata.annotations).toEqual({ "ai-platform.io/open-egress": "api.anthropic.com:443 until 2027-03-31: the Claude API" });
  });
});
