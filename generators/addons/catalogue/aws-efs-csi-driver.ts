/** The aws-efs-csi-driver add-on: chart, pinned version, per-cluster values and the model of what it provides (addons/provides.ts). */
import { WAVES } from "../../fleet/constants.js";
import type { AwsEfsCsiDriverValues } from "../values.js";
import { type Addon, always, defineAddon, irsa } from "../addon.js";

export const awsEfsCsiDriver: Addon = defineAddon<AwsEfsCsiDriverValues>({
  name: "aws-efs-csi-driver",
  repoURL: "https://kubernetes-sigs.github.io/aws-efs-csi-driver",
  chart: "aws-efs-csi-driver",
  version: "4.4.1",
  kubernetes: { min: "1.17", source: 'kubernetes-sigs/aws-efs-csi-driver charts/aws-efs-csi-driver/Chart.yaml kubeVersion ">=1.17.0-0"' },
  releaseName: "aws-efs-csi-driver",
  namespace: "kube-system",
  wave: WAVES.addonCluster,
  serverSideApply: true,
  needs: always,
  values: (ctx) => ({ controller: { serviceAccount: { annotations: irsa(ctx.cluster, "aws-efs-csi-driver") } } }),
  model: () => ({ provides: { csiDrivers: ["efs.csi.aws.com"] }, objects: [] }),
});
