/**
 * Durability: every rendered PostgreSQL (a CloudNativePG Cluster) meets the targets it declares
 * (api/durability.ts, rendered as annotations), by its rendered configuration: WAL archived by the
 * Barman Cloud plugin into an ObjectStore of the namespace with a retention policy, archive_timeout
 * within half the RPO, a scheduled base backup at least daily, enough instances for the RTO
 * (failover, or a restore with one), and in production a copy of the object store in another
 * region. The mechanism's figures are the generator's (api/components/postgres.ts), so a hand edit
 * of the tree that weakens one fails here.
 */
import { ANNOTATIONS, CNPG } from "../../fleet/constants.js";
import { envSpec } from "../../fleet/fleet.js";
import { durationSeconds } from "../../api/durability.js";
import { recoverySeconds } from "../../api/components/postgres.js";
import type { ClusterContext, ClusterRule, Hit, Located } from "./types.js";
import { hitOn, nameOf, namespaceOf, obj, objs, ofKind, str, strMap } from "./util.js";

const CNPG_API = "postgresql.cnpg.io/v1";

function clusterHits(ctx: ClusterContext, l: Located): Hit[] {
  const hits: Hit[] = [];
  const ns = namespaceOf(l.obj);
  const name = nameOf(l.obj);
  const spec = obj(l.obj.spec);
  const notes = strMap(obj(l.obj.metadata).annotations);
  if (notes[ANNOTATIONS.recreatable] !== undefined && notes[ANNOTATIONS.recreatable] !== "") return [];
  const rpo = durationSeconds(notes[ANNOTATIONS.durabilityRpo] ?? "");
  const rto = durationSeconds(notes[ANNOTATIONS.durabilityRto] ?? "");
  if (rpo === undefined || rto === undefined)
    return [
      hitOn(
        l,
        "metadata.annotations",
        `declares no durability (${ANNOTATIONS.durabilityRpo} and ${ANNOTATIONS.durabilityRto}, or ${ANNOTATIONS.recreatable})`,
      ),
    ];
  const timeout = durationSeconds(str(obj(obj(spec.postgresql).parameters).archive_timeout) ?? "");
  if (timeout === undefined || timeout * 2 > rpo)
    hits.push(
      hitOn(
        l,
        "spec.postgresql.parameters.archive_timeout",
        `archive_timeout ${timeout ?? "unset"}s does not leave the upload half of the RPO (${rpo}s)`,
      ),
    );
  const archiver = objs(spec.plugins).find((p) => p.isWALArchiver === true && p.name === CNPG.barmanPlugin);
  const storeName = str(obj(archiver?.parameters).barmanObjectName);
  const store = ofKind(ctx.objects, "ObjectStore").find((s) => namespaceOf(s.obj) === ns && nameOf(s.obj) === storeName);
  if (!store)
    hits.push(hitOn(l, "spec.plugins", `no WAL archiver writing to an ObjectStore of ${ns} (barmanObjectName ${storeName ?? "unset"})`));
  else {
    if (str(obj(store.obj.spec).retentionPolicy) === undefined) hits.push(hitOn(store, "spec.retentionPolicy", "no retention policy"));
    const production = ctx.spec !== undefined && envSpec(ctx.fleet, ctx.spec.env).production;
    const storeNotes = strMap(obj(store.obj.metadata).annotations);
    const copy = storeNotes[ANNOTATIONS.replicatedTo];
    if (production && (copy === undefined || copy.includes(`-${storeNotes[ANNOTATIONS.bucketRegion] ?? "?"}/`)))
      hits.push(
        hitOn(
          store,
          "metadata.annotations",
          `production backups have no copy outside ${storeNotes[ANNOTATIONS.bucketRegion] ?? "their region"}`,
        ),
      );
  }
  const backups = ofKind(ctx.objects, "ScheduledBackup").filter(
    (b) => namespaceOf(b.obj) === ns && str(obj(obj(b.obj.spec).cluster).name) === name && obj(b.obj.spec).suspend !== true,
  );
  // At least daily: the day-of-month, month and day-of-week fields of the six-field schedule are "*".
  if (
    !backups.some((b) =>
      (str(obj(b.obj.spec).schedule) ?? "")
        .split(" ")
        .slice(3)
        .every((f) => f === "*"),
    )
  )
    hits.push(hitOn(l, "metadata.name", "no ScheduledBackup of this Cluster runs at least daily"));
  const instances = typeof spec.instances === "number" ? spec.instances : 1;
  if (recoverySeconds(instances) > rto)
    hits.push(
      hitOn(l, "spec.instances", `${instances} instance(s) recover in up to ${recoverySeconds(instances)}s, over the RTO (${rto}s)`),
    );
  return hits;
}

export const DURABILITY_RULES: readonly ClusterRule[] = [
  {
    id: "durability-postgres",
    scope: "cluster",
    locality: "namespace",
    description:
      "Every CloudNativePG Cluster meets its declared RPO and RTO by configuration: WAL archived to an ObjectStore with retention, archive_timeout at most half the RPO, a daily ScheduledBackup, instances for the RTO, and in production a copy of the backups in another region.",
    fix: "Declare `durability` on the database in the tenant file and regenerate; never weaken the rendered Cluster, ObjectStore or ScheduledBackup by hand.",
    check: (ctx) =>
      ofKind(ctx.objects, "Cluster")
        .filter((l) => l.obj.apiVersion === CNPG_API)
        .flatMap((l) => clusterHits(ctx, l)),
  },
];
