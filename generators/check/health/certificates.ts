/**
 * One owner per certificate name across the fleet. Every name a cluster orders from an ACME
 * issuer through a Route 53 DNS-01 solver becomes a challenge record `_acme-challenge.<name>`
 * (a wildcard `*.x` and `x` share `_acme-challenge.x`: RFC 8555 §8.4, cert-manager
 * pkg/issuer/acme/dns/util/wait.go DNS01LookupFQDN strips `*.`). The Route 53 provider UPSERTs
 * that record with a single TXT value (cert-manager pkg/issuer/acme/dns/route53/route53.go
 * Present -> changeRecord -> newTXTRecordSet with one ResourceRecord), and cert-manager's
 * challenge scheduler serializes challenges for one name only inside a cluster
 * (pkg/controller/acmechallenges/scheduler/scheduler.go). So two clusters ordering names with the
 * same challenge record in the same zone overwrite each other's TXT value: neither validates,
 * the Certificates stay Progressing and their Applications never become Healthy.
 *
 * The orders are collected per cluster (small: one line per name) and judged once over every
 * cluster the check covers (check/run.ts), so the rule sees the fleet without holding it.
 */
import type { Finding } from "../finding.js";
import { idOf, kindOf, namespaceOf, obj, objs, str, type Obj } from "../policy/util.js";
import type { ClusterPlan } from "../bootstrap/plan.js";
import { solverSelects } from "./model.js";
import { ordersOf } from "./shim.js";
import { strings } from "./producers.js";

/** One name one cluster orders through a Route 53 DNS-01 solver. */
export interface CertificateOrder {
  cluster: string;
  part: string;
  object: string;
  path: string;
  dnsName: string;
  /** `_acme-challenge.<name without "*.">`, the record the solver writes. */
  record: string;
  /** The hosted zone: the solver's `hostedZoneID`, else the selector's zone, else the name's parent domain. */
  zone: string;
}

export const CERTIFICATE_SINGLE_OWNER = {
  id: "certificate-single-owner",
  description:
    "No two clusters order names with the same DNS-01 challenge record (a name, or a wildcard and its base) through Route 53 in the same zone: the solver writes one TXT value per record, so their challenges overwrite each other.",
  fix: "Order a global name on one cluster only (EnvSpec.globalCertificateIssuer) and read it elsewhere from its publication (generators/builders/certificates.ts), or delegate _acme-challenge per cluster with a CNAME.",
} as const;

/** The challenge record of a DNS name (RFC 8555 §8.4; a wildcard's is its base's). */
export function challengeRecord(dnsName: string): string {
  return `_acme-challenge.${dnsName.replace(/^\*\./, "").toLowerCase()}`;
}

/** The issuer objects of a plan, by kind/namespace/name. */
function issuers(plan: ClusterPlan): Map<string, Obj> {
  const out = new Map<string, Obj>();
  for (const p of plan.parts)
    for (const o of p.objects as Obj[])
      if (kindOf(o) === "ClusterIssuer" || kindOf(o) === "Issuer")
        out.set(`${kindOf(o)}/${kindOf(o) === "Issuer" ? namespaceOf(o) : ""}/${str(obj(o.metadata).name) ?? ""}`, o);
  return out;
}

/**
 * The Route 53 zone a name is solved in, or undefined when the solver that selects it is not
 * Route 53: the solver's `hostedZoneID`, else the longest selector zone holding it, else the
 * name's parent domain (cert-manager pkg/issuer/acme/dns/route53/route53.go getHostedZoneID).
 */
function route53Zone(issuer: Obj, dnsName: string): string | undefined {
  const base = dnsName.replace(/^\*\./, "");
  const solver = objs(obj(obj(issuer.spec).acme).solvers).find((s) => solverSelects(s, base));
  const r53 = obj(solver?.dns01).route53;
  if (solver === undefined || r53 === undefined) return undefined;
  const zone = strings(obj(solver.selector).dnsZones)
    .filter((z) => base === z || base.endsWith(`.${z}`))
    .sort((a, b) => b.length - a.length)[0];
  return str(obj(r53).hostedZoneID) ?? zone ?? base.split(".").slice(1).join(".");
}

/** Every name a cluster orders through a Route 53 DNS-01 solver: Certificates, and Ingresses and Gateways through the shims (shim.ts). */
export function certificateOrders(plan: ClusterPlan): CertificateOrder[] {
  const byRef = issuers(plan);
  return plan.parts.flatMap((part) =>
    (part.objects as Obj[]).flatMap((o) =>
      ordersOf(o).flatMap((r) => {
        const kind = r.issuerKind === "ClusterIssuer" ? "ClusterIssuer" : "Issuer";
        const issuer = byRef.get(`${kind}/${kind === "Issuer" ? namespaceOf(o) : ""}/${r.issuer}`);
        if (!issuer) return [];
        return r.dnsNames.flatMap((dnsName) => {
          const zone = route53Zone(issuer, dnsName);
          return zone === undefined
            ? []
            : [{ cluster: plan.cluster, part: part.name, object: idOf(o), path: r.path, dnsName, record: challengeRecord(dnsName), zone }];
        });
      }),
    ),
  );
}

/** The findings over every cluster's orders: each order whose record another cluster also writes in the same zone. */
export function singleOwnerFindings(orders: readonly CertificateOrder[]): Finding[] {
  const byRecord = new Map<string, CertificateOrder[]>();
  for (const o of orders) {
    const k = `${o.zone} ${o.record}`;
    byRecord.set(k, [...(byRecord.get(k) ?? []), o]);
  }
  const findings: Finding[] = [];
  for (const list of byRecord.values()) {
    const clusters = [...new Set(list.map((o) => o.cluster))];
    if (clusters.length < 2) continue;
    for (const o of list) {
      const others = list.filter((x) => x.cluster !== o.cluster);
      findings.push({
        rule: CERTIFICATE_SINGLE_OWNER.id,
        cluster: o.cluster,
        tenant: o.part,
        object: o.object,
        path: o.path,
        message: `${o.dnsName} is ordered through Route 53 zone ${o.zone} by ${clusters.join(", ")} (also ${[...new Set(others.map((x) => `${x.object} on ${x.cluster}${x.dnsName !== o.dnsName ? ` as ${x.dnsName}` : ""}`))].join(", ")}): each writes ${o.record} with one TXT value, so their challenges overwrite each other and the Certificate stays Progressing (cert-manager pkg/issuer/acme/dns/route53/route53.go changeRecord; argo-cd resource_customizations/cert-manager.io/Certificate/health.lua)`,
        fix: CERTIFICATE_SINGLE_OWNER.fix,
      });
    }
  }
  return findings;
}

/** A PushSecret: what it publishes, and to which regions (its stores' `provider.aws.region`). */
export interface Publication {
  cluster: string;
  /** `<cluster>/<namespace>/PushSecret/<name>`, as readers' `published-by` annotations name it. */
  ref: string;
  keys: string[];
  regions: string[];
}

/** An ExternalSecret that reads what another cluster publishes (annotation `ai-platform.io/published-by`). */
export interface Subscription {
  cluster: string;
  part: string;
  object: string;
  publishedBy: string;
  keys: string[];
  region: string | undefined;
}

export const CERTIFICATE_PUBLICATION = {
  id: "certificate-publication",
  description:
    "Every ExternalSecret that reads a certificate another cluster publishes names (ai-platform.io/published-by) a PushSecret that exists on that cluster and pushes the keys it reads to its store's region.",
  fix: "Regenerate: builders/certificates.ts emits the issuer's PushSecret to every region of the environment and the readers' ExternalSecrets from the same keys.",
} as const;

const PUBLISHED_BY = "ai-platform.io/published-by";

function storeRegion(plan: ClusterPlan, namespace: string, name: string): string | undefined {
  for (const p of plan.parts)
    for (const o of p.objects as Obj[])
      if (kindOf(o) === "SecretStore" && namespaceOf(o) === namespace && (str(obj(o.metadata).name) ?? "") === name)
        return str(obj(obj(obj(o.spec).provider).aws).region);
  return undefined;
}

/** The publications and subscriptions of one cluster. */
export function certificatePublications(plan: ClusterPlan): { publications: Publication[]; subscriptions: Subscription[] } {
  const publications: Publication[] = [];
  const subscriptions: Subscription[] = [];
  for (const part of plan.parts)
    for (const o of part.objects as Obj[]) {
      const spec = obj(o.spec);
      if (kindOf(o) === "PushSecret")
        publications.push({
          cluster: plan.cluster,
          ref: `${plan.cluster}/${namespaceOf(o)}/PushSecret/${str(obj(o.metadata).name) ?? ""}`,
          keys: objs(spec.data).map((d) => str(obj(obj(d.match).remoteRef).remoteKey) ?? ""),
          regions: objs(spec.secretStoreRefs).flatMap((r) => storeRegion(plan, namespaceOf(o), str(r.name) ?? "") ?? []),
        });
      const by = str(obj(obj(o.metadata).annotations)[PUBLISHED_BY]);
      if (kindOf(o) === "ExternalSecret" && by !== undefined)
        subscriptions.push({
          cluster: plan.cluster,
          part: part.name,
          object: idOf(o),
          publishedBy: by,
          keys: objs(spec.data).map((d) => str(obj(d.remoteRef).key) ?? ""),
          region: storeRegion(plan, namespaceOf(o), str(obj(spec.secretStoreRef).name) ?? ""),
        });
    }
  return { publications, subscriptions };
}

/** Subscriptions whose publisher is among `clusters` but does not publish what they read where they read it. */
export function publicationFindings(
  publications: readonly Publication[],
  subscriptions: readonly Subscription[],
  clusters: ReadonlySet<string>,
): Finding[] {
  return subscriptions.flatMap((s) => {
    const publisher = s.publishedBy.split("/")[0] ?? "";
    if (!clusters.has(publisher)) return [];
    const pub = publications.find((p) => p.ref === s.publishedBy);
    const problem =
      pub === undefined
        ? `no ${s.publishedBy.split("/").slice(1).join("/")} on ${publisher}`
        : s.keys.some((k) => !pub.keys.includes(k))
          ? `${s.publishedBy} pushes ${[...new Set(pub.keys)].join(", ")}, not ${s.keys.filter((k) => !pub.keys.includes(k)).join(", ")}`
          : s.region !== undefined && !pub.regions.includes(s.region)
            ? `${s.publishedBy} pushes to ${pub.regions.join(", ")}, not ${s.region} where this store reads`
            : undefined;
    if (problem === undefined) return [];
    return [
      {
        rule: CERTIFICATE_PUBLICATION.id,
        cluster: s.cluster,
        tenant: s.part,
        object: s.object,
        path: "metadata.annotations.ai-platform.io/published-by",
        message: `${problem}: the ExternalSecret never finds its key and stays Degraded (argo-cd resource_customizations/external-secrets.io/ExternalSecret/health.lua; external-secrets providers/v1/aws/secretsmanager/secretsmanager.go GetSecret)`,
        fix: CERTIFICATE_PUBLICATION.fix,
      },
    ];
  });
}

/** What one cluster contributes to the fleet-wide certificate rules: small, so a check keeps it for every cluster. */
export interface ClusterCertificates {
  cluster: string;
  orders: CertificateOrder[];
  publications: Publication[];
  subscriptions: Subscription[];
}

export function clusterCertificates(plan: ClusterPlan): ClusterCertificates {
  return { cluster: plan.cluster, orders: certificateOrders(plan), ...certificatePublications(plan) };
}

/** The fleet-wide certificate rules over every cluster a check covered. */
export function fleetCertificateFindings(all: readonly ClusterCertificates[]): Finding[] {
  return [
    ...singleOwnerFindings(all.flatMap((c) => c.orders)),
    ...publicationFindings(
      all.flatMap((c) => c.publications),
      all.flatMap((c) => c.subscriptions),
      new Set(all.map((c) => c.cluster)),
    ),
  ];
}
