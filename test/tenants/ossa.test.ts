/**
 * OSSA (seed 002): the seven services with the seed's autoscaling ranges, the three
 * databases at a fixed three replicas, quota, health checks, backups and the mesh,
 * rendered with the real kustomize on every cluster.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { expectCnpgDatabase } from "./cnpg.js";
import type { Env } from "../../generators/fleet/fleet.js";
import {
  CLUSTERS,
  claimSizes,
  containerPorts,
  credentialEnv,
  find,
  get,
  gpuCount,
  renderTenant,
  secretRefs,
  zoneSpread,
  type Obj,
} from "./render-tenant.js";

const NS = "ossa-platform";
type Bounds = Record<Env, [number, number]>;

/** The seed's services: prod bounds are the seed's own; dev and staging run smaller. */
const SERVICES: readonly { name: string; hpa: Bounds }[] = [
  { name: "gateway", hpa: { dev: [1, 3], staging: [2, 10], prod: [5, 50] } },
  { name: "task-agents", hpa: { dev: [1, 5], staging: [3, 40], prod: [10, 200] } },
  { name: "communication-agents", hpa: { dev: [1, 4], staging: [2, 20], prod: [8, 100] } },
  { name: "mcp-agents", hpa: { dev: [1, 4], staging: [2, 16], prod: [6, 80] } },
  { name: "coordination", hpa: { dev: [1, 2], staging: [2, 4], prod: [3, 10] } },
  { name: "discovery", hpa: { dev: [1, 3], staging: [2, 8], prod: [5, 30] } },
  { name: "orchestration", hpa: { dev: [1, 4], staging: [2, 10], prod: [4, 40] } },
];

/** The seed's data layer: StatefulSets with fixed replicas, never an HPA. */
const DATABASES = [
  { name: "redis", ports: [6379], storage: { data: "20Gi" }, replicas: 3 },
  { name: "qdrant", ports: [6333, 6334, 6335], storage: { data: "100Gi", snapshots: "50Gi" }, replicas: 3 },
] as const;

const BACKUPS = [{ name: "qdrant-backup", schedule: "0 */6 * * *" }] as const;

const QUOTA: Record<Env, { cpu: string; memory: string }> = {
  dev: { cpu: "20", memory: "40Gi" },
  staging: { cpu: "60", memory: "100Gi" },
  prod: { cpu: "180", memory: "280Gi" },
};

let rendered: Map<string, Obj[]>;
beforeAll(async () => {
  rendered = await renderTenant("ossa");
});

describe.each(CLUSTERS)("ossa on $cluster ($env)", ({ cluster, env }) => {
  const objects = (): Obj[] => {
    const o = rendered.get(cluster);
    if (!o) throw new Error(`cluster ${cluster} has no ossa folder`);
    return o;
  };

  it.each(SERVICES)("runs $name as a Deployment owned by an HPA with the seed's bounds for this environment", (s) => {
    const d = get(objects(), "Deployment", s.name);
    expect(d.metadata.namespace).toBe(NS);
    expect(containerPorts(d)).toEqual([3000, 9090]);
    expect(gpuCount(d)).toBe(0);
    expect(d.spec.replicas).toBeUndefined();
    const hpa = get(objects(), "HorizontalPodAutoscaler", s.name);
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual(s.hpa[env]);
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: "Deployment", name: s.name });
    const pdb = find(objects(), "PodDisruptionBudget", s.name);
    if (s.hpa[env][0] > 1) expect(pdb?.spec.maxUnavailable).toBe(1);
    else expect(pdb).toBeUndefined();
  });

  it.each(DATABASES)("runs $name as a 3-replica StatefulSet with its volumes, a headless Service, a hard zone spread and no HPA", (db) => {
    const sts = get(objects(), "StatefulSet", db.name);
    expect(sts.spec.replicas).toBe(db.replicas);
    expect(containerPorts(sts)).toEqual([...db.ports]);
    expect(claimSizes(sts)).toEqual(db.storage);
    expect(sts.spec.podManagementPolicy).toBe("Parallel");
    expect(zoneSpread(sts)).toBe("DoNotSchedule");
    expect(find(objects(), "HorizontalPodAutoscaler", db.name)).toBeUndefined();
    expect(get(objects(), "Service", `${db.name}-headless`).spec.clusterIP).toBe("None");
    expect(get(objects(), "PodDisruptionBudget", db.name).spec.maxUnavailable).toBe(1);
  });

  it("runs PostgreSQL as a CloudNativePG Cluster behind the pgpool Pooler, with WAL archiving and daily backups", () => {
    expectCnpgDatabase(objects(), env, cluster, {
      cluster: "postgres",
      pooler: "pgpool",
      storage: "100Gi",
      instances: { dev: 1, staging: 3, prod: 3 },
    });
    expect(get(objects(), "Pooler", "pgpool").spec.instances).toBe({ dev: 1, staging: 2, prod: 3 }[env]);
    expect(find(objects(), "Deployment", "pgpool")).toBeUndefined();
  });

  it("bounds the namespace with a ResourceQuota and a LimitRange sized for this environment", () => {
    const quota = get(objects(), "ResourceQuota", "ossa");
    expect(quota.spec.hard["requests.cpu"]).toBe(QUOTA[env].cpu);
    expect(quota.spec.hard["requests.memory"]).toBe(QUOTA[env].memory);
    const lr = get(objects(), "LimitRange", "ossa");
    expect(lr.spec.limits[0].type).toBe("Container");
    expect(lr.spec.limits[0].default.cpu).toBeDefined();
  });

  it("checks the services after every sync and the databases every 10 minutes", () => {
    const job = get(objects(), "Job", "health-check");
    expect(job.metadata.annotations["argocd.argoproj.io/hook"]).toBe("PostSync");
    const cron = get(objects(), "CronJob", "db-health-check");
    expect(cron.spec.schedule).toBe("*/10 * * * *");
    expect(secretRefs(cron)).toContain("redis/password");
  });

  it.each(BACKUPS)("backs up with $name on $schedule to S3 through its ServiceAccount's IAM role, without static keys", (b) => {
    const cron = get(objects(), "CronJob", b.name);
    expect(cron.spec.schedule).toBe(b.schedule);
    expect(
      secretRefs(cron)
        .filter((r) => r.startsWith("backup-s3/"))
        .sort(),
    ).toEqual(["backup-s3/bucket", "backup-s3/region"]);
    const sa = get(objects(), "ServiceAccount", cron.spec.jobTemplate.spec.template.spec.serviceAccountName);
    expect(sa.metadata.annotations["eks.amazonaws.com/role-arn"]).toBe(`arn:aws:iam::111122223333:role/${env}-ossa-${b.name}`);
    const es = get(objects(), "ExternalSecret", "backup-s3");
    expect(es.spec.secretStoreRef).toEqual({ kind: "SecretStore", name: "aws-secrets-manager" });
  });

  it("meshes every service with STRICT mTLS, least-request balancing, retries and authorization", () => {
    expect(get(objects(), "PeerAuthentication", "default").spec.mtls.mode).toBe("STRICT");
    for (const s of SERVICES) {
      expect(get(objects(), "DestinationRule", s.name).spec.trafficPolicy.loadBalancer.simple).toBe("LEAST_REQUEST");
      expect(get(objects(), "VirtualService", s.name).spec.http[0].retries.attempts).toBe(3);
    }
    for (const a of [...SERVICES.map((s) => s.name), ...DATABASES.map((d) => d.name)])
      expect(find(objects(), "AuthorizationPolicy", a), a).toBeDefined();
    const principals = (app: string): string[] =>
      (get(objects(), "AuthorizationPolicy", app).spec.rules as Obj[]).flatMap((r) =>
        (r.from ?? []).flatMap((f: Obj) => f.source.principals ?? []),
      );
    expect(principals("redis").length).toBeGreaterThan(0);
    // CloudNativePG's pods stay out of the mesh (the operator reaches their status port directly).
    expect(get(objects(), "Pooler", "pgpool").spec.template.metadata.labels["sidecar.istio.io/inject"]).toBe("false");
  });

  it("exposes the gateway through an HTTPRoute and the Istio ingress gateway on this cluster's hosts", () => {
    expect(get(objects(), "HTTPRoute", "gateway").spec.hostnames).toContain(`api.ossa.${cluster}.ai.example.com`);
    const gw = get(objects(), "Gateway", "gateway");
    const hosts = (gw.spec.servers as Obj[]).flatMap((s) => s.hosts);
    expect(hosts).toContain(`mesh.ossa.${cluster}.ai.example.com`);
    expect(hosts.includes("mesh.ossa.ai.example.com")).toBe(env === "prod");
  });

  it("takes every credential from a Secret, never a literal", () => {
    const creds = credentialEnv(objects());
    expect(creds.length).toBeGreaterThan(0);
    for (const e of creds) expect(e.valueFrom?.secretKeyRef, `${e.owner} ${e.name}`).toBeDefined();
    expect(objects().filter((o) => o.kind === "Secret")).toEqual([]);
  });
});
