/**
 * The typed edge options (`exposure.ingress.rateLimit`, `cors`, `maxBodySize`) on the Gateway edge,
 * as what Istio (1.29.0, the fleet's ISTIO_VERSION) implements for Gateway-API traffic. The
 * HTTPRoute `CORS` filter is in the experimental channel only (kubernetes-sigs/gateway-api v1.4.1
 * config/crd/standard/gateway.networking.k8s.io_httproutes.yaml has no `CORS` filter type; the
 * experimental CRD does), and the fleet installs the standard channel; Istio has no rate-limit or
 * body-size field for HTTPRoutes at all. So the platform writes one EnvoyFilter per cluster, in the
 * gateway workload's namespace, selecting that workload by label: the Gateway is bound to the
 * istio-ingressgateway Deployment by address (manual deployment), whose pods carry no
 * `gateway.networking.k8s.io/gateway-name` label for an EnvoyFilter `targetRefs` to match.
 *
 * - The gateway's HTTP connection manager already runs Envoy's CORS filter (istio 1.29.0
 *   pilot/pkg/networking/core/listener_builder.go: `filters = append(filters, xdsfilters.Fault,
 *   xdsfilters.Cors)`, "TypedPerFilterConfig in route needs these filters"); each host's policy
 *   is its virtual host's `typed_per_filter_config` (envoyproxy/envoy api/envoy/extensions/filters/http/cors/v3/cors.proto `CorsPolicy`), which
 *   answers preflight requests itself.
 * - Rate limits: Envoy's local rate limit filter, inserted before the router with no bucket of its
 *   own, and per host a bucket per client address: a `remote_address` descriptor with an empty
 *   value makes one token bucket per address (envoyproxy/envoy
 *   api/envoy/extensions/filters/http/local_ratelimit/v3/local_rate_limit.proto `descriptors`,
 *   `max_dynamic_descriptors`; the virtual host's `rate_limits` produce the descriptor,
 *   api/envoy/config/route/v3/route_components.proto `RateLimit.Action.RemoteAddress`; the filter
 *   reads the virtual host's policy when the route has none, `vh_rate_limits` OVERRIDE being the
 *   default: source/extensions/filters/http/local_ratelimit/local_ratelimit.cc). The
 *   bucket is per gateway pod, as ingress-nginx's `limit_req` zone was per controller pod.
 * - Body size: Envoy sets no request body limit by default. nginx buffers a request body before
 *   proxying and refuses a larger one with 413; Envoy's buffer filter does the same
 *   (api/envoy/extensions/filters/http/buffer/v3/buffer.proto `max_request_bytes`). It is inserted
 *   `disabled` and enabled only on the hosts that declare a size (a per-route `BufferPerRoute`
 *   enables a disabled filter: api/envoy/extensions/filters/network/http_connection_manager/v3/
 *   http_connection_manager.proto `HttpFilter.disabled`), so other hosts keep streaming.
 * Virtual hosts of an Istio gateway are named `<host>:<port>` (istio 1.29.0
 * pilot/pkg/networking/core/gateway.go `util.DomainName(hostname, port)`).
 */
import { EnvoyFilter, type IEnvoyFilter } from "@kubernetes-models/istio/networking.istio.io/v1alpha3/EnvoyFilter";
import { EDGE, LABELS, MANAGED_BY, MESH_DEFAULTS } from "../fleet/constants.js";
import { hostsFor } from "../fleet/domains.js";
import type { ClusterSpec, Fleet } from "../fleet/fleet.js";
import type { IngressSpec, TenantSpec } from "../api/tenant.js";
import { bodySizeBytes, burstOf, CORS_DEFAULT_HEADERS, CORS_DEFAULT_MAX_AGE } from "../rules/edge-options.js";
import type { KubeObject } from "./object.js";

type ConfigPatch = NonNullable<NonNullable<IEnvoyFilter["spec"]>["configPatches"]>[number];

export const EDGE_FILTER_NAME = "edge-options";
const HTTPS_PORT = 443;
const TYPE = "type.googleapis.com/envoy.extensions.filters.http";
const RATE_LIMIT = "envoy.filters.http.local_ratelimit";
const CORS = "envoy.filters.http.cors";
const BUFFER = "envoy.filters.http.buffer";
/** Distinct client addresses a pod tracks per host before the least recent one's bucket restarts. */
const MAX_CLIENTS = 10000;
const ALWAYS = { numerator: 100, denominator: "HUNDRED" };

const hasOptions = (s: IngressSpec): boolean => s.rateLimit !== undefined || s.cors !== undefined || s.maxBodySize !== undefined;

function perHost(spec: IngressSpec): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  const vhost: Record<string, unknown> = { typed_per_filter_config: config };
  if (spec.rateLimit) {
    const bucket = { max_tokens: burstOf(spec.rateLimit), tokens_per_fill: spec.rateLimit.requestsPerSecond, fill_interval: "1s" };
    config[RATE_LIMIT] = {
      "@type": `${TYPE}.local_ratelimit.v3.LocalRateLimit`,
      stat_prefix: "edge_rate_limit",
      token_bucket: bucket,
      filter_enabled: { runtime_key: "edge_rate_limit_enabled", default_value: ALWAYS },
      filter_enforced: { runtime_key: "edge_rate_limit_enforced", default_value: ALWAYS },
      always_consume_default_token_bucket: false,
      max_dynamic_descriptors: MAX_CLIENTS,
      descriptors: [{ entries: [{ key: "remote_address", value: "" }], token_bucket: bucket }],
    };
    vhost.rate_limits = [{ actions: [{ remote_address: {} }] }];
  }
  if (spec.cors) {
    const c = spec.cors;
    config[CORS] = {
      "@type": `${TYPE}.cors.v3.CorsPolicy`,
      allow_origin_string_match: c.allowOrigins.map((o) => (o === "*" ? { safe_regex: { regex: ".*" } } : { exact: o })),
      allow_methods: c.allowMethods.join(","),
      allow_headers: (c.allowHeaders ?? CORS_DEFAULT_HEADERS).join(","),
      ...((c.exposeHeaders ?? []).length > 0 ? { expose_headers: (c.exposeHeaders ?? []).join(",") } : {}),
      allow_credentials: c.allowCredentials ?? false,
      max_age: String(c.maxAge ?? CORS_DEFAULT_MAX_AGE),
    };
  }
  const bytes = spec.maxBodySize === undefined ? undefined : bodySizeBytes(spec.maxBodySize);
  if (bytes !== undefined) {
    config[BUFFER] = { "@type": `${TYPE}.buffer.v3.BufferPerRoute`, buffer: { max_request_bytes: bytes } };
  }
  return vhost;
}

const beforeRouter = (value: Record<string, unknown>): ConfigPatch => ({
  applyTo: "HTTP_FILTER",
  match: {
    context: "GATEWAY",
    listener: {
      filterChain: { filter: { name: "envoy.filters.network.http_connection_manager", subFilter: { name: "envoy.filters.http.router" } } },
    },
  },
  patch: { operation: "INSERT_BEFORE", value },
});

/**
 * The cluster's EnvoyFilter carrying every exposed app's edge options, or nothing when no app on
 * the cluster declares one. Only the platform writes it: tenants may not write EnvoyFilters
 * (their AppProjects list only the kinds their builders emit, and the `hosts` admission policy
 * refuses one in a tenant namespace).
 */
export function buildEdgeFilters(fleet: Fleet, cluster: ClusterSpec, tenants: readonly TenantSpec[]): KubeObject[] {
  const hosts = tenants.flatMap((t) =>
    t.apps.flatMap((a) => {
      const spec = a.exposure?.ingress;
      return spec && hasOptions(spec) ? hostsFor(fleet, spec.host, t.name, cluster).map((host) => ({ host, spec })) : [];
    }),
  );
  if (hosts.length === 0) return [];
  const sizes = hosts.flatMap((h) => (h.spec.maxBodySize === undefined ? [] : [bodySizeBytes(h.spec.maxBodySize) ?? 0]));
  const filters = [
    ...(hosts.some((h) => h.spec.rateLimit)
      ? [
          beforeRouter({
            name: RATE_LIMIT,
            typed_config: { "@type": `${TYPE}.local_ratelimit.v3.LocalRateLimit`, stat_prefix: "edge_rate_limit" },
          }),
        ]
      : []),
    ...(sizes.length > 0
      ? [
          beforeRouter({
            name: BUFFER,
            disabled: true,
            typed_config: { "@type": `${TYPE}.buffer.v3.Buffer`, max_request_bytes: Math.max(...sizes) },
          }),
        ]
      : []),
  ];
  const vhosts = hosts.map(
    ({ host, spec }): ConfigPatch => ({
      applyTo: "VIRTUAL_HOST",
      match: { context: "GATEWAY", routeConfiguration: { portNumber: HTTPS_PORT, vhost: { name: `${host}:${HTTPS_PORT}` } } },
      patch: { operation: "MERGE", value: perHost(spec) },
    }),
  );
  return [
    new EnvoyFilter({
      metadata: {
        name: EDGE_FILTER_NAME,
        namespace: EDGE.namespace,
        labels: { [LABELS.managedBy]: MANAGED_BY, [LABELS.component]: "edge" },
      },
      spec: { workloadSelector: { labels: { ...MESH_DEFAULTS.gatewaySelector } }, configPatches: [...filters, ...vhosts] },
    }),
  ];
}
