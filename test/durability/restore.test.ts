/**
 * The restore path is rendered and valid: every database of every tenant has, on every cluster, a
 * restore to the end of the archive and a point-in-time restore, and each production cluster can
 * restore the copy another region replicates to it. Built with the real kustomize, each object
 * through the strict schema. And generate refuses durability targets the mechanism cannot meet.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { validateStrict } from "../../generators/check/schema/validate.js";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { TENANTS } from "../../generators/tenants/index.js";
import { validateAll } from "../../generators/api/validate.js";
import { copyRegion } from "../../generators/api/components/postgres.js";
import { REPO } from "../helpers/repo.js";
import { parseObjects } from "../../generators/argo/manifest-yaml.js";
import { buildFolder } from "../../generators/render/kustomize.js";
import { renderedFleet } from "../helpers/fleet.js";
import { DURABILITY_RULES } from "../../generators/check/policy/durability.js";
import type { Located } from "../../generators/check/policy/types.js";

type Obj = Record<string, unknown>;
/** The folder as the pipeline renders it: `kustomize` when on PATH, else `kubectl kustomize`. */
const kustomize = async (dir: string): Promise<Obj[]> => parseObjects(await buildFolder(join(REPO, dir)), dir);
const spec = (o: Obj): Obj => o.spec as Obj;
const withDatabases = TENANTS.filter((t) => (t.spec.databases ?? []).length > 0);

describe("the restore manifests of every database", () => {
  for (const cluster of DEFAULT_FLEET.clusters) {
    for (const tenant of withDatabases) {
      it(`${cluster.name}/${tenant.spec.name}: restore, point-in-time and cross-region restores render and validate strictly`, async () => {
        const objects = await kustomize(`clusters/${cluster.name}/${tenant.spec.name}/restore`);
        for (const o of objects) expect(validateStrict(o), `${String(o.kind)} ${JSON.stringify((o.metadata as Obj).name)}`).toEqual([]);
        const clusters = objects.filter((o) => o.kind === "Cluster");
        for (const db of tenant.spec.databases ?? []) {
          const restore = clusters.find((c) => (c.metadata as Obj).name === `${db.name}-restore`);
          const pitr = clusters.find((c) => (c.metadata as Obj).name === `${db.name}-pitr`);
          const recovery = (c: Obj | undefined): Obj => ((spec(c ?? { spec: {} }).bootstrap as Obj | undefined)?.recovery as Obj) ?? {};
          expect(recovery(restore).source).toBe("origin");
          expect((recovery(pitr).recoveryTarget as Obj).targetTime).toMatch(/^\d{4}-\d\d-\d\dT/);
          for (const c of [restore, pitr]) {
            const archiver = (spec(c as Obj).plugins as Obj[]).find((p) => p.isWALArchiver === true);
            // Never archive over the origin's WAL.
            expect(archiver, "a WAL archiver plugin").toBeDefined();
            expect((archiver!.parameters as Obj).serverName).not.toBe(db.name);
            const origin = (spec(c as Obj).externalClusters as Obj[])[0];
            expect(origin, "the origin as an external cluster").toBeDefined();
            expect(((origin!.plugin as Obj).parameters as Obj).serverName).toBe(db.name);
          }
          const sources = DEFAULT_FLEET.clusters.filter(
            (s) => s.env === cluster.env && s !== cluster && copyRegion(DEFAULT_FLEET, s) === cluster.region,
          );
          for (const s of sources) {
            const store = objects.find((o) => o.kind === "ObjectStore" && (o.metadata as Obj).name === `${db.name}-copy-${s.name}`);
            expect(((spec(store as Obj).configuration as Obj).destinationPath as string).startsWith("s3://")).toBe(true);
            expect((spec(store as Obj).configuration as Obj).destinationPath).toContain(`/${s.name}/${tenant.spec.name}`);
            expect(clusters.some((c) => (c.metadata as Obj).name === `${db.name}-from-${s.name}`)).toBe(true);
          }
          if (cluster.env === "prod") expect(sources.length).toBeGreaterThan(0);
        }
      });
    }
  }
});

describe("durability declarations the mechanism cannot meet", () => {
  const agentguard = TENANTS.find((t) => t.spec.name === "agentguard");
  if (!agentguard) throw new Error("agentguard tenant missing");
  const db = (agentguard.spec.databases ?? [])[0];
  if (!db) throw new Error("agentguard has no database");
  const problems = (changed: object): { field: string; value: unknown; message: string }[] =>
    validateAll(DEFAULT_FLEET, [
      { ...agentguard, spec: { ...agentguard.spec, databases: [{ ...db, ...changed }] } },
      ...TENANTS.filter((t) => t !== agentguard),
    ]).filter((p) => p.field.startsWith("databases"));

  it("accepts the committed declarations", () => {
    expect(problems({})).toEqual([]);
  });

  it("refuses an RPO below what WAL archiving can reach, naming the field, the value and the fix", () => {
    const p = problems({
      durability: { targets: { dev: { rpo: "1h", rto: "4h" }, staging: { rpo: "15m", rto: "1h" }, prod: { rpo: "90s", rto: "15m" } } },
    });
    expect(p).toEqual([
      expect.objectContaining({
        field: "databases[postgres].durability.targets.prod.rpo",
        value: "90s",
        message: expect.stringContaining('raise rpo to "2m"'),
      }),
    ]);
  });

  it("refuses an RTO a single instance can only meet by a restore", () => {
    const p = problems({ instances: { dev: 1, staging: 3, prod: 1 } });
    expect(p).toEqual([
      expect.objectContaining({
        field: "databases[postgres].durability",
        value: "15m",
        message: expect.stringContaining("set instances.prod to 3"),
      }),
    ]);
  });

  it("refuses production without another region to copy the backups to", () => {
    const oneRegion = { ...DEFAULT_FLEET, clusters: DEFAULT_FLEET.clusters.filter((c) => c.env !== "prod" || c.region === "us-west-2") };
    const p = validateAll(oneRegion, TENANTS).filter(
      (x) => x.field.startsWith("databases[") && x.field.endsWith(".durability") && x.value === "prod-usw2",
    );
    expect(p.length).toBe(withDatabases.reduce((n, t) => n + (t.spec.databases ?? []).length, 0));
    expect(p[0]?.message).toContain("copy of the backups outside us-west-2");
  });

  it("refuses a Pooler named like its Cluster (CloudNativePG's webhook would)", () => {
    expect(problems({ pooler: { name: "postgres" } })).toEqual([
      expect.objectContaining({ field: "databases[postgres].pooler.name", value: "postgres" }),
    ]);
  });
});

describe("the durability-postgres check rule over rendered objects", () => {
  const rule = DURABILITY_RULES[0];
  if (!rule) throw new Error("no durability rule");
  const prod = DEFAULT_FLEET.clusters.find((c) => c.name === "prod-usw2");
  let folder: readonly Obj[] = [];
  beforeAll(async () => {
    // The suite's shared render of the committed folder (the restore folders above are not part of the fleet's).
    const f = (await renderedFleet()).find((x) => x.cluster === "prod-usw2" && x.tenant === "agentguard");
    if (!f) throw new Error("clusters/prod-usw2/agentguard is not rendered");
    folder = f.objects as Obj[];
  });
  // A fresh copy per test: the tests edit it.
  const rendered = (): Located[] => structuredClone(folder).map((obj) => ({ obj: obj as Located["obj"], tenant: "agentguard" }));
  const run = (objects: Located[]): string[] =>
    rule.check({ fleet: DEFAULT_FLEET, name: "prod-usw2", spec: prod, objects }).map((h) => `${h.path}: ${h.message}`);
  const edit = (objects: Located[], kind: string, f: (o: Obj) => void): Located[] => {
    for (const l of objects) if (l.obj.kind === kind) f(l.obj as Obj);
    return objects;
  };

  it("passes the committed prod cluster", () => {
    expect(run(rendered())).toEqual([]);
  });

  it("fails a hand-raised archive_timeout, a removed retention, a missing copy region and a single instance", () => {
    let objects = edit(rendered(), "Cluster", (c) => {
      ((spec(c).postgresql as Obj).parameters as Obj).archive_timeout = "300s";
      spec(c).instances = 1;
    });
    objects = edit(objects, "ObjectStore", (s) => {
      delete spec(s).retentionPolicy;
      delete ((s.metadata as Obj).annotations as Obj)["ai-platform.io/replicated-to"];
    });
    expect(run(objects)).toEqual([
      expect.stringContaining("spec.postgresql.parameters.archive_timeout: archive_timeout 300s"),
      "spec.retentionPolicy: no retention policy",
      expect.stringContaining("production backups have no copy outside us-west-2"),
      expect.stringContaining("spec.instances: 1 instance(s) recover in up to 3600s, over the RTO (900s)"),
    ]);
  });

  it("fails a Cluster whose ScheduledBackup is gone", () => {
    expect(run(rendered().filter((l) => l.obj.kind !== "ScheduledBackup"))).toEqual([
      "metadata.name: no ScheduledBackup of this Cluster runs at least daily",
    ]);
  });
});
