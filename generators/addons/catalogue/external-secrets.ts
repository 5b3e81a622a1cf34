/** The external-secrets add-on: chart, pinned version, per-cluster values and the model of what it provides (addons/provides.ts). */
import { PROMETHEUS_SELECTOR, WAVES } from "../../fleet/constants.js";
import type { ExternalSecretsValues } from "../values.js";
import { type Addon, always, defineAddon, irsa, monitors, replicas } from "../addon.js";

export const externalSecrets: Addon = defineAddon<ExternalSecretsValues>({
  name: "external-secrets",
  repoURL: "https://charts.external-secrets.io",
  chart: "external-secrets",
  version: "0.20.4",
  kubernetes: {
    min: "1.19",
    source: 'external-secrets/external-secrets deploy/charts/external-secrets/Chart.yaml kubeVersion ">= 1.19.0-0"',
  },
  releaseName: "external-secrets",
  namespace: "external-secrets",
  wave: WAVES.addons,
  serverSideApply: true,
  needs: always,
  values: (ctx) => ({
    installCRDs: true,
    replicaCount: replicas(ctx, 2),
    serviceAccount: { annotations: irsa(ctx.cluster, "external-secrets") },
    serviceMonitor: { enabled: true, additionalLabels: { ...PROMETHEUS_SELECTOR } },
    webhook: { replicaCount: replicas(ctx, 2) },
  }),
  model: (v) => ({
    provides: {
      crds: [
        {
          group: "external-secrets.io",
          kinds: ["ClusterExternalSecret", "ClusterPushSecret", "ClusterSecretStore", "ExternalSecret", "PushSecret", "SecretStore"],
        },
        { group: "generators.external-secrets.io", kinds: ["ClusterGenerator", "ECRAuthorizationToken", "Password", "STSSessionToken"] },
      ],
      webhooks: [
        {
          name: "externalsecret-validate",
          type: "validating",
          failurePolicy: "Fail",
          rules: [{ group: "external-secrets.io", kind: "ExternalSecret" }],
        },
        {
          name: "secretstore-validate",
          type: "validating",
          failurePolicy: "Fail",
          rules: [
            { group: "external-secrets.io", kind: "SecretStore" },
            { group: "external-secrets.io", kind: "ClusterSecretStore" },
          ],
        },
      ],
    },
    objects: monitors(v.serviceMonitor?.enabled, "external-secrets", "external-secrets"),
  }),
});
