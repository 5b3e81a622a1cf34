/**
 * Volume protection for every stateful app that is not a database (api/components/volume-backup.ts):
 * per cluster, the EBS VolumeSnapshotClass, Velero's BackupStorageLocations (the cluster's prefix
 * in the region's bucket; in prod also read-only locations for the copies other regions replicate
 * here, which is where a region's backups are restored from when it is lost), one Schedule per
 * tenant namespace with volumes to protect, and its volume policy (claims that are re-creatable or
 * on EFS are skipped); the IAM roles of Velero and of each tenant's backup reader, for Terraform.
 *
 * Upstream: velero docs csi.md (the VolumeSnapshotClass label), csi-snapshot-data-movement.md
 * (snapshotMoveData), resource-filtering.md (volume policies: pvcLabels, action skip),
 * api-types/schedule.md; velero-plugin-for-aws README (BackupStorageLocation config.region, IAM policy).
 */
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { stringify } from "yaml";
import { VolumeSnapshotClass } from "../addons/models/snapshot/VolumeSnapshotClass.js";
import { BackupStorageLocation } from "../addons/models/velero/BackupStorageLocation.js";
import { Schedule } from "../addons/models/velero/Schedule.js";
import { ANNOTATIONS, IRSA_ROLE_ANNOTATION, LABELS, MANAGED_BY, PLATFORM, PLATFORM_TENANT, VOLUME_BACKUP } from "../fleet/constants.js";
import { iamRoleArn } from "../fleet/aws/identifiers.js";
import { type ClusterSpec, type Env, type Fleet, type Region, envSpec } from "../fleet/fleet.js";
import { forEnv } from "../api/per-env.js";
import { copyRegion } from "../api/components/postgres.js";
import { VOLUME_BACKUP_TTL, backupCron, backupHours } from "../api/components/volume-backup.js";
import { durationSeconds, formatSeconds } from "../api/durability.js";
import type { AppSpec, TenantSpec } from "../api/tenant.js";
import type { KubeObject } from "./object.js";
import { selectorLabels, tenantNamespace } from "./labels.js";
import { type IamRoleDoc, serviceAccountTrustPolicy } from "./iam.js";

const labels = { [LABELS.partOf]: PLATFORM_TENANT, [LABELS.managedBy]: MANAGED_BY, [LABELS.tenant]: PLATFORM_TENANT };

export const volumeBucket = (env: Env, region: Region): string => `${VOLUME_BACKUP.bucketPrefix}-${env}-${region}`;
/** Every Velero object of a cluster lives under its name in the bucket: `<cluster>/backups/<backup>`, `<cluster>/kopia/<namespace>`. */
export const volumePrefix = (cluster: ClusterSpec): string => cluster.name;
export const replicaLocation = (source: ClusterSpec): string => `replica-${source.name}`;
export const backupReaderRole = (cluster: ClusterSpec, tenant: TenantSpec): string => `${cluster.name}-backup-read-${tenant.name}`;

/** A claim as the check names it: `<app>/<claim>` (the volumeClaimTemplate or the Deployment's storage name). */
export const claimId = (app: AppSpec, claim: string): string => `${app.name}/${claim}`;

const onEfs = (app: AppSpec): boolean => (app.storage ?? []).some((s) => s.storageClass === PLATFORM.sharedStorageClass);

/** Apps whose volumes the namespace's Schedule protects: with storage, not re-creatable, not on EFS. */
export function scheduledApps(tenant: TenantSpec): AppSpec[] {
  return tenant.apps.filter((a) => (a.storage ?? []).length > 0 && a.durability?.recreatable === undefined && !onEfs(a));
}

/** Apps whose volumes Velero must skip: re-creatable data, and EFS volumes (their file system's backups cover them). */
function skippedApps(tenant: TenantSpec): AppSpec[] {
  return tenant.apps.filter((a) => (a.storage ?? []).length > 0 && (a.durability?.recreatable !== undefined || onEfs(a)));
}

/** The strictest targets among a namespace's scheduled apps in an environment, in seconds. */
function strictest(apps: readonly AppSpec[], env: Env): { rpo: number; rto: number } {
  const targets = apps.flatMap((a) => (a.durability?.targets !== undefined ? [forEnv(a.durability.targets, env)] : []));
  return {
    rpo: Math.min(...targets.map((t) => durationSeconds(t.rpo) ?? Number.POSITIVE_INFINITY)),
    rto: Math.min(...targets.map((t) => durationSeconds(t.rto) ?? Number.POSITIVE_INFINITY)),
  };
}

/** The EBS VolumeSnapshotClass Velero selects by label; prod keeps the EBS snapshot when its content object goes. */
export function buildSnapshotClass(fleet: Fleet, cluster: ClusterSpec): KubeObject[] {
  return [
    new VolumeSnapshotClass({
      metadata: {
        name: VOLUME_BACKUP.snapshotClass,
        labels: { ...labels, [VOLUME_BACKUP.veleroClassLabel]: "true" },
        annotations: { [VOLUME_BACKUP.defaultClassAnnotation]: "true" },
      },
      driver: "ebs.csi.aws.com",
      deletionPolicy: envSpec(fleet, cluster.env).production ? "Retain" : "Delete",
      parameters: { encrypted: "true" },
    }),
  ];
}

function location(fleet: Fleet, cluster: ClusterSpec): BackupStorageLocation {
  const copy = copyRegion(fleet, cluster);
  return new BackupStorageLocation({
    metadata: {
      name: VOLUME_BACKUP.location,
      namespace: VOLUME_BACKUP.veleroNamespace,
      labels,
      annotations: {
        [ANNOTATIONS.bucketRegion]: cluster.region,
        ...(copy !== undefined ? { [ANNOTATIONS.replicatedTo]: `s3://${volumeBucket(cluster.env, copy)}/${volumePrefix(cluster)}` } : {}),
      },
    },
    spec: {
      provider: "aws",
      objectStorage: { bucket: volumeBucket(cluster.env, cluster.region), prefix: volumePrefix(cluster) },
      config: { region: cluster.region },
      default: true,
      accessMode: "ReadWrite",
    },
  });
}

/** Read-only locations over the copies other prod clusters replicate into this region: restore them here when their region is lost. */
function replicaLocations(fleet: Fleet, cluster: ClusterSpec): BackupStorageLocation[] {
  return fleet.clusters
    .filter((c) => c.name !== cluster.name && c.env === cluster.env && copyRegion(fleet, c) === cluster.region)
    .map(
      (source) =>
        new BackupStorageLocation({
          metadata: {
            name: replicaLocation(source),
            namespace: VOLUME_BACKUP.veleroNamespace,
            labels,
            annotations: { [ANNOTATIONS.bucketRegion]: cluster.region },
          },
          spec: {
            provider: "aws",
            objectStorage: { bucket: volumeBucket(cluster.env, cluster.region), prefix: volumePrefix(source) },
            config: { region: cluster.region },
            accessMode: "ReadOnly",
          },
        }),
    );
}

function schedule(cluster: ClusterSpec, tenant: TenantSpec, apps: readonly AppSpec[]): KubeObject[] {
  const namespace = tenantNamespace(tenant);
  const { rpo, rto } = strictest(apps, cluster.env);
  // Validation refused an RPO under the first interval, so there is one.
  const hours = backupHours(rpo) ?? 1;
  const policyName = `${tenant.name}-volume-policy`;
  const skipped = skippedApps(tenant);
  const objects: KubeObject[] = [];
  if (skipped.length > 0)
    objects.push(
      new ConfigMap({
        metadata: { name: policyName, namespace: VOLUME_BACKUP.veleroNamespace, labels },
        data: {
          "policy.yaml": stringify({
            version: "v1",
            volumePolicies: skipped.map((a) => ({ conditions: { pvcLabels: selectorLabels(tenant, a) }, action: { type: "skip" } })),
          }),
        },
      }),
    );
  // The tenant's reader of its own backups (iam/velero-<cluster>.yaml): a Job of the tenant may run as it to list or fetch them.
  objects.push(
    new ServiceAccount({
      metadata: {
        name: VOLUME_BACKUP.readerServiceAccount,
        namespace,
        labels: { ...labels, [LABELS.tenant]: tenant.name },
        annotations: { [IRSA_ROLE_ANNOTATION]: iamRoleArn(backupReaderRole(cluster, tenant)) },
      },
      automountServiceAccountToken: false,
    }),
  );
  objects.push(
    new Schedule({
      metadata: {
        name: tenant.name,
        namespace: VOLUME_BACKUP.veleroNamespace,
        labels,
        annotations: {
          [ANNOTATIONS.durabilityRpo]: formatSeconds(rpo),
          [ANNOTATIONS.durabilityRto]: formatSeconds(rto),
          [ANNOTATIONS.backupCovers]: apps.flatMap((a) => (a.storage ?? []).map((s) => claimId(a, s.name))).join(","),
        },
      },
      spec: {
        schedule: backupCron(hours),
        useOwnerReferencesInBackup: false,
        template: {
          includedNamespaces: [namespace],
          snapshotVolumes: true,
          snapshotMoveData: true,
          defaultVolumesToFsBackup: false,
          storageLocation: VOLUME_BACKUP.location,
          ttl: VOLUME_BACKUP_TTL,
          ...(skipped.length > 0 ? { resourcePolicy: { kind: "configmap", name: policyName } } : {}),
        },
      },
    }),
  );
  return objects;
}

/** Velero's objects on one cluster: its locations, and a Schedule (with its volume policy) per tenant with volumes to protect. */
export function buildVolumeBackups(fleet: Fleet, cluster: ClusterSpec, tenants: readonly TenantSpec[]): KubeObject[] {
  return [
    location(fleet, cluster),
    ...replicaLocations(fleet, cluster),
    ...tenants.flatMap((t) => {
      const apps = scheduledApps(t);
      return apps.length > 0 ? schedule(cluster, t, apps) : [];
    }),
  ];
}

/**
 * For Terraform: Velero's role (read and write the cluster's prefix, EBS snapshots), one read-only
 * role per tenant with scheduled volumes (its own backups and data mover repository only:
 * `<cluster>/backups/<tenant>-*` and `<cluster>/kopia/<namespace>/`), assumed by the tenant's
 * `backup-reader` ServiceAccount, and the bucket's replication out of the region in prod.
 */
export function veleroIam(fleet: Fleet, cluster: ClusterSpec, tenants: readonly TenantSpec[]): Record<string, unknown> {
  const bucket = volumeBucket(cluster.env, cluster.region);
  const prefix = volumePrefix(cluster);
  const copy = copyRegion(fleet, cluster);
  // The copies other regions replicate here, which the read-only `replica-<cluster>` locations list.
  const replicated = fleet.clusters
    .filter((c) => c.name !== cluster.name && c.env === cluster.env && copyRegion(fleet, c) === cluster.region)
    .map((c) => `arn:aws:s3:::${bucket}/${volumePrefix(c)}/*`);
  const velero: IamRoleDoc = {
    roleName: `${cluster.name}-velero`,
    trustPolicy: serviceAccountTrustPolicy(
      cluster,
      VOLUME_BACKUP.veleroNamespace,
      VOLUME_BACKUP.veleroServiceAccount,
      "ServiceAccountOnly",
    ),
    permissionsPolicy: {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "OwnPrefix",
          Effect: "Allow",
          Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
          Resource: [`arn:aws:s3:::${bucket}/${prefix}/*`],
        },
        { Sid: "ListBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [`arn:aws:s3:::${bucket}`] },
        ...(replicated.length > 0
          ? [{ Sid: "ReadReplicatedCopies", Effect: "Allow" as const, Action: ["s3:GetObject"], Resource: replicated }]
          : []),
        {
          Sid: "EbsSnapshots",
          Effect: "Allow",
          Action: [
            "ec2:DescribeVolumes",
            "ec2:DescribeSnapshots",
            "ec2:CreateTags",
            "ec2:CreateVolume",
            "ec2:CreateSnapshot",
            "ec2:DeleteSnapshot",
          ],
          Resource: ["*"],
        },
      ],
    },
  };
  const readers: Record<string, unknown>[] = tenants
    .filter((t) => scheduledApps(t).length > 0)
    .map((t) => {
      const ns = tenantNamespace(t);
      const own = [`${prefix}/backups/${t.name}-*`, `${prefix}/kopia/${ns}/*`];
      return {
        roleName: backupReaderRole(cluster, t),
        trustPolicy: serviceAccountTrustPolicy(cluster, ns, VOLUME_BACKUP.readerServiceAccount, "ServiceAccountOnly"),
        permissionsPolicy: {
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "ReadOwnBackupsOnly",
              Effect: "Allow",
              Action: ["s3:GetObject"],
              Resource: own.map((p) => `arn:aws:s3:::${bucket}/${p}`),
            },
            {
              Sid: "ListOwnBackupsOnly",
              Effect: "Allow",
              Action: ["s3:ListBucket"],
              Resource: [`arn:aws:s3:::${bucket}`],
              Condition: { StringLike: { "s3:prefix": own } },
            },
          ],
        },
      };
    });
  return {
    cluster: cluster.name,
    bucket,
    roles: [velero, ...readers],
    ...(copy !== undefined
      ? { replication: { destinationBucket: volumeBucket(cluster.env, copy), prefix: `${prefix}/`, replicationTimeControlMinutes: 15 } }
      : {}),
  };
}
