/**
 * Ingresses are per cluster, because their hosts are: the domain rule gives each
 * cluster its own host and prod clusters the shared global one. cert-manager issues
 * a certificate for exactly the hosts listed under `tls`.
 */
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { ANNOTATIONS, PLATFORM } from "../fleet/constants.js";
import type { ClusterSpec, Fleet } from "../fleet/fleet.js";
import { hostsFor, serviceFqdn } from "../fleet/domains.js";
import type { AppSpec, TenantSpec } from "../api/tenant.js";
import type { KubeObject } from "./object.js";
import { servicePort } from "./ports.js";
import { ingressTls, ingressUsesShim } from "./certificates.js";
import { appLabels, tenantNamespace } from "./labels.js";

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
          ...spec.annotations,
          ...(ingressUsesShim(fleet, cluster) ? { [ANNOTATIONS.certIssuer]: PLATFORM.clusterIssuer } : {}),
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
        tls: ingressTls(fleet, tenant.name, app, cluster, hosts),
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
