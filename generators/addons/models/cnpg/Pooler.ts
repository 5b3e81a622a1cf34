/**
 * postgresql.cnpg.io/v1 Pooler: PgBouncer in front of a Cluster (cloudnative-pg api/v1/pooler_types.go,
 * CRD poolers.postgresql.cnpg.io in cloudnative-pg/charts charts/cloudnative-pg 0.29.0).
 */
import type { IIoK8sApimachineryPkgApisMetaV1ObjectMeta as IObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";
import { Model, type ModelData, setValidateFunc, type TypeMeta } from "@kubernetes-models/base";
import type { IPodTemplateSpec } from "kubernetes-models/v1/PodTemplateSpec";
import { type LocalObjectReference, anyObject, bool, compile, int, kindSchema, localRef, obj, oneOf, strMap } from "./schema.js";

export interface IPoolerSpec {
  cluster: LocalObjectReference;
  /** rw: the primary; ro: the standbys; r: any instance. */
  type?: "rw" | "ro" | "r";
  instances?: number;
  pgbouncer: { poolMode?: "session" | "transaction"; parameters?: Record<string, string>; paused?: boolean };
  monitoring?: { enablePodMonitor?: boolean };
  /** The pods' template (its spec requires `containers`; CNPG merges its own pgbouncer container in). */
  template?: IPodTemplateSpec;
}

export interface IPooler extends TypeMeta {
  apiVersion: "postgresql.cnpg.io/v1";
  kind: "Pooler";
  metadata: IObjectMeta;
  spec: IPoolerSpec;
}

export const POOLER_SCHEMA = kindSchema(
  "postgresql.cnpg.io/v1",
  "Pooler",
  obj(
    {
      cluster: localRef,
      type: oneOf("rw", "ro", "r"),
      instances: int(0),
      pgbouncer: obj({ poolMode: oneOf("session", "transaction"), parameters: strMap, paused: bool }),
      monitoring: obj({ enablePodMonitor: bool }),
      template: obj({ metadata: anyObject, spec: obj({ containers: { type: "array" } }, ["containers"]) }),
    },
    ["cluster", "pgbouncer"],
  ),
);

export class Pooler extends Model<IPooler> implements IPooler {
  static readonly apiVersion = "postgresql.cnpg.io/v1";
  static readonly kind = "Pooler";
  declare apiVersion: IPooler["apiVersion"];
  declare kind: IPooler["kind"];
  declare metadata: IObjectMeta;
  declare spec: IPoolerSpec;
  constructor(data?: ModelData<IPooler>) {
    super();
    this.setDefinedProps({ apiVersion: Pooler.apiVersion, kind: Pooler.kind, ...data } as ModelData<IPooler>);
  }
}
setValidateFunc(Pooler, compile<IPooler>(POOLER_SCHEMA));
