/**
 * The flows the CloudNativePG operator wires between the objects it creates (operators.ts), for
 * the connectivity check.
 */
import { CNPG } from "../../fleet/constants.js";
import { kindOf, namespaceOf, nameOf, obj, str } from "../policy/util.js";
import type { ClusterModel, Service, Workload } from "./cluster.js";
import type { Flow } from "./flow.js";
import { isCnpg } from "./operators.js";
import { API_SERVER } from "./platform.js";

/**
 * The calls the operator wires: PgBouncer to `<cluster>-<type>` (pgbouncer config.go `host=`),
 * a replica to `<cluster>-rw` (pkg/management/postgres/instance.go GetPrimaryConnInfo), the
 * operator to each instance's status port (pkg/management/postgres/webserver/client/remote), and
 * every instance and pooler to the API server (the operator binds a Role to their ServiceAccount,
 * pkg/specs/roles.go and pkg/specs/pgbouncer/rbac.go).
 */
export function operatorNeeds(model: ClusterModel, findService: (ns: string, name: string) => Service | undefined): Flow[] {
  const out: Flow[] = [];
  const operator = model.workloads.find((w) => w.role === "cnpg-operator");
  const podsOf = (ns: string, labels: Record<string, string>): Workload[] =>
    model.workloads.filter((w) => w.namespace === ns && w.template && Object.entries(labels).every(([k, v]) => w.labels[k] === v));
  for (const l of model.objects) {
    const ns = namespaceOf(l.obj);
    const name = nameOf(l.obj);
    const kind = kindOf(l.obj);
    const object = `${kind}/${ns}/${name}`;
    const base = { object, tenant: l.tenant, structured: true };
    const toService = (source: Workload, svcName: string, evidence: string, path: string): void => {
      const svc = findService(ns, svcName);
      const port = svc?.ports[0];
      out.push(
        svc && port
          ? { ...base, source, evidence, path, direct: false, target: { kind: "service", service: svc, port }, protocol: "TCP" }
          : {
              ...base,
              source,
              evidence,
              path,
              direct: false,
              target: { kind: "missing", host: svcName, port: CNPG.postgresPort, reason: `no Service ${svcName} in ${ns}` },
              protocol: "TCP",
            },
      );
    };
    const apiServer = (source: Workload, path: string): void => {
      out.push({
        ...base,
        source,
        evidence: "CloudNativePG instance manager",
        path,
        direct: false,
        target: { kind: "api-server", port: API_SERVER.port },
        protocol: "TCP",
      });
    };
    if (isCnpg(l, "Pooler")) {
      const spec = obj(l.obj.spec);
      const cluster = str(obj(spec.cluster).name) ?? "";
      for (const p of podsOf(ns, { [CNPG.poolerLabel]: name })) {
        toService(p, `${cluster}-${str(spec.type) ?? "rw"}`, `PgBouncer of Pooler ${ns}/${name}`, "spec.cluster.name");
        apiServer(p, "spec.cluster.name");
      }
    }
    if (isCnpg(l, "Cluster")) {
      const instances = podsOf(ns, { [CNPG.clusterLabel]: name, [CNPG.podRoleLabel]: "instance" });
      for (const p of instances) {
        apiServer(p, "spec.instances");
        if (p.labels[CNPG.instanceRoleLabel] === "replica")
          toService(p, `${name}-rw`, `streaming replication of Cluster ${ns}/${name}`, "spec.instances");
        if (operator) {
          const status = p.ports.find((x) => x.name === "status");
          const target: Service = { namespace: ns, name, selector: p.labels, headless: true, ports: [], addresses: [] };
          if (status)
            out.push({
              ...base,
              source: operator,
              evidence: `status checks of Cluster ${ns}/${name}`,
              path: "spec.instances",
              direct: true,
              target: {
                kind: "pod",
                service: target,
                pod: p.id,
                port: { name: "status", port: status.port, targetPort: status.port, protocol: "TCP" },
              },
              protocol: "TCP",
            });
        }
      }
    }
  }
  return out;
}
