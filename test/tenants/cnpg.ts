/** Assertions shared by the tenant tests: a tenant database rendered as a CloudNativePG Cluster with its Pooler and backups. */
import { expect } from "vitest";
import type { Obj } from "./render-tenant.js";

export interface ExpectedDatabase {
  cluster: string;
  pooler: string;
  storage: string;
  instances: { dev: number; staging: number; prod: number };
}

/** The Cluster, its Pooler, ObjectStore, ScheduledBackup and owner credentials, on one rendered cluster folder. */
export function expectCnpgDatabase(objects: readonly Obj[], env: "dev" | "staging" | "prod", where: string, db: ExpectedDatabase): void {
  const named = (kind: string, name: string): Obj | undefined =>
    objects.find((o) => o.kind === kind && (o.metadata as Obj | undefined)?.name === name);
  const cluster = named("Cluster", db.cluster);
  expect(cluster, `${where}: Cluster ${db.cluster}`).toBeDefined();
  const spec = (cluster as Obj).spec as Obj;
  expect(spec.instances, `${where}: instances`).toBe(db.instances[env]);
  expect((spec.storage as Obj).size, `${where}: storage`).toBe(db.storage);
  expect((spec.affinity as Obj).topologyKey, `${where}: zone anti-affinity`).toBe("topology.kubernetes.io/zone");
  expect(((spec.bootstrap as Obj).initdb as Obj).secret, `${where}: owner credentials`).toEqual({ name: `${db.cluster}-owner` });
  const archiver = (spec.plugins as Obj[]).find((p) => p.isWALArchiver === true);
  expect((archiver?.parameters as Obj | undefined)?.barmanObjectName, `${where}: WAL archiver`).toBe(`${db.cluster}-backup`);
  expect(named("ObjectStore", `${db.cluster}-backup`), `${where}: ObjectStore`).toBeDefined();
  expect(named("ScheduledBackup", `${db.cluster}-base`), `${where}: ScheduledBackup`).toBeDefined();
  expect(named("ExternalSecret", `${db.cluster}-owner`), `${where}: owner ExternalSecret`).toBeDefined();
  const pooler = named("Pooler", db.pooler);
  expect(((pooler as Obj | undefined)?.spec as Obj | undefined)?.cluster, `${where}: Pooler`).toEqual({ name: db.cluster });
  // No hand-run PostgreSQL remains.
  expect(
    objects.some((o) => o.kind === "StatefulSet" && (o.metadata as Obj).name === db.cluster),
    `${where}: no postgres StatefulSet`,
  ).toBe(false);
}
