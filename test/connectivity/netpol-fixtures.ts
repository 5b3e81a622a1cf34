/**
 * The pod topology of kubernetes/kubernetes test/e2e/network/netpol (model.go): namespaces
 * x, y, z, pods a, b, c in each, labelled `pod: <name>`, serving 80 and 81 on TCP and UDP with
 * ports named `serve-<port>-<protocol>`; each pod has its own /32 address here, so ipBlock
 * cases can name one pod.
 */
import { parseCidr, type Cidr } from "../../generators/check/connectivity/ip.js";
import type { NetPod, NetworkPolicy, PodPort } from "../../generators/check/connectivity/netpol.js";

const ADDR: Record<string, string> = {
  "x/a": "10.0.1.10",
  "x/b": "10.0.1.11",
  "x/c": "10.0.1.12",
  "y/a": "10.0.2.10",
  "y/b": "10.0.2.11",
  "y/c": "10.0.2.12",
  "z/a": "10.0.3.10",
  "z/b": "10.0.3.11",
  "z/c": "10.0.3.12",
};

export const SERVE_PORTS: PodPort[] = [80, 81].flatMap((port) =>
  (["TCP", "UDP"] as const).map((protocol) => ({ name: `serve-${port}-${protocol.toLowerCase()}`, port, protocol })),
);

export function cidr(s: string): Cidr {
  const c = parseCidr(s);
  if (!c) throw new Error(`bad CIDR ${s}`);
  return c;
}

/** Pod "ns/name" of the e2e topology. */
export function pod(id: string): NetPod {
  const [namespace = "", name = ""] = id.split("/");
  return {
    namespace,
    labels: { pod: name },
    namespaceLabels: { "kubernetes.io/metadata.name": namespace, ns: namespace },
    ports: SERVE_PORTS,
    addresses: [cidr(ADDR[id] ?? "10.9.9.9")],
  };
}

export function policy(namespace: string, name: string, spec: Record<string, unknown>): NetworkPolicy {
  return { namespace, name, spec };
}

/** e2e GenNetworkPolicyWithNameAndPodMatchLabel: a policy on pod `pod: <target>`. */
export function on(target: string, spec: Record<string, unknown>, namespace = "x", name = "p"): NetworkPolicy {
  return policy(namespace, name, { podSelector: target === "*" ? {} : { matchLabels: { pod: target } }, ...spec });
}
