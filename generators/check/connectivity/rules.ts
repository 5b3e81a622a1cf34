/**
 * The connectivity rules. Both read across namespaces (a flow's source and destination are
 * in different namespaces, and Prometheus, the edge gateway and KEDA are everyone's
 * clients), so they run once per cluster (types.ts RuleLocality "cluster").
 */
import type { ClusterRule, Hit } from "../policy/types.js";
import { kindOf, namespaceOf, nameOf, objs, obj, str } from "../policy/util.js";
import { clusterFlows, type FlowResult } from "./evaluate.js";
import { isWorld, parseCidr } from "./ip.js";
import { policyTypes, type NetworkPolicy } from "./netpol.js";

const LAYER_FIX: Readonly<Record<string, string>> = {
  destination: "Point the address at a Service that exists and selects pods on that port, or remove the setting.",
  "netpol-egress": "Declare the call in the caller's tenant spec so its egress rule is generated (generators/tenants/).",
  "netpol-ingress": "Declare the caller in the callee's network intents so its ingress rule is generated.",
  "peer-authentication": "Put the client in the mesh (sidecar injection on its namespace), or make the port PERMISSIVE with a reason.",
  "authorization-policy": "Add the caller to the callee's allowed callers, so its AuthorizationPolicy rule is generated.",
};

/** One line for a flow: source -> destination, what needs it. */
export function describeFlow(r: FlowResult): string {
  return `${r.flow.source.display} -> ${r.destination} (${r.flow.evidence})`;
}

function flowHit(r: FlowResult): Hit {
  const first = r.denials[0];
  return {
    object: r.flow.object,
    tenant: r.flow.tenant,
    path: r.flow.path,
    message: `${describeFlow(r)} is denied by ${r.denials.map((d) => d.message).join("; and by ")}`,
    fix: LAYER_FIX[first?.layer ?? "destination"] ?? "",
  };
}

/**
 * A denied flow, except a typed reference whose only fault is its own destination (a missing
 * Service, port or selector): the ref-* rules report those (policy/references.ts).
 */
function reported(r: FlowResult): boolean {
  return r.denials.length > 0 && !(r.flow.structured && r.denials.every((d) => d.layer === "destination"));
}

/** Egress rules open to every address: an ipBlock of 0.0.0.0/0 or ::/0, or a rule with no `to`. */
export function worldEgress(np: NetworkPolicy): { path: string; what: string }[] {
  const out: { path: string; what: string }[] = [];
  const spec = np.spec;
  if (!policyTypes(np).includes("Egress")) return out; // the egress section is then ignored
  objs(spec.egress).forEach((rule, i) => {
    const ports = objs(rule.ports).map((p) => `${String(p.port ?? "*")}/${str(p.protocol) ?? "TCP"}`);
    const on = ports.length > 0 ? ports.join(",") : "every port";
    if (rule.to === undefined || objs(rule.to).length === 0) out.push({ path: `spec.egress[${i}]`, what: `every destination on ${on}` });
    objs(rule.to).forEach((peer, j) => {
      const cidr = str(obj(peer.ipBlock).cidr);
      const c = cidr !== undefined ? parseCidr(cidr) : undefined;
      if (c && isWorld(c)) out.push({ path: `spec.egress[${i}].to[${j}].ipBlock.cidr`, what: `${cidr} on ${on}` });
    });
  });
  return out;
}

export const CONNECTIVITY_RULES: readonly ClusterRule[] = [
  {
    id: "net-flow-denied",
    scope: "cluster",
    locality: "cluster",
    description:
      "Every flow the rendered objects need (addresses in env and ConfigMaps, Istio Gateway and Gateway API route backends, ServiceMonitors and PodMonitors, KEDA triggers, what the CloudNativePG operator wires, the API server for bound ServiceAccounts, DNS) is allowed by the source's NetworkPolicy egress, the destination's ingress (EKS network policy agent semantics) and, in the mesh, PeerAuthentication and AuthorizationPolicy.",
    fix: "Declare the connection in the tenant spec, so both sides' policies are generated; or remove the address that is not used.",
    check: (ctx) => clusterFlows(ctx).filter(reported).map(flowHit),
  },
  {
    id: "net-egress-world",
    scope: "cluster",
    locality: "cluster",
    description:
      "No NetworkPolicy opens egress to every address (0.0.0.0/0, ::/0, or a rule without `to`) without a typed, expiring exception.",
    fix: "Narrow the egress to the VPC range or named hosts; if the destination really is the internet, declare an exception with its reason and expiry in the tenant spec (api/exception.ts).",
    check: (ctx) =>
      ctx.objects
        .filter((l) => kindOf(l.obj) === "NetworkPolicy")
        .flatMap((l) =>
          worldEgress({ namespace: namespaceOf(l.obj), name: nameOf(l.obj), spec: obj(l.obj.spec) }).map((w) => ({
            object: `NetworkPolicy/${namespaceOf(l.obj)}/${nameOf(l.obj)}`,
            tenant: l.tenant,
            path: w.path,
            message: `egress to ${w.what}`,
          })),
        ),
  },
];
