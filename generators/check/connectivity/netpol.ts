/**
 * Kubernetes NetworkPolicy (networking.k8s.io/v1) as the EKS network policy agent enforces it.
 *
 * Upstream semantics, each cited where it is modelled:
 * - kubernetes/api networking/v1/types.go (NetworkPolicySpec.PolicyTypes doc, defaulting in
 *   kubernetes/kubernetes pkg/apis/networking/v1/defaults.go SetDefaults_NetworkPolicy): a pod
 *   is isolated for a direction only when a policy selecting it lists that policy type; with
 *   no policyTypes, Ingress always and Egress when the policy has an egress section.
 * - kubernetes-sigs/network-policy-api cmd/policy-assistant/pkg/matcher/builder.go
 *   (BuildPeerMatcher, BuildIPBlockNamespacePodMatcher, BuildSinglePortMatcher) and
 *   portmatcher.go: a rule with neither ports nor peers allows everything; no peers means all
 *   peers; no ports means all ports; a nil namespaceSelector means the policy's namespace, an
 *   empty one every namespace; namespaceSelector and podSelector in one peer are ANDed, two
 *   peers are ORed; protocol defaults to TCP; endPort makes a range.
 * - aws/amazon-network-policy-controller-k8s pkg/resolvers/endpoints.go (the controller that
 *   turns policies into the agent's PolicyEndpoints): named ports are resolved on the
 *   destination pod's container ports (getPortList: egress on the peer pod, ingress on the
 *   policy's own pods) and a port that does not resolve is dropped; ipBlock rules carry only
 *   numeric ports (convertToPolicyInfoPortForCIDRs) and are skipped when every port is named;
 *   a rule without peers becomes 0.0.0.0/0 and ::/0 (getAllowAllNetworkPeers); egress to a
 *   Service ClusterIP is allowed only for Services whose selector the rule's podSelector
 *   matches, non-headless, on the Service port whose targetPort the policy names
 *   (getMatchingServiceClusterIPs, getMatchingServicePort), because the agent's eBPF probe on
 *   the pod's veth sees the ClusterIP before kube-proxy's DNAT.
 * - aws/aws-network-policy-agent pkg/ebpf/c/tc.v4ingress.bpf.c / tc.v4egress.bpf.c: the agent
 *   matches addresses (a CIDR trie) and ports, so an ipBlock applies to pod IPs too (the
 *   VPC CNI gives pods VPC addresses); kubernetes.io docs "Network Policies" leave ipBlock on
 *   pod IPs implementation-defined, and this is the EKS definition.
 */
import { containsCidr, overlaps, parseCidr, type Cidr } from "./ip.js";
import { arr, obj, objs, selectorMatches, str, num, type Obj } from "../policy/util.js";

export type Protocol = "TCP" | "UDP" | "SCTP";
export type Direction = "Ingress" | "Egress";

export interface PodPort {
  name?: string | undefined;
  port: number;
  protocol: Protocol;
}

/** A pod as NetworkPolicy sees it. */
export interface NetPod {
  namespace: string;
  labels: Readonly<Record<string, string>>;
  /** Its namespace's labels, `kubernetes.io/metadata.name` included. */
  namespaceLabels: Readonly<Record<string, string>>;
  /** Container ports: named ports resolve here. */
  ports: readonly PodPort[];
  /** Where its IP may lie (the VPC's ranges on EKS): an ipBlock covers the pod only when it covers all of them. */
  addresses: readonly Cidr[];
}

/** A Service as the controller's ClusterIP translation sees it. */
export interface NetService {
  namespace: string;
  name: string;
  selector: Readonly<Record<string, string>>;
  headless: boolean;
  ports: readonly { port: number; targetPort: number | string; protocol: Protocol }[];
  /** Where its ClusterIP may lie. */
  addresses: readonly Cidr[];
}

/** Where an egress connection is addressed. */
export type NetDestination =
  | { kind: "pod"; pod: NetPod }
  | { kind: "service"; service: NetService; pods: readonly NetPod[] }
  | { kind: "address"; addresses: readonly Cidr[] };

/** A connection: destination port and protocol as the packet carries them (a Service port for a ClusterIP). */
export interface Conn {
  port: number;
  protocol: Protocol;
}

export interface NetVerdict {
  allowed: boolean;
  /** Policies (namespace/name) that isolate the pod in this direction; empty: not isolated. */
  isolatedBy: string[];
  /** The policy whose rule allows the connection. */
  allowedBy?: string | undefined;
}

/** A NetworkPolicy object's fields this module reads. */
export interface NetworkPolicy {
  namespace: string;
  name: string;
  spec: Obj;
}

export function protocolOf(v: unknown): Protocol {
  const p = str(v);
  return p === "UDP" || p === "SCTP" ? p : "TCP";
}

/** kubernetes/kubernetes pkg/apis/networking/v1/defaults.go: the policy types a policy has after defaulting. */
export function policyTypes(np: NetworkPolicy): Direction[] {
  const explicit = arr(np.spec.policyTypes).filter((t): t is Direction => t === "Ingress" || t === "Egress");
  if (explicit.length > 0) return explicit;
  return np.spec.egress !== undefined ? ["Ingress", "Egress"] : ["Ingress"];
}

/** The policies that select `pod` and list `dir`. */
export function isolating(policies: readonly NetworkPolicy[], pod: NetPod, dir: Direction): NetworkPolicy[] {
  return policies.filter(
    (np) => np.namespace === pod.namespace && policyTypes(np).includes(dir) && selectorMatches(obj(np.spec.podSelector), pod.labels),
  );
}

/** A peer's namespace and pod selectors against a pod (builder.go BuildIPBlockNamespacePodMatcher). */
function podPeerMatches(peer: Obj, policyNamespace: string, pod: NetPod): boolean {
  const nsOk =
    peer.namespaceSelector === undefined
      ? pod.namespace === policyNamespace
      : selectorMatches(obj(peer.namespaceSelector), pod.namespaceLabels);
  return nsOk && (peer.podSelector === undefined || selectorMatches(obj(peer.podSelector), pod.labels));
}

/** A peer's namespace selection against a namespace, and its podSelector against a Service's selector as a label set. */
function servicePeerMatches(peer: Obj, policyNamespace: string, svc: NetService, nsLabels: Readonly<Record<string, string>>): boolean {
  const nsOk =
    peer.namespaceSelector === undefined ? svc.namespace === policyNamespace : selectorMatches(obj(peer.namespaceSelector), nsLabels);
  return nsOk && !svc.headless && selectorMatches(obj(peer.podSelector), svc.selector);
}

/** ipBlock against a set of addresses: every one inside `cidr` and none in an `except`. */
export function ipBlockCovers(ipBlock: Obj, addresses: readonly Cidr[]): boolean {
  const cidr = parseCidr(str(ipBlock.cidr) ?? "");
  if (!cidr || addresses.length === 0) return false;
  const except = arr(ipBlock.except).flatMap((e) => {
    const c = parseCidr(str(e) ?? "");
    return c ? [c] : [];
  });
  return addresses.every((a) => containsCidr(cidr, a) && !except.some((x) => overlaps(x, a)));
}

interface PortEntry {
  port: number | string | undefined;
  endPort: number | undefined;
  protocol: Protocol;
}

function portEntries(rule: Obj): PortEntry[] {
  return objs(rule.ports).map((p) => ({
    port: typeof p.port === "number" || typeof p.port === "string" ? p.port : undefined,
    endPort: num(p.endPort),
    protocol: protocolOf(p.protocol),
  }));
}

/** A policy port against a numeric port on a pod (named ports resolve on `pod`, endpoints.go getPortList). */
function entryMatches(e: PortEntry, c: Conn, pod: NetPod | undefined): boolean {
  if (e.protocol !== c.protocol) return false;
  if (e.port === undefined) return true;
  if (typeof e.port === "string") {
    const named = pod?.ports.find((p) => p.name === e.port && p.protocol === e.protocol);
    return named !== undefined && named.port === c.port;
  }
  return e.endPort !== undefined ? e.port <= c.port && c.port <= e.endPort : e.port === c.port;
}

/** ipBlock (and allow-all) rules keep numeric ports only (endpoints.go convertToPolicyInfoPortForCIDRs). */
function cidrPortsMatch(entries: readonly PortEntry[], c: Conn): boolean {
  if (entries.length === 0) return true;
  const numeric = entries.filter((e) => typeof e.port !== "string");
  return numeric.some((e) => entryMatches(e, c, undefined));
}

function podPortsMatch(entries: readonly PortEntry[], c: Conn, pod: NetPod): boolean {
  return entries.length === 0 || entries.some((e) => entryMatches(e, c, pod));
}

/** Policy ports against a Service port (endpoints.go getMatchingServicePort): the policy names the targetPort. */
function servicePortsMatch(entries: readonly PortEntry[], c: Conn, svc: NetService, pods: readonly NetPod[]): boolean {
  if (entries.length === 0) return true;
  const sp = svc.ports.find((p) => p.port === c.port && p.protocol === c.protocol);
  if (!sp) return false;
  return entries.some((e) => {
    if (e.protocol !== c.protocol) return false;
    if (e.port === undefined) return true;
    if (e.port === sp.targetPort) return true;
    // Resolve both sides on the Service's pods (LookupListenPortFromPodSpec).
    return pods.some((pod) => {
      const target = typeof sp.targetPort === "number" ? sp.targetPort : pod.ports.find((p) => p.name === sp.targetPort)?.port;
      return target !== undefined && entryMatches(e, { port: target, protocol: c.protocol }, pod);
    });
  });
}

/** Does one rule (ingress `from` or egress `to`) admit the peer? */
function ruleAdmits(
  np: NetworkPolicy,
  rule: Obj,
  peersKey: "from" | "to",
  peer: NetDestination,
  nsLabelsOf: (ns: string) => Record<string, string>,
  conn: Conn,
): boolean {
  const entries = portEntries(rule);
  const peers = objs(rule[peersKey]);
  if (rule[peersKey] === undefined || peers.length === 0) {
    // getAllowAllNetworkPeers: 0.0.0.0/0 and ::/0 with the numeric ports; for pods, the builder's PortsForAllPeersMatcher.
    return peer.kind === "pod" ? podPortsMatch(entries, conn, peer.pod) : cidrPortsMatch(entries, conn);
  }
  return peers.some((p) => {
    if (p.ipBlock !== undefined) {
      const addrs = peer.kind === "pod" ? peer.pod.addresses : peer.kind === "service" ? peer.service.addresses : peer.addresses;
      return ipBlockCovers(obj(p.ipBlock), addrs) && cidrPortsMatch(entries, conn);
    }
    if (peer.kind === "pod") return podPeerMatches(p, np.namespace, peer.pod) && podPortsMatch(entries, conn, peer.pod);
    if (peer.kind === "service")
      return (
        servicePeerMatches(p, np.namespace, peer.service, nsLabelsOf(peer.service.namespace)) &&
        servicePortsMatch(entries, conn, peer.service, peer.pods)
      );
    return false;
  });
}

const id = (np: NetworkPolicy): string => `${np.namespace}/${np.name}`;

/** May `src` send `conn` to `dst`, by the policies selecting `src` for Egress? */
export function egressVerdict(
  policies: readonly NetworkPolicy[],
  src: NetPod,
  dst: NetDestination,
  conn: Conn,
  nsLabelsOf: (ns: string) => Record<string, string> = () => ({}),
): NetVerdict {
  const iso = isolating(policies, src, "Egress");
  if (iso.length === 0) return { allowed: true, isolatedBy: [] };
  const by = iso.find((np) => objs(np.spec.egress).some((r) => ruleAdmits(np, r, "to", dst, nsLabelsOf, conn)));
  return { allowed: by !== undefined, isolatedBy: iso.map(id), allowedBy: by ? id(by) : undefined };
}

/** May `dst` receive `conn` (a port on `dst` itself) from `src`, by the policies selecting `dst` for Ingress? */
export function ingressVerdict(policies: readonly NetworkPolicy[], src: NetDestination, dst: NetPod, conn: Conn): NetVerdict {
  const iso = isolating(policies, dst, "Ingress");
  if (iso.length === 0) return { allowed: true, isolatedBy: [] };
  // Ingress ports resolve on the policy's own pods (endpoints.go getIngressRulesPorts): the destination.
  const by = iso.find((np) =>
    objs(np.spec.ingress).some((r) => {
      const entries = portEntries(r);
      const peers = objs(r.from);
      if (r.from === undefined || peers.length === 0) return podPortsMatch(entries, conn, dst);
      return peers.some((p) => {
        if (p.ipBlock !== undefined) {
          const addrs = src.kind === "pod" ? src.pod.addresses : src.kind === "address" ? src.addresses : src.service.addresses;
          return ipBlockCovers(obj(p.ipBlock), addrs) && cidrPortsMatch(entries, conn);
        }
        return src.kind === "pod" && podPeerMatches(p, np.namespace, src.pod) && podPortsMatch(entries, conn, dst);
      });
    }),
  );
  return { allowed: by !== undefined, isolatedBy: iso.map(id), allowedBy: by ? id(by) : undefined };
}
