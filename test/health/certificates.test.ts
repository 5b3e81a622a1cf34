/**
 * One owner per certificate name across the fleet (issue 21, "prod certificates collide"): the
 * three prod clusters render as committed, the global wildcards are ordered on the issuing cluster
 * only and read elsewhere; the old design (every prod cluster ordering the global names), a
 * wildcard beside its base name, and an Ingress ordering a global host through ingress-shim, each
 * planted alone in a copy of the rendered objects, fail `certificate-single-owner` with the
 * cert-manager source that decides it. A reader whose publication is missing fails
 * `certificate-publication`, and the plan says which cluster a reader waits for.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { readAppsObjects } from "../../generators/check/policy/load.js";
import { formatPlans, runBootstrap, type BootstrapInput } from "../../generators/check/bootstrap/index.js";
import { challengeRecord, certificateOrders } from "../../generators/check/health/certificates.js";
import { buildPlans } from "../../generators/check/bootstrap/plan.js";
import { ADDONS } from "../../generators/addons/catalogue.js";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { globalCertificateIssuer } from "../../generators/fleet/certificates.js";
import { renderFleet } from "../../generators/render/render.js";
import type { Finding } from "../../generators/check/finding.js";
import { REPO } from "../helpers/repo.js";
import { TEST_RENDER_CACHE, type Obj } from "../helpers/fleet.js";

const PROD = ["prod-usw2", "prod-use1", "prod-euw1"];
let base: BootstrapInput;

beforeAll(async () => {
  const folders = [];
  for (const cluster of PROD) folders.push(...(await renderFleet(REPO, { cluster, cache: { dir: TEST_RENDER_CACHE }, prune: false })));
  base = { fleet: DEFAULT_FLEET, apps: readAppsObjects(REPO), folders, addons: ADDONS };
}, 120_000);

type Folder = { cluster: string; tenant: string; objects: Obj[] };

function planted(edit: (folders: Folder[]) => void): BootstrapInput {
  const folders = structuredClone(base.folders.map((f) => ({ cluster: f.cluster, tenant: f.tenant, objects: f.objects as Obj[] })));
  edit(folders);
  return { ...base, folders };
}

const folder = (folders: Folder[], cluster: string, tenant: string): Folder => {
  const f = folders.find((x) => x.cluster === cluster && x.tenant === tenant);
  if (!f) throw new Error(`no folder ${cluster}/${tenant}`);
  return f;
};

/** Annotates the edge Gateway of two prod clusters for cert-manager's gateway-shim, then applies `change` to each. */
function annotateEdgeGateways(folders: Folder[], change: (gw: Obj) => void = () => {}): void {
  for (const cluster of ["prod-use1", "prod-euw1"]) {
    const gw = folder(folders, cluster, "platform").objects.find((o) => o.kind === "Gateway" && o.metadata.name === "edge");
    if (!gw) throw new Error(`no edge Gateway on ${cluster}`);
    gw.metadata.annotations = { ...gw.metadata.annotations, "cert-manager.io/cluster-issuer": "letsencrypt-prod" };
    change(gw);
  }
}

const certificate = (name: string, namespace: string, dnsNames: string[]): Obj => ({
  apiVersion: "cert-manager.io/v1",
  kind: "Certificate",
  metadata: { name, namespace },
  spec: { secretName: name, dnsNames, issuerRef: { kind: "ClusterIssuer", name: "letsencrypt-prod" } },
});

const line = (f: Finding): string => `${f.rule} ${f.cluster} ${f.object}: ${f.message}`;
const tripped = (input: BootstrapInput, rule: string): string[] =>
  runBootstrap(input, PROD)
    .findings.filter((f) => f.rule === rule)
    .map(line);

describe("the DNS-01 challenge record", () => {
  it("is _acme-challenge.<name>, shared by a wildcard and its base name (RFC 8555 §8.4)", () => {
    expect(challengeRecord("*.uiota.ai.example.com")).toBe("_acme-challenge.uiota.ai.example.com");
    expect(challengeRecord("uiota.ai.example.com")).toBe("_acme-challenge.uiota.ai.example.com");
    expect(challengeRecord("api.uiota.ai.example.com")).toBe("_acme-challenge.api.uiota.ai.example.com");
  });
});

describe("the committed prod clusters", () => {
  it("order every global wildcard on the issuing cluster only, every cluster name on its own cluster", () => {
    const issuer = globalCertificateIssuer(DEFAULT_FLEET, "prod")?.name;
    expect(issuer).toBe("prod-usw2");
    const orders = buildPlans(base, PROD).flatMap(certificateOrders);
    const global = orders.filter((o) => /^\*\.[a-z-]+\.ai\.example\.com$/.test(o.dnsName));
    expect(global.length).toBeGreaterThanOrEqual(5);
    for (const o of global) expect(o.cluster).toBe(issuer);
    for (const o of orders.filter((x) => !global.includes(x))) expect(o.dnsName).toContain(`.${o.cluster}.`);
  });

  it("have no certificate finding, and a reader's plan waits for the issuing cluster's publication", () => {
    const r = runBootstrap(base, PROD);
    expect(r.findings.filter((f) => f.rule.startsWith("certificate-")).map(line)).toEqual([]);
    const plan = formatPlans(r.plans, [], base.apps);
    expect(plan).toMatch(/prod-use1-platform \[platform\] +Synced, Healthy once prod-usw2 publishes \(PushSecret istio-ingress\//m);
    expect(plan).not.toMatch(/prod-usw2-platform \[platform\].*publishes/);
  });
});

describe("each collision, planted alone, fails certificate-single-owner", () => {
  it("the old design: a second prod cluster orders a global wildcard too", () => {
    const hits = tripped(
      planted((fs) => {
        folder(fs, "prod-use1", "platform").objects.push(certificate("uiota.edge-global-tls", "istio-ingress", ["*.uiota.ai.example.com"]));
      }),
      "certificate-single-owner",
    );
    expect(hits).toEqual([
      expect.stringMatching(
        /^certificate-single-owner prod-usw2 Certificate\/istio-ingress\/uiota\.edge-global-tls: \*\.uiota\.ai\.example\.com is ordered through Route 53 zone ai\.example\.com by prod-usw2, prod-use1 .*_acme-challenge\.uiota\.ai\.example\.com with one TXT value.*route53\/route53\.go/,
      ),
      expect.stringMatching(/^certificate-single-owner prod-use1 Certificate\/istio-ingress\/uiota\.edge-global-tls: /),
    ]);
  });

  it("a global name in a Certificate's commonName alone, which the ACME order also carries", () => {
    const hits = tripped(
      planted((fs) => {
        const cert = certificate("cn-only", "istio-ingress", []);
        cert.spec.commonName = "api.mlcf.ai.example.com";
        for (const cluster of ["prod-use1", "prod-euw1"]) folder(fs, cluster, "platform").objects.push(structuredClone(cert));
      }),
      "certificate-single-owner",
    );
    expect(hits).toContainEqual(
      expect.stringMatching(/^certificate-single-owner prod-use1 Certificate\/istio-ingress\/cn-only: api\.mlcf\.ai\.example\.com /),
    );
  });

  it("the edge Gateway annotated for cert-manager's gateway-shim, which orders every TLS listener's hostname on each cluster", () => {
    const hits = tripped(
      planted((fs) => annotateEdgeGateways(fs)),
      "certificate-single-owner",
    );
    expect(hits).toContainEqual(
      expect.stringMatching(/^certificate-single-owner prod-use1 Gateway\/istio-ingress\/edge: \*\.mlcf\.ai\.example\.com .*prod-usw2/),
    );
    // The cluster listeners' names are the cluster's own: never a collision.
    expect(hits.filter((h) => /\.prod-(use1|euw1)\.ai\.example\.com /.test(h))).toEqual([]);
  });

  it("but not a Passthrough listener, which cert-manager never orders for", () => {
    const hits = tripped(
      planted((fs) =>
        annotateEdgeGateways(fs, (gw) => {
          for (const l of gw.spec.listeners) if (l.tls) l.tls.mode = "Passthrough";
        }),
      ),
      "certificate-single-owner",
    );
    expect(hits).toEqual([]);
  });

  it("a wildcard on one cluster and its base name on another share one challenge record", () => {
    const hits = tripped(
      planted((fs) => {
        folder(fs, "prod-euw1", "platform").objects.push(certificate("apex", "istio-ingress", ["uiota.ai.example.com"]));
      }),
      "certificate-single-owner",
    );
    expect(hits).toContainEqual(
      expect.stringMatching(
        /^certificate-single-owner prod-euw1 Certificate\/istio-ingress\/apex: uiota\.ai\.example\.com .*also Certificate\/istio-ingress\/uiota\.edge-global-tls on prod-usw2 as \*\.uiota\.ai\.example\.com/,
      ),
    );
  });

  it("an Ingress ordering a global host through ingress-shim, as prod Ingresses did before the Gateway edge", () => {
    const hits = tripped(
      planted((fs) => {
        for (const cluster of ["prod-use1", "prod-euw1"])
          folder(fs, cluster, "mlcf").objects.push({
            apiVersion: "networking.k8s.io/v1",
            kind: "Ingress",
            metadata: { name: "mlcf-api", namespace: "mlcf", annotations: { "cert-manager.io/cluster-issuer": "letsencrypt-prod" } },
            spec: { tls: [{ hosts: ["api.mlcf.ai.example.com"], secretName: "mlcf-api-global" }] },
          });
      }),
      "certificate-single-owner",
    );
    expect(hits).toEqual([
      expect.stringMatching(
        /^certificate-single-owner prod-use1 Ingress\/mlcf\/mlcf-api: api\.mlcf\.ai\.example\.com .*prod-use1, prod-euw1/,
      ),
      expect.stringMatching(/^certificate-single-owner prod-euw1 Ingress\/mlcf\/mlcf-api: /),
    ]);
  });

  it("the same names through an HTTP-01 solver are not DNS-01 orders", () => {
    const hits = tripped(
      planted((fs) => {
        for (const f of fs.filter((x) => x.tenant === "platform"))
          for (const o of f.objects.filter((x) => x.kind === "ClusterIssuer"))
            o.spec.acme.solvers = [{ http01: { ingress: { ingressClassName: "nginx" } } }];
        folder(fs, "prod-use1", "platform").objects.push(certificate("uiota.edge-global-tls", "istio-ingress", ["*.uiota.ai.example.com"]));
      }),
      "certificate-single-owner",
    );
    expect(hits).toEqual([]);
  });
});

describe("a reader whose publication is missing fails certificate-publication", () => {
  it("no PushSecret on the issuing cluster", () => {
    const hits = tripped(
      planted((fs) => {
        const p = folder(fs, "prod-usw2", "platform");
        p.objects = p.objects.filter((o) => !(o.kind === "PushSecret" && o.metadata.name === "mlcf.edge-global-tls"));
      }),
      "certificate-publication",
    );
    expect(hits.length).toBeGreaterThanOrEqual(2);
    for (const h of hits)
      expect(h).toMatch(
        /^certificate-publication prod-(usw2|use1|euw1) ExternalSecret\/.*: no istio-ingress\/PushSecret\/mlcf\.edge-global-tls on prod-usw2: .*ExternalSecret\/health\.lua/,
      );
  });

  it("a PushSecret that does not push to the reader's region", () => {
    const hits = tripped(
      planted((fs) => {
        for (const o of folder(fs, "prod-usw2", "platform").objects.filter((x) => x.kind === "PushSecret"))
          o.spec.secretStoreRefs = (o.spec.secretStoreRefs as Obj[]).filter((r) => !String(r.name).endsWith("eu-west-1"));
      }),
      "certificate-publication",
    );
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) expect(h).toMatch(/^certificate-publication prod-euw1 .*not eu-west-1 where this store reads/);
  });
});

describe("the IAM of the publication", () => {
  it("keeps every published wildcard's private key out of every tenant store's reach (the committed iam/ files)", async () => {
    const { readFileSync } = await import("node:fs");
    const { parse } = await import("yaml");
    const { TENANTS } = await import("../../generators/tenants/index.js");
    // IAM's ARN glob: `*` any run of characters, `?` one.
    const glob = (pattern: string): RegExp =>
      new RegExp(
        `^${pattern
          .replace(/[.+^${}()|[\]\\]/g, "\\$&")
          .replace(/\*/g, ".*")
          .replace(/\?/g, ".")}$`,
      );
    for (const c of DEFAULT_FLEET.clusters.filter((x) => x.env === "prod")) {
      const roles = (parse(readFileSync(`${REPO}/iam/${c.name}.yaml`, "utf8")) as Obj).roles as Obj[];
      const resources = (name: string): string[] =>
        ((roles.find((r) => r.roleName === name)?.permissionsPolicy.Statement ?? []) as Obj[]).flatMap((st) => st.Resource as string[]);
      const keys = resources(`${c.name}-certificate-${c.name === "prod-usw2" ? "publisher" : "reader"}`).filter((a) =>
        a.includes(`:${c.region}:`),
      );
      expect(keys.length).toBeGreaterThan(0);
      for (const t of TENANTS) {
        const store = resources(`${c.name}-secrets-${t.spec.name}`);
        expect(store.length, `${c.name} ${t.spec.name}`).toBeGreaterThan(0);
        // A key ARN with its random suffix filled in, against each of the tenant store's ARN globs.
        for (const key of keys) expect(store.some((g) => glob(g).test(key.replace("??????", "AbC123")))).toBe(false);
      }
    }
  });

  it("lets the issuing cluster write only the global wildcards' keys, in every prod region, and the readers only read them in their own", async () => {
    const { globalCertificateRoles } = await import("../../generators/builders/certificates.js");
    const { TENANTS } = await import("../../generators/tenants/index.js");
    const tenants = TENANTS.map((t) => t.spec);
    const cluster = (name: string) => DEFAULT_FLEET.clusters.find((c) => c.name === name)!;
    const [publisher, ...others] = globalCertificateRoles(DEFAULT_FLEET, cluster("prod-usw2"), tenants);
    expect(others).toEqual([]);
    expect(publisher!.roleName).toBe("prod-usw2-certificate-publisher");
    const [statement] = publisher!.permissionsPolicy.Statement;
    expect(statement!.Action).not.toContain("secretsmanager:DeleteSecret");
    for (const arn of statement!.Resource ?? [])
      expect(arn).toMatch(
        /^arn:aws:secretsmanager:(us-west-2|us-east-1|eu-west-1):\d+:secret:prod\/platform\/certificates\/[a-z-]+-global-tls-\?{6}$/,
      );
    expect(new Set((statement!.Resource ?? []).map((a) => a.split(":")[3]))).toEqual(new Set(["us-west-2", "us-east-1", "eu-west-1"]));
    expect(publisher!.trustPolicy.Statement[0]!.Condition!.StringEquals).toMatchObject({
      [`oidc.eks.us-west-2.amazonaws.com/id/${cluster("prod-usw2").oidcIssuerId}:sub`]:
        "system:serviceaccount:istio-ingress:certificate-publisher",
    });
    const [reader] = globalCertificateRoles(DEFAULT_FLEET, cluster("prod-euw1"), tenants);
    expect(reader!.roleName).toBe("prod-euw1-certificate-reader");
    expect(reader!.permissionsPolicy.Statement[0]!.Action).toEqual(["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]);
    for (const arn of reader!.permissionsPolicy.Statement[0]!.Resource ?? []) expect(arn).toContain(":eu-west-1:");
    expect(globalCertificateRoles(DEFAULT_FLEET, cluster("dev-usw2"), tenants)).toEqual([]);
  });
});
