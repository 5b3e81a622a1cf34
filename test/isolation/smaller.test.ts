/** The smaller isolation items: Grafana, backups through workload identity, load balancers, public inference. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { PLATFORM, PLATFORM_TENANT } from "../../generators/fleet/constants.js";
import { readAppsObjects } from "../../generators/check/policy/index.js";
import { podTemplateOf } from "../../generators/check/policy/util.js";
import { TENANTS } from "../../generators/tenants/index.js";
import { jobRoles } from "../../generators/builders/workload-identity.js";
import { renderedFleet, type Obj } from "../helpers/fleet.js";
import { REPO } from "../helpers/repo.js";

/** The Helm values of every cluster's element of an add-on ApplicationSet. */
const helmValues = (appSet: Obj): Obj[] => appSet.spec.generators.flatMap((g: Obj) => g.list.elements.map((e: Obj) => parse(e.values)));

describe("Grafana", () => {
  const kps = readAppsObjects(REPO).find(
    (o) => o.kind === "ApplicationSet" && (o.metadata as Obj).name === "addon-kube-prometheus-stack",
  ) as Obj;

  it("takes its admin login from an existing Secret and loads dashboards only from the monitoring namespace", () => {
    const values = helmValues(kps);
    expect(values.length).toBe(DEFAULT_FLEET.clusters.length);
    for (const { grafana } of values) {
      expect(grafana.admin).toEqual({ existingSecret: PLATFORM.grafanaAdminSecret, userKey: "admin-user", passwordKey: "admin-password" });
      expect(grafana.sidecar.dashboards.searchNamespace).toBe(PLATFORM.monitoringNamespace);
    }
  });

  it("gets that Secret from an ExternalSecret of the platform in monitoring, through monitoring's own SecretStore, on every cluster", async () => {
    for (const f of (await renderedFleet()).filter((x) => x.tenant === PLATFORM_TENANT)) {
      const env = DEFAULT_FLEET.clusters.find((c) => c.name === f.cluster)!.env;
      const objects = f.objects as Obj[];
      const es = objects.find((o) => o.kind === "ExternalSecret" && o.metadata.name === PLATFORM.grafanaAdminSecret);
      expect(es?.metadata.namespace, f.path).toBe(PLATFORM.monitoringNamespace);
      expect(es?.spec.secretStoreRef, f.path).toEqual({ kind: "SecretStore", name: PLATFORM.secretStore });
      expect(
        es?.spec.data.map((d: Obj) => d.remoteRef.key),
        f.path,
      ).toEqual([`${env}/platform/grafana-admin`, `${env}/platform/grafana-admin`]);
      expect(
        objects.some((o) => o.kind === "SecretStore" && o.metadata.namespace === PLATFORM.monitoringNamespace),
        f.path,
      ).toBe(true);
    }
  });

  it("finds every tenant dashboard in monitoring, and no labelled ConfigMap in any tenant folder", async () => {
    for (const f of await renderedFleet()) {
      const dashboards = (f.objects as Obj[]).filter((o) => o.kind === "ConfigMap" && o.metadata.labels?.grafana_dashboard);
      if (f.tenant !== PLATFORM_TENANT) expect(dashboards, f.path).toEqual([]);
      else {
        expect(dashboards.length, f.path).toBeGreaterThan(0);
        for (const d of dashboards) expect(d.metadata.namespace, `${f.path}: ${d.metadata.name}`).toBe(PLATFORM.monitoringNamespace);
      }
    }
  });
});

describe("backups", () => {
  it("carry no static AWS keys, and reach S3 through their ServiceAccount's IAM role, scoped to the prefix they upload to", async () => {
    let uploads = 0;
    for (const f of (await renderedFleet()).filter((x) => x.tenant !== PLATFORM_TENANT)) {
      const env = DEFAULT_FLEET.clusters.find((c) => c.name === f.cluster)!.env;
      const roles = (parse(readFileSync(join(REPO, "iam", `jobs-${env}.yaml`), "utf8")) as { roles: Obj[] }).roles;
      for (const o of f.objects as Obj[]) {
        const t = podTemplateOf({ obj: o, tenant: f.tenant });
        if (!t) continue;
        const containers = [...((t.spec.initContainers as Obj[]) ?? []), ...((t.spec.containers as Obj[]) ?? [])];
        for (const c of containers)
          expect(
            (c.env ?? []).map((e: Obj) => e.name),
            `${f.path}: ${o.kind}/${o.metadata.name}`,
          ).not.toContain("AWS_SECRET_ACCESS_KEY");
        const upload = containers.find((c) => (c.args ?? []).some((a: string) => a.includes("aws s3 cp")));
        if (!upload) continue;
        uploads++;
        const prefix = /s3:\/\/\$BACKUP_BUCKET\/([^"$]+)\//.exec(upload.args.join(" "))![1]!;
        const sa = (f.objects as Obj[]).find((x) => x.kind === "ServiceAccount" && x.metadata.name === t.spec.serviceAccountName)!;
        const arn = sa.metadata.annotations?.["eks.amazonaws.com/role-arn"] as string;
        const role = roles.find((r) => arn?.endsWith(`:role/${r.roleName}`));
        expect(role, `${f.path}: role of ${o.metadata.name}`).toBeDefined();
        expect(role!.permissionsPolicy.Statement.flatMap((s: Obj) => s.Resource)).toEqual([
          `arn:aws:s3:::ai-fleet-backups-${env}/${prefix}/*`,
        ]);
        const subs = role!.trustPolicy.Statement.map(
          (s: Obj) => Object.entries(s.Condition.StringEquals).find(([k]) => k.endsWith(":sub"))![1],
        );
        expect(new Set(subs), o.metadata.name).toEqual(
          new Set([`system:serviceaccount:${o.metadata.namespace}:${t.spec.serviceAccountName}`]),
        );
      }
    }
    expect(uploads).toBeGreaterThan(0);
  });
});

describe("load balancers and public routes", () => {
  it("keep metrics ports off load balancers: Prometheus scrapes a ClusterIP Service instead", async () => {
    let balanced = 0;
    for (const f of await renderedFleet()) {
      const objects = f.objects as Obj[];
      for (const lb of objects.filter((o) => o.kind === "Service" && o.spec.type === "LoadBalancer")) {
        balanced++;
        const monitors = objects.filter((o) => o.kind === "ServiceMonitor" && o.metadata.namespace === lb.metadata.namespace);
        const scraped = new Set(monitors.flatMap((m) => m.spec.endpoints.map((e: Obj) => e.port)));
        expect(
          lb.spec.ports.map((p: Obj) => p.name).filter((n: string) => scraped.has(n)),
          `${f.path}: ${lb.metadata.name}`,
        ).toEqual([]);
        expect(lb.metadata.labels["ai-platform.io/metrics"], lb.metadata.name).toBeUndefined();
        const metrics = objects.find((o) => o.kind === "Service" && o.metadata.name === `${lb.metadata.name}-metrics`);
        expect(metrics?.spec.type ?? "ClusterIP", `${f.path}: ${lb.metadata.name}-metrics`).toBe("ClusterIP");
        expect(metrics?.metadata.labels["ai-platform.io/metrics"]).toBe("true");
      }
    }
    expect(balanced).toBeGreaterThan(0);
  });

  it("route no unauthenticated inference API publicly: uiota's Ollama port is reachable only inside the cluster", async () => {
    for (const f of (await renderedFleet()).filter((x) => x.tenant === "uiota")) {
      const objects = f.objects as Obj[];
      const ai = objects.find((o) => o.kind === "Service" && o.metadata.name === "offline-ai")!;
      const ollama = ai.spec.ports.find((p: Obj) => p.name === "ollama-api").port;
      const routed = objects
        .filter((o) => o.kind === "HTTPRoute")
        .flatMap((r) => r.spec.rules.flatMap((rule: Obj) => rule.backendRefs ?? []))
        .filter((b: Obj) => b.name === "offline-ai")
        .map((b: Obj) => b.port);
      expect(routed.length, f.path).toBeGreaterThan(0);
      expect(routed, f.path).not.toContain(ollama);
    }
  });
});

describe("backup roles", () => {
  it("refuse a Job prefix outside its own tenant, naming file, field, value and fix", () => {
    const mlcf = TENANTS.find((t) => t.spec.name === "mlcf")!.spec;
    const hostile = { ...mlcf, jobs: (mlcf.jobs ?? []).map((j) => (j.s3Write ? { ...j, s3Write: ["ossa/postgres"] } : j)) };
    expect(() => jobRoles(DEFAULT_FLEET, "prod", [hostile])).toThrow(
      /generators\/tenants\/mlcf\.ts: jobs\[[a-z0-9-]+\]\.s3Write: "ossa\/postgres": must be a path below "mlcf\/"/,
    );
    expect(jobRoles(DEFAULT_FLEET, "prod", [mlcf]).length).toBeGreaterThan(0);
  });
});
