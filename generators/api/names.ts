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
 * A dashboard's ConfigMap in the shared monitoring namespace. Prefixed with the tenant, so
 * two tenants naming a dashboard alike cannot collide there (kustomize would refuse the
 * platform folder: "may not add resource with an already registered id").
 */
export function dashboardConfigMapName(tenant: TenantSpec, dashboard: DashboardSpec): string {
  return `${tenant.name}-${dashboard.name}`;
}
