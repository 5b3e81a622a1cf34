/**
 * The CloudNativePG operator: chart, pinned version, per-cluster values and the model of what it
 * provides (addons/provides.ts). Chart and CRDs: cloudnative-pg/charts charts/cloudnative-pg
 * (Chart.yaml version 0.29.0, appVersion 1.30.0), templates/crds/crds.yaml for the kinds,
 * templates/{validating,mutating}webhookconfiguration.yaml for the webhooks (failurePolicy Fail).
 */
import { CNPG, PROMETHEUS_SELECTOR, WAVES } from "../../fleet/constants.js";
import { type Addon, always, defineAddon, replicas } from "../addon.js";
import { summary } from "../provides.js";

/** cloudnative-pg/charts charts/cloudnative-pg/values.yaml: only the keys we set. */
export interface CloudNativePgValues {
  replicaCount: number;
  crds: { create: boolean };
  webhook: { mutating: { create: boolean; failurePolicy: "Fail" }; validating: { create: boolean; failurePolicy: "Fail" } };
  /** clusterWide: the operator watches every namespace (tenant Clusters live in tenant namespaces). */
  config: { clusterWide: boolean };
  monitoring: { podMonitorEnabled: boolean; podMonitorAdditionalLabels: Record<string, string> };
  resources: { requests: { cpu: string; memory: string }; limits: { memory: string } };
}

/** The kinds of postgresql.cnpg.io/v1 (templates/crds/crds.yaml). */
export const CNPG_KINDS = [
  "Backup",
  "Cluster",
  "ClusterImageCatalog",
  "Database",
  "DatabaseRole",
  "FailoverQuorum",
  "ImageCatalog",
  "Pooler",
  "Publication",
  "ScheduledBackup",
  "Subscription",
] as const;

export const cloudnativePg: Addon = defineAddon<CloudNativePgValues>({
  name: "cloudnative-pg",
  repoURL: "https://cloudnative-pg.github.io/charts",
  chart: "cloudnative-pg",
  version: "0.29.0",
  kubernetes: { source: "cloudnative-pg/charts charts/cloudnative-pg/Chart.yaml: kubeVersion not read offline, so no bound is declared" },
  releaseName: "cnpg",
  namespace: CNPG.namespace,
  wave: WAVES.addons,
  // The Cluster CRD alone is over 256 KiB: too large for client-side apply's annotation.
  serverSideApply: true,
  needs: always,
  values: (ctx) => ({
    replicaCount: replicas(ctx, 2),
    crds: { create: true },
    webhook: { mutating: { create: true, failurePolicy: "Fail" }, validating: { create: true, failurePolicy: "Fail" } },
    config: { clusterWide: true },
    monitoring: { podMonitorEnabled: true, podMonitorAdditionalLabels: { ...PROMETHEUS_SELECTOR } },
    resources: { requests: { cpu: "100m", memory: "200Mi" }, limits: { memory: "512Mi" } },
  }),
  model: (v) => ({
    provides: {
      crds: [{ group: "postgresql.cnpg.io", kinds: CNPG_KINDS }],
      webhooks: [
        {
          name: "cnpg-validating-webhook-configuration",
          type: "validating",
          failurePolicy: "Fail",
          rules: ["Backup", "Cluster", "Database", "Pooler", "ScheduledBackup"].map((kind) => ({ group: "postgresql.cnpg.io", kind })),
        },
        {
          name: "cnpg-mutating-webhook-configuration",
          type: "mutating",
          failurePolicy: "Fail",
          rules: ["Backup", "Cluster", "Database", "ScheduledBackup"].map((kind) => ({ group: "postgresql.cnpg.io", kind })),
        },
      ],
      services: [{ name: CNPG.webhookService, namespace: CNPG.namespace }],
    },
    objects:
      v.monitoring?.podMonitorEnabled === true
        ? [summary("monitoring.coreos.com/v1", "PodMonitor", "cnpg-cloudnative-pg", CNPG.namespace)]
        : [],
  }),
});
