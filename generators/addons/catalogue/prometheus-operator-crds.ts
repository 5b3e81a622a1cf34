/**
 * The prometheus-operator-crds add-on: the Prometheus Operator's CRDs alone, at the
 * foundations wave, so every chart's ServiceMonitor can be applied early while
 * kube-prometheus-stack itself comes after the platform, whose ExternalSecret makes
 * Grafana's admin Secret (`grafana.admin.existingSecret`). The stack cannot come earlier:
 * external-secrets' own ServiceMonitor needs these CRDs, so stack -> Secret ->
 * external-secrets -> CRDs would be a cycle if the stack installed them.
 * Chart 24.0.2 carries prometheus-operator v0.86.2, the operator of kube-prometheus-stack 79.5.0.
 */
import { PLATFORM, WAVES } from "../../fleet/constants.js";
import type { PrometheusOperatorCrdsValues } from "../values.js";
import { type Addon, always, defineAddon } from "../addon.js";

/** prometheus-operator's CRD kinds (prometheus-community/helm-charts charts/prometheus-operator-crds/charts/crds/templates). */
export const PROMETHEUS_OPERATOR_KINDS: readonly string[] = [
  "Alertmanager",
  "AlertmanagerConfig",
  "PodMonitor",
  "Probe",
  "Prometheus",
  "PrometheusAgent",
  "PrometheusRule",
  "ScrapeConfig",
  "ServiceMonitor",
  "ThanosRuler",
];

export const prometheusOperatorCrds: Addon = defineAddon<PrometheusOperatorCrdsValues>({
  name: "prometheus-operator-crds",
  repoURL: "https://prometheus-community.github.io/helm-charts",
  chart: "prometheus-operator-crds",
  version: "24.0.2",
  kubernetes: {
    source:
      "prometheus-community/helm-charts charts/prometheus-operator-crds/Chart.yaml: kubeVersion not read offline, so no bound is declared",
  },
  releaseName: "prometheus-operator-crds",
  // First in the catalog in monitoring: its Application creates the namespace.
  namespace: PLATFORM.monitoringNamespace,
  wave: WAVES.addonFoundations,
  // The CRDs exceed client-side apply's 256 KiB last-applied annotation.
  serverSideApply: true,
  needs: always,
  values: () => ({ crds: { annotations: {} } }),
  model: () => ({
    provides: { crds: [{ group: "monitoring.coreos.com", kinds: PROMETHEUS_OPERATOR_KINDS }] },
    objects: [],
  }),
});
