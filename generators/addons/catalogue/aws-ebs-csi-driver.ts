/** The aws-ebs-csi-driver add-on: chart, pinned version, per-cluster values and the model of what it provides (addons/provides.ts). */
import { WAVES } from "../../fleet/constants.js";
import type { AwsEbsCsiDriverValues } from "../values.js";
import { type Addon, DEFAULT_CLASS_ANNOTATION, DEFAULT_STORAGE_CLASS, always, defineAddon, irsa } from "../addon.js";

export const awsEbsCsiDriver: Addon = defineAddon<AwsEbsCsiDriverValues>({
  name: "aws-ebs-csi-driver",
  repoURL: "https://kubernetes-sigs.github.io/aws-ebs-csi-driver",
  chart: "aws-ebs-csi-driver",
  version: "2.64.0",
  kubernetes: { min: "1.17", source: 'kubernetes-sigs/aws-ebs-csi-driver charts/aws-ebs-csi-driver/Chart.yaml kubeVersion ">=1.17.0-0"' },
  releaseName: "aws-ebs-csi-driver",
  namespace: "kube-system",
  wave: WAVES.addonCluster,
  serverSideApply: true,
  needs: always,
  values: (ctx) => ({
    controller: { replicaCount: 2, serviceAccount: { annotations: irsa(ctx.cluster, "aws-ebs-csi-driver") } },
    // This chart syncs before the snapshot CRDs (catalogue/snapshot-controller.ts): force the sidecar
    // that serves VolumeSnapshots rather than rely on Helm's capability check at the first render.
    sidecars: { snapshotter: { forceEnable: true } },
    // EKS >= 1.30 marks no class default; claims without a class (Prometheus') get this one.
    storageClasses: [
      {
        name: DEFAULT_STORAGE_CLASS,
        annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" },
        volumeBindingMode: "WaitForFirstConsumer",
        reclaimPolicy: "Retain",
        allowVolumeExpansion: true,
        parameters: { type: "gp3", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4" },
      },
    ],
  }),
  model: (v) => ({
    provides: {
      csiDrivers: ["ebs.csi.aws.com"],
      storageClasses: (v.storageClasses ?? []).map((c) => ({
        name: c.name,
        provisioner: "ebs.csi.aws.com",
        default: c.annotations?.[DEFAULT_CLASS_ANNOTATION] === "true",
      })),
    },
    objects: [],
  }),
});
