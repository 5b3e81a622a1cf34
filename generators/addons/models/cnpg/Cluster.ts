/**
 * postgresql.cnpg.io/v1 Cluster: the fields the fleet sets (cloudnative-pg api/v1/cluster_types.go,
 * CRD clusters.postgresql.cnpg.io in cloudnative-pg/charts charts/cloudnative-pg 0.29.0).
 */
import type { IIoK8sApimachineryPkgApisMetaV1ObjectMeta as IObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";
import { Model, type ModelData, setValidateFunc, type TypeMeta } from "@kubernetes-models/base";
import type { IResourceRequirements } from "kubernetes-models/v1/ResourceRequirements";
import type { ITopologySpreadConstraint } from "kubernetes-models/v1/TopologySpreadConstraint";
import { type LocalObjectReference, anyObject, arr, bool, compile, int, kindSchema, localRef, obj, oneOf, str, strMap } from "./schema.js";

/** A CNPG-I plugin a Cluster (or an external cluster) uses: PluginConfiguration. */
export interface IPluginConfiguration {
  name: string;
  enabled?: boolean;
  /** Only one plugin may archive WAL. */
  isWALArchiver?: boolean;
  parameters?: Record<string, string>;
}

export interface IStorageConfiguration {
  size?: string;
  storageClass?: string;
  resizeInUseVolumes?: boolean;
}

/** RecoveryTarget: at most one of the target* fields (the webhook refuses two). */
export interface IRecoveryTarget {
  targetTime?: string;
  targetLSN?: string;
  targetName?: string;
  targetXID?: string;
  targetImmediate?: boolean;
  exclusive?: boolean;
  backupID?: string;
}

export interface IBootstrapInitDB {
  database?: string;
  owner?: string;
  /** A kubernetes.io/basic-auth Secret with the owner's username and password. */
  secret?: LocalObjectReference;
  dataChecksums?: boolean;
  encoding?: string;
}

export interface IBootstrapRecovery {
  /** The external cluster (here: an object store through the plugin) to recover from. */
  source?: string;
  database?: string;
  owner?: string;
  secret?: LocalObjectReference;
  recoveryTarget?: IRecoveryTarget;
}

export interface IExternalCluster {
  name: string;
  plugin?: IPluginConfiguration;
}

export interface IClusterSpec {
  description?: string;
  instances: number;
  imageName?: string;
  primaryUpdateStrategy?: "unsupervised" | "supervised";
  primaryUpdateMethod?: "switchover" | "restart";
  enableSuperuserAccess?: boolean;
  enablePDB?: boolean;
  /** Seconds before a failover is started after the primary is detected unhealthy. */
  failoverDelay?: number;
  switchoverDelay?: number;
  stopDelay?: number;
  smartShutdownTimeout?: number;
  startDelay?: number;
  minSyncReplicas?: number;
  maxSyncReplicas?: number;
  postgresql?: { parameters?: Record<string, string> };
  bootstrap?: { initdb?: IBootstrapInitDB; recovery?: IBootstrapRecovery };
  storage?: IStorageConfiguration;
  walStorage?: IStorageConfiguration;
  resources?: IResourceRequirements;
  affinity?: { enablePodAntiAffinity?: boolean; topologyKey?: string; podAntiAffinityType?: string };
  topologySpreadConstraints?: ITopologySpreadConstraint[];
  monitoring?: { enablePodMonitor?: boolean; disableDefaultQueries?: boolean };
  plugins?: IPluginConfiguration[];
  externalClusters?: IExternalCluster[];
  inheritedMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  serviceAccountTemplate?: { metadata: { labels?: Record<string, string>; annotations?: Record<string, string> } };
  priorityClassName?: string;
  logLevel?: "error" | "warning" | "info" | "debug" | "trace";
}

export interface ICluster extends TypeMeta {
  apiVersion: "postgresql.cnpg.io/v1";
  kind: "Cluster";
  metadata: IObjectMeta;
  spec: IClusterSpec;
}

const plugin = obj({ name: str, enabled: bool, isWALArchiver: bool, parameters: strMap }, ["name"]);
const storage = obj({ size: str, storageClass: str, resizeInUseVolumes: bool });

export const CLUSTER_SCHEMA = kindSchema(
  "postgresql.cnpg.io/v1",
  "Cluster",
  obj(
    {
      description: str,
      instances: int(1),
      imageName: str,
      primaryUpdateStrategy: oneOf("unsupervised", "supervised"),
      primaryUpdateMethod: oneOf("switchover", "restart"),
      enableSuperuserAccess: bool,
      enablePDB: bool,
      failoverDelay: int(),
      switchoverDelay: int(),
      stopDelay: int(),
      smartShutdownTimeout: int(),
      startDelay: int(),
      minSyncReplicas: int(0),
      maxSyncReplicas: int(0),
      postgresql: obj({ parameters: strMap }),
      bootstrap: obj({
        initdb: obj({ database: str, owner: str, secret: localRef, dataChecksums: bool, encoding: str }),
        recovery: obj({
          source: str,
          database: str,
          owner: str,
          secret: localRef,
          recoveryTarget: obj({
            targetTime: str,
            targetLSN: str,
            targetName: str,
            targetXID: str,
            targetImmediate: bool,
            exclusive: bool,
            backupID: str,
          }),
        }),
      }),
      storage,
      walStorage: storage,
      resources: anyObject,
      affinity: obj({ enablePodAntiAffinity: bool, topologyKey: str, podAntiAffinityType: str }),
      topologySpreadConstraints: arr(
        obj({ maxSkew: int(), topologyKey: str, whenUnsatisfiable: str }, ["maxSkew", "topologyKey", "whenUnsatisfiable"]),
      ),
      monitoring: obj({ enablePodMonitor: bool, disableDefaultQueries: bool }),
      plugins: arr(plugin),
      externalClusters: arr(obj({ name: str, plugin }, ["name"])),
      inheritedMetadata: obj({ labels: strMap, annotations: strMap }),
      serviceAccountTemplate: obj({ metadata: obj({ labels: strMap, annotations: strMap }) }, ["metadata"]),
      priorityClassName: str,
      logLevel: oneOf("error", "warning", "info", "debug", "trace"),
    },
    ["instances"],
  ),
);

export class Cluster extends Model<ICluster> implements ICluster {
  static readonly apiVersion = "postgresql.cnpg.io/v1";
  static readonly kind = "Cluster";
  declare apiVersion: ICluster["apiVersion"];
  declare kind: ICluster["kind"];
  declare metadata: IObjectMeta;
  declare spec: IClusterSpec;
  constructor(data?: ModelData<ICluster>) {
    super();
    this.setDefinedProps({ apiVersion: Cluster.apiVersion, kind: Cluster.kind, ...data } as ModelData<ICluster>);
  }
}
setValidateFunc(Cluster, compile<ICluster>(CLUSTER_SCHEMA));
