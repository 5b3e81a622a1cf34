/** The prometheus-adapter add-on: chart, pinned version, per-cluster values and the model of what it provides (addons/provides.ts). */
import { PLATFORM, WAVES } from "../../fleet/constants.js";
import type { PrometheusAdapterValues } from "../values.js";
import { type Addon, PROMETHEUS_SERVICE, always, defineAddon, replicas } from "../addon.js";

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
    rules: { default: true },
  }),
  // Serves custom.metrics.k8s.io: HPA Pods and Object metrics (http_requests_per_second from http_requests_total).
  model: (v) => ({
    provides: { metricsApis: v.rules?.default === true ? ["custom.metrics.k8s.io"] : [] },
    objects: [],
  }),
});
