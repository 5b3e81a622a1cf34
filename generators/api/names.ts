/**
 * Names the API derives from a spec: a tenant's namespace, an app's claim and headless
 * Service names. Validation checks them against the API server's limits, and the
 * builders emit them, so both read them here.
 */
import type { AppSpec, TenantSpec } from "./tenant.js";

export function tenantNamespace(tenant: TenantSpec): string {
  return tenant.namespace ?? tenant.name;
}

export function pvcName(app: AppSpec, volume: string): string {
  return `${app.name}-${volume}`;
}

export function headlessServiceName(app: AppSpec): string {
  return `${app.name}-headless`;
}
