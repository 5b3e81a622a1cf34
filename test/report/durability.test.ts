/**
 * The report's durability table, from the committed fleet rendered with the real kustomize: one row
 * per store and cluster (every CloudNativePG Cluster, every tenant volume claim), each protected store
 * meeting its declaration with a copy outside the region in prod, re-creatable caches saying why; a
 * weakened rendered Schedule shows as not meeting its RPO; the HTML escapes every value.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { type DurabilityRow, durabilityRows, durabilitySection } from "../../generators/report/durability.js";
import type { ReportFolder } from "../../generators/report/types.js";
import { renderedFleet, type Obj } from "../helpers/fleet.js";

let folders: ReportFolder[] = [];
let rows: DurabilityRow[] = [];
beforeAll(async () => {
  folders = (await renderedFleet()) as unknown as ReportFolder[];
  rows = durabilityRows(folders);
});

const row = (cluster: string, store: string): DurabilityRow | undefined => rows.find((r) => r.cluster === cluster && r.store === store);

describe("the durability table", () => {
  it("has a row per database and per tenant claim on every cluster, counted independently from the rendered objects", () => {
    for (const c of DEFAULT_FLEET.clusters) {
      const objects = folders.filter((f) => f.cluster === c.name && f.tenant !== "platform").flatMap((f) => f.objects as Obj[]);
      const databases = objects.filter((o) => o.kind === "Cluster" && o.apiVersion === "postgresql.cnpg.io/v1").length;
      const templates = objects.filter((o) => o.kind === "StatefulSet").reduce((n, o) => n + (o.spec.volumeClaimTemplates ?? []).length, 0);
      const claims = objects.filter((o) => o.kind === "PersistentVolumeClaim").length;
      expect(rows.filter((r) => r.cluster === c.name)).toHaveLength(databases + templates + claims);
      expect(databases).toBeGreaterThan(0);
    }
  });

  it("shows every store meeting its declaration, with the copy outside the region in prod", () => {
    expect(rows.filter((r) => !r.meets)).toEqual([]);
    for (const r of rows.filter((x) => x.cluster.startsWith("prod-") && !x.mechanism.startsWith("re-creatable")))
      expect(r.copy, `${r.cluster} ${r.store}`).toMatch(/; copy /);
  });

  it("reads the figures of each mechanism: Velero's hourly schedule, PostgreSQL's archive timeout, EFS's daily backup", () => {
    const neo4j = row("prod-usw2", "neo4j/data");
    expect(neo4j?.mechanism).toContain('"0 * * * *"');
    expect(neo4j?.declared).toEqual({ rpo: "1h", rto: "1h" });
    expect(neo4j?.achieved).toEqual({ rpo: "1h", rto: "1h" });
    expect(neo4j?.copy).toBe("s3://ai-fleet-volumes-prod-us-west-2/prod-usw2; copy s3://ai-fleet-volumes-prod-us-east-1/prod-usw2");
    const pg = rows.find((r) => r.cluster === "prod-usw2" && r.mechanism.startsWith("PostgreSQL"));
    expect(pg?.declared).toEqual({ rpo: "5m", rto: "15m" });
    expect(pg?.achieved?.rto).toBe("2m");
    expect(row("prod-usw2", "backend-api/guardian-data")?.achieved).toEqual({ rpo: "24h", rto: "4h" });
    expect(row("dev-usw2", "offline-ai/models")?.mechanism).toContain("re-creatable: model cache");
  });

  it("marks a store whose rendered Schedule no longer meets its RPO", () => {
    const copy = folders.map((f) => ({ ...f, objects: JSON.parse(JSON.stringify(f.objects)) as Obj[] }));
    const schedule = copy
      .find((f) => f.cluster === "staging-euw1" && f.tenant === "platform")
      ?.objects.find((o) => (o as Obj).kind === "Schedule" && (o as Obj).metadata.name === "mlcf") as Obj;
    schedule.spec.schedule = "0 */6 * * *";
    const weak = durabilityRows(copy).filter((r) => !r.meets);
    expect(weak.map((r) => `${r.cluster} ${r.store} ${r.achieved?.rpo}`)).toEqual([
      "staging-euw1 neo4j/data 6h",
      "staging-euw1 neo4j/logs 6h",
      "staging-euw1 qdrant/data 6h",
      "staging-euw1 qdrant/snapshots 6h",
    ]);
  });

  it("escapes every value in the HTML", () => {
    const html = durabilitySection([{ cluster: "<c>", namespace: "n", store: "s", mechanism: '"m"&', copy: "x", meets: false }]);
    expect(html).toContain("&lt;c&gt;");
    expect(html).toContain("&quot;m&quot;&amp;");
    expect(html).not.toContain("<c>");
  });
});
