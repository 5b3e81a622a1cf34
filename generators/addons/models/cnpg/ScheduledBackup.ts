/**
 * postgresql.cnpg.io/v1 ScheduledBackup (cloudnative-pg api/v1/scheduledbackup_types.go, CRD
 * scheduledbackups.postgresql.cnpg.io in cloudnative-pg/charts charts/cloudnative-pg 0.29.0).
 * `schedule` is a robfig/cron expression WITH seconds: six fields.
 */
import type { IIoK8sApimachineryPkgApisMetaV1ObjectMeta as IObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";
import { Model, type ModelData, setValidateFunc, type TypeMeta } from "@kubernetes-models/base";
import { type LocalObjectReference, bool, compile, kindSchema, localRef, obj, oneOf, str, strMap } from "./schema.js";

export interface IScheduledBackupSpec {
  cluster: LocalObjectReference;
  schedule: string;
  method?: "barmanObjectStore" | "volumeSnapshot" | "plugin";
  pluginConfiguration?: { name: string; parameters?: Record<string, string> };
  backupOwnerReference?: "none" | "self" | "cluster";
  immediate?: boolean;
  suspend?: boolean;
  target?: "primary" | "prefer-standby";
}

export interface IScheduledBackup extends TypeMeta {
  apiVersion: "postgresql.cnpg.io/v1";
  kind: "ScheduledBackup";
  metadata: IObjectMeta;
  spec: IScheduledBackupSpec;
}

export const SCHEDULED_BACKUP_SCHEMA = kindSchema(
  "postgresql.cnpg.io/v1",
  "ScheduledBackup",
  obj(
    {
      cluster: localRef,
      // robfig/cron with seconds (cloudnative-pg pkg/reconciler/backup scheduling): six space-separated fields.
      schedule: { type: "string", pattern: "^\\S+( \\S+){5}$" },
      method: oneOf("barmanObjectStore", "volumeSnapshot", "plugin"),
      pluginConfiguration: obj({ name: str, parameters: strMap }, ["name"]),
      backupOwnerReference: oneOf("none", "self", "cluster"),
      immediate: bool,
      suspend: bool,
      target: oneOf("primary", "prefer-standby"),
    },
    ["cluster", "schedule"],
  ),
);

export class ScheduledBackup extends Model<IScheduledBackup> implements IScheduledBackup {
  static readonly apiVersion = "postgresql.cnpg.io/v1";
  static readonly kind = "ScheduledBackup";
  declare apiVersion: IScheduledBackup["apiVersion"];
  declare kind: IScheduledBackup["kind"];
  declare metadata: IObjectMeta;
  declare spec: IScheduledBackupSpec;
  constructor(data?: ModelData<IScheduledBackup>) {
    super();
    this.setDefinedProps({ apiVersion: ScheduledBackup.apiVersion, kind: ScheduledBackup.kind, ...data } as ModelData<IScheduledBackup>);
  }
}
setValidateFunc(ScheduledBackup, compile<IScheduledBackup>(SCHEDULED_BACKUP_SCHEMA));
