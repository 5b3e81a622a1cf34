/**
 * Pods that operators create from custom resources, as label sets: what a NetworkPolicy or a
 * PodMonitor in the namespace may select although no pod template is rendered. Only the labels
 * are modelled; the pods' specs are the operator's (and Pod Security admission judges them).
 *
 * CloudNativePG (cloudnative-pg pkg/specs/pods.go, pkg/specs/jobs.go, pkg/specs/pgbouncer/deployments.go):
 * instance pods carry cnpg.io/cluster, cnpg.io/podRole=instance, cnpg.io/instanceName and
 * cnpg.io/instanceRole (primary|replica), plus the Cluster's inheritedMetadata labels; the initdb and
 * join Job pods carry cnpg.io/cluster and cnpg.io/jobRole; Pooler pods carry cnpg.io/poolerName,
 * cnpg.io/cluster and cnpg.io/podRole=pooler plus the template's labels.
 */
import type { Located } from "./types.js";
import { kindOf, namespaceOf, nameOf, obj, strMap } from "./util.js";

export interface OperatorPods {
  loc: Located;
  namespace: string;
  labels: Record<string, string>;
}

export function operatorPods(objects: readonly Located[]): OperatorPods[] {
  return objects.flatMap((l): OperatorPods[] => {
    const apiVersion = l.obj.apiVersion;
    if (apiVersion !== "postgresql.cnpg.io/v1") return [];
    const namespace = namespaceOf(l.obj);
    const name = nameOf(l.obj);
    const spec = obj(l.obj.spec);
    if (kindOf(l.obj) === "Cluster") {
      const inherited = strMap(obj(spec.inheritedMetadata).labels);
      const instance = (role: string): OperatorPods => ({
        loc: l,
        namespace,
        labels: {
          ...inherited,
          "cnpg.io/cluster": name,
          "cnpg.io/podRole": "instance",
          "cnpg.io/instanceName": `${name}-1`,
          "cnpg.io/instanceRole": role,
        },
      });
      return [
        instance("primary"),
        instance("replica"),
        { loc: l, namespace, labels: { ...inherited, "cnpg.io/cluster": name, "cnpg.io/jobRole": "initdb" } },
      ];
    }
    if (kindOf(l.obj) === "Pooler") {
      const cluster = obj(spec.cluster).name;
      const template = strMap(obj(obj(spec.template).metadata).labels);
      return [
        {
          loc: l,
          namespace,
          labels: {
            ...template,
            "cnpg.io/poolerName": name,
            ...(typeof cluster === "string" ? { "cnpg.io/cluster": cluster } : {}),
            "cnpg.io/podRole": "pooler",
          },
        },
      ];
    }
    return [];
  });
}
