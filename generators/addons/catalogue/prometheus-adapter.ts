/** The prometheus-adapter add-on: chart, pinned version, per-cluster values and the model of what it provides (addons/provides.ts). */
import { PLATFORM, WAVES } from "../../fleet/constants.js";
import type { PrometheusAdapterValues } from "../values.js";
import { type Addon, PROMETHEUS_SERVICE, always, defineAddon, replicas } from "../addon.js";
import { type AdapterRule, CHART_DEFAULT_RULES, adapterRules, servedMetrics } from "../metrics.js";

export const prometheusAdapter: Addon = defineAddon<PrometheusAdapterValues>({
  name: "prometheus-adapter",
  repoURL: "https://prometheus-community.github.io/helm-charts",
  chart: "prometheus-adapter",
  version: "5.3.0",
  kubernetes: { source: "prometheus-community/helm-charts charts/prometheus-adapter/Chart.yaml declares no kubeVersion" },
  releaseName: "prometheus-adapter",
  namespace: PLATFORM.monitoringNamespace,
  wave: WAVES.addons,
  serverSideApply: false,
  needs: always,
  values: (ctx) => ({
    prometheus: { url: `http://${PROMETHEUS_SERVICE}.${PLATFORM.monitoringNamespace}.svc`, port: 9090 },
    replicas: replicas(ctx, 2),
    // Exactly the declared metrics (generators/addons/metrics.ts), each mapped to the pods it measures.
    rules: { default: false, custom: adapterRules() },
  }),
  // Serves custom.metrics.k8s.io: the per-pod metrics its rules derive from the declared series
  // (kubernetes-sigs/prometheus-adapter docs/config.md; the chart's configmap.yaml renders
  // `default` rules first, then `custom`).
  model: (v) => {
    const rules: AdapterRule[] = [
      ...(v.rules?.default === true ? CHART_DEFAULT_RULES : []),
      ...(Array.isArray(v.rules?.custom) ? v.rules.custom : []),
    ];
    const served = servedMetrics(rules);
    return {
      provides: { metricsApis: rules.length > 0 ? ["custom.metrics.k8s.io"] : [], podMetrics: served },
      objects: [],
    };
  },
});
