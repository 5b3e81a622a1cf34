/**
 * barmancloud.cnpg.io/v1 ObjectStore: where the Barman Cloud plugin archives WAL and base backups
 * (plugin-barman-cloud api/v1/objectstore_types.go; the configuration is barman-cloud's
 * BarmanObjectStoreConfiguration, cloudnative-pg/barman-cloud pkg/api; CRD in cloudnative-pg/charts
 * charts/plugin-barman-cloud 0.7.0). `serverName` is refused here: the Cluster's plugin parameters carry it.
 */
import type { IIoK8sApimachineryPkgApisMetaV1ObjectMeta as IObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";
import { Model, type ModelData, setValidateFunc, type TypeMeta } from "@kubernetes-models/base";
import type { IResourceRequirements } from "kubernetes-models/v1/ResourceRequirements";
import { RETENTION_PATTERN, anyObject, bool, compile, int, kindSchema, obj, oneOf, str, strMap } from "./schema.js";

export type WalCompression = "bzip2" | "gzip" | "lz4" | "snappy" | "xz" | "zstd";
export type DataCompression = "bzip2" | "gzip" | "lz4" | "snappy";
export type Encryption = "AES256" | "aws:kms";

export interface IBarmanObjectStoreConfiguration {
  /** s3://bucket/prefix; barman-cloud writes `<destinationPath>/<serverName>/{base,wals}/`. */
  destinationPath: string;
  endpointURL?: string;
  s3Credentials?: { inheritFromIAMRole?: boolean };
  wal?: { compression?: WalCompression; encryption?: Encryption; maxParallel?: number };
  data?: { compression?: DataCompression; encryption?: Encryption; immediateCheckpoint?: boolean; jobs?: number };
  tags?: Record<string, string>;
}

export interface IObjectStoreSpec {
  configuration: IBarmanObjectStoreConfiguration;
  retentionPolicy?: string;
  instanceSidecarConfiguration?: { resources?: IResourceRequirements; retentionPolicyIntervalSeconds?: number };
}

export interface IObjectStore extends TypeMeta {
  apiVersion: "barmancloud.cnpg.io/v1";
  kind: "ObjectStore";
  metadata: IObjectMeta;
  spec: IObjectStoreSpec;
}

export const OBJECT_STORE_SCHEMA = kindSchema(
  "barmancloud.cnpg.io/v1",
  "ObjectStore",
  obj(
    {
      configuration: {
        ...obj(
          {
            destinationPath: str,
            endpointURL: str,
            s3Credentials: obj({ inheritFromIAMRole: bool }),
            wal: obj({
              compression: oneOf("bzip2", "gzip", "lz4", "snappy", "xz", "zstd"),
              encryption: oneOf("AES256", "aws:kms"),
              maxParallel: int(1),
            }),
            data: obj({
              compression: oneOf("bzip2", "gzip", "lz4", "snappy"),
              encryption: oneOf("AES256", "aws:kms"),
              immediateCheckpoint: bool,
              jobs: int(1),
            }),
            tags: strMap,
          },
          ["destinationPath"],
        ),
        // The CRD's x-kubernetes-validations: "use the 'serverName' plugin parameter in the Cluster resource".
        not: { required: ["serverName"] },
      },
      retentionPolicy: { type: "string", pattern: RETENTION_PATTERN },
      instanceSidecarConfiguration: obj({ resources: anyObject, retentionPolicyIntervalSeconds: int() }),
    },
    ["configuration"],
  ),
);

export class ObjectStore extends Model<IObjectStore> implements IObjectStore {
  static readonly apiVersion = "barmancloud.cnpg.io/v1";
  static readonly kind = "ObjectStore";
  declare apiVersion: IObjectStore["apiVersion"];
  declare kind: IObjectStore["kind"];
  declare metadata: IObjectMeta;
  declare spec: IObjectStoreSpec;
  constructor(data?: ModelData<IObjectStore>) {
    super();
    this.setDefinedProps({ apiVersion: ObjectStore.apiVersion, kind: ObjectStore.kind, ...data } as ModelData<IObjectStore>);
  }
}
setValidateFunc(ObjectStore, compile<IObjectStore>(OBJECT_STORE_SCHEMA));
