/** ConfigMaps: an app's config files, and a tenant's Grafana dashboards. */
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { LABELS, PLATFORM } from "../fleet/constants.js";
import type { AppSpec, TenantSpec } from "../api/tenant.js";
import type { KubeObject } from "./object.js";
import { appLabels, tenantLabels, tenantNamespace } from "./labels.js";
import { dashboardConfigMapName } from "../api/names.js";

export function buildConfigMaps(tenant: TenantSpec, app: AppSpec): KubeObject[] {
  return (app.configFiles ?? []).map(
    (c) =>
      new ConfigMap({
        metadata: { name: c.name, namespace: tenantNamespace(tenant), labels: appLabels(tenant, app) },
        data: { ...c.files },
      }),
  );
}

/**
 * Dashboards as ConfigMaps the Grafana sidecar of kube-prometheus-stack picks up by label,
 * in the monitoring namespace: the sidecar searches nowhere else, so no tenant can add a
 * dashboard (or a data source) by labelling a ConfigMap of its own. The platform emits them.
 */
export function buildDashboards(tenant: TenantSpec): KubeObject[] {
  return (tenant.dashboards ?? []).map(
    (d) =>
      new ConfigMap({
        metadata: {
          name: dashboardConfigMapName(tenant, d),
          namespace: PLATFORM.monitoringNamespace,
          labels: { ...tenantLabels(tenant), [LABELS.grafanaDashboard]: "1" },
        },
        data: { [`${d.name}.json`]: `${JSON.stringify(d.dashboard, null, 2)}\n` },
      }),
  );
}

/** Tenant-level ConfigMaps no app of the tenant mounts (e.g. read by a platform agent). */
export function buildTenantConfigMaps(tenant: TenantSpec): KubeObject[] {
  return (tenant.configMaps ?? []).map(
    (c) =>
      new ConfigMap({ metadata: { name: c.name, namespace: tenantNamespace(tenant), labels: tenantLabels(tenant) }, data: { ...c.files } }),
  );
}
