/**
 * Istio for a tenant that declares `mesh`: STRICT mTLS for the namespace, one
 * AuthorizationPolicy per app derived from the same network intents as its
 * NetworkPolicy, DestinationRules and VirtualServices from `traffic`, and an optional
 * Gateway on the shared Istio ingress gateway. VirtualServices and Gateways carry
 * cluster-specific hosts, so they are built per cluster like Ingresses.
 */
import { DestinationRule } from "@kubernetes-models/istio/networking.istio.io/v1/DestinationRule";
import { Gateway } from "@kubernetes-models/istio/networking.istio.io/v1/Gateway";
import { VirtualService } from "@kubernetes-models/istio/networking.istio.io/v1/VirtualService";
import { AuthorizationPolicy } from "@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy";
import { PeerAuthentication } from "@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication";
import { Certificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate";
import type { INetworkPolicyEgressRule, INetworkPolicyIngressRule } from "kubernetes-models/networking.k8s.io/v1";
import { ANNOTATIONS, ISTIO_SYSTEM_NAMESPACE, LABELS, MESH_DEFAULTS, PLATFORM } from "../fleet/constants.js";
import type { ClusterSpec, Fleet } from "../fleet/fleet.js";
import { hostsFor, serviceFqdn } from "../fleet/domains.js";
import type { AppSpec, MeshSpec, TenantSpec, TrafficSpec } from "../api/tenant.js";
import type { KubeObject } from "./object.js";
import { servicePort } from "./ports.js";
import { appLabels, selectorLabels, tenantLabels, tenantNamespace } from "./labels.js";
import { gatewayCredentialName } from "../api/names.js";
import { gatewayCertificateNames, globalTlsSecret } from "./certificates.js";
import { connectionsTo } from "./connections.js";

const ISTIOD_XDS_PORT = 15012;

function gatewayNamespace(mesh: MeshSpec): string {
  return mesh.gatewayNamespace ?? MESH_DEFAULTS.gatewayNamespace;
}

function containerPort(app: AppSpec, name: string): number {
  const p = app.ports.find((x) => x.name === name);
  if (!p) throw new Error(`internal: ${app.name} has no port ${name}`);
  return p.containerPort;
}

function trafficPort(app: AppSpec, t: TrafficSpec): string {
  if (t.port) return t.port;
  const p = app.ports.find((x) => (x.protocol ?? "TCP") === "TCP");
  if (!p) throw new Error(`internal: ${app.name} has no TCP port`);
  return p.name;
}

/** Sidecars reach istiod; added to every pod's NetworkPolicy egress when the tenant is meshed. */
export function meshEgress(tenant: TenantSpec): INetworkPolicyEgressRule[] {
  if (!tenant.mesh) return [];
  return [
    {
      to: [{ namespaceSelector: { matchLabels: { [LABELS.namespaceName]: ISTIO_SYSTEM_NAMESPACE } } }],
      ports: [{ protocol: "TCP", port: ISTIOD_XDS_PORT }],
    },
  ];
}

/** The shared Istio ingress gateway reaches the ports an app's `traffic.gateway` routes to. */
export function meshIngress(tenant: TenantSpec, app: AppSpec): INetworkPolicyIngressRule[] {
  const gw = app.traffic?.gateway;
  if (!tenant.mesh || !gw) return [];
  const ports = [...new Set(gw.paths.map((p) => p.port))].sort();
  return [
    {
      from: [{ namespaceSelector: { matchLabels: { [LABELS.namespaceName]: gatewayNamespace(tenant.mesh) } } }],
      ports: ports.map((p) => ({ protocol: "TCP", port: containerPort(app, p) })),
    },
  ];
}

function principal(namespace: string, serviceAccount: string): string {
  return `cluster.local/ns/${namespace}/sa/${serviceAccount}`;
}

/** ALLOW rules from the callers' `calls` and the app's non-app peers; an ALLOW policy without a matching rule denies. */
function authorizationPolicy(
  tenant: TenantSpec,
  all: readonly TenantSpec[],
  app: AppSpec,
  mesh: MeshSpec,
  edge: readonly string[],
): KubeObject {
  const namespace = tenantNamespace(tenant);
  type Rule = NonNullable<NonNullable<AuthorizationPolicy["spec"]>["rules"]>[number];
  const rules: Rule[] = [];
  const toPorts = (names: readonly string[]): Rule["to"] => [{ operation: { ports: names.map((n) => String(containerPort(app, n))) } }];
  // The callers' `calls`, one rule per caller (builders/connections.ts): the same connections as the NetworkPolicy ingress.
  const byCaller = new Map<string, string[]>();
  for (const c of connectionsTo(tenant, all, app)) {
    const p = principal(tenantNamespace(c.callerTenant), c.caller.name);
    const names = byCaller.get(p) ?? [];
    if (!names.includes(c.port.name)) names.push(c.port.name);
    byCaller.set(p, names);
  }
  for (const [p, names] of byCaller) rules.push({ from: [{ source: { principals: [p] } }], to: toPorts(names) });
  for (const r of app.network?.ingress ?? []) {
    const principals: string[] = [];
    const namespaces: string[] = [];
    const ipBlocks: string[] = [];
    for (const peer of r.from) {
      if (peer.cidr !== undefined) ipBlocks.push(peer.cidr);
      else if (peer.namespace !== undefined) namespaces.push(peer.namespace);
      else if (peer.job !== undefined) principals.push(principal(namespace, peer.job));
    }
    const from: NonNullable<Rule["from"]> = [];
    if (principals.length > 0) from.push({ source: { principals } });
    if (namespaces.length > 0) from.push({ source: { namespaces } });
    if (ipBlocks.length > 0) from.push({ source: { ipBlocks } });
    if (from.length > 0) rules.push({ from, to: toPorts(r.ports) });
  }
  const ingressPorts = [...new Set((app.exposure?.ingress?.paths ?? []).map((p) => p.port))].sort();
  // Both edges are in the mesh (the Istio gateway is an Envoy with the mesh's identity; ingress-nginx has a sidecar),
  // so they call STRICT workloads over mTLS and are admitted by namespace.
  if (ingressPorts.length > 0 && edge.length > 0) rules.push({ from: [{ source: { namespaces: [...edge] } }], to: toPorts(ingressPorts) });
  const gw = app.traffic?.gateway;
  if (gw) {
    const sa = mesh.gatewayServiceAccount ?? MESH_DEFAULTS.gatewayServiceAccount;
    rules.push({
      from: [{ source: { principals: [principal(gatewayNamespace(mesh), sa)] } }],
      to: toPorts([...new Set(gw.paths.map((p) => p.port))].sort()),
    });
  }
  // Prometheus scrapes in plaintext (the metrics port is PERMISSIVE), so no identity to match: the NetworkPolicy restricts it to `monitoring`.
  if (app.monitoring) rules.push({ to: toPorts([app.monitoring.port]) });
  return new AuthorizationPolicy({
    metadata: { name: app.name, namespace, labels: appLabels(tenant, app) },
    spec: { selector: { matchLabels: selectorLabels(tenant, app) }, action: "ALLOW", rules },
  });
}

function destinationRule(tenant: TenantSpec, app: AppSpec, t: TrafficSpec): KubeObject {
  const namespace = tenantNamespace(tenant);
  const od = t.outlierDetection ?? {};
  const pool = t.connectionPool;
  return new DestinationRule({
    metadata: { name: app.name, namespace, labels: appLabels(tenant, app) },
    spec: {
      host: serviceFqdn(app.name, namespace),
      trafficPolicy: {
        loadBalancer: { simple: t.loadBalancer ?? "LEAST_REQUEST" },
        outlierDetection: {
          consecutive5xxErrors: od.consecutive5xxErrors ?? 5,
          interval: od.interval ?? "30s",
          baseEjectionTime: od.baseEjectionTime ?? "30s",
          maxEjectionPercent: od.maxEjectionPercent ?? 50,
        },
        ...(pool
          ? {
              connectionPool: {
                ...(pool.maxConnections !== undefined ? { tcp: { maxConnections: pool.maxConnections } } : {}),
                ...(pool.http1MaxPendingRequests !== undefined || pool.maxRequestsPerConnection !== undefined
                  ? {
                      http: {
                        ...(pool.http1MaxPendingRequests !== undefined ? { http1MaxPendingRequests: pool.http1MaxPendingRequests } : {}),
                        ...(pool.maxRequestsPerConnection !== undefined ? { maxRequestsPerConnection: pool.maxRequestsPerConnection } : {}),
                      },
                    }
                  : {}),
              },
            }
          : {}),
        tls: { mode: "ISTIO_MUTUAL" },
      },
    },
  });
}

/** Env-independent mesh objects: PeerAuthentications, AuthorizationPolicies, DestinationRules. `edge`: as for NetworkPolicies. */
export function buildMeshBase(tenant: TenantSpec, all: readonly TenantSpec[], edge: readonly string[]): KubeObject[] {
  const mesh = tenant.mesh;
  if (!mesh) return [];
  const namespace = tenantNamespace(tenant);
  const mode = mesh.mtls ?? "STRICT";
  const objects: KubeObject[] = [
    new PeerAuthentication({ metadata: { name: "default", namespace, labels: tenantLabels(tenant) }, spec: { mtls: { mode } } }),
  ];
  for (const app of tenant.apps) {
    if (app.monitoring && mode === "STRICT") {
      // Prometheus is outside the mesh: only the metrics port accepts plaintext.
      objects.push(
        new PeerAuthentication({
          metadata: { name: `${app.name}-metrics`, namespace, labels: appLabels(tenant, app) },
          spec: {
            selector: { matchLabels: selectorLabels(tenant, app) },
            mtls: { mode: "STRICT" },
            portLevelMtls: { [String(containerPort(app, app.monitoring.port))]: { mode: "PERMISSIVE" } },
          },
        }),
      );
    }
    objects.push(authorizationPolicy(tenant, all, app, mesh, edge));
    if (app.traffic) objects.push(destinationRule(tenant, app, app.traffic));
  }
  return objects;
}

type HttpRoute = NonNullable<NonNullable<VirtualService["spec"]>["http"]>[number];

/** Per-cluster mesh objects: VirtualServices, and the Gateway of gateway apps (its certificate is the platform's: buildGatewayCertificates). */
export function buildMeshCluster(fleet: Fleet, tenant: TenantSpec, cluster: ClusterSpec): KubeObject[] {
  const mesh = tenant.mesh;
  if (!mesh) return [];
  const namespace = tenantNamespace(tenant);
  const objects: KubeObject[] = [];
  for (const app of tenant.apps) {
    const t = app.traffic;
    if (!t) continue;
    const labels = appLabels(tenant, app);
    const serviceHost = serviceFqdn(app.name, namespace);
    const policy = {
      timeout: t.timeout ?? "30s",
      retries: {
        attempts: t.retries?.attempts ?? 3,
        perTryTimeout: t.retries?.perTryTimeout ?? "10s",
        retryOn: t.retries?.retryOn ?? "5xx,reset,connect-failure,retriable-4xx",
      },
    };
    const http: HttpRoute[] = [];
    const hosts = [serviceHost];
    const gateways = ["mesh"];
    if (t.gateway) {
      const gwHosts = hostsFor(fleet, t.gateway.host, tenant.name, cluster);
      hosts.push(...gwHosts);
      gateways.push(app.name);
      for (const p of t.gateway.paths) {
        http.push({
          name: `gateway-${p.port}${p.path === "/" ? "" : p.path.replace(/[^a-z0-9]+/g, "-").replace(/-$/, "")}`,
          match: [{ gateways: [app.name], uri: { prefix: p.path } }],
          route: [{ destination: { host: serviceHost, port: { number: servicePort(app, p.port) } } }],
          ...policy,
        });
      }
      objects.push(
        new Gateway({
          metadata: {
            name: app.name,
            namespace,
            labels,
            annotations: {
              [ANNOTATIONS.externalDnsSetIdentifier]: cluster.name,
              [ANNOTATIONS.externalDnsAwsRegion]: cluster.region,
            },
          },
          spec: {
            selector: { ...(mesh.gatewaySelector ?? MESH_DEFAULTS.gatewaySelector) },
            servers: [
              // The cluster host with the tenant's own certificate; the global host (prod) with the tenant's
              // global wildcard, ordered once per environment (builders/certificates.ts).
              ...gwHosts.map((host, i) => ({
                port: { number: 443, name: i === 0 ? "https" : "https-global", protocol: "HTTPS" },
                hosts: [host],
                tls: {
                  mode: "SIMPLE" as const,
                  credentialName: i === 0 ? gatewayCredentialName(tenant, app) : globalTlsSecret(tenant.name),
                  minProtocolVersion: "TLSV1_2" as const,
                },
              })),
              { port: { number: 80, name: "http", protocol: "HTTP" }, hosts: gwHosts, tls: { httpsRedirect: true } },
            ],
          },
        }),
      );
    }
    http.push({
      name: "mesh",
      match: [{ gateways: ["mesh"] }],
      route: [{ destination: { host: serviceHost, port: { number: servicePort(app, trafficPort(app, t)) } } }],
      ...policy,
    });
    objects.push(new VirtualService({ metadata: { name: app.name, namespace, labels }, spec: { hosts, gateways, http } }));
  }
  return objects;
}

/**
 * The certificates of the tenants' Gateways on one cluster, in the namespace of the gateway
 * workload, where Istio reads a Gateway's credentialName. The platform issues them: a
 * tenant cannot write there, and the hosts policy admits a tenant Gateway only with its
 * own credentials (`<tenant>.` prefix).
 */
export function buildGatewayCertificates(_fleet: Fleet, cluster: ClusterSpec, tenants: readonly TenantSpec[]): KubeObject[] {
  return tenants.flatMap((tenant) =>
    tenant.mesh
      ? tenant.apps.flatMap((app) => {
          const gateway = app.traffic?.gateway;
          if (!gateway) return [];
          const secretName = gatewayCredentialName(tenant, app);
          return [
            new Certificate({
              metadata: {
                name: secretName,
                namespace: tenant.mesh?.gatewayNamespace ?? MESH_DEFAULTS.gatewayNamespace,
                labels: appLabels(tenant, app),
              },
              spec: {
                secretName,
                dnsNames: gatewayCertificateNames(gateway.host, tenant.name, cluster),
                issuerRef: { kind: "ClusterIssuer", name: PLATFORM.clusterIssuer },
              },
            }),
          ];
        })
      : [],
  );
}

/** Pod annotations that size the injected istio-proxy; empty without a mesh. */
export function sidecarAnnotations(tenant: TenantSpec): Record<string, string> {
  const r = tenant.mesh?.sidecarResources;
  if (!r) return {};
  return {
    [ANNOTATIONS.istioProxyCpu]: r.requests.cpu,
    [ANNOTATIONS.istioProxyMemory]: r.requests.memory,
    ...(r.limits.cpu ? { [ANNOTATIONS.istioProxyCpuLimit]: r.limits.cpu } : {}),
    [ANNOTATIONS.istioProxyMemoryLimit]: r.limits.memory,
  };
}
