/** The karpenter add-on: chart, pinned version, per-cluster values and the model of what it provides (addons/provides.ts). */
import { PROMETHEUS_SELECTOR, WAVES } from "../../fleet/constants.js";
import type { KarpenterValues } from "../values.js";
import { type Addon, always, defineAddon, irsa, monitors, replicas } from "../addon.js";

export const karpenter: Addon = defineAddon<KarpenterValues>({
  name: "karpenter",
  // OCI registry: Argo CD wants the host/path without oci:// and a repository registered with enableOCI.
  repoURL: "public.ecr.aws/karpenter",
  chart: "karpenter",
  version: "1.9.0",
  kubernetes: {
    min: "1.29",
    max: "1.35",
    source: "karpenter.sh/docs/upgrading/compatibility (endoflife-date/endoflife.date products/karpenter: 1.9 → 1.29 - 1.35)",
  },
  releaseName: "karpenter",
  namespace: "karpenter",
  wave: WAVES.addons,
  serverSideApply: true,
  needs: always,
  values: (ctx) => ({
    settings: {
      clusterName: ctx.cluster.name,
      // The SQS queue the cluster's Terraform creates for spot interruption and rebalance events.
      interruptionQueue: `Karpenter-${ctx.cluster.name}`,
      featureGates: { spotToSpotConsolidation: !ctx.production },
    },
    serviceAccount: { annotations: irsa(ctx.cluster, "karpenter") },
    replicas: replicas(ctx, 2),
    controller: { resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { memory: "1Gi" } } },
    serviceMonitor: { enabled: true, additionalLabels: { ...PROMETHEUS_SELECTOR } },
  }),
  model: (v) => ({
    provides: {
      crds: [
        { group: "karpenter.sh", kinds: ["NodeClaim", "NodePool"] },
        { group: "karpenter.k8s.aws", kinds: ["EC2NodeClass"] },
      ],
    },
    objects: monitors(v.serviceMonitor?.enabled, "karpenter", "karpenter"),
  }),
});
