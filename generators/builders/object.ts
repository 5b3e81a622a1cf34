/** The one type every builder returns: a typed kubernetes-models object, validated before it is written. */
import type { Model } from "@kubernetes-models/base";
import type { IObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";

export interface KubeObject extends Model<unknown> {
  apiVersion: string;
  kind: string;
  metadata?: IObjectMeta;
}

/** `kind/namespace/name`, the way reports and file names refer to an object. */
export function objectId(obj: { kind: string; metadata?: { name?: string; namespace?: string } }): string {
  const ns = obj.metadata?.namespace;
  return `${obj.kind}/${ns ? `${ns}/` : ""}${obj.metadata?.name ?? "<unnamed>"}`;
}
