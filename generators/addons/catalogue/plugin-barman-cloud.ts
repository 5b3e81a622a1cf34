/**
 * The Barman Cloud CNPG-I plugin: WAL archiving and base backups of CloudNativePG Clusters to
 * object storage, configured by `barmancloud.cnpg.io/v1` ObjectStores. Chart: cloudnative-pg/charts
 * charts/plugin-barman-cloud (Chart.yaml version 0.7.0, appVersion v0.13.0). It must run in the
 * operator's namespace (plugin-barman-cloud docs/installation.md) and its chart issues the gRPC
 * server and client certificates through cert-manager (templates/certificate-issuer.yaml,
 * server-certificate.yaml, client-certificate.yaml), so it syncs after cert-manager and the operator.
 */
import { CNPG, WAVES } from "../../fleet/constants.js";
import { type Addon, always, defineAddon } from "../addon.js";
import { summary } from "../provides.js";

/** cloudnative-pg/charts charts/plugin-barman-cloud/values.yaml: only the keys we set. */
export interface PluginBarmanCloudValues {
  crds: { create: boolean };
  certificate: { createClientCertificate: boolean; createServerCertificate: boolean; createIssuer: boolean };
  resources: { requests: { cpu: string; memory: string }; limits: { memory: string } };
}

/** The chart's self-signed Issuer (templates/certificate-issuer.yaml), which signs both Certificates. */
const ISSUER = "plugin-barman-cloud-selfsigned-issuer";

export const pluginBarmanCloud: Addon = defineAddon<PluginBarmanCloudValues>({
  name: "plugin-barman-cloud",
  repoURL: "https://cloudnative-pg.github.io/charts",
  chart: "plugin-barman-cloud",
  version: "0.7.0",
  kubernetes: {
    source: "cloudnative-pg/charts charts/plugin-barman-cloud/Chart.yaml: kubeVersion not read offline, so no bound is declared",
  },
  releaseName: "plugin-barman-cloud",
  namespace: CNPG.namespace,
  wave: WAVES.addonPlugins,
  serverSideApply: true,
  needs: always,
  values: () => ({
    crds: { create: true },
    certificate: { createClientCertificate: true, createServerCertificate: true, createIssuer: true },
    resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
  }),
  model: (v) => ({
    provides: {
      crds: [{ group: "barmancloud.cnpg.io", kinds: ["ObjectStore"] }],
      services: [{ name: CNPG.barmanService, namespace: CNPG.namespace }],
    },
    // The chart's self-signed Issuer and the two Certificates need cert-manager's CRDs and webhook.
    objects:
      v.certificate?.createIssuer === false
        ? []
        : [
            summary("cert-manager.io/v1", "Issuer", ISSUER, CNPG.namespace, { spec: { selfSigned: {} } }),
            summary("cert-manager.io/v1", "Certificate", "barman-cloud-client", CNPG.namespace, {
              spec: { secretName: "barman-cloud-client-tls", issuerRef: { kind: "Issuer", name: ISSUER } },
            }),
            summary("cert-manager.io/v1", "Certificate", "barman-cloud-server", CNPG.namespace, {
              spec: { secretName: "barman-cloud-server-tls", issuerRef: { kind: "Issuer", name: ISSUER } },
            }),
          ],
  }),
});
