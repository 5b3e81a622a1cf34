/**
 * The edge on the Gateway API (docs/edge.md). The platform owns one Gateway per cluster with
 * one HTTPS listener per tenant host pattern, each admitting routes only from that tenant's
 * namespace; tenants own HTTPRoutes generated from the same `exposure.ingress` declarations
 * that generated Ingresses. Ownership is the Gateway API's own (gateway-api
 * site-src/concepts/security-model.md, "Route binding"): a route attaches to a listener only
 * if the listener's `allowedRoutes` admits the route's namespace and kind, and it serves only
 * the hostnames that intersect the listener's hostname (apis/v1/httproute_types.go Hostnames).
 */
import { Gateway } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway";
import { HTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute";
import { ANNOTATIONS, BASE_DOMAIN, EDGE, GATEWAY_API_GROUP, LABELS, MANAGED_BY } from "../fleet/constants.js";
import { clusterHost, globalHost, hostsFor } from "../fleet/domains.js";
import { type ClusterSpec, envSpec, type Fleet } from "../fleet/fleet.js";
import type { AppSpec, TenantSpec } from "../api/tenant.js";
import { appLabels, tenantNamespace } from "./labels.js";
import type { KubeObject } from "./object.js";
import { servicePort } from "./ports.js";
import { buildEdgeFilters } from "./edge-filters.js";
import { buildListenerCertificates } from "./certificates.js";

/**
 * The namespaces of the edge that routes public traffic to exposed apps: the Gateway's.
 * NetworkPolicies and AuthorizationPolicies admit it (base/, the same on every cluster).
 */
export function edgeNamespaces(): string[] {
  return [EDGE.namespace];
}

/** One tenant's listeners on a cluster: its cluster hosts, and in prod its global hosts. */
interface TenantListener {
  name: string;
  /** A wildcard one label deep: `*.<tenant>.<cluster>.<base>` or `*.<tenant>.<base>`. */
  hostname: string;
  /** The Secret in the Gateway's namespace holding the listener's certificate. */
  secretName: string;
}

export function tenantListeners(fleet: Fleet, tenant: string, cluster: ClusterSpec): TenantListener[] {
  const listeners: TenantListener[] = [{ name: tenant, hostname: clusterHost("*", tenant, cluster), secretName: `${tenant}.edge-tls` }];
  if (envSpec(fleet, cluster.env).production) {
    listeners.push({ name: `${tenant}-global`, hostname: globalHost("*", tenant), secretName: `${tenant}.edge-global-tls` });
  }
  return listeners;
}

const exposed = (tenant: TenantSpec): boolean => tenant.apps.some((a) => a.exposure?.ingress !== undefined);

/** The HTTP listener: it serves only the platform's redirect to HTTPS. */
const HTTP_LISTENER = "http";

/**
 * The platform's Gateway of one cluster, its certificates (issued in the Gateway's namespace,
 * where it reads `certificateRefs` without a ReferenceGrant) and the HTTP-to-HTTPS redirect.
 */
export function buildEdge(fleet: Fleet, cluster: ClusterSpec, tenants: readonly TenantSpec[]): KubeObject[] {
  const withHosts = tenants.filter(exposed);
  const labels = { [LABELS.managedBy]: MANAGED_BY, [LABELS.component]: "edge" };
  const listeners = withHosts.flatMap((t) =>
    tenantListeners(fleet, t.name, cluster).map((l) => ({
      name: l.name,
      hostname: l.hostname,
      port: 443,
      protocol: "HTTPS",
      tls: { mode: "Terminate" as const, certificateRefs: [{ kind: "Secret", group: "", name: l.secretName }] },
      allowedRoutes: {
        namespaces: { from: "Selector" as const, selector: { matchLabels: { [LABELS.namespaceName]: tenantNamespace(t) } } },
        kinds: [{ group: GATEWAY_API_GROUP, kind: "HTTPRoute" }],
      },
    })),
  );
  const gateway = new Gateway({
    metadata: { name: EDGE.gatewayName, namespace: EDGE.namespace, labels },
    spec: {
      gatewayClassName: EDGE.gatewayClass,
      // Istio's manual deployment: bind to the istio-ingressgateway workload and its load balancer.
      addresses: [{ type: "Hostname", value: EDGE.address }],
      listeners: [
        {
          name: HTTP_LISTENER,
          port: 80,
          protocol: "HTTP",
          allowedRoutes: { namespaces: { from: "Same" }, kinds: [{ group: GATEWAY_API_GROUP, kind: "HTTPRoute" }] },
        },
        ...listeners,
      ],
    },
  });
  const certificates = withHosts.flatMap((t) =>
    buildListenerCertificates(t.name, tenantListeners(fleet, t.name, cluster), { ...labels, [LABELS.tenant]: t.name }),
  );
  const redirect = new HTTPRoute({
    metadata: { name: "https-redirect", namespace: EDGE.namespace, labels },
    spec: {
      parentRefs: [{ group: GATEWAY_API_GROUP, kind: "Gateway", name: EDGE.gatewayName, sectionName: HTTP_LISTENER }],
      hostnames: [`*.${BASE_DOMAIN}`],
      rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
    },
  });
  return [gateway, ...certificates, redirect, ...buildEdgeFilters(fleet, cluster, tenants)];
}

/**
 * An exposed app's HTTPRoute on one cluster: attached to its tenant's listeners by
 * sectionName, with the same hosts and paths its Ingress had. external-dns reads the route's
 * hostnames (source gateway-httproute) and the set identifier below, exactly as it read the
 * Ingress's; the region annotation comes from the region component, as for Ingresses.
 */
export function buildHttpRoute(fleet: Fleet, tenant: TenantSpec, app: AppSpec, cluster: ClusterSpec): KubeObject[] {
  const spec = app.exposure?.ingress;
  if (!spec) return [];
  return [
    new HTTPRoute({
      metadata: {
        name: app.name,
        namespace: tenantNamespace(tenant),
        labels: appLabels(tenant, app),
        annotations: { [ANNOTATIONS.externalDnsSetIdentifier]: cluster.name },
      },
      spec: {
        parentRefs: tenantListeners(fleet, tenant.name, cluster).map((l) => ({
          group: GATEWAY_API_GROUP,
          kind: "Gateway",
          namespace: EDGE.namespace,
          name: EDGE.gatewayName,
          sectionName: l.name,
        })),
        hostnames: hostsFor(fleet, spec.host, tenant.name, cluster),
        rules: spec.paths.map((p) => ({
          matches: [{ path: { type: p.pathType === "Exact" ? ("Exact" as const) : ("PathPrefix" as const), value: p.path } }],
          backendRefs: [{ name: app.name, port: servicePort(app, p.port) }],
        })),
      },
    }),
  ];
}
