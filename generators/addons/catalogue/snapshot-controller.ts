/**
 * The CSI snapshot controller (kubernetes-csi/external-snapshotter) and the snapshot CRDs, so
 * VolumeSnapshots of EBS volumes can exist: Velero takes them (catalogue/velero.ts) through the
 * platform's VolumeSnapshotClass (builders/volume-backup.ts).
 *
 * Why the piraeus chart and not the EKS `snapshot-controller` managed add-on: the fleet's managed
 * add-ons are the ones EKS needs before Argo CD runs (addons/eks.ts, fleet.eks: vpc-cni, CoreDNS),
 * each pinned per Kubernetes minor in fleet/eks-calendar.ts; the snapshot controller is needed only
 * by what Argo CD installs later, so it is a pinned Helm chart like every other add-on: one version
 * for the fleet, bumped by Renovate, its CRDs modelled for the bootstrap closure, and no second
 * calendar to keep. Chart: piraeusdatastore/helm-charts charts/snapshot-controller (Chart.yaml
 * version 5.2.0, appVersion v8.6.0, kubeVersion ">= 1.25.0-0"); CRDs from templates/crds.yaml
 * (installCRDs); the conversion webhook (templates/deployment_webhook.yaml) is only for
 * VolumeGroupSnapshots in their v1beta1/v1beta2 versions, which the fleet never had, so it stays off.
 */
import { VOLUME_BACKUP, WAVES } from "../../fleet/constants.js";
import { type Addon, always, defineAddon, replicas } from "../addon.js";

/** piraeusdatastore/helm-charts charts/snapshot-controller/values.yaml: only the keys we set. */
export interface SnapshotControllerValues {
  installCRDs: boolean;
  controller: {
    replicaCount: number;
    args: { leaderElection: boolean };
    podSecurityContext: { runAsNonRoot: boolean; seccompProfile: { type: "RuntimeDefault" } };
    securityContext: {
      allowPrivilegeEscalation: boolean;
      capabilities: { drop: string[] };
      readOnlyRootFilesystem: boolean;
      runAsNonRoot: boolean;
      runAsUser: number;
    };
    resources: { requests: { cpu: string; memory: string }; limits: { memory: string } };
  };
  webhook: { enabled: boolean };
}

/** The kinds of snapshot.storage.k8s.io/v1 and groupsnapshot.storage.k8s.io (templates/crds.yaml). */
export const SNAPSHOT_CRDS = [
  { group: "snapshot.storage.k8s.io", kinds: ["VolumeSnapshot", "VolumeSnapshotClass", "VolumeSnapshotContent"] },
  { group: "groupsnapshot.storage.k8s.io", kinds: ["VolumeGroupSnapshot", "VolumeGroupSnapshotClass", "VolumeGroupSnapshotContent"] },
] as const;

export const snapshotController: Addon = defineAddon<SnapshotControllerValues>({
  name: "snapshot-controller",
  repoURL: "https://piraeus.io/helm-charts",
  chart: "snapshot-controller",
  version: "5.2.0",
  kubernetes: { min: "1.25", source: 'piraeusdatastore/helm-charts charts/snapshot-controller/Chart.yaml kubeVersion ">= 1.25.0-0"' },
  releaseName: "snapshot-controller",
  namespace: VOLUME_BACKUP.snapshotNamespace,
  // The snapshot CRDs before Velero (addons) and the platform's VolumeSnapshotClass (platform).
  wave: WAVES.addonFoundations,
  serverSideApply: true,
  needs: always,
  values: (ctx) => ({
    installCRDs: true,
    controller: {
      replicaCount: replicas(ctx, 2),
      args: { leaderElection: true },
      // Pod Security "restricted": the chart's defaults plus seccomp and no privilege escalation.
      podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        runAsUser: 1000,
      },
      resources: { requests: { cpu: "20m", memory: "64Mi" }, limits: { memory: "256Mi" } },
    },
    webhook: { enabled: false },
  }),
  model: (v) => ({
    provides: { crds: v.installCRDs === false ? [] : SNAPSHOT_CRDS },
    objects: [],
  }),
});
