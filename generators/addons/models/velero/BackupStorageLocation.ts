/**
 * velero.io/v1 BackupStorageLocation, modelled from vmware-tanzu/velero pkg/apis/velero/v1/backupstoragelocation_type.go
 * and config/crd/v1/bases/velero.io_backupstoragelocations.yaml (Velero 1.18, chart vmware-tanzu/helm-charts
 * charts/velero 12.1.0): provider and objectStorage.bucket required, accessMode ReadWrite or ReadOnly.
 * Only the fields the generators set are declared.
 */
import type { IIoK8sApimachineryPkgApisMetaV1ObjectMeta as IObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";
import { Model, type ModelData, setValidateFunc, type TypeMeta } from "@kubernetes-models/base";
import { bool, compile, kindSchema, obj, oneOf, str, strMap } from "../cnpg/schema.js";

export interface IBackupStorageLocationSpec {
  /** The object store plugin: "aws" (velero-plugin-for-aws). */
  provider: string;
  objectStorage: { bucket: string; prefix?: string };
  /** Plugin configuration: `region` for the AWS plugin. */
  config?: Record<string, string>;
  default?: boolean;
  accessMode?: "ReadWrite" | "ReadOnly";
  /** How often Velero syncs backups from the bucket into the cluster (a Go duration). */
  backupSyncPeriod?: string;
}

export interface IBackupStorageLocation extends TypeMeta {
  apiVersion: "velero.io/v1";
  kind: "BackupStorageLocation";
  metadata: IObjectMeta;
  spec: IBackupStorageLocationSpec;
}

export const BACKUP_STORAGE_LOCATION_SCHEMA = kindSchema(
  "velero.io/v1",
  "BackupStorageLocation",
  obj(
    {
      provider: { type: "string", minLength: 1 },
      objectStorage: obj({ bucket: { type: "string", minLength: 1 }, prefix: str }, ["bucket"]),
      config: strMap,
      default: bool,
      accessMode: oneOf("ReadWrite", "ReadOnly"),
      backupSyncPeriod: str,
    },
    ["provider", "objectStorage"],
  ),
);

export class BackupStorageLocation extends Model<IBackupStorageLocation> implements IBackupStorageLocation {
  static readonly apiVersion = "velero.io/v1";
  static readonly kind = "BackupStorageLocation";
  declare apiVersion: IBackupStorageLocation["apiVersion"];
  declare kind: IBackupStorageLocation["kind"];
  declare metadata: IObjectMeta;
  declare spec: IBackupStorageLocationSpec;
  constructor(data?: ModelData<IBackupStorageLocation>) {
    super();
    this.setDefinedProps({
      apiVersion: BackupStorageLocation.apiVersion,
      kind: BackupStorageLocation.kind,
      ...data,
    } as ModelData<IBackupStorageLocation>);
  }
}
setValidateFunc(BackupStorageLocation, compile<IBackupStorageLocation>(BACKUP_STORAGE_LOCATION_SCHEMA));
