/** The kube-prometheus-stack add-on: chart, pinned version, per-cluster values and the model of what it provides (addons/provides.ts). */
import { LABELS, PLATFORM, PROMETHEUS_SELECTOR, WAVES } from "../../fleet/constants.js";
import type { KubePrometheusStackValues } from "../values.js";
import { claim } from "../provides.js";
import { PROMETHEUS_OPERATOR_KINDS } from "./prometheus-operator-crds.js";
import { type Addon, PROMETHEUS_SERVICE, always, defineAddon, replicas } from "../addon.js";

/** The label prometheus-operator enforces on tenant series and alerts. */
const NAMESPACE_LABEL = "namespace";
const ENFORCED_RESOURCES = ["servicemonitors", "podmonitors", "probes", "prometheusrules"] as const;
/** Platform namespaces whose monitors and rules read series of every namespace (kube-state-metrics, the chart's alerts). */
const ENFORCEMENT_EXEMPT_NAMESPACES = [PLATFORM.monitoringNamespace, "kube-system"] as const;

/** kube-prometheus-stack values.yaml alertmanager.config.inhibit_rules, each bound to one namespace by `equal`. */
const INHIBIT_RULES = [
  { source_matchers: ["severity = critical"], target_matchers: ["severity =~ warning|info"], equal: [NAMESPACE_LABEL, "alertname"] },
  { source_matchers: ["severity = warning"], target_matchers: ["severity = info"], equal: [NAMESPACE_LABEL, "alertname"] },
  { source_matchers: ["alertname = InfoInhibitor"], target_matchers: ["severity = info"], equal: [NAMESPACE_LABEL] },
  { target_matchers: ["alertname = InfoInhibitor"] },
];

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
  // After the platform: Grafana's admin.existingSecret comes from the platform's ExternalSecret.
  wave: WAVES.monitoring,
  serverSideApply: true,
  needs: always,
  values: (ctx) => ({
    fullnameOverride: "kube-prometheus-stack",
    // The CRDs come from prometheus-operator-crds, at the foundations wave.
    crds: { enabled: false },
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
        // prometheus-operator Documentation/api.md CommonPrometheusFields: a ServiceMonitor, PodMonitor or Probe may not
        // name files of the Prometheus container (bearerTokenFile, tlsConfig files), so its own token never reaches a tenant target.
        arbitraryFSAccessThroughSMs: { deny: true },
        // Every series a tenant's monitor scrapes and every alert its PrometheusRule fires carries `namespace: <its namespace>`,
        // overriding what the target or the rule says (prometheus-operator Documentation/api.md enforcedNamespaceLabel).
        // The platform's own namespaces are excluded: their rules and monitors read other namespaces' series by design.
        enforcedNamespaceLabel: NAMESPACE_LABEL,
        excludedFromEnforcement: ENFORCEMENT_EXEMPT_NAMESPACES.flatMap((namespace) =>
          ENFORCED_RESOURCES.map((resource) => ({ group: "monitoring.coreos.com", resource, namespace })),
        ),
        storageSpec: {
          volumeClaimTemplate: {
            // No storageClassName: the default class, which the EBS CSI driver's add-on creates a wave earlier.
            spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: ctx.production ? "200Gi" : "50Gi" } } },
          },
        },
      },
    },
    alertmanager: {
      // An AlertmanagerConfig's routes only match alerts of its own namespace (prometheus-operator AlertmanagerConfigMatcherStrategy).
      alertmanagerSpec: { replicas: replicas(ctx, 3), alertmanagerConfigMatcherStrategy: { type: "OnNamespace" } },
      // The chart's inhibit rules, stated here so the `equal: [namespace, ...]` that keeps one namespace's alert from
      // silencing another's is ours to keep (alertmanager inhibit/inhibit.go: a source inhibits a target only when every `equal` label is equal).
      config: { inhibit_rules: INHIBIT_RULES },
    },
    // Admin login from the platform's ExternalSecret; dashboards only from the monitoring namespace (build/secrets.ts, emit/tree.ts).
    grafana: {
      enabled: true,
      admin: { existingSecret: PLATFORM.grafanaAdminSecret, userKey: "admin-user", passwordKey: "admin-password" },
      sidecar: { dashboards: { enabled: true, label: LABELS.grafanaDashboard, searchNamespace: PLATFORM.monitoringNamespace } },
    },
  }),
  model: (v) => ({
    provides: {
      crds: v.crds?.enabled === true ? [{ group: "monitoring.coreos.com", kinds: PROMETHEUS_OPERATOR_KINDS }] : [],
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
    // grafana/helm-charts charts/grafana templates/_pod.tpl: GF_SECURITY_ADMIN_USER/PASSWORD from
    // secretKeyRef on admin.existingSecret (not optional): the pod waits in CreateContainerConfigError.
    needsSecrets:
      v.grafana?.enabled === true && typeof v.grafana.admin?.existingSecret === "string"
        ? [
            {
              namespace: PLATFORM.monitoringNamespace,
              name: v.grafana.admin.existingSecret,
              path: "grafana.admin.existingSecret",
              consumer: "Deployment/kube-prometheus-stack-grafana",
            },
          ]
        : [],
  }),
});
