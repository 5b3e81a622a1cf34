/**
 * The report's durability table: every stateful store of every cluster, its mechanism, the RPO and
 * RTO it declares beside what its rendered configuration achieves, and where its copy lives. Read
 * from the rendered objects with the same figures the check's durability rules use
 * (check/policy/durability.ts, durability-volumes.ts): a PostgreSQL Cluster loses at most twice its
 * archive_timeout (one timeout, and the upload within another) and recovers by failover or a
 * restore; a Velero-protected claim loses at most its Schedule's interval and recovers by a restore;
 * a claim on EFS follows its StorageClass's backup; a re-creatable claim has no copy, by declaration.
 */
import { ANNOTATIONS, PLATFORM_TENANT, VOLUME_BACKUP } from "../fleet/constants.js";
import { durationSeconds, formatSeconds } from "../api/durability.js";
import { recoverySeconds } from "../api/components/postgres.js";
import { EFS_BACKUP, VOLUME_RESTORE_SECONDS, cronIntervalSeconds } from "../api/components/volume-backup.js";
import type { K8sObject } from "../check/policy/types.js";
import { nameOf, namespaceOf, obj, objs, str, strMap } from "../check/policy/util.js";
import { esc } from "./escape.js";
import type { DurabilityRow, ReportFolder } from "./types.js";

export type { DurabilityRow } from "./types.js";

const o = obj;
const s = str;
const list = objs;
const nsOf = namespaceOf;
const notes = (x: K8sObject): Record<string, string> => strMap(o(x.metadata).annotations);
const fmt = (n: number | undefined): string => (n === undefined || !Number.isFinite(n) ? "?" : formatSeconds(n));

function declared(n: Record<string, string>): { rpo: string; rto: string } | undefined {
  const rpo = n[ANNOTATIONS.durabilityRpo];
  const rto = n[ANNOTATIONS.durabilityRto];
  return rpo !== undefined && rto !== undefined ? { rpo, rto } : undefined;
}

function meets(d: { rpo: string; rto: string } | undefined, a: { rpo: number; rto: number } | undefined): boolean {
  if (!d || !a) return false;
  const rpo = durationSeconds(d.rpo);
  const rto = durationSeconds(d.rto);
  return rpo !== undefined && rto !== undefined && a.rpo <= rpo && a.rto <= rto;
}

function copyOf(n: Record<string, string>, home: string): string {
  const out = n[ANNOTATIONS.replicatedTo];
  return out !== undefined ? `${home}; copy ${out}` : home;
}

function postgresRows(cluster: string, objects: readonly K8sObject[]): DurabilityRow[] {
  return objects
    .filter((x) => x.kind === "Cluster" && x.apiVersion === "postgresql.cnpg.io/v1")
    .map((c) => {
      const spec = o(c.spec);
      const n = notes(c);
      const timeout = durationSeconds(s(o(o(spec.postgresql).parameters).archive_timeout) ?? "");
      const instances = typeof spec.instances === "number" ? spec.instances : 1;
      const storeName = s(o(list(spec.plugins).find((p) => p.isWALArchiver === true)?.parameters).barmanObjectName);
      const store = objects.find((x) => x.kind === "ObjectStore" && nsOf(x) === nsOf(c) && nameOf(x) === storeName);
      const achieved = timeout !== undefined ? { rpo: 2 * timeout, rto: recoverySeconds(instances) } : undefined;
      const d = declared(n);
      return {
        cluster,
        namespace: nsOf(c),
        store: nameOf(c),
        mechanism: `PostgreSQL: WAL archive (archive_timeout ${fmt(timeout)}), ${instances} instance(s)${instances >= 2 ? " with failover" : ""}`,
        ...(d ? { declared: d } : {}),
        ...(achieved ? { achieved: { rpo: fmt(achieved.rpo), rto: fmt(achieved.rto) } } : {}),
        copy: store ? copyOf(notes(store), s(o(o(store.spec).configuration).destinationPath) ?? "?") : "none",
        meets: meets(d, achieved),
      };
    });
}

interface ClaimRef {
  namespace: string;
  id: string;
  storageClass?: string;
  recreatable?: string;
}

function claimRefs(objects: readonly K8sObject[]): ClaimRef[] {
  const tenantNs = (x: K8sObject): boolean => ![PLATFORM_TENANT, VOLUME_BACKUP.veleroNamespace].includes(nsOf(x));
  const reason = (x: K8sObject): string | undefined => notes(x)[ANNOTATIONS.recreatable] || undefined;
  const sets = objects
    .filter((x) => x.kind === "StatefulSet" && tenantNs(x))
    .flatMap((x) =>
      list(o(x.spec).volumeClaimTemplates).map((t) => ({
        namespace: nsOf(x),
        id: `${nameOf(x)}/${s(o(t.metadata).name) ?? "?"}`,
        storageClass: s(o(t.spec).storageClassName),
        recreatable: reason(x),
      })),
    );
  const claims = objects
    .filter((x) => x.kind === "PersistentVolumeClaim" && tenantNs(x))
    .map((x) => {
      const app = strMap(o(x.metadata).labels)["app.kubernetes.io/name"] ?? "";
      const name = nameOf(x);
      return {
        namespace: nsOf(x),
        id: name.startsWith(`${app}-`) ? `${app}/${name.slice(app.length + 1)}` : name,
        storageClass: s(o(x.spec).storageClassName),
        recreatable: reason(x),
      };
    });
  return [...sets, ...claims];
}

function volumeRow(cluster: string, objects: readonly K8sObject[], c: ClaimRef): DurabilityRow {
  const base = { cluster, namespace: c.namespace, store: c.id };
  if (c.recreatable !== undefined) return { ...base, mechanism: `re-creatable: ${c.recreatable}`, copy: "none needed", meets: true };
  const sc = objects.find((x) => x.kind === "StorageClass" && nameOf(x) === c.storageClass);
  const scNotes = sc ? notes(sc) : {};
  if (sc && scNotes[ANNOTATIONS.backupInterval] !== undefined) {
    const rpo = durationSeconds(scNotes[ANNOTATIONS.backupInterval] ?? "");
    return {
      ...base,
      mechanism: `${c.storageClass}: the file system's backup every ${scNotes[ANNOTATIONS.backupInterval]}, kept ${scNotes[ANNOTATIONS.backupRetention] ?? "?"}`,
      achieved: { rpo: fmt(rpo), rto: fmt(EFS_BACKUP.restoreSeconds) },
      copy: copyOf(scNotes, `EFS in ${scNotes[ANNOTATIONS.bucketRegion] ?? "?"}`),
      // The app's declaration is checked at generate (validate/durability-volumes.ts); it is not rendered.
      meets: rpo !== undefined,
    };
  }
  const schedule = objects.find(
    (x) =>
      x.kind === "Schedule" &&
      x.apiVersion === "velero.io/v1" &&
      o(x.spec).paused !== true &&
      (o(o(x.spec).template).includedNamespaces as unknown[] | undefined)?.includes(c.namespace) === true &&
      (notes(x)[ANNOTATIONS.backupCovers] ?? "").split(",").includes(c.id),
  );
  if (!schedule) return { ...base, mechanism: "none", copy: "none", meets: false };
  const spec = o(schedule.spec);
  const interval = cronIntervalSeconds(s(spec.schedule) ?? "");
  const location = objects.find(
    (x) => x.kind === "BackupStorageLocation" && nameOf(x) === (s(o(spec.template).storageLocation) ?? VOLUME_BACKUP.location),
  );
  const bucket = location
    ? `s3://${s(o(o(location.spec).objectStorage).bucket) ?? "?"}/${s(o(o(location.spec).objectStorage).prefix) ?? ""}`
    : "?";
  const d = declared(notes(schedule));
  const achieved = interval !== undefined ? { rpo: interval, rto: VOLUME_RESTORE_SECONDS } : undefined;
  return {
    ...base,
    mechanism: `Velero: CSI snapshot and data mover, "${s(spec.schedule) ?? "?"}", kept ${s(o(spec.template).ttl) ?? "?"}`,
    ...(d ? { declared: d } : {}),
    ...(achieved ? { achieved: { rpo: fmt(achieved.rpo), rto: fmt(achieved.rto) } } : {}),
    copy: location ? copyOf(notes(location), bucket) : "?",
    meets: meets(d, achieved),
  };
}

/** Every store of every cluster, in folder order: databases first, then volumes. */
export function durabilityRows(folders: readonly ReportFolder[]): DurabilityRow[] {
  const clusters = [...new Set(folders.map((f) => f.cluster))];
  return clusters.flatMap((cluster) => {
    const objects = folders.filter((f) => f.cluster === cluster).flatMap((f) => f.objects);
    return [...postgresRows(cluster, objects), ...claimRefs(objects).map((c) => volumeRow(cluster, objects, c))];
  });
}

export function durabilitySection(rows: readonly DurabilityRow[]): string {
  const pair = (p: { rpo: string; rto: string } | undefined): string => (p ? `${esc(p.rpo)} / ${esc(p.rto)}` : "—");
  const body = rows
    .map(
      (r) =>
        `<tr><td data-label="Cluster">${esc(r.cluster)}</td><th scope="row">${esc(r.namespace)}/${esc(r.store)}</th><td data-label="Mechanism">${esc(r.mechanism)}</td><td data-label="Declared RPO / RTO">${pair(r.declared)}</td><td data-label="Achieved RPO / RTO">${pair(r.achieved)}</td><td data-label="Copy">${esc(r.copy)}</td><td data-label="Meets">${r.meets ? "✓" : "✗"}</td></tr>`,
    )
    .join("\n");
  return `<section aria-labelledby="durability"><h2 id="durability">Durability</h2>
<p class="note">Achieved figures are what the rendered configuration allows (docs/restore.md); <code>npm run check</code> fails a store that does not meet its declaration (rules durability-postgres, durability-volumes).</p>
<div class="scroll" role="region" aria-label="Durability table" tabindex="0"><table class="stack"><caption>Stores, their mechanism, RPO and RTO declared and achieved, and where the copy lives</caption>
<thead><tr><th scope="col">Cluster</th><th scope="col">Store</th><th scope="col">Mechanism</th><th scope="col">Declared RPO / RTO</th><th scope="col">Achieved RPO / RTO</th><th scope="col">Copy</th><th scope="col">Meets</th></tr></thead>
<tbody>${body}</tbody></table></div>
</section>`;
}
