/** The cert-manager add-on: chart, pinned version, per-cluster values and the model of what it provides (addons/provides.ts). */
import { PLATFORM, PROMETHEUS_SELECTOR, WAVES } from "../../fleet/constants.js";
import type { CertManagerValues } from "../values.js";
import { type Addon, always, defineAddon, irsa, monitors, replicas } from "../addon.js";

export const certManager: Addon = defineAddon<CertManagerValues>({
  name: "cert-manager",
  repoURL: "https://charts.jetstack.io",
  chart: "cert-manager",
  version: "v1.19.1",
  kubernetes: { source: "cert-manager/cert-manager deploy/charts/cert-manager/Chart.template.yaml declares no kubeVersion" },
  releaseName: "cert-manager",
  namespace: "cert-manager",
  // Leader-election Roles live in kube-system (global.leaderElection.namespace).
  extraNamespaces: ["kube-system"],
  wave: WAVES.addons,
  serverSideApply: true,
  needs: always,
  values: (ctx) => ({
    crds: { enabled: true, keep: true },
    replicaCount: replicas(ctx, 2),
    serviceAccount: { annotations: irsa(ctx.cluster, "cert-manager") },
    securityContext: { fsGroup: 1001 },
    ingressShim: { defaultIssuerName: PLATFORM.clusterIssuer, defaultIssuerKind: "ClusterIssuer", defaultIssuerGroup: "cert-manager.io" },
    prometheus: { enabled: true, servicemonitor: { enabled: true, labels: { ...PROMETHEUS_SELECTOR } } },
    webhook: { replicaCount: replicas(ctx, 2) },
    cainjector: { replicaCount: replicas(ctx, 2) },
  }),
  model: (v) => ({
    provides: {
      crds: [
        { group: "cert-manager.io", kinds: ["Certificate", "CertificateRequest", "ClusterIssuer", "Issuer"] },
        { group: "acme.cert-manager.io", kinds: ["Challenge", "Order"] },
      ],
      webhooks: [
        {
          name: "cert-manager-webhook",
          type: "validating",
          failurePolicy: "Fail",
          rules: [
            { group: "cert-manager.io", kind: "*" },
            { group: "acme.cert-manager.io", kind: "*" },
          ],
        },
      ],
    },
    objects: monitors(v.prometheus?.servicemonitor?.enabled, "cert-manager", "cert-manager"),
  }),
});
