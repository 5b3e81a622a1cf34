/**
 * AgentGuard (seed 003): every cluster folder of the tenant, rendered by the real
 * kustomize, holds the seed's inventory with its key properties.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { edgeNamespaces } from "../../generators/builders/edge.js";
import { TENANTS } from "../../generators/tenants/index.js";
import { validateAll } from "../../generators/api/validate.js";
import type { AppSpec, TenantSpec } from "../../generators/api/tenant.js";
import {
  claimSizes,
  container,
  containerPorts,
  find,
  get,
  renderTenant,
  restrictedProblems,
  servicePorts,
  type PerEnvNum,
  type TenantRender,
} from "./helpers.js";
import { expectCnpgDatabase } from "./cnpg.js";

/** The seed's components: kind, ports (container and Service), storage, and replicas or autoscaling bounds per env. */
const SEED: {
  app: string;
  kind: "Deployment" | "StatefulSet";
  ports: Record<string, number>;
  servicePorts: Record<string, number>;
  storage?: Record<string, string>;
  replicas?: PerEnvNum;
  hpa?: { min: PerEnvNum; max: PerEnvNum; metrics: string[] };
}[] = [
  {
    app: "agentguard-api",
    kind: "Deployment",
    ports: { http: 8000 },
    servicePorts: { http: 8000 },
    hpa: {
      min: { dev: 1, staging: 2, prod: 3 },
      max: { dev: 3, staging: 6, prod: 20 },
      metrics: ["cpu", "memory", "http_requests_per_second"],
    },
  },
  { app: "nginx", kind: "Deployment", ports: { http: 8080 }, servicePorts: { http: 80 }, replicas: { dev: 2, staging: 2, prod: 2 } },
  {
    app: "redis",
    kind: "StatefulSet",
    ports: { redis: 6379 },
    servicePorts: { redis: 6379 },
    storage: { data: "10Gi" },
    replicas: { dev: 1, staging: 1, prod: 1 },
  },
  {
    app: "mlflow",
    kind: "StatefulSet",
    ports: { http: 5000 },
    servicePorts: { http: 5000 },
    storage: { data: "50Gi" },
    replicas: { dev: 1, staging: 1, prod: 1 },
  },
];

/** Every credential the seed lists, as the Secret key the ExternalSecret fills. */
const CREDENTIALS: { variable: string; secret: string; key: string }[] = [
  { variable: "CLAUDE_API_KEY", secret: "agentguard-api", key: "claude-api-key" },
  { variable: "JWT_SECRET_KEY", secret: "agentguard-api", key: "jwt-secret-key" },
  { variable: "ENCRYPTION_KEY", secret: "agentguard-api", key: "encryption-key" },
  { variable: "POSTGRES_PASSWORD", secret: "postgres", key: "password" },
  { variable: "REDIS_PASSWORD", secret: "redis", key: "password" },
  { variable: "WEBHOOK_SECRET", secret: "agentguard-api", key: "webhook-secret" },
  { variable: "SLACK_WEBHOOK_URL", secret: "notifications", key: "slack-webhook-url" },
  { variable: "SMTP_PASSWORD", secret: "notifications", key: "smtp-password" },
];

const ALERTS = [
  "AgentGuardHighErrorRate",
  "AgentGuardDatabaseDown",
  "AgentGuardHighMemoryUsage",
  "AgentGuardHighResponseTime",
  "AgentGuardHighHallucinationRate",
  "AgentGuardPodRestarts",
];

let renders: TenantRender[] = [];

beforeAll(async () => {
  renders = await renderTenant("agentguard");
});

describe("agentguard renders in every cluster", () => {
  it("has a folder for every cluster of the fleet", () => {
    expect(renders.map((r) => r.cluster).sort()).toEqual(DEFAULT_FLEET.clusters.map((c) => c.name).sort());
  });

  for (const c of SEED) {
    it(`runs ${c.app} as a ${c.kind} with the seed's ports, storage and scaling`, () => {
      for (const { cluster, env, objects } of renders) {
        const w = get(objects, c.kind, c.app);
        expect(containerPorts(w), `${cluster} ${c.app} ports`).toEqual(c.ports);
        expect(servicePorts(get(objects, "Service", c.app)), `${cluster} ${c.app} service ports`).toEqual(c.servicePorts);
        expect(restrictedProblems(w), `${cluster} ${c.app} restricted`).toEqual([]);
        if (c.storage) expect(claimSizes(w), `${cluster} ${c.app} storage`).toEqual(c.storage);
        if (c.replicas) {
          expect(w.spec.replicas, `${cluster} ${c.app} replicas`).toBe(c.replicas[env]);
          expect(find(objects, "HorizontalPodAutoscaler", c.app), `${cluster}: no HPA on ${c.app}`).toBeUndefined();
          expect(find(objects, "ScaledObject", c.app), `${cluster}: no ScaledObject on ${c.app}`).toBeUndefined();
        }
        if (c.hpa) {
          expect(w.spec.replicas, `${cluster} ${c.app}: the HPA owns replicas`).toBeUndefined();
          const hpa = get(objects, "HorizontalPodAutoscaler", c.app);
          expect(hpa.spec.minReplicas, `${cluster} min`).toBe(c.hpa.min[env]);
          expect(hpa.spec.maxReplicas, `${cluster} max`).toBe(c.hpa.max[env]);
          const names = hpa.spec.metrics.map((m: any) => m.resource?.name ?? m.pods?.metric?.name);
          for (const m of c.hpa.metrics) expect(names, `${cluster} HPA metrics`).toContain(m);
          if (c.hpa.min[env] >= 2) expect(find(objects, "PodDisruptionBudget", c.app), `${cluster} PDB`).toBeDefined();
        }
      }
    });
  }

  it("runs PostgreSQL as a CloudNativePG Cluster behind a Pooler, with WAL archiving and daily backups", () => {
    for (const { cluster, env, objects } of renders)
      expectCnpgDatabase(objects, env, cluster, {
        cluster: "postgres",
        pooler: "postgres-pooler",
        storage: "50Gi",
        instances: { dev: 1, staging: 3, prod: 3 },
      });
  });

  it("has no HPA on any database", () => {
    for (const { objects } of renders) {
      const targets = objects.filter((o) => o.kind === "HorizontalPodAutoscaler").map((o) => o.spec.scaleTargetRef.name);
      expect(targets).toEqual(["agentguard-api"]);
    }
  });

  it("serves NGINX through an HTTPRoute, on an unprivileged port behind Service port 80", () => {
    for (const { cluster, objects } of renders) {
      const route = get(objects, "HTTPRoute", "nginx");
      expect(route.spec.rules[0].backendRefs, cluster).toEqual([{ name: "nginx", port: 80 }]);
      expect(get(objects, "Deployment", "nginx").spec.template.spec.securityContext.runAsUser).toBe(101);
    }
  });

  it("admits only the edge into NGINX, and lets the API out on HTTPS only", () => {
    for (const { cluster, objects } of renders) {
      const nginx = get(objects, "NetworkPolicy", "nginx");
      const froms = nginx.spec.ingress.flatMap((r: any) => r.from);
      // The edge the fleet runs (docs/edge.md): the Gateway's namespace.
      expect(froms, cluster).toEqual(
        edgeNamespaces().map((ns) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } })),
      );
      const api = get(objects, "NetworkPolicy", "agentguard-api");
      expect(
        api.spec.ingress
          .flatMap((r: any) => r.from)
          .filter((f: any) => f.podSelector)
          .map((f: any) => f.podSelector.matchLabels["app.kubernetes.io/name"]),
      ).toEqual(["nginx"]);
      const external = api.spec.egress.filter((r: any) => r.to.some((t: any) => t.ipBlock));
      expect(external.flatMap((r: any) => r.ports)).toEqual([{ protocol: "TCP", port: 443 }]);
      expect(get(objects, "NetworkPolicy", "default-deny").spec.policyTypes).toEqual(["Ingress", "Egress"]);
    }
  });

  it("syncs every credential the seed lists from an ExternalSecret and never inlines one", () => {
    for (const { cluster, env, objects } of renders) {
      const env_ = container(get(objects, "Deployment", "agentguard-api")).env;
      for (const cred of CREDENTIALS) {
        const es = get(objects, "ExternalSecret", cred.secret);
        const data = es.spec.data.find((d: any) => d.secretKey === cred.key);
        expect(data, `${cluster} ${cred.variable}`).toBeDefined();
        expect(data.remoteRef.key.startsWith(`${env}/agentguard/`)).toBe(true);
        const v = env_.find((e: any) => e.name === cred.variable);
        expect(v?.valueFrom?.secretKeyRef, `${cluster} ${cred.variable}`).toEqual({ name: cred.secret, key: cred.key });
      }
      expect(
        objects.filter((o) => o.kind === "Secret"),
        cluster,
      ).toEqual([]);
    }
  });

  it("carries the seed's alert rules", () => {
    for (const { objects } of renders) {
      const rules = get(objects, "PrometheusRule", "agentguard-alerts").spec.groups.flatMap((g: any) => g.rules.map((r: any) => r.alert));
      expect(rules.sort()).toEqual([...ALERTS].sort());
    }
  });
});

describe("agentguard spec validation", () => {
  const withApi = (change: (a: AppSpec) => AppSpec) =>
    TENANTS.map((s) =>
      s.spec.name === "agentguard"
        ? { ...s, spec: { ...s.spec, apps: s.spec.apps.map((a) => (a.name === "agentguard-api" ? change(a) : a)) } as TenantSpec }
        : s,
    );

  it("accepts the tenant as written", () => {
    expect(validateAll(DEFAULT_FLEET, TENANTS)).toEqual([]);
  });

  it("rejects a KEDA trigger whose credentials are not a tenant secret", () => {
    const problems = validateAll(
      DEFAULT_FLEET,
      withApi((a) => ({
        ...a,
        scaling: {
          keda: {
            min: 1,
            max: 3,
            triggers: [
              {
                prometheus: {
                  name: "rps",
                  query: "sum(x)",
                  threshold: "5",
                  auth: { secret: "plain-text", parameters: { bearerToken: "token" } },
                },
              },
            ],
          },
        },
      })),
    );
    expect(problems.map((p) => `${p.file}: ${p.field}`)).toContain(
      "generators/tenants/agentguard.ts: apps[agentguard-api].scaling.keda.triggers[0].prometheus.auth.secret",
    );
  });
});
