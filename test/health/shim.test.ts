/**
 * What cert-manager orders (generators/check/health/shim.ts), from the cases of cert-manager
 * pkg/controller/certificate-shim/sync_test.go and pkg/controller/acmeorders/sync.go: a
 * Certificate's names with its common name, an annotated Ingress's TLS hosts, an annotated
 * Gateway's TLS listeners (never Passthrough, never plain HTTP, never a listener the shim refuses:
 * no hostname, a certificateRef that is not a core Secret of the Gateway's namespace, a listener the
 * ignore annotation names), and nothing unannotated.
 */
import { describe, expect, it } from "vitest";
import { ordersOf } from "../../generators/check/health/shim.js";

const gateway = (annotations: Record<string, string>, listeners: object[]) => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "Gateway",
  metadata: { name: "edge", namespace: "istio-ingress", annotations },
  spec: { gatewayClassName: "istio", listeners },
});
const https = (name: string, hostname: string, secret: string, extra: object = {}) => ({
  name,
  hostname,
  port: 443,
  protocol: "HTTPS",
  tls: { certificateRefs: [{ name: secret }], ...extra },
});

describe("what cert-manager orders", () => {
  it("a Certificate: its dnsNames plus an FQDN common name, into its secretName", () => {
    const [o] = ordersOf({
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      metadata: { name: "c", namespace: "n" },
      spec: {
        secretName: "c-tls",
        commonName: "a.example.com",
        dnsNames: ["b.example.com"],
        issuerRef: { kind: "ClusterIssuer", name: "le" },
      },
    });
    expect(o).toMatchObject({
      issuerKind: "ClusterIssuer",
      issuer: "le",
      dnsNames: ["b.example.com", "a.example.com"],
      secretName: "c-tls",
    });
  });

  it("an Ingress only when annotated, per TLS entry", () => {
    const ing = (annotations: Record<string, string>) => ({
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name: "i", namespace: "n", annotations },
      spec: {
        tls: [
          { hosts: ["a.example.com"], secretName: "a" },
          { hosts: ["b.example.com"], secretName: "b" },
        ],
      },
    });
    expect(ordersOf(ing({}))).toEqual([]);
    expect(ordersOf(ing({ "cert-manager.io/issuer": "local" })).map((o) => [o.issuerKind, o.dnsNames, o.secretName])).toEqual([
      ["Issuer", ["a.example.com"], "a"],
      ["Issuer", ["b.example.com"], "b"],
    ]);
  });

  it("a Gateway only when annotated: HTTPS and TLS listeners with a hostname, not Passthrough, not HTTP", () => {
    const listeners = [
      https("a", "*.a.example.com", "a-tls"),
      https("b", "*.b.example.com", "b-tls", { mode: "Passthrough" }),
      { name: "http", hostname: "*.c.example.com", port: 80, protocol: "HTTP" },
      { ...https("d", "d.example.com", "d-tls"), protocol: "TLS" },
      { name: "e", port: 443, protocol: "HTTPS", tls: { certificateRefs: [{ name: "e-tls", namespace: "other" }] } },
    ];
    expect(ordersOf(gateway({}, listeners))).toEqual([]);
    const orders = ordersOf(gateway({ "cert-manager.io/cluster-issuer": "le" }, listeners));
    expect(orders.map((o) => [o.dnsNames[0], o.secretName, o.path])).toEqual([
      ["*.a.example.com", "a-tls", "spec.listeners[0]"],
      ["d.example.com", "d-tls", "spec.listeners[3]"],
    ]);
  });

  it("orders a listener whose certificateRefs name the Gateway's own namespace, and nothing for one that reads another's", () => {
    const annotated = { "cert-manager.io/cluster-issuer": "le" };
    const own = ordersOf(
      gateway(annotated, [
        { ...https("a", "a.example.com", "a-tls"), tls: { certificateRefs: [{ name: "a-tls", namespace: "istio-ingress" }] } },
      ]),
    );
    expect(own.map((o) => [o.dnsNames[0], o.secretName])).toEqual([["a.example.com", "a-tls"]]);
    // validateGatewayListenerBlock: "cross-namespace secret references are not allowed in listeners".
    const other = gateway(annotated, [
      { ...https("a", "a.example.com", "a-tls"), tls: { certificateRefs: [{ name: "a-tls" }, { name: "b-tls", namespace: "certs" }] } },
    ]);
    expect(ordersOf(other)).toEqual([]);
  });

  it("skips a listener whose certificateRef is not a core Secret, and the listeners the ignore annotation names", () => {
    const listeners = [
      { ...https("a", "a.example.com", "a-tls"), tls: { certificateRefs: [{ group: "", kind: "Secret", name: "a-tls" }] } },
      { ...https("b", "b.example.com", "b-tls"), tls: { certificateRefs: [{ group: "core", kind: "ConfigMap", name: "b-tls" }] } },
      { ...https("c", "c.example.com", "c-tls"), tls: { certificateRefs: [{ group: "example.io", kind: "Secret", name: "c-tls" }] } },
      https("d", "d.example.com", "d-tls"),
      https("e", "e.example.com", "e-tls"),
      { ...https("f", "f.example.com", "f-tls"), tls: { certificateRefs: [] } },
    ];
    const orders = ordersOf(gateway({ "cert-manager.io/cluster-issuer": "le", "cert-manager.io/ignore-tls-listeners": "d, x" }, listeners));
    expect(orders.map((o) => o.dnsNames[0])).toEqual(["a.example.com", "e.example.com"]);
  });

  it("skips an Ingress TLS block without hosts or without a secretName, as validateIngressTLSBlock does", () => {
    const orders = ordersOf({
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name: "i", namespace: "n", annotations: { "cert-manager.io/cluster-issuer": "le" } },
      spec: {
        tls: [
          { secretName: "no-hosts" },
          { hosts: ["a.example.com"] },
          { hosts: [], secretName: "empty" },
          { hosts: ["b.example.com"], secretName: "b" },
        ],
      },
    });
    expect(orders.map((o) => [o.dnsNames, o.secretName, o.path])).toEqual([[["b.example.com"], "b", "spec.tls[3]"]]);
  });
});
