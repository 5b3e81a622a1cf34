/**
 * snapshot.storage.k8s.io/v1 VolumeSnapshotClass: no @kubernetes-models package carries the CSI
 * snapshot API, so it is modelled here from kubernetes-csi/external-snapshotter
 * client/apis/volumesnapshot/v1/types.go (VolumeSnapshotClass: driver and deletionPolicy required,
 * parameters optional; no spec) and its CRD client/config/crd/snapshot.storage.k8s.io_volumesnapshotclasses.yaml,
 * as the piraeus snapshot-controller chart 5.2.0 (appVersion v8.6.0) installs it.
 */
import type { IIoK8sApimachineryPkgApisMetaV1ObjectMeta as IObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";
import { Model, type ModelData, setValidateFunc, type TypeMeta } from "@kubernetes-models/base";
import { compile, metadata, obj, oneOf, strMap } from "../cnpg/schema.js";

export interface IVolumeSnapshotClass extends TypeMeta {
  apiVersion: "snapshot.storage.k8s.io/v1";
  kind: "VolumeSnapshotClass";
  metadata: IObjectMeta;
  /** The CSI driver that takes the snapshots, e.g. "ebs.csi.aws.com". */
  driver: string;
  /** What happens to the storage snapshot when its VolumeSnapshotContent is deleted. */
  deletionPolicy: "Delete" | "Retain";
  parameters?: Record<string, string>;
}

export const VOLUME_SNAPSHOT_CLASS_SCHEMA = obj(
  {
    apiVersion: { const: "snapshot.storage.k8s.io/v1" },
    kind: { const: "VolumeSnapshotClass" },
    metadata,
    driver: { type: "string", minLength: 1 },
    deletionPolicy: oneOf("Delete", "Retain"),
    parameters: strMap,
  },
  ["apiVersion", "kind", "metadata", "driver", "deletionPolicy"],
);

export class VolumeSnapshotClass extends Model<IVolumeSnapshotClass> implements IVolumeSnapshotClass {
  static readonly apiVersion = "snapshot.storage.k8s.io/v1";
  static readonly kind = "VolumeSnapshotClass";
  declare apiVersion: IVolumeSnapshotClass["apiVersion"];
  declare kind: IVolumeSnapshotClass["kind"];
  declare metadata: IObjectMeta;
  declare driver: string;
  declare deletionPolicy: IVolumeSnapshotClass["deletionPolicy"];
  declare parameters?: Record<string, string>;
  constructor(data?: ModelData<IVolumeSnapshotClass>) {
    super();
    this.setDefinedProps({
      apiVersion: VolumeSnapshotClass.apiVersion,
      kind: VolumeSnapshotClass.kind,
      ...data,
    } as ModelData<IVolumeSnapshotClass>);
  }
}
setValidateFunc(VolumeSnapshotClass, compile<IVolumeSnapshotClass>(VOLUME_SNAPSHOT_CLASS_SCHEMA));
