import { describe, expect, it } from "vitest";
import { DEFAULT_FLEET, type ClusterSpec } from "../generators/fleet/fleet.js";
import { BASE_DOMAIN, GPU_RESOURCE } from "../generators/fleet/constants.js";
import { get, renderedFleet, tenantObjects, type Obj } from "./helpers/fleet.js";
import { TENANTS } from "../generators/tenants/index.js";
import { forEnv } from "../generators/api/per-env.js";

/**
 * The seed's inventory: each workload with what the seed says about it, modernized. Replica
 * counts and autoscaling bounds are tuned in the tenant file, so they are read from there
 * (a bump is one edit); the seed fixes which workloads autoscale.
 */
const WORKLOADS = [
  { name: "offline-ai", kind: "StatefulSet", ports: [11434, 8080, 9090], gpus: 1, claims: { models: "200Gi" }, autoscaled: true },
  { name: "mcp-server", kind: "Deployment", ports: [8080, 8081, 11434, 9090], gpus: 0, autoscaled: false },
  {
    name: "offline-dns",
    kind: "StatefulSet",
    ports: [5353, 5353, 8853, 8443, 9090],
    gpus: 0,
    claims: { cache: "10Gi" },
    autoscaled: false,
  },
  { name: "backend-api", kind: "Deployment", ports: [8000, 9090], gpus: 0, autoscaled: true },
  { name: "security-monitor", kind: "StatefulSet", ports: [8080, 9090], gpus: 0, claims: { "security-data": "20Gi" }, autoscaled: false },
] as const;

const UIOTA = TENANTS.find((t) => t.spec.name === "uiota")!.spec;
const scalingOf = (name: string) => {
  const app = UIOTA.apps.find((a) => a.name === name);
  if (!app) throw new Error(`uiota has no app ${name}`);
  return app.scaling;
};

const HOSTS: Record<string, string> = {
  "offline-ai": "offline",
  "mcp-server": "mcp",
  "backend-api": "api",
  "security-monitor": "security",
};

/** The uiota folder of a cluster, with what the platform creates for uiota there (NetworkPolicies, secret store, dashboards). */
async function uiotaOn(cluster: ClusterSpec): Promise<Obj[]> {
  const fleet = await renderedFleet();
  const folder = fleet.find((f) => f.cluster === cluster.name && f.tenant === "uiota");
  if (!folder) throw new Error(`no uiota folder for ${cluster.name}`);
  return tenantObjects(fleet, folder);
}

describe.each(DEFAULT_FLEET.clusters.map((c) => [c.name, c] as const))("UIOTA on %s", (_name, cluster) => {
  it.each(WORKLOADS.map((w) => [w.name, w] as const))("runs %s as the seed describes", async (_n, w) => {
    const objects = await uiotaOn(cluster);
    const workload = get(objects, w.kind, w.name);
    const container = workload.spec.template.spec.containers[0];
    expect(container.ports.map((p: Obj) => p.containerPort)).toEqual([...w.ports]);
    expect(Number(container.resources.limits[GPU_RESOURCE] ?? 0)).toBe(w.gpus);
    if ("claims" in w) {
      const claims = Object.fromEntries(
        workload.spec.volumeClaimTemplates.map((t: Obj) => [t.metadata.name, t.spec.resources.requests.storage]),
      );
      expect(claims).toEqual(w.claims);
    }
    const scaling = scalingOf(w.name);
    expect(scaling.autoscale !== undefined, `${w.name} autoscales`).toBe(w.autoscaled);
    if (scaling.autoscale !== undefined) {
      const [min, max] = [forEnv(scaling.autoscale.min, cluster.env), forEnv(scaling.autoscale.max, cluster.env)];
      const hpa = get(objects, "HorizontalPodAutoscaler", w.name);
      expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([min, max]);
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: w.kind, name: w.name });
      expect(workload.spec.replicas, "an HPA owns replicas").toBeUndefined();
    } else {
      if (!(scaling.replicas !== undefined)) throw new Error(`${w.name} is KEDA-scaled now; update the seed inventory`);
      expect(workload.spec.replicas).toBe(forEnv(scaling.replicas, cluster.env));
    }
    get(objects, "Service", w.name);
    get(objects, "ServiceAccount", w.name);
    get(objects, "NetworkPolicy", w.name);
  });

  it("schedules GPU pods on the region's GPU pool with the GPU toleration", async () => {
    const pod = get(await uiotaOn(cluster), "StatefulSet", "offline-ai").spec.template.spec;
    const pool = DEFAULT_FLEET.regions.find((r) => r.name === cluster.region)?.gpuPool;
    expect(pod.nodeSelector).toEqual({ "karpenter.sh/nodepool": pool?.name });
    expect(pod.tolerations).toContainEqual({ key: GPU_RESOURCE, operator: "Exists", effect: "NoSchedule" });
  });

  it("keeps GPU tolerations off every other pod", async () => {
    for (const o of await uiotaOn(cluster)) {
      if (!o.spec?.template?.spec || o.metadata.name === "offline-ai") continue;
      expect(o.spec.template.spec.tolerations, o.metadata.name).toBeUndefined();
    }
  });

  it("serves each exposed app on this cluster's own host, plus the global host in prod", async () => {
    const objects = await uiotaOn(cluster);
    for (const [app, label] of Object.entries(HOSTS)) {
      const ingress = get(objects, "Ingress", app);
      const hosts = ingress.spec.rules.map((r: Obj) => r.host);
      const expected = [`${label}.uiota.${cluster.name}.${BASE_DOMAIN}`];
      if (cluster.env === "prod") expected.push(`${label}.uiota.${BASE_DOMAIN}`);
      expect(hosts).toEqual(expected);
      // In prod the global host is served from the tenant's wildcard, ordered once per environment (builders/certificates.ts).
      expect(ingress.spec.tls).toEqual(
        cluster.env === "prod"
          ? [
              { hosts: [expected[0]], secretName: `${app}-tls` },
              { hosts: [expected[1]], secretName: "global-tls" },
            ]
          : [{ hosts: expected, secretName: `${app}-tls` }],
      );
      expect(ingress.metadata.annotations["external-dns.alpha.kubernetes.io/aws-region"]).toBe(cluster.region);
    }
  });

  it("syncs the database, Redis and Guardian secrets from this environment's keys", async () => {
    const objects = await uiotaOn(cluster);
    for (const name of ["database", "redis", "guardian"]) {
      const es = get(objects, "ExternalSecret", name);
      expect(es.spec.secretStoreRef).toEqual({ kind: "SecretStore", name: "aws-secrets-manager" });
      for (const d of es.spec.data) expect(d.remoteRef.key).toBe(`${cluster.env}/uiota/${name}`);
    }
    expect(objects.filter((o) => o.kind === "Secret")).toEqual([]);
  });

  it("ships the monitoring the seed asked for", async () => {
    const objects = await uiotaOn(cluster);
    const rules = get(objects, "PrometheusRule", "uiota-alerts").spec.groups.flatMap((g: Obj) => g.rules.map((r: Obj) => r.alert));
    expect(rules.sort()).toEqual([
      "FederatedLearningStalled",
      "GuardianAuthenticationFailures",
      "GuardianXPSystemDown",
      "OfflineAIHighMemoryUsage",
    ]);
    expect(get(objects, "ConfigMap", "uiota.guardian-activity").metadata.labels.grafana_dashboard).toBe("1");
    for (const app of ["offline-ai", "mcp-server", "offline-dns", "backend-api", "security-monitor"]) get(objects, "ServiceMonitor", app);
    expect(get(objects, "VerticalPodAutoscaler", "offline-ai").spec.updatePolicy.updateMode).toBe("Off");
  });
});
