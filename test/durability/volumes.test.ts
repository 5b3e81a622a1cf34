/**
 * Every other volume is protected: generate refuses an app with volumes and no durability, targets
 * the mechanism cannot meet (Velero's hourly floor and hour-long restore, EFS's daily backup) and
 * production without a copy region; the check (durability-volumes) passes the committed prod
 * cluster, rendered with the real kustomize, and fails each planted weakness of the rendered objects.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { validateStrict } from "../../generators/check/schema/validate.js";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { TENANTS } from "../../generators/tenants/index.js";
import { validateAll } from "../../generators/api/validate.js";
import { VOLUME_DURABILITY_RULES } from "../../generators/check/policy/durability-volumes.js";
import { backupCron, backupHours, cronIntervalSeconds, goDurationSeconds } from "../../generators/api/components/volume-backup.js";
import type { Located } from "../../generators/check/policy/types.js";
import type { AppSpec, TenantSpec } from "../../generators/api/tenant.js";
import type { TenantSource } from "../../generators/tenants/index.js";
import type { RenderedFolder } from "../../generators/render/render.js";
import { renderedFleet, type Obj } from "../helpers/fleet.js";
import { REPO } from "../helpers/repo.js";

let fleet: RenderedFolder[] = [];
beforeAll(async () => {
  fleet = await renderedFleet();
});

/** A fresh copy of one cluster folder as the real kustomize renders it (the suite's shared render), free to mutate. */
const kustomize = (dir: string): Obj[] => {
  const [, cluster, tenant] = dir.split("/");
  const folder = fleet.find((f) => f.cluster === cluster && f.tenant === tenant);
  if (!folder) throw new Error(`${dir} is not rendered`);
  return structuredClone(folder.objects) as Obj[];
};

/** The tenants with one app of one tenant replaced. */
function withApp(tenant: string, app: string, change: (a: AppSpec) => AppSpec): TenantSource[] {
  return TENANTS.map((t) =>
    t.spec.name !== tenant
      ? t
      : { ...t, spec: { ...t.spec, apps: t.spec.apps.map((a) => (a.name === app ? change(a) : a)) } as TenantSpec },
  );
}
const problems = (tenants: TenantSource[], field: string) => validateAll(DEFAULT_FLEET, tenants).filter((p) => p.field.startsWith(field));

describe("volume durability declarations", () => {
  it("accepts the committed tenants", () => {
    expect(validateAll(DEFAULT_FLEET, TENANTS).filter((p) => p.field.includes("durability"))).toEqual([]);
  });

  it("refuses an app with volumes and no declaration, naming the file, the field and both ways to fix it", () => {
    const p = problems(
      withApp("mlcf", "neo4j", ({ durability, ...a }) => a),
      "apps[neo4j].durability",
    );
    expect(p).toHaveLength(1);
    expect(p[0]?.file).toContain("mlcf");
    expect(p[0]?.message).toContain("data, logs");
    expect(p[0]?.message).toContain("recreatable");
  });

  it("refuses an RPO under Velero's hourly schedule and an RTO under its restore, per environment", () => {
    const p = problems(
      withApp("mlcf", "neo4j", (a) => ({
        ...a,
        durability: { targets: { dev: { rpo: "1h", rto: "1h" }, staging: { rpo: "30m", rto: "1h" }, prod: { rpo: "1h", rto: "15m" } } },
      })),
      "apps[neo4j].durability",
    );
    expect(p.map((x) => `${x.field} ${String(x.value)}`).sort()).toEqual([
      "apps[neo4j].durability.targets.prod.rto 15m",
      "apps[neo4j].durability.targets.staging.rpo 30m",
    ]);
    expect(p.find((x) => x.field.endsWith("rpo"))?.message).toContain('raise rpo to "1h"');
  });

  it("refuses an hourly RPO for a volume on EFS, whose own backup is daily", () => {
    const p = problems(
      withApp("uiota", "backend-api", (a) => ({ ...a, durability: { targets: { rpo: "1h", rto: "4h" } } })),
      "apps[backend-api].durability",
    );
    expect(p).toHaveLength(3);
    expect(p[0]?.message).toContain("EFS");
  });

  it("refuses durability on an app without volumes, and an empty re-creatable reason", () => {
    expect(
      problems(
        withApp("mlcf", "mlcf-api", (a) => ({ ...a, durability: { targets: { rpo: "1h", rto: "1h" } } })),
        "apps[mlcf-api].durability",
      ),
    ).toHaveLength(1);
    expect(
      problems(
        withApp("uiota", "offline-dns", (a) => ({ ...a, durability: { recreatable: { reason: " " } } })),
        "apps[offline-dns].durability",
      ),
    ).toHaveLength(1);
  });

  it("refuses production in one region: the backups need a copy outside it", () => {
    const oneRegion = { ...DEFAULT_FLEET, clusters: DEFAULT_FLEET.clusters.filter((c) => c.env !== "prod" || c.region === "us-west-2") };
    const p = validateAll(oneRegion, TENANTS).filter((x) => x.field.startsWith("apps[") && x.value === "prod-usw2");
    expect(p.length).toBeGreaterThan(0);
    expect(p[0]?.message).toContain("outside us-west-2");
  });
});

describe("the schedule's cadence", () => {
  it("is the largest divisor of the day within the RPO, and the check reads back the same interval", () => {
    expect([3600, 5400, 7200, 4 * 3600, 5 * 3600, 86400, 7 * 86400].map((s) => backupHours(s))).toEqual([1, 1, 2, 4, 4, 24, 24]);
    expect(backupHours(1800)).toBeUndefined();
    for (const h of [1, 2, 3, 4, 6, 8, 12, 24]) expect(cronIntervalSeconds(backupCron(h))).toBe(h * 3600);
  });

  it("has no constant interval for schedules that skip days or hours unevenly", () => {
    for (const cron of ["0 */5 * * *", "0 0 * * 1", "*/5 * * * *", "0 1,13 * * *", "@hourly"])
      expect(cronIntervalSeconds(cron)).toBeUndefined();
  });

  it("reads Velero's ttl as a Go duration", () => {
    expect(goDurationSeconds("720h0m0s")).toBe(720 * 3600);
    expect(goDurationSeconds("")).toBeUndefined();
    expect(goDurationSeconds("30d")).toBeUndefined();
  });
});

describe("rule durability-volumes on the rendered prod-usw2 cluster", () => {
  const rule = VOLUME_DURABILITY_RULES[0];
  if (!rule) throw new Error("no rule");
  const prod = DEFAULT_FLEET.clusters.find((c) => c.name === "prod-usw2");
  const folders = ["platform", "mlcf", "ossa", "agentguard", "autonomous-op", "uiota"];
  const rendered = (): Located[] =>
    folders.flatMap((t) => kustomize(`clusters/prod-usw2/${t}`).map((obj) => ({ obj: obj as Located["obj"], tenant: t })));
  const run = (objects: Located[]): string[] =>
    rule.check({ fleet: DEFAULT_FLEET, name: "prod-usw2", spec: prod, objects }).map((h) => `${h.path}: ${h.message}`);
  const find = (objects: Located[], kind: string, name: string): Obj => {
    const o = objects.find((l) => l.obj.kind === kind && (l.obj.metadata as Obj).name === name)?.obj;
    if (!o) throw new Error(`${kind} ${name} not rendered`);
    return o as Obj;
  };

  it("passes the committed cluster, whose Velero objects validate strictly", () => {
    const objects = rendered();
    expect(run(objects)).toEqual([]);
    const velero = objects.filter((l) => ["Schedule", "BackupStorageLocation", "VolumeSnapshotClass"].includes(String(l.obj.kind)));
    expect(velero.length).toBeGreaterThan(5);
    for (const l of velero) expect(validateStrict(l.obj)).toEqual([]);
  });

  it("fails a claim no Schedule names", () => {
    const objects = rendered();
    const s = find(objects, "Schedule", "mlcf");
    s.metadata.annotations["ai-platform.io/backup-covers"] = "qdrant/data,qdrant/snapshots";
    expect(run(objects)).toEqual([
      "spec.volumeClaimTemplates[0] (neo4j/data): no Velero Schedule of mlcf protects this claim, and it is not declared re-creatable",
      "spec.volumeClaimTemplates[1] (neo4j/logs): no Velero Schedule of mlcf protects this claim, and it is not declared re-creatable",
    ]);
  });

  it("fails a paused Schedule, and a re-creatable annotation removed from a model cache", () => {
    const objects = rendered();
    find(objects, "Schedule", "ossa").spec.paused = true;
    delete find(objects, "StatefulSet", "offline-ai").metadata.annotations["ai-platform.io/recreatable"];
    const hits = run(objects);
    expect(hits.some((h) => h.includes("(redis/data): no Velero Schedule of ossa"))).toBe(true);
    expect(hits.some((h) => h.includes("(offline-ai/models): no Velero Schedule of uiota"))).toBe(true);
  });

  it("fails a cadence over the RPO, a schedule without a constant interval, and no data mover", () => {
    const objects = rendered();
    find(objects, "Schedule", "agentguard").spec.schedule = "0 */6 * * *";
    find(objects, "Schedule", "autonomous-op").spec.schedule = "0 1,13 * * *";
    find(objects, "Schedule", "mlcf").spec.template.snapshotMoveData = false;
    expect(run(objects).sort()).toEqual([
      'spec.schedule: "0 */6 * * *" runs every 21600s, over the RPO (3600s)',
      'spec.schedule: "0 1,13 * * *" has no constant interval, over the RPO (3600s)',
      "spec.template: takes no CSI snapshot moved to the backup storage (snapshotVolumes and snapshotMoveData)",
    ]);
  });

  it("fails a removed retention, a missing location, and production backups without a copy outside the region", () => {
    let objects = rendered();
    delete find(objects, "Schedule", "mlcf").spec.template.ttl;
    find(objects, "Schedule", "ossa").spec.template.storageLocation = "ghost";
    expect(run(objects)).toEqual([
      "spec.template.ttl: no retention (ttl)",
      "spec.template.storageLocation: no BackupStorageLocation ghost in velero",
    ]);
    objects = rendered();
    const bsl = find(objects, "BackupStorageLocation", "default");
    bsl.metadata.annotations["ai-platform.io/replicated-to"] = "s3://ai-fleet-volumes-prod-us-west-2/prod-usw2";
    expect(run(objects)).toEqual(["metadata.annotations: production backups have no copy outside their region"]);
  });

  it("fails without the EBS VolumeSnapshotClass Velero selects, and an EFS class without its backup or copy", () => {
    const objects = rendered();
    delete find(objects, "VolumeSnapshotClass", "ebs-snapshots").metadata.labels["velero.io/csi-volumesnapshot-class"];
    const efs = find(objects, "StorageClass", "shared-efs");
    delete efs.metadata.annotations["ai-platform.io/backup-retention"];
    delete efs.metadata.annotations["ai-platform.io/replicated-to"];
    const hits = run(objects);
    expect(hits).toContain("spec.template: no VolumeSnapshotClass for ebs.csi.aws.com labelled for Velero");
    expect(hits).toContain("metadata.annotations: class shared-efs: backup interval or retention missing");
    expect(hits).toContain("metadata.annotations: class shared-efs: production volumes have no copy outside their region");
  });
});

describe("Kafka's own mechanism under rule durability-volumes", () => {
  const rule = VOLUME_DURABILITY_RULES[0];
  if (!rule) throw new Error("no rule");
  const prod = DEFAULT_FLEET.clusters.find((c) => c.name === "prod-usw2");
  const rendered = (): Located[] =>
    ["platform", "autonomous-op"].flatMap((t) =>
      kustomize(`clusters/prod-usw2/${t}`).map((obj) => ({ obj: obj as Located["obj"], tenant: t })),
    );
  const run = (objects: Located[]): string[] =>
    rule.check({ fleet: DEFAULT_FLEET, name: "prod-usw2", spec: prod, objects }).map((h) => `${h.path}: ${h.message}`);

  it("fails a replication factor under 3, min.insync.replicas under 2 and fewer brokers than replicas", () => {
    const objects = rendered();
    expect(run(objects)).toEqual([]);
    const kafka = objects.find((l) => l.obj.kind === "StatefulSet" && (l.obj.metadata as Obj).name === "kafka")?.obj as Obj;
    const env = kafka.spec.template.spec.containers[0].env as Obj[];
    (env.find((e) => e.name === "KAFKA_DEFAULT_REPLICATION_FACTOR") as Obj).value = "2";
    kafka.spec.template.spec.containers[0].env = env.filter((e) => e.name !== "KAFKA_MIN_INSYNC_REPLICAS");
    kafka.spec.replicas = 1;
    expect(run(objects)).toEqual([
      "spec.template.spec.containers[0].env[KAFKA_DEFAULT_REPLICATION_FACTOR]: KAFKA_DEFAULT_REPLICATION_FACTOR is 2, under 3",
      "spec.template.spec.containers[0].env[KAFKA_MIN_INSYNC_REPLICAS]: KAFKA_MIN_INSYNC_REPLICAS is unset (1), under 2",
      "spec.replicas: 1 broker(s) cannot hold 2 replicas of a partition",
    ]);
  });
});

describe("the region-loss restore path of the volume backups", () => {
  it("gives each prod cluster's copy region a read-only location over exactly the prefix its bucket is replicated to", () => {
    const platform = (name: string): Obj[] => kustomize(`clusters/${name}/platform`);
    const prodClusters = DEFAULT_FLEET.clusters.filter((c) => c.env === "prod");
    for (const source of prodClusters) {
      const home = platform(source.name).find((o) => o.kind === "BackupStorageLocation" && o.metadata.name === "default") as Obj;
      const copy = home.metadata.annotations["ai-platform.io/replicated-to"] as string;
      const [, bucket, prefix] = /^s3:\/\/([^/]+)\/(.+)$/.exec(copy) ?? [];
      const target = prodClusters.find((c) => bucket === `ai-fleet-volumes-prod-${c.region}`);
      expect(target, `${source.name}: ${copy}`).toBeDefined();
      expect(target?.region).not.toBe(source.region);
      const replica = platform(target?.name ?? "").find(
        (o) => o.kind === "BackupStorageLocation" && o.metadata.name === `replica-${source.name}`,
      ) as Obj;
      expect(replica.spec).toEqual({
        accessMode: "ReadOnly",
        config: { region: target?.region },
        objectStorage: { bucket, prefix },
        provider: "aws",
      });
    }
  });
});

describe("the backup IAM roles", () => {
  it("let each tenant's reader read only its own backups and data mover repository, and Velero read the copies it lists", () => {
    for (const c of DEFAULT_FLEET.clusters) {
      const doc = parse(readFileSync(join(REPO, `iam/velero-${c.name}.yaml`), "utf8")) as Obj;
      const readers = (doc.roles as Obj[]).filter((r) => String(r.roleName).startsWith(`${c.name}-backup-read-`));
      expect(readers.length).toBeGreaterThan(0);
      for (const r of readers) {
        const tenant = String(r.roleName).slice(`${c.name}-backup-read-`.length);
        const ns = TENANTS.find((t) => t.spec.name === tenant)?.spec.namespace ?? tenant;
        const statements = r.permissionsPolicy.Statement as Obj[];
        expect(statements.flatMap((s) => s.Action as string[]).sort()).toEqual(["s3:GetObject", "s3:ListBucket"]);
        const objects = statements.find((s) => s.Sid === "ReadOwnBackupsOnly")?.Resource as string[];
        expect(objects).toEqual([
          `arn:aws:s3:::${doc.bucket}/${c.name}/backups/${tenant}-*`,
          `arn:aws:s3:::${doc.bucket}/${c.name}/kopia/${ns}/*`,
        ]);
        const subject = Object.values(r.trustPolicy.Statement[0].Condition.StringEquals as Record<string, string>);
        expect(subject).toContain(`system:serviceaccount:${ns}:backup-reader`);
      }
      const velero = (doc.roles as Obj[]).find((r) => r.roleName === `${c.name}-velero`) as Obj;
      const replicated = (velero.permissionsPolicy.Statement as Obj[]).find((s) => s.Sid === "ReadReplicatedCopies");
      const sources = DEFAULT_FLEET.clusters.filter((s) => s !== c && s.env === "prod" && c.env === "prod");
      expect(replicated === undefined).toBe(sources.length === 0);
    }
  });
});
