/** The kube-prometheus-stack add-on: chart, pinned version, per-cluster values and the model of what it provides (addons/provides.ts). */
import { LABELS, PLATFORM, PROMETHEUS_SELECTOR, WAVES } from "../../fleet/constants.js";
import type { KubePrometheusStackValues } from "../values.js";
import { claim } from "../provides.js";
import { type Addon, PROMETHEUS_SERVICE, always, defineAddon, replicas } from "../addon.js";

export const kubePrometheusStack: Addon = defineAddon<KubePrometheusStackValues>({
  name: "kube-prometheus-stack",
  repoURL: "https://prometheus-community.github.io/helm-charts",
  chart: "kube-prometheus-stack",
  version: "79.5.0",
  kubernetes: { min: "1.19", source: 'prometheus-community/helm-charts charts/kube-prometheus-stack/Chart.yaml kubeVersion ">=1.19.0-0"' },
  // The release name is the `release` label ServiceMonitors and PrometheusRules carry.
  releaseName: PROMETHEUS_SELECTOR.release,
  namespace: PLATFORM.monitoringNamespace,
  // The CoreDNS scrape Service lands in kube-system.
  extraNamespaces: ["kube-system"],
  wave: WAVES.addonFoundations,
  serverSideApply: true,
  needs: always,
  values: (ctx) => ({
    fullnameOverride: "kube-prometheus-stack",
    crds: { enabled: true },
    // EKS runs the control plane: there is no scheduler, controller-manager or etcd to scrape.
    kubeControllerManager: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeEtcd: { enabled: false },
    prometheus: {
      prometheusSpec: {
        replicas: replicas(ctx, 2),
        retention: ctx.production ? "15d" : "3d",
        externalLabels: { cluster: ctx.cluster.name, env: ctx.cluster.env, region: ctx.cluster.region },
        serviceMonitorSelectorNilUsesHelmValues: false,
        serviceMonitorSelector: { matchLabels: { ...PROMETHEUS_SELECTOR } },
        ruleSelector: { matchLabels: { ...PROMETHEUS_SELECTOR } },
        storageSpec: {
          volumeClaimTemplate: {
            // No storageClassName: the default class, which the EBS CSI driver's add-on creates a wave earlier.
            spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: ctx.production ? "200Gi" : "50Gi" } } },
          },
        },
      },
    },
    alertmanager: { alertmanagerSpec: { replicas: replicas(ctx, 3) } },
    // Admin login from the platform's ExternalSecret; dashboards only from the monitoring namespace (build/secrets.ts, emit/tree.ts).
    grafana: {
      enabled: true,
      admin: { existingSecret: PLATFORM.grafanaAdminSecret, userKey: "admin-user", passwordKey: "admin-password" },
      sidecar: { dashboards: { enabled: true, label: LABELS.grafanaDashboard, searchNamespace: PLATFORM.monitoringNamespace } },
    },
  }),
  model: (v) => ({
    provides: {
      crds: [
        {
          group: "monitoring.coreos.com",
          kinds: [
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
          ],
        },
      ],
      services: [{ name: PROMETHEUS_SERVICE, namespace: PLATFORM.monitoringNamespace }],
    },
    // The operator creates the Prometheus StatefulSet's claims from the volumeClaimTemplate.
    objects: [
      claim(
        "prometheus-kube-prometheus-stack-prometheus-db",
        PLATFORM.monitoringNamespace,
        v.prometheus?.prometheusSpec?.storageSpec?.volumeClaimTemplate?.spec?.storageClassName,
      ),
    ],
  }),
});
