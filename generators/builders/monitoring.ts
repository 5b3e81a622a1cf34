/** ServiceMonitors and PrometheusRules for kube-prometheus-stack. */
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { LABELS, PROMETHEUS_SELECTOR } from "../fleet/constants.js";
import type { AppSpec, TenantSpec } from "../api/tenant.js";
import type { KubeObject } from "./object.js";
import { appLabels, selectorLabels, tenantLabels, tenantNamespace } from "./labels.js";

export function buildServiceMonitor(tenant: TenantSpec, app: AppSpec): KubeObject[] {
  if (!app.monitoring) return [];
  return [
    new ServiceMonitor({
      metadata: { name: app.name, namespace: tenantNamespace(tenant), labels: { ...appLabels(tenant, app), ...PROMETHEUS_SELECTOR } },
      spec: {
        selector: { matchLabels: { ...selectorLabels(tenant, app), [LABELS.metrics]: "true" } },
        endpoints: [
          {
            port: app.monitoring.port,
            path: app.monitoring.path ?? "/metrics",
            interval: app.monitoring.interval ?? "30s",
            scheme: "http",
          },
        ],
      },
    }),
  ];
}

/** One PrometheusRule per tenant, one group per app, so alerts stay next to their app. */
export function buildPrometheusRule(tenant: TenantSpec): KubeObject[] {
  const groups = tenant.apps
    .filter((a) => (a.monitoring?.alerts ?? []).length > 0)
    .map((a) => ({
      name: `${tenant.name}.${a.name}`,
      rules: (a.monitoring?.alerts ?? []).map((r) => ({
        alert: r.name,
        expr: r.expr,
        for: r.for ?? "5m",
        labels: { severity: r.severity, tenant: tenant.name, app: a.name },
        annotations: { summary: r.summary, description: r.description },
      })),
    }));
  if (groups.length === 0) return [];
  return [
    new PrometheusRule({
      metadata: {
        name: `${tenant.name}-alerts`,
        namespace: tenantNamespace(tenant),
        labels: { ...tenantLabels(tenant), ...PROMETHEUS_SELECTOR },
      },
      spec: { groups },
    }),
  ];
}
