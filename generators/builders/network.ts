/**
 * NetworkPolicies: default-deny for the namespace, then one policy per app. Both sides
 * of every app-to-app connection come from the caller's `calls` (builders/connections.ts):
 * the caller's egress to the callee's port and the callee's ingress from the caller, so
 * each connection is written once. Non-app callers (namespaces, Jobs, address ranges)
 * come from the callee's `network.ingress`.
 */
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type {
  INetworkPolicyEgressRule,
  INetworkPolicyIngressRule,
  INetworkPolicyPeer,
  INetworkPolicyPort,
} from "kubernetes-models/networking.k8s.io/v1";
import { ANNOTATIONS, LABELS, PLATFORM, PLATFORM_SERVICES } from "../fleet/constants.js";
import type { Call } from "../api/wiring.js";
import type { ClusterSpec } from "../fleet/fleet.js";
import type { AppSpec, Peer, TenantSpec } from "../api/tenant.js";
import { connectionsOf, connectionsTo, viaVpc } from "./connections.js";
import type { KubeObject } from "./object.js";
import { appLabels, jobSelectorLabels, selectorLabels, tenantLabels, tenantNamespace } from "./labels.js";
import { meshEgress, meshIngress } from "./istio.js";

export function nsSelector(namespace: string): INetworkPolicyPeer["namespaceSelector"] {
  return { matchLabels: { [LABELS.namespaceName]: namespace } };
}

function peerSelector(self: TenantSpec, peer: Peer): INetworkPolicyPeer | undefined {
  if (peer.namespace !== undefined) return { namespaceSelector: nsSelector(peer.namespace) };
  if (peer.cidr !== undefined) return { ipBlock: { cidr: peer.cidr } };
  if (peer.job !== undefined) return { podSelector: { matchLabels: jobSelectorLabels(self, peer.job) } };
  return undefined; // `vpc`: the cluster's range, in the per-cluster policy
}

/** The pods of `app` as seen from a policy in `from`'s namespace. */
function appPeer(from: TenantSpec, tenant: TenantSpec, app: AppSpec): INetworkPolicyPeer {
  const pod = { podSelector: { matchLabels: selectorLabels(tenant, app) } };
  return tenant.name === from.name ? pod : { ...pod, namespaceSelector: nsSelector(tenantNamespace(tenant)) };
}

/** Container ports by name, as NetworkPolicy ports (which match the pod's ports). */
export function ports(app: AppSpec, names: readonly string[]): INetworkPolicyPort[] {
  return names.map((n) => {
    const p = app.ports.find((x) => x.name === n);
    if (!p) throw new Error(`internal: ${app.name} has no port ${n}`);
    return { protocol: p.protocol ?? "TCP", port: p.containerPort };
  });
}

function ingressRules(tenant: TenantSpec, all: readonly TenantSpec[], app: AppSpec, edge: readonly string[]): INetworkPolicyIngressRule[] {
  const rules: INetworkPolicyIngressRule[] = [];
  // One rule per caller, with every port it calls: derived from the callers' `calls`.
  const byCaller = new Map<string, { peer: INetworkPolicyPeer; ports: string[] }>();
  for (const c of connectionsTo(tenant, all, app)) {
    const key = `${c.callerTenant.name}/${c.caller.name}`;
    const entry = byCaller.get(key) ?? { peer: appPeer(tenant, c.callerTenant, c.caller), ports: [] };
    if (!entry.ports.includes(c.port.name)) entry.ports.push(c.port.name);
    byCaller.set(key, entry);
  }
  for (const { peer, ports: names } of byCaller.values()) rules.push({ from: [peer], ports: ports(app, names) });
  for (const r of app.network?.ingress ?? []) {
    const from = r.from.flatMap((p) => peerSelector(tenant, p) ?? []);
    if (from.length > 0) rules.push({ from, ports: ports(app, r.ports) });
  }
  const ingressPorts = [...new Set((app.exposure?.ingress?.paths ?? []).map((p) => p.port))].sort();
  // The edges the fleet runs (builders/edge.ts edgeNamespaces) reach the ports the app's public paths route to.
  if (ingressPorts.length > 0 && edge.length > 0)
    rules.push({ from: edge.map((ns) => ({ namespaceSelector: nsSelector(ns) })), ports: ports(app, ingressPorts) });
  if (app.monitoring)
    rules.push({ from: [{ namespaceSelector: nsSelector(PLATFORM.monitoringNamespace) }], ports: ports(app, [app.monitoring.port]) });
  rules.push(...meshIngress(tenant, app));
  return rules;
}

/** The caller's side of its `calls` that selects pods or the internet; VPC-range calls are per cluster (buildClusterNetworkPolicies). */
function callEgress(tenant: TenantSpec, all: readonly TenantSpec[], caller: AppSpec): INetworkPolicyEgressRule[] {
  const rules: INetworkPolicyEgressRule[] = [];
  // One rule per destination, with every port called there.
  const byDestination = new Map<string, INetworkPolicyEgressRule>();
  const push = (rule: INetworkPolicyEgressRule): void => {
    const key = JSON.stringify(rule.to);
    const prior = byDestination.get(key);
    if (!prior) {
      byDestination.set(key, rule);
      rules.push(rule);
      return;
    }
    for (const p of rule.ports ?? []) {
      if (!(prior.ports ?? []).some((q) => q.port === p.port && q.protocol === p.protocol)) prior.ports = [...(prior.ports ?? []), p];
    }
  };
  for (const c of connectionsOf(tenant, all, caller)) {
    if (c.kind === "app") push({ to: [appPeer(tenant, c.tenant, c.app)], ports: ports(c.app, [c.port.name]) });
    else if (c.kind === "platform") {
      const svc: { namespace: string; port: number; pods?: Readonly<Record<string, string>> } = PLATFORM_SERVICES[c.name];
      if (c.name === "dns" || viaVpc(c.name)) continue; // DNS: every pod's DNS_EGRESS; the API server: per cluster
      push({
        to: [{ namespaceSelector: nsSelector(svc.namespace), ...(svc.pods ? { podSelector: { matchLabels: { ...svc.pods } } } : {}) }],
        ports: [{ protocol: "TCP", port: svc.port }],
      });
    } else if (c.external.range === "internet")
      push({ to: [{ ipBlock: { cidr: ANYWHERE } }], ports: [{ protocol: "TCP", port: c.external.port }] });
  }
  return rules;
}

/** The reviewed reasons and expiries of a policy's 0.0.0.0/0 egress, on the policy itself, so the rendered object says why it is open and until when. */
export function openEgressAnnotation(calls: readonly Call[]): { annotations?: Record<string, string> } {
  const lines = calls.flatMap((c) =>
    c.external?.range === "internet" ? [`${c.external.host}:${c.external.port} until ${c.external.expires}: ${c.external.reason}`] : [],
  );
  return lines.length > 0 ? { annotations: { [ANNOTATIONS.openEgress]: [...new Set(lines)].join("\n") } } : {};
}

/** Open egress; only a `range: "internet"` external with a reason and an expiry produces it. */
const ANYWHERE = "0.0.0.0/0";

export const DNS_EGRESS: INetworkPolicyEgressRule = {
  to: [{ namespaceSelector: nsSelector("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
  ports: [
    { protocol: "UDP", port: 53 },
    { protocol: "TCP", port: 53 },
  ],
};

/** `edge`: the namespaces of the edges that route public traffic to exposed apps (builders/edge.ts edgeNamespaces). */
export function buildNetworkPolicies(tenant: TenantSpec, all: readonly TenantSpec[], edge: readonly string[]): KubeObject[] {
  const namespace = tenantNamespace(tenant);
  const policies: KubeObject[] = [
    new NetworkPolicy({
      metadata: { name: "default-deny", namespace, labels: tenantLabels(tenant) },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    }),
  ];
  for (const app of tenant.apps) {
    const egress = [DNS_EGRESS, ...callEgress(tenant, all, app), ...meshEgress(tenant)];
    const ingress = ingressRules(tenant, all, app, edge);
    policies.push(
      new NetworkPolicy({
        metadata: { name: app.name, namespace, labels: appLabels(tenant, app), ...openEgressAnnotation(app.calls ?? []) },
        spec: {
          podSelector: { matchLabels: selectorLabels(tenant, app) },
          policyTypes: ["Ingress", "Egress"],
          ...(ingress.length > 0 ? { ingress } : {}),
          egress,
        },
      }),
    );
  }
  return policies;
}

/**
 * Per-cluster NetworkPolicies `<app>-vpc`: egress to the cluster's VPC range for the
 * app's `range: "vpc"` externals and the API server, and ingress from it for `{ vpc: true }`
 * peers. NetworkPolicies are additive, so these only widen the app's base policy by
 * exactly the cluster's own range (fleet `vpcCidr`).
 */
export function buildClusterNetworkPolicies(tenant: TenantSpec, all: readonly TenantSpec[], cluster: ClusterSpec): KubeObject[] {
  const namespace = tenantNamespace(tenant);
  const out: KubeObject[] = [];
  for (const app of tenant.apps) {
    const egressPorts: number[] = [];
    for (const c of connectionsOf(tenant, all, app)) {
      const port =
        c.kind === "external" && c.external.range === "vpc"
          ? c.external.port
          : c.kind === "platform" && viaVpc(c.name)
            ? PLATFORM_SERVICES[c.name].port
            : undefined;
      if (port !== undefined && !egressPorts.includes(port)) egressPorts.push(port);
    }
    const ingressPorts = (app.network?.ingress ?? []).filter((r) => r.from.some((p) => p.vpc === true)).flatMap((r) => r.ports);
    if (egressPorts.length === 0 && ingressPorts.length === 0) continue;
    const cidr = cluster.vpcCidr;
    if (!cidr)
      throw new Error(
        `generators/fleet/fleet.ts: clusters[${cluster.name}].vpcCidr: missing; ${tenant.name}/${app.name} is reached through the VPC range`,
      );
    const block: INetworkPolicyPeer = { ipBlock: { cidr } };
    out.push(
      new NetworkPolicy({
        metadata: { name: `${app.name}-vpc`, namespace, labels: { ...appLabels(tenant, app), [LABELS.cluster]: cluster.name } },
        spec: {
          podSelector: { matchLabels: selectorLabels(tenant, app) },
          policyTypes: [
            ...(ingressPorts.length > 0 ? (["Ingress"] as const) : []),
            ...(egressPorts.length > 0 ? (["Egress"] as const) : []),
          ],
          ...(ingressPorts.length > 0 ? { ingress: [{ from: [block], ports: ports(app, [...new Set(ingressPorts)]) }] } : {}),
          ...(egressPorts.length > 0 ? { egress: [{ to: [block], ports: egressPorts.map((port) => ({ protocol: "TCP", port })) }] } : {}),
        },
      }),
    );
  }
  return out;
}
