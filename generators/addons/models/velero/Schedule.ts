/**
 * velero.io/v1 Schedule, modelled from vmware-tanzu/velero pkg/apis/velero/v1/schedule_types.go and
 * backup_types.go (BackupSpec), config/crd/v1/bases/velero.io_schedules.yaml (Velero 1.18). `schedule`
 * is a five-field cron expression (robfig/cron's standard parser, pkg/controller/schedule_controller.go
 * parseCronSchedule). `ttl` is a Go duration. Only the fields the generators set are declared.
 */
import type { IIoK8sApimachineryPkgApisMetaV1ObjectMeta as IObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";
import { Model, type ModelData, setValidateFunc, type TypeMeta } from "@kubernetes-models/base";
import { arr, bool, compile, kindSchema, obj, oneOf, str } from "../cnpg/schema.js";

export interface IBackupTemplate {
  includedNamespaces?: string[];
  /** Take volume snapshots (CSI, through the VolumeSnapshotClass Velero selects by label). */
  snapshotVolumes?: boolean;
  /** Move the snapshot data to the backup storage location (the built-in data mover, Kopia). */
  snapshotMoveData?: boolean;
  defaultVolumesToFsBackup?: boolean;
  includeClusterResources?: boolean;
  storageLocation?: string;
  /** How long a backup is kept, a Go duration such as "720h0m0s". */
  ttl?: string;
  /** A ConfigMap in Velero's namespace holding volume policies (velero docs resource-filtering.md). */
  resourcePolicy?: { kind: "configmap"; name: string };
}

export interface IScheduleSpec {
  schedule: string;
  template: IBackupTemplate;
  useOwnerReferencesInBackup?: boolean;
  paused?: boolean;
}

export interface ISchedule extends TypeMeta {
  apiVersion: "velero.io/v1";
  kind: "Schedule";
  metadata: IObjectMeta;
  spec: IScheduleSpec;
}

export const SCHEDULE_SCHEMA = kindSchema(
  "velero.io/v1",
  "Schedule",
  obj(
    {
      // Five space-separated fields, or a robfig/cron descriptor (@every 1h, @daily).
      schedule: { type: "string", pattern: "^(@\\S+( \\S+)?|\\S+( \\S+){4})$" },
      template: obj({
        includedNamespaces: arr(str),
        snapshotVolumes: bool,
        snapshotMoveData: bool,
        defaultVolumesToFsBackup: bool,
        includeClusterResources: bool,
        storageLocation: str,
        ttl: { type: "string", pattern: "^([0-9]+h)?([0-9]+m)?([0-9]+s)?$" },
        resourcePolicy: obj({ kind: oneOf("configmap"), name: str }, ["kind", "name"]),
      }),
      useOwnerReferencesInBackup: bool,
      paused: bool,
    },
    ["schedule", "template"],
  ),
);

export class Schedule extends Model<ISchedule> implements ISchedule {
  static readonly apiVersion = "velero.io/v1";
  static readonly kind = "Schedule";
  declare apiVersion: ISchedule["apiVersion"];
  declare kind: ISchedule["kind"];
  declare metadata: IObjectMeta;
  declare spec: IScheduleSpec;
  constructor(data?: ModelData<ISchedule>) {
    super();
    this.setDefinedProps({ apiVersion: Schedule.apiVersion, kind: Schedule.kind, ...data } as ModelData<ISchedule>);
  }
}
setValidateFunc(Schedule, compile<ISchedule>(SCHEDULE_SCHEMA));
