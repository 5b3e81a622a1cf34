/**
 * Ingresses are per cluster, because their hosts are: the domain rule gives each
 * cluster its own host and prod clusters the shared global one. cert-manager issues
 * a certificate for exactly the hosts listed under `tls`.
 */
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { ANNOTATIONS, PLATFORM } from "../fleet/constants.js";
import type { ClusterSpec, Fleet } from "../fleet/fleet.js";
import { hostsFor, serviceFqdn } from "../fleet/domains.js";
import type { AppSpec, IngressSpec, TenantSpec } from "../api/tenant.js";
import type { KubeObject } from "./object.js";
import { servicePort } from "./ports.js";
import { appLabels, tenantNamespace } from "./labels.js";
import { bodySizeBytes, burstOf, CORS_DEFAULT_HEADERS, CORS_DEFAULT_MAX_AGE, nginxSize } from "../rules/edge-options.js";

const NGINX = "nginx.ingress.kubernetes.io/";

/**
 * The typed edge options as ingress-nginx annotations (ingress-nginx docs
 * user-guide/nginx-configuration/annotations.md: Rate Limiting, Enable CORS, Custom max body size).
 * Every CORS annotation is written, so none of nginx's own defaults (any header, credentials on) applies.
 */
function nginxOptions(spec: IngressSpec): Record<string, string> {
  const out: Record<string, string> = {};
  if (spec.rateLimit) {
    out[`${NGINX}limit-rps`] = String(spec.rateLimit.requestsPerSecond);
    out[`${NGINX}limit-burst-multiplier`] = String(burstOf(spec.rateLimit) / spec.rateLimit.requestsPerSecond);
  }
  if (spec.cors) {
    const c = spec.cors;
    out[`${NGINX}enable-cors`] = "true";
    out[`${NGINX}cors-allow-origin`] = c.allowOrigins.join(", ");
    out[`${NGINX}cors-allow-methods`] = c.allowMethods.join(", ");
    out[`${NGINX}cors-allow-headers`] = (c.allowHeaders ?? CORS_DEFAULT_HEADERS).join(", ");
    if ((c.exposeHeaders ?? []).length > 0) out[`${NGINX}cors-expose-headers`] = (c.exposeHeaders ?? []).join(", ");
    out[`${NGINX}cors-allow-credentials`] = String(c.allowCredentials ?? false);
    out[`${NGINX}cors-max-age`] = String(c.maxAge ?? CORS_DEFAULT_MAX_AGE);
  }
  const bytes = spec.maxBodySize === undefined ? undefined : bodySizeBytes(spec.maxBodySize);
  if (bytes !== undefined) out[`${NGINX}proxy-body-size`] = nginxSize(bytes);
  return out;
}

export function buildIngress(fleet: Fleet, tenant: TenantSpec, app: AppSpec, cluster: ClusterSpec): KubeObject[] {
  const spec = app.exposure?.ingress;
  if (!spec) return [];
  const hosts = hostsFor(fleet, spec.host, tenant.name, cluster);
  return [
    new Ingress({
      metadata: {
        name: app.name,
        namespace: tenantNamespace(tenant),
        labels: appLabels(tenant, app),
        annotations: {
          ...nginxOptions(spec),
          [ANNOTATIONS.certIssuer]: PLATFORM.clusterIssuer,
          // One member per cluster in the latency-routed record set of the global host.
          [ANNOTATIONS.externalDnsSetIdentifier]: cluster.name,
          "nginx.ingress.kubernetes.io/ssl-redirect": "true",
          // Meshed tenants: nginx (meshed, docs/argocd.md § Mesh ingress) proxies to the Service, not to pod IPs, with the
          // Service's host, so its sidecar routes the call and presents the ingress-nginx identity over mTLS.
          ...(tenant.mesh
            ? {
                "nginx.ingress.kubernetes.io/service-upstream": "true",
                "nginx.ingress.kubernetes.io/upstream-vhost": serviceFqdn(app.name, tenantNamespace(tenant)),
              }
            : {}),
        },
      },
      spec: {
        ingressClassName: PLATFORM.ingressClass,
        tls: [{ hosts, secretName: `${app.name}-tls` }],
        rules: hosts.map((host) => ({
          host,
          http: {
            paths: spec.paths.map((p) => ({
              path: p.path,
              pathType: p.pathType ?? "Prefix",
              backend: { service: { name: app.name, port: { number: servicePort(app, p.port) } } },
            })),
          },
        })),
      },
    }),
  ];
}
