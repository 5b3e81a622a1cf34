/**
 * Names the API derives from a spec: a tenant's namespace, an app's claim and headless
 * Service names, a dashboard's ConfigMap. Validation checks them against the API server's limits, and the
 * builders emit them, so both read them here.
 */
import type { AppSpec, DashboardSpec, TenantSpec } from "./tenant.js";

export function tenantNamespace(tenant: TenantSpec): string {
  return tenant.namespace ?? tenant.name;
}

export function pvcName(app: AppSpec, volume: string): string {
  return `${app.name}-${volume}`;
}

export function headlessServiceName(app: AppSpec): string {
  return `${app.name}-headless`;
}

/**
 * A dashboard's ConfigMap in the shared monitoring namespace. Led by the tenant and a dot,
 * so two tenants naming a dashboard alike cannot collide there (kustomize would refuse the
 * platform folder: "may not add resource with an already registered id"); with a dash,
 * tenant `a` with dashboard `b-c` and tenant `a-b` with `c` still would.
 */
export function dashboardConfigMapName(tenant: TenantSpec, dashboard: DashboardSpec): string {
  return `${tenant.name}.${dashboard.name}`;
}

/**
 * The Secret an Istio Gateway of the app names as its TLS credential. Istio reads it from
 * the namespace of the gateway workload, not the Gateway's (istio.io, cert-manager
 * integration; analyzer IST0161), so the platform issues it there. The tenant and a dot
 * lead it: tenant names are DNS labels without dots, so the admission policy can tell
 * whose it is by prefix alone.
 */
export function gatewayCredentialName(tenant: TenantSpec, app: AppSpec): string {
  return `${tenant.name}.${app.name}.gateway-tls`;
}
