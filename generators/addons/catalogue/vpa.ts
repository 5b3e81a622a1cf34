/** The vpa add-on: chart, pinned version, per-cluster values and the model of what it provides (addons/provides.ts). */
import { PLATFORM, WAVES } from "../../fleet/constants.js";
import type { VpaValues } from "../values.js";
import { type Addon, PROMETHEUS_SERVICE, always, defineAddon } from "../addon.js";

export const vpa: Addon = defineAddon<VpaValues>({
  name: "vpa",
  repoURL: "https://charts.fairwinds.com/stable",
  chart: "vpa",
  version: "4.8.0",
  kubernetes: { source: "FairwindsOps/charts stable/vpa: no kubeVersion recorded here; re-read Chart.yaml when bumping" },
  releaseName: "vpa",
  namespace: "vpa",
  wave: WAVES.addons,
  serverSideApply: true,
  needs: always,
  values: (ctx) => ({
    recommender: {
      enabled: true,
      extraArgs: { "prometheus-address": `http://${PROMETHEUS_SERVICE}.${PLATFORM.monitoringNamespace}.svc:9090`, storage: "prometheus" },
    },
    // Tenants' VPAs run in recommendation mode; the updater only evicts outside prod.
    updater: { enabled: !ctx.production },
    admissionController: { enabled: true },
  }),
  model: () => ({
    provides: { crds: [{ group: "autoscaling.k8s.io", kinds: ["VerticalPodAutoscaler", "VerticalPodAutoscalerCheckpoint"] }] },
    objects: [],
  }),
});
