/**
 * What the CloudNativePG operator creates after admission, so the connectivity check can judge
 * flows to and between objects no folder renders: the instance pods and the -rw/-ro/-r Services
 * of each `Cluster`, the PgBouncer pods and Service of each `Pooler`, and the calls the operator
 * wires between them. Labels, names and ports follow the operator's own code (cloudnative-pg, cited
 * per item); the fleet renders the policies for them in builders/postgres.ts.
 */
import { CNPG } from "../../fleet/constants.js";
import type { K8sObject, Located } from "../policy/types.js";
import { kindOf, namespaceOf, nameOf, obj, str, strMap } from "../policy/util.js";

const CNPG_GROUP = "postgresql.cnpg.io/";

interface ContainerPort {
  name: string;
  containerPort: number;
}

/** cloudnative-pg pkg/specs/pods.go (the postgres container) and pkg/management/url/url.go. */
const INSTANCE_PORTS: readonly ContainerPort[] = [
  { name: "postgresql", containerPort: CNPG.postgresPort },
  { name: "metrics", containerPort: CNPG.metricsPort },
  { name: "status", containerPort: CNPG.statusPort },
];
/** cloudnative-pg pkg/specs/pgbouncer/deployments.go and pkg/management/pgbouncer/config/config.go. */
const POOLER_PORTS: readonly ContainerPort[] = [
  { name: "pgbouncer", containerPort: CNPG.postgresPort },
  { name: "metrics", containerPort: CNPG.poolerMetricsPort },
];

/** The Services of a Cluster (cloudnative-pg pkg/specs/services.go), by suffix and selector. */
function clusterServices(cluster: string, instances: number): { suffix: string; selector: Record<string, string> }[] {
  const out: { suffix: string; selector: Record<string, string> }[] = [
    { suffix: "rw", selector: { [CNPG.clusterLabel]: cluster, [CNPG.instanceRoleLabel]: "primary" } },
    { suffix: "r", selector: { [CNPG.clusterLabel]: cluster, [CNPG.podRoleLabel]: "instance" } },
  ];
  // -ro selects replicas: it exists with one instance too, but then it has no endpoints.
  if (instances > 1) out.push({ suffix: "ro", selector: { [CNPG.clusterLabel]: cluster, [CNPG.instanceRoleLabel]: "replica" } });
  return out;
}

function synthetic(
  kind: string,
  namespace: string,
  name: string,
  labels: Record<string, string>,
  spec: Record<string, unknown>,
): K8sObject {
  return { apiVersion: "v1", kind, metadata: { name, namespace, labels }, spec } as K8sObject;
}

function pod(namespace: string, name: string, labels: Record<string, string>, sa: string, ports: readonly ContainerPort[]): K8sObject {
  return synthetic("Pod", namespace, name, labels, {
    serviceAccountName: sa,
    containers: [{ name: "postgres", ports: ports.map((p) => ({ ...p, protocol: "TCP" })) }],
  });
}

function service(namespace: string, name: string, selector: Record<string, string>, targetPort: number | string): K8sObject {
  return synthetic(
    "Service",
    namespace,
    name,
    {},
    {
      selector,
      ports: [{ name: typeof targetPort === "string" ? targetPort : "postgres", port: CNPG.postgresPort, targetPort, protocol: "TCP" }],
    },
  );
}

export const isCnpg = (l: Located, kind: string): boolean =>
  kindOf(l.obj) === kind && str(l.obj.apiVersion)?.startsWith(CNPG_GROUP) === true;

const instancesOf = (o: K8sObject): number => {
  const n = obj(o.spec).instances;
  return typeof n === "number" && n > 0 ? n : 1;
};

/**
 * The pods and Services the operator creates for the rendered Clusters and Poolers. One pod per
 * instance role is enough for policy: every replica carries the same labels.
 */
export function operatorObjects(objects: readonly Located[]): Located[] {
  const out: Located[] = [];
  for (const l of objects) {
    const ns = namespaceOf(l.obj);
    const name = nameOf(l.obj);
    const spec = obj(l.obj.spec);
    if (isCnpg(l, "Cluster")) {
      const n = instancesOf(l.obj);
      // pkg/specs/pods.go: inheritedMetadata labels, then the operator's; the ServiceAccount is the Cluster's name.
      const labels = (role: string, i: number): Record<string, string> => ({
        ...strMap(obj(spec.inheritedMetadata).labels),
        [CNPG.clusterLabel]: name,
        "cnpg.io/instanceName": `${name}-${i}`,
        [CNPG.podRoleLabel]: "instance",
        [CNPG.instanceRoleLabel]: role,
        role,
      });
      out.push({ obj: pod(ns, `${name}-1`, labels("primary", 1), name, INSTANCE_PORTS), tenant: l.tenant });
      if (n > 1) out.push({ obj: pod(ns, `${name}-2`, labels("replica", 2), name, INSTANCE_PORTS), tenant: l.tenant });
      for (const s of clusterServices(name, n))
        out.push({ obj: service(ns, `${name}-${s.suffix}`, s.selector, CNPG.postgresPort), tenant: l.tenant });
    }
    if (isCnpg(l, "Pooler")) {
      const cluster = str(obj(spec.cluster).name) ?? "";
      // pkg/specs/pgbouncer/deployments.go: template labels, then the operator's; ServiceAccount = the Pooler's name.
      const labels = {
        ...strMap(obj(obj(spec.template).metadata).labels),
        [CNPG.clusterLabel]: cluster,
        [CNPG.poolerLabel]: name,
        [CNPG.podRoleLabel]: "pooler",
      };
      out.push({ obj: pod(ns, `${name}-0`, labels, name, POOLER_PORTS), tenant: l.tenant });
      // pkg/specs/pgbouncer/services.go: selector cnpg.io/poolerName, targetPort by name.
      out.push({ obj: service(ns, name, { [CNPG.poolerLabel]: name }, "pgbouncer"), tenant: l.tenant });
    }
  }
  return out;
}
