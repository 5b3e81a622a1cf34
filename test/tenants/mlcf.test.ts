/**
 * MLCF (seed 001): every seed component, rendered with the real kustomize on every
 * cluster, with the properties the seed promises.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Env } from "../../generators/fleet/fleet.js";
import {
  CLUSTERS,
  claimSizes,
  containerPorts,
  credentialEnv,
  find,
  get,
  gpuCount,
  renderTenant,
  secretRefs,
  zoneSpread,
  type Obj,
} from "./render-tenant.js";

const NS = "mlcf";

/** The seed's inventory: what runs, on which ports, with what storage and scale. */
const COMPONENTS = [
  {
    name: "mlcf-api",
    kind: "Deployment",
    ports: [8000, 9090],
    storage: {},
    scaling: { hpa: { dev: [1, 3], staging: [2, 6], prod: [3, 20] } as Record<Env, [number, number]> },
    zoneSpread: "ScheduleAnyway",
  },
  {
    name: "qdrant",
    kind: "StatefulSet",
    ports: [6333, 6334, 6335],
    storage: { data: "50Gi", snapshots: "20Gi" },
    scaling: { replicas: 3 },
    zoneSpread: "DoNotSchedule",
  },
  {
    name: "neo4j",
    kind: "StatefulSet",
    ports: [2004, 5000, 6000, 6362, 7000, 7474, 7687],
    storage: { data: "100Gi", logs: "10Gi" },
    scaling: { replicas: 3 },
    zoneSpread: "DoNotSchedule",
  },
] as const;

const BACKUPS = [
  { name: "qdrant-backup", schedule: "0 */6 * * *" },
  { name: "neo4j-backup", schedule: "30 2 * * *" },
] as const;

const ALERTS = [
  "MLCFHighErrorRate",
  "MLCFHighLatency",
  "MLCFAPIPodsUnavailable",
  "MLCFHighMemoryUsage",
  "MLCFHighCPUUsage",
  "QdrantNodeDown",
  "Neo4jNodeDown",
  "Neo4jMemoryPressure",
];

let rendered: Map<string, Obj[]>;
beforeAll(async () => {
  rendered = await renderTenant("mlcf");
});

describe.each(CLUSTERS)("mlcf on $cluster ($env)", ({ cluster, env }) => {
  const objects = (): Obj[] => {
    const o = rendered.get(cluster);
    if (!o) throw new Error(`cluster ${cluster} has no mlcf folder`);
    return o;
  };

  it.each(COMPONENTS)("runs $name as a $kind with the seed's ports, storage and no GPU", (c) => {
    const w = get(objects(), c.kind, c.name);
    expect(w.metadata.namespace).toBe(NS);
    expect(containerPorts(w)).toEqual([...c.ports].sort((a, b) => a - b));
    expect(claimSizes(w)).toEqual(c.storage);
    expect(gpuCount(w)).toBe(0);
    expect(zoneSpread(w)).toBe(c.zoneSpread);
  });

  it.each(COMPONENTS)("scales $name within the seed's bounds for this environment", (c) => {
    const w = get(objects(), c.kind, c.name);
    const hpa = find(objects(), "HorizontalPodAutoscaler", c.name);
    if ("hpa" in c.scaling) {
      const [min, max] = c.scaling.hpa[env];
      expect(hpa?.spec.minReplicas).toBe(min);
      expect(hpa?.spec.maxReplicas).toBe(max);
      expect(hpa?.spec.scaleTargetRef).toMatchObject({ kind: c.kind, name: c.name });
      expect(w.spec.replicas).toBeUndefined();
    } else {
      expect(hpa).toBeUndefined();
      expect(w.spec.replicas).toBe(c.scaling.replicas);
    }
  });

  it("keeps quorum with a PodDisruptionBudget wherever more than one replica runs", () => {
    for (const c of COMPONENTS) {
      const min = "hpa" in c.scaling ? c.scaling.hpa[env][0] : c.scaling.replicas;
      const pdb = find(objects(), "PodDisruptionBudget", c.name);
      if (min > 1) expect(pdb?.spec.maxUnavailable, c.name).toBe(1);
      else expect(pdb, c.name).toBeUndefined();
    }
  });

  it("rolls the API out one extra pod at a time and never below capacity", () => {
    expect(get(objects(), "Deployment", "mlcf-api").spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
  });

  it("gives Qdrant and Neo4j headless Services and parallel pod management for peer discovery", () => {
    for (const name of ["qdrant", "neo4j"]) {
      const sts = get(objects(), "StatefulSet", name);
      expect(sts.spec.podManagementPolicy).toBe("Parallel");
      expect(sts.spec.serviceName).toBe(`${name}-headless`);
      const headless = get(objects(), "Service", `${name}-headless`);
      expect(headless.spec.clusterIP).toBe("None");
      expect(headless.spec.publishNotReadyAddresses).toBe(true);
    }
    const qdrantSvc = get(objects(), "Service", "qdrant");
    expect((qdrantSvc.spec.ports as Obj[]).map((p) => p.port)).toEqual(expect.arrayContaining([6333, 6334]));
    const neo4jSvc = get(objects(), "Service", "neo4j");
    expect((neo4jSvc.spec.ports as Obj[]).map((p) => p.port)).toEqual(expect.arrayContaining([7474, 7687, 2004]));
  });

  it("installs APOC into Neo4j with an init container", () => {
    const init = get(objects(), "StatefulSet", "neo4j").spec.template.spec.initContainers as Obj[];
    expect(init.map((c) => c.name)).toContain("install-apoc");
    expect(init[0]?.securityContext).toMatchObject({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    });
  });

  it("serves the API through NGINX with a cert-manager certificate (in prod, the global host from the issuing cluster's publication)", () => {
    const ing = get(objects(), "Ingress", "mlcf-api");
    expect(ing.spec.tls[0].hosts).toContain(`api.mlcf.${cluster}.ai.example.com`);
    if (env !== "prod") {
      expect(ing.metadata.annotations["cert-manager.io/cluster-issuer"]).toBe("letsencrypt-prod");
      return;
    }
    // ingress-shim would order every TLS entry, the global host on every prod cluster: an explicit
    // Certificate orders the cluster host, and the global host is served from the tenant's wildcard.
    expect(ing.metadata.annotations["cert-manager.io/cluster-issuer"]).toBeUndefined();
    expect(get(objects(), "Certificate", "mlcf-api-tls").spec.dnsNames).toEqual([`api.mlcf.${cluster}.ai.example.com`]);
    expect(ing.spec.tls[1]).toEqual({ hosts: ["api.mlcf.ai.example.com"], secretName: "global-tls" });
    expect(get(objects(), "ExternalSecret", "global-tls").spec.data[0].remoteRef.key).toBe("prod/mlcf/certificates/global-tls");
  });

  it("meshes the namespace: STRICT mTLS, a Gateway, timeouts and retries, least-request balancing, outlier detection, authorization", () => {
    expect(get(objects(), "PeerAuthentication", "default").spec.mtls.mode).toBe("STRICT");
    const gw = get(objects(), "Gateway", "mlcf-api");
    expect(gw.apiVersion).toBe("networking.istio.io/v1");
    expect((gw.spec.servers as Obj[]).flatMap((s) => s.hosts)).toContain(`mesh.mlcf.${cluster}.ai.example.com`);
    const vs = get(objects(), "VirtualService", "mlcf-api");
    for (const route of vs.spec.http as Obj[]) {
      expect(route.timeout).toBe("30s");
      expect(route.retries.attempts).toBe(3);
    }
    const dr = get(objects(), "DestinationRule", "mlcf-api");
    expect(dr.spec.trafficPolicy.loadBalancer.simple).toBe("LEAST_REQUEST");
    expect(dr.spec.trafficPolicy.outlierDetection.consecutive5xxErrors).toBe(5);
    for (const c of COMPONENTS) {
      const ap = get(objects(), "AuthorizationPolicy", c.name);
      expect(ap.apiVersion).toBe("security.istio.io/v1");
      expect(ap.spec.action).toBe("ALLOW");
    }
    const neo4jPrincipals = (get(objects(), "AuthorizationPolicy", "neo4j").spec.rules as Obj[]).flatMap((r) =>
      (r.from ?? []).flatMap((f: Obj) => f.source.principals ?? []),
    );
    expect(neo4jPrincipals).toContain("cluster.local/ns/mlcf/sa/mlcf-api");
  });

  it("autoscales vertically in recommendation mode, scrapes every component and raises the seed's 8 alerts", () => {
    for (const c of COMPONENTS) {
      expect(find(objects(), "VerticalPodAutoscaler", c.name)?.spec.updatePolicy.updateMode, c.name).toBe("Off");
    }
    for (const name of ["mlcf-api", "qdrant", "neo4j"]) expect(find(objects(), "ServiceMonitor", name), name).toBeDefined();
    const rule = get(objects(), "PrometheusRule", "mlcf-alerts");
    const alerts = (rule.spec.groups as Obj[]).flatMap((g) => (g.rules as Obj[]).map((r) => r.alert));
    expect(alerts.sort()).toEqual([...ALERTS].sort());
    expect(get(objects(), "ConfigMap", "mlcf.mlcf-overview").metadata.labels.grafana_dashboard).toBe("1");
  });

  it("grants the API only namespaced read access and denies all traffic by default", () => {
    const role = get(objects(), "Role", "mlcf-api");
    expect((role.rules as Obj[]).flatMap((r) => r.resources)).not.toContain("secrets");
    expect(get(objects(), "NetworkPolicy", "default-deny").spec.podSelector).toEqual({});
  });

  it.each(BACKUPS)("backs up with $name on $schedule to S3 through its ServiceAccount's IAM role, without static keys", (b) => {
    const cron = get(objects(), "CronJob", b.name);
    expect(cron.spec.schedule).toBe(b.schedule);
    expect(cron.spec.concurrencyPolicy).toBe("Forbid");
    expect(
      secretRefs(cron)
        .filter((r) => r.startsWith("backup-s3/"))
        .sort(),
    ).toEqual(["backup-s3/bucket", "backup-s3/region"]);
    const sa = get(objects(), "ServiceAccount", cron.spec.jobTemplate.spec.template.spec.serviceAccountName);
    expect(sa.metadata.annotations["eks.amazonaws.com/role-arn"]).toBe(`arn:aws:iam::111122223333:role/${env}-mlcf-${b.name}`);
    expect(get(objects(), "ExternalSecret", "backup-s3").spec.data.map((d: Obj) => d.remoteRef.key)).toContain(`${env}/mlcf/backup-s3`);
  });

  it("runs a health-check Job after every sync", () => {
    const job = get(objects(), "Job", "health-check");
    expect(job.metadata.annotations["argocd.argoproj.io/hook"]).toBe("PostSync");
  });

  it("takes every credential from a Secret, never a literal", () => {
    const creds = credentialEnv(objects());
    expect(creds.length).toBeGreaterThan(0);
    for (const e of creds) expect(e.valueFrom?.secretKeyRef, `${e.owner} ${e.name}`).toBeDefined();
    expect(objects().filter((o) => o.kind === "Secret")).toEqual([]);
  });
});
