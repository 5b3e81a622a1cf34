/**
 * The restore path of every database, generated from the same declaration as the database itself
 * (builders/postgres.ts) so it cannot drift: per cluster, under clusters/<cluster>/<tenant>/restore/
 * (a kustomization Argo CD never syncs: the Application's path is the folder above), a Cluster that
 * bootstraps from the object store to the end of the archive, one to a point in time, and on the
 * production cluster that holds another region's copy, one from that copy. Each archives to a new
 * serverName: CloudNativePG refuses to archive into a path that already holds WAL
 * (cloudnative-pg docs/src/recovery.md; plugin-barman-cloud docs/src/usage.md "Restoring a Cluster").
 * The runbook is docs/restore.md; test/durability/restore.test.ts renders and validates every folder.
 */
import { Cluster, type IClusterSpec } from "../addons/models/cnpg/Cluster.js";
import { ObjectStore } from "../addons/models/cnpg/ObjectStore.js";
import { CNPG } from "../fleet/constants.js";
import type { ClusterSpec, Fleet } from "../fleet/fleet.js";
import { type PostgresSpec, copyRegion } from "../api/components/postgres.js";
import type { TenantSpec } from "../api/tenant.js";
import type { KubeObject } from "./object.js";
import { buildDatabases, backupBucket, backupPrefix, objectStoreName } from "./postgres.js";
import { tenantLabels, tenantNamespace } from "./labels.js";

/** A recovery target to edit before applying: the runbook says how to choose it. */
export const PITR_PLACEHOLDER = "2000-01-01T00:00:00Z";

function restored(
  tenant: TenantSpec,
  c: ClusterSpec,
  fleet: Fleet,
  db: PostgresSpec,
  name: string,
  store: string,
  server: string,
  targetTime?: string,
): Cluster {
  const live = buildDatabases(fleet, { ...tenant, databases: [db] }, c).find((o) => o.kind === "Cluster") as Cluster;
  const spec: IClusterSpec = {
    ...live.spec,
    description: `Restore of ${db.name} (${db.description})`,
    bootstrap: {
      recovery: {
        source: "origin",
        database: db.database,
        owner: db.owner,
        secret: { name: `${db.name}-owner` },
        ...(targetTime !== undefined ? { recoveryTarget: { targetTime } } : {}),
      },
    },
    externalClusters: [
      { name: "origin", plugin: { name: CNPG.barmanPlugin, parameters: { barmanObjectName: store, serverName: server } } },
    ],
    // The restored cluster archives as a new server in its own store: never over its origin's WAL.
    plugins: [{ name: CNPG.barmanPlugin, isWALArchiver: true, parameters: { barmanObjectName: objectStoreName(db), serverName: name } }],
  };
  return new Cluster({ metadata: { name, namespace: tenantNamespace(tenant), labels: tenantLabels(tenant) }, spec });
}

/** The restore manifests of a tenant's databases on one cluster. */
export function buildRestores(fleet: Fleet, tenant: TenantSpec, c: ClusterSpec): KubeObject[] {
  return (tenant.databases ?? []).flatMap((db) => {
    const objects: KubeObject[] = [
      restored(tenant, c, fleet, db, `${db.name}-restore`, objectStoreName(db), db.name),
      restored(tenant, c, fleet, db, `${db.name}-pitr`, objectStoreName(db), db.name, PITR_PLACEHOLDER),
    ];
    // This cluster holds the copy of every production cluster whose copy region is this one's.
    for (const source of fleet.clusters.filter((s) => s !== c && copyRegion(fleet, s) === c.region && s.env === c.env)) {
      const store = `${db.name}-copy-${source.name}`;
      objects.push(
        new ObjectStore({
          metadata: { name: store, namespace: tenantNamespace(tenant), labels: tenantLabels(tenant) },
          spec: {
            configuration: {
              destinationPath: `s3://${backupBucket(c.env, c.region)}/${backupPrefix(source, tenant)}`,
              s3Credentials: { inheritFromIAMRole: true },
              wal: { compression: "gzip", encryption: "AES256" },
              data: { compression: "gzip", encryption: "AES256" },
            },
          },
        }),
        restored(tenant, c, fleet, db, `${db.name}-from-${source.name}`, store, db.name),
      );
    }
    return objects;
  });
}
