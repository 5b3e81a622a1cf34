/**
 * Velero: scheduled backups of every tenant volume that no better mechanism covers (docs/restore.md
 * "Volumes"). Each backup takes CSI snapshots of the namespace's EBS volumes through the platform's
 * VolumeSnapshotClass and moves their data to S3 with the built-in data mover (Kopia), so a copy
 * outlives the volume, the availability zone and, in prod, the region (S3 replication of the bucket).
 * Where the backups go (BackupStorageLocations) and when (one Schedule per tenant namespace) are
 * platform objects (builders/volume-backup.ts), so the chart creates neither.
 *
 * Chart: vmware-tanzu/helm-charts charts/velero (Chart.yaml version 12.1.0, appVersion 1.18.1,
 * kubeVersion ">=1.16.0-0"). Velero has no admission webhooks; its CRDs (velero.io) are applied by
 * the chart's upgrade-crds hook Job (templates/upgrade-crds/upgrade-crds.yaml). CSI support is
 * built into the server since 1.14 behind the EnableCSI feature flag (velero docs csi.md); the
 * data mover runs in node-agent (velero docs csi-snapshot-data-movement.md).
 *
 * Pod Security: the server and the plugin init container run "restricted". node-agent runs without
 * its hostPath volumes (nodeAgent.disableHostPath): those serve file-system backup, which the fleet
 * does not use, while the data mover mounts a volume restored from the snapshot in its own pod. The
 * data mover pods read every file of a volume whatever its owner, so they run as UID 0, which
 * "restricted" forbids: the namespace enforces "baseline" (no hostPath, no privilege, no host
 * namespaces) and warns and audits at "restricted". That is the one exception, stated here and in
 * docs/policy.md; it expires with VELERO_BASELINE_DUE, when the data mover's non-root mode is revisited.
 */
import { PROMETHEUS_SELECTOR, VOLUME_BACKUP, WAVES } from "../../fleet/constants.js";
import { type Addon, always, defineAddon, irsa, monitors } from "../addon.js";

/** Velero's AWS object store plugin, paired with Velero 1.18 (vmware-tanzu/velero-plugin-for-aws README compatibility table). */
export const VELERO_AWS_PLUGIN = "docker.io/velero/velero-plugin-for-aws:v1.14.0";
/** The last day the velero namespace may enforce "baseline" rather than "restricted" (see above). */
export const VELERO_BASELINE_DUE = "2027-06-30";

const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
} as const;

type ContainerSecurity = {
  allowPrivilegeEscalation: boolean;
  capabilities: { drop: readonly string[] };
  readOnlyRootFilesystem: boolean;
  runAsNonRoot?: boolean;
};
type Resources = { requests: { cpu: string; memory: string }; limits: { memory: string } };

/** vmware-tanzu/helm-charts charts/velero/values.yaml: only the keys we set. */
export interface VeleroValues {
  initContainers: {
    name: string;
    image: string;
    volumeMounts: { mountPath: string; name: string }[];
    securityContext: ContainerSecurity;
  }[];
  podSecurityContext: { runAsNonRoot: boolean; runAsUser: number; seccompProfile: { type: "RuntimeDefault" } };
  containerSecurityContext: ContainerSecurity;
  resources: Resources;
  configuration: {
    features: string;
    uploaderType: "kopia";
    defaultSnapshotMoveData: boolean;
    defaultVolumesToFsBackup: boolean;
    defaultBackupStorageLocation: string;
  };
  /** The platform emits the BackupStorageLocations; CSI snapshots need no VolumeSnapshotLocation. */
  backupsEnabled: boolean;
  snapshotsEnabled: boolean;
  credentials: { useSecret: boolean };
  serviceAccount: { server: { create: boolean; name: string; annotations: Record<string, string> } };
  deployNodeAgent: boolean;
  nodeAgent: {
    disableHostPath: boolean;
    podSecurityContext: { runAsUser: number; seccompProfile: { type: "RuntimeDefault" } };
    containerSecurityContext: ContainerSecurity;
    resources: Resources;
  };
  metrics: { enabled: boolean; serviceMonitor: { enabled: boolean; additionalLabels: Record<string, string> } };
}

export const velero: Addon = defineAddon<VeleroValues>({
  name: "velero",
  repoURL: "https://vmware-tanzu.github.io/helm-charts",
  chart: "velero",
  version: "12.1.0",
  kubernetes: { min: "1.16", source: 'vmware-tanzu/helm-charts charts/velero/Chart.yaml kubeVersion ">=1.16.0-0"' },
  releaseName: "velero",
  namespace: VOLUME_BACKUP.veleroNamespace,
  namespaceLabels: {
    "pod-security.kubernetes.io/enforce": "baseline",
    "pod-security.kubernetes.io/warn": "restricted",
    "pod-security.kubernetes.io/audit": "restricted",
  },
  wave: WAVES.addons,
  serverSideApply: true,
  needs: always,
  values: (ctx) => ({
    initContainers: [
      {
        name: "velero-plugin-for-aws",
        image: VELERO_AWS_PLUGIN,
        volumeMounts: [{ mountPath: "/target", name: "plugins" }],
        securityContext: RESTRICTED_CONTAINER,
      },
    ],
    podSecurityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } },
    containerSecurityContext: RESTRICTED_CONTAINER,
    resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "1Gi" } },
    configuration: {
      features: "EnableCSI",
      uploaderType: "kopia",
      defaultSnapshotMoveData: true,
      defaultVolumesToFsBackup: false,
      defaultBackupStorageLocation: VOLUME_BACKUP.location,
    },
    backupsEnabled: false,
    snapshotsEnabled: false,
    // IRSA, never static keys: the role (iam/velero-<cluster>.yaml) writes only the cluster's prefix.
    credentials: { useSecret: false },
    serviceAccount: { server: { create: true, name: VOLUME_BACKUP.veleroServiceAccount, annotations: irsa(ctx.cluster, "velero") } },
    deployNodeAgent: true,
    nodeAgent: {
      disableHostPath: true,
      podSecurityContext: { runAsUser: 0, seccompProfile: { type: "RuntimeDefault" } },
      containerSecurityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true },
      resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "2Gi" } },
    },
    metrics: { enabled: true, serviceMonitor: { enabled: true, additionalLabels: { ...PROMETHEUS_SELECTOR } } },
  }),
  model: (v) => ({
    provides: {
      crds: [
        {
          group: "velero.io",
          kinds: [
            "Backup",
            "BackupRepository",
            "BackupStorageLocation",
            "DataDownload",
            "DataUpload",
            "DeleteBackupRequest",
            "DownloadRequest",
            "PodVolumeBackup",
            "PodVolumeRestore",
            "Restore",
            "Schedule",
            "ServerStatusRequest",
            "VolumeSnapshotLocation",
          ],
        },
      ],
    },
    objects: monitors(v.metrics?.serviceMonitor?.enabled, "velero", VOLUME_BACKUP.veleroNamespace),
  }),
});
