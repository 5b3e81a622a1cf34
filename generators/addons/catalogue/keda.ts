/** The keda add-on: chart, pinned version, per-cluster values and the model of what it provides (addons/provides.ts). */
import { PROMETHEUS_SELECTOR, WAVES } from "../../fleet/constants.js";
import type { KedaValues } from "../values.js";
import { type Addon, KEDA_NAMESPACE, always, defineAddon, irsaArn, monitors, replicas } from "../addon.js";

export const keda: Addon = defineAddon<KedaValues>({
  name: "keda",
  repoURL: "https://kedacore.github.io/charts",
  chart: "keda",
  version: "2.19.0",
  kubernetes: {
    min: "1.32",
    max: "1.34",
    source:
      "keda.sh/docs/2.19/operate/cluster#kubernetes-compatibility (endoflife-date/endoflife.date products/keda.md: 2.19 → 1.32 - 1.34)",
    beyondMax: {
      minors: ["1.35"],
      reason:
        "no KEDA release listing 1.35 was published when the fleet moved (KEDA tests N-2 at release, kedacore/governance SUPPORT.md); its objects use only autoscaling/v2, apiextensions/v1 and apiregistration/v1, which 1.35 serves; drop this when Renovate brings a KEDA whose table lists 1.35",
    },
  },
  releaseName: "keda",
  namespace: KEDA_NAMESPACE,
  // The metrics server's RoleBinding to extension-apiserver-authentication-reader is in kube-system.
  extraNamespaces: ["kube-system"],
  wave: WAVES.addons,
  serverSideApply: true,
  needs: always,
  values: (ctx) => ({
    operator: { replicaCount: replicas(ctx, 2) },
    prometheus: { operator: { enabled: true, serviceMonitor: { enabled: true, additionalLabels: { ...PROMETHEUS_SELECTOR } } } },
    podIdentity: { aws: { irsa: { enabled: true, roleArn: irsaArn(ctx.cluster, "keda") } } },
  }),
  model: (v) => ({
    provides: {
      crds: [
        { group: "keda.sh", kinds: ["ClusterTriggerAuthentication", "ScaledJob", "ScaledObject", "TriggerAuthentication"] },
        { group: "eventing.keda.sh", kinds: ["CloudEventSource", "ClusterCloudEventSource"] },
      ],
      webhooks: [
        {
          name: "keda-admission",
          type: "validating",
          failurePolicy: "Ignore",
          rules: [
            { group: "keda.sh", kind: "ScaledObject" },
            { group: "keda.sh", kind: "TriggerAuthentication" },
          ],
        },
      ],
      metricsApis: ["external.metrics.k8s.io"],
      // Scalers run in the operator: a trigger's address resolves from this namespace (kedacore/keda#978).
      scalerNamespace: KEDA_NAMESPACE,
    },
    objects: monitors(v.prometheus?.operator?.serviceMonitor?.enabled, "keda-operator", KEDA_NAMESPACE),
  }),
});
