/**
 * Durability of every other volume: each PersistentVolumeClaim and volumeClaimTemplate in a tenant
 * namespace is either re-creatable (its workload or claim carries the reason), on a StorageClass
 * whose own backups cover it (EFS: interval, retention and, in prod, a copy outside the region,
 * stated on the class), or protected by a Velero Schedule of its namespace that names it: not
 * paused, CSI snapshots with the data mover, a cadence within the RPO it declares (a constant
 * interval, api/components/volume-backup.ts cronIntervalSeconds), a retention (`ttl`), a
 * BackupStorageLocation that exists and, in prod, is replicated outside its region, and an EBS
 * VolumeSnapshotClass Velero selects. The figures are read from the rendered objects, so a hand edit
 * that weakens one fails here.
 */
import { ANNOTATIONS, PLATFORM_TENANT, VOLUME_BACKUP } from "../../fleet/constants.js";
import { envSpec } from "../../fleet/fleet.js";
import { durationSeconds } from "../../api/durability.js";
import { cronIntervalSeconds, goDurationSeconds } from "../../api/components/volume-backup.js";
import type { ClusterContext, ClusterRule, Hit, Located } from "./types.js";
import { hitOn, nameOf, namespaceOf, obj, objs, ofKind, str, strMap } from "./util.js";

interface Claim {
  at: Located;
  path: string;
  id: string;
  storageClass: string | undefined;
}

const annotations = (l: Located): Record<string, string> => strMap(obj(l.obj.metadata).annotations);
const recreatable = (l: Located): boolean => (annotations(l)[ANNOTATIONS.recreatable] ?? "") !== "";

/** The tenant claims of a cluster that need protection: volumeClaimTemplates and PVCs, minus the re-creatable ones. */
function claims(ctx: ClusterContext): Claim[] {
  const tenantNs = (l: Located): boolean => ![PLATFORM_TENANT, VOLUME_BACKUP.veleroNamespace].includes(namespaceOf(l.obj) ?? "");
  const fromSets = ofKind(ctx.objects, "StatefulSet")
    .filter((l) => tenantNs(l) && !recreatable(l))
    .flatMap((l) =>
      objs(obj(l.obj.spec).volumeClaimTemplates).map((t, i) => ({
        at: l,
        path: `spec.volumeClaimTemplates[${i}]`,
        id: `${nameOf(l.obj)}/${str(obj(t.metadata).name) ?? "?"}`,
        storageClass: str(obj(t.spec).storageClassName),
      })),
    );
  const fromClaims = ofKind(ctx.objects, "PersistentVolumeClaim")
    .filter((l) => tenantNs(l) && !recreatable(l))
    .map((l) => {
      const app = strMap(obj(l.obj.metadata).labels)["app.kubernetes.io/name"] ?? "";
      const name = nameOf(l.obj) ?? "";
      return {
        at: l,
        path: "metadata.name",
        id: name.startsWith(`${app}-`) ? `${app}/${name.slice(app.length + 1)}` : name,
        storageClass: str(obj(l.obj.spec).storageClassName),
      };
    });
  return [...fromSets, ...fromClaims];
}

function copyMissing(production: boolean, notes: Record<string, string>): boolean {
  const copy = notes[ANNOTATIONS.replicatedTo];
  const region = notes[ANNOTATIONS.bucketRegion] ?? "?";
  return production && (copy === undefined || copy.includes(`-${region}/`) || copy.includes(`//${region}/`));
}

function claimHits(ctx: ClusterContext, c: Claim, production: boolean): Hit[] {
  const ns = namespaceOf(c.at.obj);
  const where = `${c.path} (${c.id})`;
  const sc = ofKind(ctx.objects, "StorageClass").find((s) => nameOf(s.obj) === c.storageClass);
  const scNotes = sc ? annotations(sc) : {};
  if (sc && scNotes[ANNOTATIONS.backupInterval] !== undefined) {
    const hits: Hit[] = [];
    if (durationSeconds(scNotes[ANNOTATIONS.backupInterval] ?? "") === undefined || !scNotes[ANNOTATIONS.backupRetention])
      hits.push(hitOn(sc, "metadata.annotations", `class ${c.storageClass}: backup interval or retention missing`));
    if (copyMissing(production, scNotes))
      hits.push(hitOn(sc, "metadata.annotations", `class ${c.storageClass}: production volumes have no copy outside their region`));
    return hits;
  }
  const schedules = ofKind(ctx.objects, "Schedule").filter(
    (s) =>
      s.obj.apiVersion === "velero.io/v1" &&
      obj(s.obj.spec).paused !== true &&
      (arrOf(obj(obj(s.obj.spec).template).includedNamespaces).includes(ns ?? "") ||
        arrOf(obj(obj(s.obj.spec).template).includedNamespaces).includes("*")) &&
      (annotations(s)[ANNOTATIONS.backupCovers] ?? "").split(",").includes(c.id),
  );
  const s = schedules[0];
  if (!s) return [hitOn(c.at, where, `no Velero Schedule of ${ns} protects this claim, and it is not declared re-creatable`)];
  const hits: Hit[] = [];
  const spec = obj(s.obj.spec);
  const template = obj(spec.template);
  const rpo = durationSeconds(annotations(s)[ANNOTATIONS.durabilityRpo] ?? "");
  const interval = cronIntervalSeconds(str(spec.schedule) ?? "");
  if (rpo === undefined) hits.push(hitOn(s, "metadata.annotations", `declares no RPO (${ANNOTATIONS.durabilityRpo})`));
  else if (interval === undefined || interval > rpo)
    hits.push(
      hitOn(
        s,
        "spec.schedule",
        `"${str(spec.schedule) ?? ""}" ${interval === undefined ? "has no constant interval" : `runs every ${interval}s`}, over the RPO (${rpo}s)`,
      ),
    );
  if (template.snapshotVolumes === false || template.snapshotMoveData !== true)
    hits.push(hitOn(s, "spec.template", "takes no CSI snapshot moved to the backup storage (snapshotVolumes and snapshotMoveData)"));
  if (goDurationSeconds(str(template.ttl) ?? "") === undefined) hits.push(hitOn(s, "spec.template.ttl", "no retention (ttl)"));
  const locationName = str(template.storageLocation) ?? VOLUME_BACKUP.location;
  const location = ofKind(ctx.objects, "BackupStorageLocation").find(
    (b) => namespaceOf(b.obj) === namespaceOf(s.obj) && nameOf(b.obj) === locationName,
  );
  if (!location) hits.push(hitOn(s, "spec.template.storageLocation", `no BackupStorageLocation ${locationName} in ${namespaceOf(s.obj)}`));
  else if (copyMissing(production, annotations(location)))
    hits.push(hitOn(location, "metadata.annotations", "production backups have no copy outside their region"));
  const snapshotClass = ofKind(ctx.objects, "VolumeSnapshotClass").some(
    (v) => v.obj.driver === "ebs.csi.aws.com" && strMap(obj(v.obj.metadata).labels)[VOLUME_BACKUP.veleroClassLabel] === "true",
  );
  if (!snapshotClass) hits.push(hitOn(s, "spec.template", "no VolumeSnapshotClass for ebs.csi.aws.com labelled for Velero"));
  return hits;
}

/**
 * Kafka's own mechanism, which protects a broker's loss better than a volume backup: every partition
 * on at least 3 brokers and acknowledged by at least 2 (apache/kafka docs design.html "Replicated
 * Logs", configuration default.replication.factor, min.insync.replicas,
 * offsets.topic.replication.factor), as the apache/kafka image reads them from KAFKA_* env.
 */
const KAFKA_MINIMUMS: readonly [string, number][] = [
  ["KAFKA_DEFAULT_REPLICATION_FACTOR", 3],
  ["KAFKA_MIN_INSYNC_REPLICAS", 2],
  ["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", 3],
];

function kafkaHits(ctx: ClusterContext): Hit[] {
  return ofKind(ctx.objects, "StatefulSet").flatMap((l) =>
    objs(obj(obj(obj(l.obj.spec).template).spec).containers).flatMap((c, i) => {
      const env = new Map(objs(c.env).map((e) => [str(e.name) ?? "", str(e.value)]));
      if (!env.has("KAFKA_PROCESS_ROLES")) return [];
      const hits = KAFKA_MINIMUMS.flatMap(([name, min]) => {
        const v = Number(env.get(name) ?? "1");
        return v >= min
          ? []
          : [hitOn(l, `spec.template.spec.containers[${i}].env[${name}]`, `${name} is ${env.get(name) ?? "unset (1)"}, under ${min}`)];
      });
      const replicas = typeof obj(l.obj.spec).replicas === "number" ? (obj(l.obj.spec).replicas as number) : 1;
      const rf = Number(env.get("KAFKA_DEFAULT_REPLICATION_FACTOR") ?? "1");
      if (replicas < rf) hits.push(hitOn(l, "spec.replicas", `${replicas} broker(s) cannot hold ${rf} replicas of a partition`));
      return hits;
    }),
  );
}

function arrOf(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

export const VOLUME_DURABILITY_RULES: readonly ClusterRule[] = [
  {
    id: "durability-volumes",
    scope: "cluster",
    description:
      "Every PersistentVolumeClaim and volumeClaimTemplate in a tenant namespace is re-creatable, covered by its StorageClass's own backups, or named by a Velero Schedule of its namespace that runs within its RPO, with CSI snapshots moved to a BackupStorageLocation, a retention, and in production a copy outside the region. Kafka brokers replicate every partition 3 times with min.insync.replicas 2.",
    fix: "Declare `durability` on the app (targets, or recreatable with the reason) in the tenant file and regenerate; never weaken the rendered Schedule, BackupStorageLocation or StorageClass by hand.",
    check: (ctx) => {
      const production = ctx.spec !== undefined && envSpec(ctx.fleet, ctx.spec.env).production;
      // Hits on shared objects (a Schedule, a location, a class) are reported once.
      const seen = new Set<string>();
      return [...claims(ctx).flatMap((c) => claimHits(ctx, c, production)), ...kafkaHits(ctx)].filter((h) => {
        const key = JSON.stringify(h);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    },
  },
];
