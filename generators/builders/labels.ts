/** Labels and names every builder agrees on, so selectors and references line up. */
import { LABELS, MANAGED_BY } from "../fleet/constants.js";
import type { AppSpec, TenantSpec } from "../api/tenant.js";
export { headlessServiceName, pvcName, tenantNamespace } from "../api/names.js";

/** Labels that select an app's pods. Stable forever: changing them recreates workloads. */
export function selectorLabels(tenant: TenantSpec, app: AppSpec): Record<string, string> {
  return { [LABELS.name]: app.name, [LABELS.partOf]: tenant.name };
}

/** Labels on every object of an app. */
export function appLabels(tenant: TenantSpec, app: AppSpec): Record<string, string> {
  return { ...selectorLabels(tenant, app), ...tenantLabels(tenant) };
}

/** Labels on every object of a tenant. */
export function tenantLabels(tenant: TenantSpec): Record<string, string> {
  return { [LABELS.partOf]: tenant.name, [LABELS.managedBy]: MANAGED_BY, [LABELS.tenant]: tenant.name };
}

/** Labels that select a tenant Job's pods. */
export function jobSelectorLabels(tenant: TenantSpec, job: string): Record<string, string> {
  return { [LABELS.name]: job, [LABELS.partOf]: tenant.name };
}
