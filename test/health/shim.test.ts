/**
 * What cert-manager orders (generators/check/health/shim.ts), from the cases of cert-manager
 * pkg/controller/certificate-shim/sync_test.go and pkg/controller/acmeorders/sync.go: a
 * Certificate's names with its common name, an annotated Ingress's TLS hosts, an annotated
 * Gateway's TLS listeners (never Passthrough, never plain HTTP), and nothing unannotated.
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

  it("names the certificateRef's namespace when the Gateway reads a Secret from another", () => {
    const [o] = ordersOf(
      gateway({ "cert-manager.io/cluster-issuer": "le" }, [
        { ...https("a", "a.example.com", "a-tls"), tls: { certificateRefs: [{ name: "a-tls", namespace: "certs" }] } },
      ]),
    );
    expect(o).toMatchObject({ secretName: "a-tls", secretNamespace: "certs" });
  });
});
