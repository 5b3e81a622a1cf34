/** The metrics-server add-on: chart, pinned version, per-cluster values and the model of what it provides (addons/provides.ts). */
import { WAVES } from "../../fleet/constants.js";
import type { MetricsServerValues } from "../values.js";
import { type Addon, always, defineAddon, replicas } from "../addon.js";

export const metricsServer: Addon = defineAddon<MetricsServerValues>({
  name: "metrics-server",
  repoURL: "https://kubernetes-sigs.github.io/metrics-server",
  chart: "metrics-server",
  version: "3.13.1",
  kubernetes: { source: "kubernetes-sigs/metrics-server charts/metrics-server/Chart.yaml declares no kubeVersion" },
  releaseName: "metrics-server",
  namespace: "kube-system",
  wave: WAVES.addonCluster,
  serverSideApply: false,
  needs: always,
  values: (ctx) => ({ replicas: replicas(ctx, 2) }),
  // Serves the resource metrics API HPAs read for Resource and ContainerResource metrics.
  model: () => ({ provides: { metricsApis: ["metrics.k8s.io"] }, objects: [] }),
});
