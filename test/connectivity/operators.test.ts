/**
 * What the CloudNativePG operator creates after admission, as the connectivity check models it:
 * the pods and Services of each Cluster and Pooler (labels and selectors from cloudnative-pg
 * pkg/specs/services.go, pods.go and pgbouncer/*.go), and the flows between them judged on the
 * real rendered dev-usw2 and prod-usw2, with planted breaks.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { clusterFlows } from "../../generators/check/connectivity/evaluate.js";
import { operatorObjects } from "../../generators/check/connectivity/operators.js";
import { clusterContexts, runPolicies, RULES, type Finding, type PolicyFolder } from "../../generators/check/policy/index.js";
import type { Located } from "../../generators/check/policy/types.js";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import type { RenderedFolder } from "../../generators/render/render.js";
import { renderedFleet, type Obj } from "../helpers/fleet.js";

const rules = RULES.filter((r) => r.id === "net-flow-denied");
let folders: RenderedFolder[] = [];

beforeAll(async () => {
  folders = (await renderedFleet()).filter((f) => f.cluster === "prod-usw2");
});

const cluster = (instances: number): Located => ({
  tenant: "t",
  obj: {
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "Cluster",
    metadata: { name: "db", namespace: "t" },
    spec: { instances, inheritedMetadata: { labels: { "sidecar.istio.io/inject": "false" } } },
  } as Located["obj"],
});
const pooler: Located = {
  tenant: "t",
  obj: {
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "Pooler",
    metadata: { name: "db-pooler", namespace: "t" },
    spec: { cluster: { name: "db" }, type: "rw", template: { metadata: { labels: { app: "x" } } } },
  } as Located["obj"],
};

const byName = (objs: Located[], kind: string, name: string): Obj | undefined =>
  objs.map((l) => l.obj as Obj).find((o) => o.kind === kind && o.metadata?.name === name);

describe("the CloudNativePG operator's objects, as it creates them", () => {
  it("gives a three-instance Cluster a primary and a replica pod and the -rw, -r and -ro Services", () => {
    const made = operatorObjects([cluster(3)]);
    expect(byName(made, "Pod", "db-1")?.metadata.labels).toMatchObject({
      "cnpg.io/cluster": "db",
      "cnpg.io/podRole": "instance",
      "cnpg.io/instanceRole": "primary",
      "sidecar.istio.io/inject": "false",
    });
    expect(byName(made, "Pod", "db-2")?.metadata.labels["cnpg.io/instanceRole"]).toBe("replica");
    expect(byName(made, "Pod", "db-1")?.spec.serviceAccountName).toBe("db");
    expect(byName(made, "Service", "db-rw")?.spec.selector).toEqual({ "cnpg.io/cluster": "db", "cnpg.io/instanceRole": "primary" });
    expect(byName(made, "Service", "db-ro")?.spec.selector).toEqual({ "cnpg.io/cluster": "db", "cnpg.io/instanceRole": "replica" });
    expect(byName(made, "Service", "db-r")?.spec.selector).toEqual({ "cnpg.io/cluster": "db", "cnpg.io/podRole": "instance" });
  });

  it("gives a one-instance Cluster no replica pod", () => {
    const made = operatorObjects([cluster(1)]);
    expect(byName(made, "Pod", "db-2")).toBeUndefined();
    expect(byName(made, "Pod", "db-1")).toBeDefined();
  });

  it("gives a Pooler PgBouncer pods labelled with its cluster and a Service that targets the pgbouncer port by name", () => {
    const made = operatorObjects([pooler]);
    const pod = byName(made, "Pod", "db-pooler-0");
    expect(pod?.metadata.labels).toMatchObject({
      app: "x",
      "cnpg.io/poolerName": "db-pooler",
      "cnpg.io/cluster": "db",
      "cnpg.io/podRole": "pooler",
    });
    expect(pod?.spec.containers[0].ports.map((p: Obj) => [p.name, p.containerPort])).toEqual([
      ["pgbouncer", 5432],
      ["metrics", 9127],
    ]);
    const svc = byName(made, "Service", "db-pooler");
    expect(svc?.spec.selector).toEqual({ "cnpg.io/poolerName": "db-pooler" });
    expect(svc?.spec.ports[0]).toMatchObject({ port: 5432, targetPort: "pgbouncer" });
  });

  it("ignores kinds named Cluster outside postgresql.cnpg.io", () => {
    const other: Located = {
      tenant: "t",
      obj: { apiVersion: "example.com/v1", kind: "Cluster", metadata: { name: "x", namespace: "t" } } as Located["obj"],
    };
    expect(operatorObjects([other])).toEqual([]);
  });
});

function findings(fs: readonly PolicyFolder[]): Finding[] {
  return runPolicies({ fleet: DEFAULT_FLEET, folders: fs, apps: [] }, [], new Date(), rules).findings;
}

function planted(plant: (o: Obj) => void): PolicyFolder[] {
  return folders.map((f) => ({
    cluster: f.cluster,
    tenant: f.tenant,
    objects: f.objects.map((o) => {
      const c = structuredClone(o) as Obj;
      plant(c);
      return c;
    }),
  }));
}

describe("flows to and between the operator's objects on the real prod-usw2", () => {
  it("judge the application to its Pooler, PgBouncer to the primary, replication and the operator's status checks, all allowed", () => {
    const ctx = clusterContexts({ fleet: DEFAULT_FLEET, folders, apps: [] }).find((c) => c.name === "prod-usw2");
    if (!ctx) throw new Error("prod-usw2 not rendered");
    const flows = clusterFlows(ctx).filter((r) => r.flow.source.namespace === "agentguard" || r.destination.startsWith("agentguard/"));
    const line = (src: string, dst: string): string[] =>
      flows
        .filter((r) => r.flow.source.display.includes(src) && r.destination.startsWith(dst))
        .map((r) => r.denials.map((d) => d.message).join(";"));
    expect(line("agentguard/agentguard-api", "agentguard/postgres-pooler:5432")).toEqual([""]);
    expect(line("agentguard/postgres-pooler-0", "agentguard/postgres-rw:5432")).toEqual([""]);
    expect(line("agentguard/postgres-2", "agentguard/postgres-rw:5432")).toEqual([""]);
    expect(line("CloudNativePG operator", "agentguard/")).toEqual([""]);
    expect(findings(folders)).toEqual([]);
  });

  it("fail when the Pooler's egress names the instances but not the -rw Service's selector (the EKS agent then drops the ClusterIP)", () => {
    const found = findings(
      planted((o) => {
        if (o.kind === "NetworkPolicy" && o.metadata.namespace === "agentguard" && o.metadata.name === "postgres-pooler")
          o.spec.egress[1].to = [{ podSelector: { matchLabels: { "cnpg.io/cluster": "postgres", "cnpg.io/podRole": "instance" } } }];
      }),
    );
    expect(found.map((f) => [f.object, f.message.split(" is denied")[0]])).toEqual([
      [
        "Pooler/agentguard/postgres-pooler",
        "agentguard/postgres-pooler-0 -> agentguard/postgres-rw:5432/TCP (PgBouncer of Pooler agentguard/postgres-pooler)",
      ],
    ]);
  });

  it("fail when the instances no longer admit the operator on the status port", () => {
    const found = findings(
      planted((o) => {
        if (o.kind === "NetworkPolicy" && o.metadata.namespace === "ossa-platform" && o.metadata.name === "postgres-instances")
          o.spec.ingress = o.spec.ingress.filter((r: Obj) => !r.from?.some((p: Obj) => p.namespaceSelector));
      }),
    );
    expect(found.map((f) => f.object)).toContain("Cluster/ossa-platform/postgres");
    expect(found.find((f) => f.object === "Cluster/ossa-platform/postgres")?.message).toMatch(
      /^CloudNativePG operator \(cnpg-system\) -> .*:8000\/TCP \(status checks of Cluster ossa-platform\/postgres\) is denied by NetworkPolicy ingress/,
    );
  });
});
