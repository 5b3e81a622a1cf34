/**
 * NetworkPolicies: default-deny for the namespace, then one policy per app admitting
 * exactly the callers its intents name. A caller's egress is derived from the callee's
 * intent, so each intent is written once.
 */
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type {
  INetworkPolicyEgressRule,
  INetworkPolicyIngressRule,
  INetworkPolicyPeer,
  INetworkPolicyPort,
} from "kubernetes-models/networking.k8s.io/v1";
import { LABELS, PLATFORM } from "../fleet/constants.js";
import type { AppSpec, Peer, TenantSpec } from "../api/tenant.js";
import type { KubeObject } from "./object.js";
import { appLabels, jobSelectorLabels, selectorLabels, tenantLabels, tenantNamespace } from "./labels.js";
import { meshEgress, meshIngress } from "./istio.js";

export function nsSelector(namespace: string): INetworkPolicyPeer["namespaceSelector"] {
  return { matchLabels: { [LABELS.namespaceName]: namespace } };
}

function findTenant(all: readonly TenantSpec[], name: string): TenantSpec {
  const t = all.find((x) => x.name === name);
  if (!t) throw new Error(`internal: unknown tenant ${name}`);
  return t;
}

function findApp(tenant: TenantSpec, name: string): AppSpec {
  const a = tenant.apps.find((x) => x.name === name);
  if (!a) throw new Error(`internal: unknown app ${tenant.name}/${name}`);
  return a;
}

function peerSelector(self: TenantSpec, all: readonly TenantSpec[], peer: Peer): INetworkPolicyPeer {
  if (peer.namespace !== undefined) return { namespaceSelector: nsSelector(peer.namespace) };
  if (peer.cidr !== undefined) return { ipBlock: { cidr: peer.cidr } };
  if (peer.job !== undefined) return { podSelector: { matchLabels: jobSelectorLabels(self, peer.job) } };
  const tenant = peer.tenant ? findTenant(all, peer.tenant) : self;
  const pod = { podSelector: { matchLabels: selectorLabels(tenant, findApp(tenant, peer.app)) } };
  return tenant === self ? pod : { ...pod, namespaceSelector: nsSelector(tenantNamespace(tenant)) };
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
  const rules: INetworkPolicyIngressRule[] = (app.network?.ingress ?? []).map((r) => ({
    from: r.from.map((p) => peerSelector(tenant, all, p)),
    ports: ports(app, r.ports),
  }));
  const ingressPorts = [...new Set((app.exposure?.ingress?.paths ?? []).map((p) => p.port))].sort();
  // The edges the fleet runs (builders/edge.ts edgeNamespaces) reach the ports the app's public paths route to.
  if (ingressPorts.length > 0 && edge.length > 0)
    rules.push({ from: edge.map((ns) => ({ namespaceSelector: nsSelector(ns) })), ports: ports(app, ingressPorts) });
  if (app.monitoring)
    rules.push({ from: [{ namespaceSelector: nsSelector(PLATFORM.monitoringNamespace) }], ports: ports(app, [app.monitoring.port]) });
  rules.push(...meshIngress(tenant, app));
  return rules;
}

/** Every app (in any tenant) whose intents admit `caller`, with the ports admitted. */
function calleesOf(tenant: TenantSpec, all: readonly TenantSpec[], caller: AppSpec): INetworkPolicyEgressRule[] {
  const rules: INetworkPolicyEgressRule[] = [];
  for (const t of all) {
    for (const callee of t.apps) {
      for (const r of callee.network?.ingress ?? []) {
        const admitted = r.from.some((p) => p.app !== undefined && p.app === caller.name && (p.tenant ?? t.name) === tenant.name);
        if (!admitted) continue;
        const to: INetworkPolicyPeer = { podSelector: { matchLabels: selectorLabels(t, callee) } };
        if (t !== tenant) to.namespaceSelector = nsSelector(tenantNamespace(t));
        rules.push({ to: [to], ports: ports(callee, r.ports) });
      }
    }
  }
  return rules;
}

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
    const egress = [DNS_EGRESS, ...calleesOf(tenant, all, app), ...meshEgress(tenant)];
    for (const e of app.network?.egressTo ?? []) {
      egress.push({ to: [{ namespaceSelector: nsSelector(e.namespace) }], ports: e.ports.map((port) => ({ protocol: "TCP", port })) });
    }
    const external = app.network?.externalPorts ?? [];
    if (external.length > 0)
      egress.push({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: external.map((port) => ({ protocol: "TCP", port })) });
    const ingress = ingressRules(tenant, all, app, edge);
    policies.push(
      new NetworkPolicy({
        metadata: { name: app.name, namespace, labels: appLabels(tenant, app) },
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
