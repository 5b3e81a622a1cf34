/**
 * NetworkPolicy semantics (generators/check/connectivity/netpol.ts), case by case from upstream:
 * each block names the file its cases come from. A case is a set of policies, a client, a
 * server, a port and protocol, and whether the connection is allowed (egress of the client
 * AND ingress of the server, as the e2e reachability matrices judge it).
 */
import { describe, expect, it } from "vitest";
import {
  egressVerdict,
  ingressVerdict,
  policyTypes,
  type NetDestination,
  type NetService,
  type NetworkPolicy,
  type Protocol,
} from "../../generators/check/connectivity/netpol.js";
import { cidr, on, pod, policy } from "./netpol-fixtures.js";

interface Case {
  name: string;
  policies: NetworkPolicy[];
  from: string;
  to: string;
  port?: number;
  protocol?: Protocol;
  allowed: boolean;
}

function reach(c: Case): boolean {
  const conn = { port: c.port ?? 80, protocol: c.protocol ?? "TCP" };
  const src = pod(c.from);
  const dst = pod(c.to);
  return (
    egressVerdict(c.policies, src, { kind: "pod", pod: dst }, conn, (ns) => pod(`${ns}/a`).namespaceLabels).allowed &&
    ingressVerdict(c.policies, { kind: "pod", pod: src }, dst, conn).allowed
  );
}

const denyIngress = policy("x", "deny-ingress", { podSelector: {}, policyTypes: ["Ingress"] });
const allowFromB = { ingress: [{ from: [{ podSelector: { matchLabels: { pod: "b" } } }] }] };
const notInX = { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "NotIn", values: ["x"] }] };

// kubernetes/kubernetes test/e2e/network/netpol/network_policy.go ("NetworkPolicy between server and client")
const e2eCases: Case[] = [
  { name: "default-deny-ingress blocks x/b -> x/a", policies: [denyIngress], from: "x/b", to: "x/a", allowed: false },
  { name: "default-deny-ingress blocks y/a -> x/a", policies: [denyIngress], from: "y/a", to: "x/a", allowed: false },
  { name: "default-deny-ingress leaves x/a -> y/a alone", policies: [denyIngress], from: "x/a", to: "y/a", allowed: true },
  {
    name: "default-deny-all blocks x/a -> y/a (egress)",
    policies: [policy("x", "deny-all", { podSelector: {}, policyTypes: ["Ingress", "Egress"] })],
    from: "x/a",
    to: "y/a",
    allowed: false,
  },
  { name: "PodSelector allows x/b -> x/a", policies: [on("a", allowFromB)], from: "x/b", to: "x/a", allowed: true },
  { name: "PodSelector denies x/c -> x/a", policies: [on("a", allowFromB)], from: "x/c", to: "x/a", allowed: false },
  {
    name: "PodSelector without namespaceSelector denies y/b -> x/a (policy namespace only)",
    policies: [on("a", allowFromB)],
    from: "y/b",
    to: "x/a",
    allowed: false,
  },
  {
    name: "empty namespaceSelector allows z/a -> x/a",
    policies: [on("a", { ingress: [{ from: [{ namespaceSelector: {} }] }] })],
    from: "z/a",
    to: "x/a",
    allowed: true,
  },
  {
    name: "NamespaceSelector allows y/a -> x/a",
    policies: [on("a", { ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "y" } } }] }] })],
    from: "y/a",
    to: "x/a",
    allowed: true,
  },
  {
    name: "NamespaceSelector denies z/a -> x/a",
    policies: [on("a", { ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "y" } } }] }] })],
    from: "z/a",
    to: "x/a",
    allowed: false,
  },
  {
    name: "MatchExpressions In on pods allows x/b -> x/a",
    policies: [on("a", { ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: "pod", operator: "In", values: ["b"] }] } }] }] })],
    from: "x/b",
    to: "x/a",
    allowed: true,
  },
  {
    name: "PodSelector OR NamespaceSelector (two peers) allows x/b -> x/a",
    policies: [on("a", { ingress: [{ from: [{ namespaceSelector: notInX }, { podSelector: { matchLabels: { pod: "b" } } }] }] })],
    from: "x/b",
    to: "x/a",
    allowed: true,
  },
  {
    name: "PodSelector OR NamespaceSelector (two peers) allows y/a -> x/a",
    policies: [on("a", { ingress: [{ from: [{ namespaceSelector: notInX }, { podSelector: { matchLabels: { pod: "b" } } }] }] })],
    from: "y/a",
    to: "x/a",
    allowed: true,
  },
  {
    name: "PodSelector OR NamespaceSelector denies x/c -> x/a",
    policies: [on("a", { ingress: [{ from: [{ namespaceSelector: notInX }, { podSelector: { matchLabels: { pod: "b" } } }] }] })],
    from: "x/c",
    to: "x/a",
    allowed: false,
  },
  {
    name: "PodSelector AND NamespaceSelector (one peer) allows y/b -> x/a",
    policies: [on("a", { ingress: [{ from: [{ namespaceSelector: notInX, podSelector: { matchLabels: { pod: "b" } } }] }] })],
    from: "y/b",
    to: "x/a",
    allowed: true,
  },
  {
    name: "PodSelector AND NamespaceSelector denies y/a (namespace matches, pod not)",
    policies: [on("a", { ingress: [{ from: [{ namespaceSelector: notInX, podSelector: { matchLabels: { pod: "b" } } }] }] })],
    from: "y/a",
    to: "x/a",
    allowed: false,
  },
  {
    name: "PodSelector AND NamespaceSelector denies x/b (pod matches, namespace not)",
    policies: [on("a", { ingress: [{ from: [{ namespaceSelector: notInX, podSelector: { matchLabels: { pod: "b" } } }] }] })],
    from: "x/b",
    to: "x/a",
    allowed: false,
  },
  {
    name: "policy on ports allows 81",
    policies: [on("a", { ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 81, protocol: "TCP" }] }] })],
    from: "y/a",
    to: "x/a",
    port: 81,
    allowed: true,
  },
  {
    name: "policy on ports denies 80",
    policies: [on("a", { ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 81, protocol: "TCP" }] }] })],
    from: "y/a",
    to: "x/a",
    port: 80,
    allowed: false,
  },
  {
    name: "named port serve-80-tcp allows 80",
    policies: [on("a", { ingress: [{ ports: [{ port: "serve-80-tcp", protocol: "TCP" }] }] })],
    from: "y/b",
    to: "x/a",
    port: 80,
    allowed: true,
  },
  {
    name: "named port serve-80-tcp denies 81",
    policies: [on("a", { ingress: [{ ports: [{ port: "serve-80-tcp", protocol: "TCP" }] }] })],
    from: "y/b",
    to: "x/a",
    port: 81,
    allowed: false,
  },
  {
    name: "a named port on the wrong protocol matches nothing",
    policies: [on("a", { ingress: [{ ports: [{ port: "serve-80-tcp", protocol: "UDP" }] }] })],
    from: "y/b",
    to: "x/a",
    port: 80,
    protocol: "UDP",
    allowed: false,
  },
  {
    name: "egress on named port serve-80-tcp resolves on the server",
    policies: [on("a", { policyTypes: ["Egress"], egress: [{ ports: [{ port: "serve-80-tcp", protocol: "TCP" }] }] })],
    from: "x/a",
    to: "y/b",
    port: 80,
    allowed: true,
  },
  {
    name: "endPort range 80-82 allows 81",
    policies: [on("a", { ingress: [{ ports: [{ port: 80, endPort: 82, protocol: "TCP" }] }] })],
    from: "y/a",
    to: "x/a",
    port: 81,
    allowed: true,
  },
  {
    name: "endPort range 82-90 denies 81",
    policies: [on("a", { ingress: [{ ports: [{ port: 82, endPort: 90, protocol: "TCP" }] }] })],
    from: "y/a",
    to: "x/a",
    port: 81,
    allowed: false,
  },
  {
    name: "UDP-only ingress allows UDP 80",
    policies: [on("a", { ingress: [{ ports: [{ port: 80, protocol: "UDP" }] }] })],
    from: "y/a",
    to: "x/a",
    protocol: "UDP",
    allowed: true,
  },
  {
    name: "UDP-only ingress denies TCP 80",
    policies: [on("a", { ingress: [{ ports: [{ port: 80, protocol: "UDP" }] }] })],
    from: "y/a",
    to: "x/a",
    allowed: false,
  },
  {
    name: "a port without protocol defaults to TCP",
    policies: [on("a", { ingress: [{ ports: [{ port: 80 }] }] })],
    from: "y/a",
    to: "x/a",
    allowed: true,
  },
  {
    name: "a port without protocol does not admit UDP",
    policies: [on("a", { ingress: [{ ports: [{ port: 80 }] }] })],
    from: "y/a",
    to: "x/a",
    protocol: "UDP",
    allowed: false,
  },
  {
    name: "egress allowed to a CIDR holding the server",
    policies: [on("a", { policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "10.0.2.0/24" } }] }] })],
    from: "x/a",
    to: "y/b",
    allowed: true,
  },
  {
    name: "egress except clause blocks the excepted server",
    policies: [on("a", { policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "10.0.2.0/24", except: ["10.0.2.11/32"] } }] }] })],
    from: "x/a",
    to: "y/b",
    allowed: false,
  },
  {
    name: "egress except clause leaves the rest of the block",
    policies: [on("a", { policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "10.0.2.0/24", except: ["10.0.2.11/32"] } }] }] })],
    from: "x/a",
    to: "y/a",
    allowed: true,
  },
  {
    name: "egress allow-all policy wins over a narrower one (policies are ORed)",
    policies: [
      on("a", { policyTypes: ["Egress"], egress: [{ to: [{ podSelector: { matchLabels: { pod: "b" } } }] }] }, "x", "narrow"),
      on("a", { policyTypes: ["Egress"], egress: [{}] }, "x", "all"),
    ],
    from: "x/a",
    to: "z/c",
    allowed: true,
  },
  {
    name: "client-side egress deny wins although the server allows",
    policies: [
      on("a", { policyTypes: ["Egress"], egress: [] }, "x", "deny-egress"),
      on("b", { ingress: [{ from: [{ namespaceSelector: {} }] }] }, "y", "allow"),
    ],
    from: "x/a",
    to: "y/b",
    allowed: false,
  },
  {
    name: "ingress and egress together: allowed both ways",
    policies: [
      on("a", {
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: [{ namespaceSelector: {} }] }],
        egress: [{ to: [{ namespaceSelector: {} }] }],
      }),
    ],
    from: "x/a",
    to: "y/a",
    allowed: true,
  },
];

describe("NetworkPolicy: upstream e2e cases (kubernetes/kubernetes test/e2e/network/netpol/network_policy.go)", () => {
  it.each(e2eCases)("$name", (c) => {
    expect(reach(c)).toBe(c.allowed);
  });
});

// kubernetes/kubernetes pkg/apis/networking/v1/defaults.go SetDefaults_NetworkPolicy, and
// kubernetes-sigs/network-policy-api cmd/policy-assistant/pkg/generator/targetcases.go (policy types)
describe("NetworkPolicy: per-direction isolation and policyTypes defaulting", () => {
  it.each([
    { spec: { podSelector: {} }, types: ["Ingress"] },
    { spec: { podSelector: {}, egress: [] }, types: ["Ingress", "Egress"] },
    { spec: { podSelector: {}, policyTypes: ["Egress"] }, types: ["Egress"] },
    { spec: { podSelector: {}, ingress: [{}], policyTypes: ["Egress"] }, types: ["Egress"] },
  ])("policyTypes of $spec is $types", ({ spec, types }) => {
    expect(policyTypes(policy("x", "p", spec))).toEqual(types);
  });

  it("an Ingress-only policy does not isolate egress", () => {
    const pols = [on("a", { ingress: [] })];
    expect(egressVerdict(pols, pod("x/a"), { kind: "pod", pod: pod("y/a") }, { port: 80, protocol: "TCP" }).isolatedBy).toEqual([]);
  });

  it("an Egress-only policy does not isolate ingress", () => {
    const pols = [on("a", { policyTypes: ["Egress"], egress: [] })];
    expect(ingressVerdict(pols, { kind: "pod", pod: pod("y/a") }, pod("x/a"), { port: 80, protocol: "TCP" }).allowed).toBe(true);
  });

  it("a rule with neither `from` nor ports admits everything", () => {
    const pols = [on("a", { ingress: [{}] })];
    expect(
      ingressVerdict(pols, { kind: "address", addresses: [cidr("203.0.113.7/32")] }, pod("x/a"), { port: 9999, protocol: "UDP" }).allowed,
    ).toBe(true);
  });
});

// aws/amazon-network-policy-controller-k8s pkg/resolvers/endpoints.go (the EKS agent's PolicyEndpoints)
describe("NetworkPolicy: EKS network policy agent specifics", () => {
  const svc: NetService = {
    namespace: "y",
    name: "b",
    selector: { pod: "b" },
    headless: false,
    ports: [{ port: 8080, targetPort: "serve-80-tcp", protocol: "TCP" }],
    addresses: [cidr("172.20.0.0/16")],
  };
  const toSvc: NetDestination = { kind: "service", service: svc, pods: [pod("y/b")] };
  const egress = (rule: Record<string, unknown>): boolean =>
    egressVerdict(
      [on("a", { policyTypes: ["Egress"], egress: [rule] })],
      pod("x/a"),
      toSvc,
      { port: 8080, protocol: "TCP" },
      (ns) => pod(`${ns}/a`).namespaceLabels,
    ).allowed;

  it("getMatchingServiceClusterIPs: a ClusterIP is allowed when the rule's podSelector matches the Service's selector, on its targetPort", () => {
    expect(
      egress({ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { pod: "b" } } }], ports: [{ port: 80, protocol: "TCP" }] }),
    ).toBe(true);
  });

  it("getMatchingServicePort: the rule must name the targetPort, not the Service port", () => {
    expect(
      egress({ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { pod: "b" } } }], ports: [{ port: 81, protocol: "TCP" }] }),
    ).toBe(false);
  });

  it("getMatchingServiceClusterIPs: a podSelector wider than the Service selector's labels does not match it", () => {
    expect(egress({ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { pod: "b", tier: "web" } } }] })).toBe(false);
  });

  it("getMatchingServiceClusterIPs skips headless Services: their clients reach pod IPs", () => {
    const headless: NetDestination = { kind: "service", service: { ...svc, headless: true }, pods: [pod("y/b")] };
    expect(
      egressVerdict([on("a", { policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: {} }] }] })], pod("x/a"), headless, {
        port: 8080,
        protocol: "TCP",
      }).allowed,
    ).toBe(false);
  });

  it("convertToPolicyInfoPortForCIDRs: an ipBlock rule whose ports are all named is skipped", () => {
    expect(egress({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: "serve-80-tcp", protocol: "TCP" }] })).toBe(false);
  });

  it("an ipBlock covering the service range allows the ClusterIP on the Service port", () => {
    expect(egress({ to: [{ ipBlock: { cidr: "172.16.0.0/12" } }], ports: [{ port: 8080, protocol: "TCP" }] })).toBe(true);
  });

  it("ipBlock applies to pod IPs: 0.0.0.0/0 covers a pod", () => {
    const pols = [on("a", { policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }] })];
    expect(egressVerdict(pols, pod("x/a"), { kind: "pod", pod: pod("z/c") }, { port: 80, protocol: "TCP" }).allowed).toBe(true);
  });

  it("an IPv6 ipBlock never covers an IPv4 pod", () => {
    const pols = [on("a", { policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "::/0" } }] }] })];
    expect(egressVerdict(pols, pod("x/a"), { kind: "pod", pod: pod("z/c") }, { port: 80, protocol: "TCP" }).allowed).toBe(false);
  });
});
