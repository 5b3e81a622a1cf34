/**
 * Whether each needed flow is allowed: NetworkPolicy egress of the source AND ingress of
 * every backend, AND, where the backend runs a sidecar that captures the port, Istio's
 * PeerAuthentication (a plaintext client against STRICT) and AuthorizationPolicies.
 */
import { memoByIdentity } from "../memo.js";
import type { ClusterContext } from "../policy/types.js";
import { clusterModel, isHttpPort, type ClusterModel } from "./cluster.js";
import { authorize, effectiveMtls } from "./istio.js";
import { egressVerdict, ingressVerdict, type NetDestination, type NetService } from "./netpol.js";
import { neededFlows, flowBackends, type Flow } from "./needs.js";
import { API_SERVER_ADDRESSES, API_SERVER } from "./platform.js";

/** The `kubernetes` Service in `default`: no selector, port 443 to the control plane. */
const API_SERVICE: NetService = {
  namespace: API_SERVER.namespace,
  name: API_SERVER.name,
  selector: {},
  headless: false,
  ports: [{ port: API_SERVER.port, targetPort: API_SERVER.port, protocol: "TCP" }],
  addresses: API_SERVER_ADDRESSES,
};

export type Layer = "destination" | "netpol-egress" | "netpol-ingress" | "peer-authentication" | "authorization-policy";

export interface Denial {
  layer: Layer;
  /** e.g. "NetworkPolicy egress of uiota/backend-api (policies uiota/default-deny, uiota/backend-api)". */
  message: string;
}

export interface FlowResult {
  flow: Flow;
  /** "ns/svc:port" or what the flow names. */
  destination: string;
  port: number | undefined;
  denials: Denial[];
  /** What allowed it, for the matrix. */
  allowedBy: string[];
  /** The pods of one headless Service a setting names (merged into one flow). */
  pods?: string[] | undefined;
}

function destinationOf(f: Flow): string {
  const t = f.target;
  if (t.kind === "service") return `${t.service.namespace}/${t.service.name}:${t.port.port}/${t.port.protocol}`;
  if (t.kind === "pod") return `${t.service.namespace}/${t.pod}:${t.port.port}/${t.port.protocol}`;
  if (t.kind === "api-server") return `API server (${API_SERVER.namespace}/${API_SERVER.name}):${t.port}/TCP`;
  return `${t.host}${t.port !== undefined ? `:${t.port}` : ""}`;
}

function list(xs: readonly string[]): string {
  return xs.join(", ");
}

/** The verdict of one flow in a cluster. */
export function evaluateFlow(model: ClusterModel, f: Flow): FlowResult {
  const t = f.target;
  const result: FlowResult = { flow: f, destination: destinationOf(f), port: undefined, denials: [], allowedBy: [] };
  const nsLabels = (ns: string): Record<string, string> => model.namespaces.get(ns) ?? {};
  const src = f.source;
  if (t.kind === "missing") {
    result.denials.push({ layer: "destination", message: t.reason });
    return result;
  }
  if (t.kind === "api-server") {
    result.port = t.port;
    const conn = { port: t.port, protocol: "TCP" as const };
    // What the agent sees before kube-proxy's DNAT: the `kubernetes` Service's ClusterIP (endpoints.go
    // getMatchingServiceClusterIPs: a selector-less Service matches an empty podSelector in `default`)...
    let eg = egressVerdict(model.policies, src, { kind: "service", service: API_SERVICE, pods: [] }, conn, nsLabels);
    // ...or the control plane's ENIs in the VPC, the maintainers' advice (aws/aws-network-policy-agent#281).
    if (!eg.allowed) {
      const eni = egressVerdict(model.policies, src, { kind: "address", addresses: src.addresses }, conn, nsLabels);
      if (eni.allowed) eg = eni;
    }
    if (!eg.allowed)
      result.denials.push({
        layer: "netpol-egress",
        message: `NetworkPolicy egress of ${src.display} (${list(eg.isolatedBy)}) has no rule for the API server (the kubernetes Service's ClusterIP, or the VPC range) on ${t.port}/TCP`,
      });
    else result.allowedBy.push(eg.allowedBy ? `egress ${eg.allowedBy}` : "egress not isolated");
    return result;
  }
  const backends = flowBackends(model, f);
  if (backends.length === 0) {
    result.denials.push({ layer: "destination", message: `Service ${t.service.namespace}/${t.service.name} selects no pods` });
    return result;
  }
  const byLayer = new Map<string, Denial>();
  const deny = (d: Denial): void => {
    if (!byLayer.has(d.message)) byLayer.set(d.message, d);
  };
  for (const { w, port } of backends) {
    result.port = port;
    if (port === undefined) {
      deny({ layer: "destination", message: `${w.display} has no container port ${String(t.port.targetPort)}` });
      continue;
    }
    // Egress: a client without a sidecar goes to the ClusterIP (unless headless); with one, to the pod.
    const dest: NetDestination =
      f.direct || t.kind === "pod" ? { kind: "pod", pod: w } : { kind: "service", service: t.service, pods: backends.map((b) => b.w) };
    const conn = dest.kind === "service" ? { port: t.port.port, protocol: t.port.protocol } : { port, protocol: t.port.protocol };
    const eg = egressVerdict(model.policies, src, dest, conn, nsLabels);
    if (!eg.allowed) deny({ layer: "netpol-egress", message: `NetworkPolicy egress of ${src.display} (${list(eg.isolatedBy)})` });
    else result.allowedBy.push(eg.allowedBy ? `egress ${eg.allowedBy}` : "egress not isolated");
    const ing = ingressVerdict(model.policies, { kind: "pod", pod: src }, w, { port, protocol: t.port.protocol });
    if (!ing.allowed) deny({ layer: "netpol-ingress", message: `NetworkPolicy ingress of ${w.display} (${list(ing.isolatedBy)})` });
    else result.allowedBy.push(ing.allowedBy ? `ingress ${ing.allowedBy}` : "ingress not isolated");
    if (!w.meshed || w.uncaptured(port) || t.port.protocol !== "TCP") continue;
    const mtls = effectiveMtls(model.peerAuthentications, w, port);
    const clientMtls = src.meshed && mtls.mode !== "DISABLE";
    if (mtls.mode === "STRICT" && !src.meshed) {
      deny({
        layer: "peer-authentication",
        message: `PeerAuthentication STRICT (${mtls.by}) refuses plaintext from ${src.display}, which has no sidecar`,
      });
      continue;
    }
    const authz = authorize(model.authorizationPolicies, w, {
      client: { meshed: src.meshed, namespace: src.namespace, serviceAccount: src.serviceAccount },
      mtls: clientMtls,
      port,
      http: isHttpPort(t.port),
    });
    if (!authz.allowed) deny({ layer: "authorization-policy", message: authz.reason });
    else result.allowedBy.push(authz.reason);
  }
  result.denials = [...byLayer.values()];
  result.allowedBy = [...new Set(result.allowedBy)];
  return result;
}

/** Flows to several pods of one headless Service from one setting are one flow (a Redis Cluster node list). */
function groupKey(r: FlowResult): string {
  const t = r.flow.target;
  const dest = t.kind === "pod" ? `${t.service.namespace}/${t.service.name}:${t.port.port}/${t.port.protocol}` : r.destination;
  return `${r.flow.source.id} ${dest} ${r.flow.evidence}`;
}

function merge(a: FlowResult, b: FlowResult): FlowResult {
  const ta = a.flow.target;
  const tb = b.flow.target;
  if (ta.kind !== "pod" || tb.kind !== "pod") return a;
  const pods = [...new Set([...(a.pods ?? [ta.pod]), tb.pod])];
  const denials = [...a.denials, ...b.denials.filter((d) => !a.denials.some((x) => x.message === d.message))];
  return {
    ...a,
    pods,
    destination: `${ta.service.namespace}/{${pods.join(",")}}:${ta.port.port}/${ta.port.protocol}`,
    denials,
    allowedBy: [...new Set([...a.allowedBy, ...b.allowedBy])],
  };
}

/** Every needed flow of a cluster with its verdict, once per cluster context, deduplicated and sorted. */
export const clusterFlows = memoByIdentity((ctx: ClusterContext): FlowResult[] => {
  const model = clusterModel(ctx);
  const seen = new Map<string, FlowResult>();
  for (const f of neededFlows(model)) {
    const r = evaluateFlow(model, f);
    const k = groupKey(r);
    const prev = seen.get(k);
    seen.set(k, prev ? merge(prev, r) : r);
  }
  const line = (r: FlowResult): string => `${r.flow.source.display} ${r.destination} ${r.flow.evidence}`;
  return [...seen.values()].sort((a, b) => (line(a) < line(b) ? -1 : line(a) > line(b) ? 1 : 0));
});
