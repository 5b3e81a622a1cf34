/**
 * Autonomous-OP (seed 004): every cluster folder of the tenant, rendered by the real
 * kustomize, holds the seed's inventory with its key properties, and the KEDA spec
 * errors name their field.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { expectCnpgDatabase } from "./cnpg.js";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { TENANTS } from "../../generators/tenants/index.js";
import { validateAll, type SpecProblem } from "../../generators/api/validate.js";
import type { AppSpec, EventScaling, TenantSpec } from "../../generators/api/tenant.js";
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

const FILE = "generators/tenants/autonomous-op.ts";
const SECRETS = "autonomous-op-secrets";

type Scaling =
  | { replicas: PerEnvNum }
  | { hpa: { min: PerEnvNum; max: PerEnvNum } }
  | { keda: { min: PerEnvNum; max: PerEnvNum; triggers: string[] } };

/** The seed's inventory: sizing tables (prod requests/limits), ports, storage and scaling bounds per env. */
const SEED: {
  app: string;
  kind: "Deployment" | "StatefulSet";
  ports: Record<string, number>;
  prod: { cpu: string; memory: string; cpuLimit: string; memoryLimit: string };
  storage?: Record<string, string>;
  scaling: Scaling;
}[] = [
  {
    app: "gateway",
    kind: "Deployment",
    ports: { http: 8080, management: 8081 },
    prod: { cpu: "500m", memory: "1Gi", cpuLimit: "1", memoryLimit: "2Gi" },
    scaling: { hpa: { min: { dev: 1, staging: 2, prod: 2 }, max: { dev: 2, staging: 3, prod: 5 } } },
  },
  {
    app: "fms",
    kind: "Deployment",
    ports: { http: 8080, management: 8081 },
    prod: { cpu: "500m", memory: "1Gi", cpuLimit: "1", memoryLimit: "2Gi" },
    scaling: { hpa: { min: { dev: 1, staging: 2, prod: 2 }, max: { dev: 2, staging: 3, prod: 5 } } },
  },
  {
    app: "tms",
    kind: "Deployment",
    ports: { http: 8080, management: 8081 },
    prod: { cpu: "500m", memory: "1Gi", cpuLimit: "1", memoryLimit: "2Gi" },
    scaling: { hpa: { min: { dev: 1, staging: 2, prod: 2 }, max: { dev: 2, staging: 3, prod: 5 } } },
  },
  {
    app: "scm",
    kind: "Deployment",
    ports: { http: 8080, management: 8081 },
    prod: { cpu: "500m", memory: "1Gi", cpuLimit: "1", memoryLimit: "2Gi" },
    scaling: { hpa: { min: { dev: 1, staging: 2, prod: 2 }, max: { dev: 2, staging: 3, prod: 5 } } },
  },
  {
    app: "autonomous-op",
    kind: "Deployment",
    ports: { http: 8080, management: 8081 },
    prod: { cpu: "1", memory: "2Gi", cpuLimit: "2", memoryLimit: "4Gi" },
    scaling: {
      keda: {
        min: { dev: 1, staging: 2, prod: 3 },
        max: { dev: 3, staging: 5, prod: 10 },
        triggers: ["kafka", "kafka", "prometheus", "cpu", "memory"],
      },
    },
  },
  {
    app: "ml-service",
    kind: "Deployment",
    ports: { http: 8082, management: 8083 },
    prod: { cpu: "2", memory: "4Gi", cpuLimit: "4", memoryLimit: "8Gi" },
    scaling: {
      keda: {
        min: { dev: 1, staging: 1, prod: 2 },
        max: { dev: 2, staging: 3, prod: 6 },
        triggers: ["prometheus", "prometheus", "cpu", "memory"],
      },
    },
  },
  {
    app: "kafka",
    kind: "StatefulSet",
    ports: { client: 9092, controller: 9093 },
    prod: { cpu: "1", memory: "2Gi", cpuLimit: "2", memoryLimit: "4Gi" },
    storage: { data: "100Gi" },
    scaling: { replicas: { dev: 3, staging: 3, prod: 3 } },
  },
  {
    app: "redis",
    kind: "StatefulSet",
    ports: { redis: 6379, "cluster-bus": 16379 },
    prod: { cpu: "500m", memory: "1Gi", cpuLimit: "1", memoryLimit: "2Gi" },
    storage: { data: "20Gi" },
    scaling: { replicas: { dev: 3, staging: 3, prod: 3 } },
  },
];

/** The seed's `autonomous-op-secrets` keys, plus the servers' own credentials. */
const CREDENTIALS: Record<string, string[]> = {
  [SECRETS]: [
    "spring.datasource.password",
    "spring.datasource.url",
    "spring.datasource.username",
    "spring.kafka.password",
    "spring.kafka.username",
    "spring.redis.password",
  ],
  "kafka-server": ["server-jaas.conf"],
};

const ALERTS = ["HighCpuUsage", "HighMemoryUsage", "GPUUtilizationTooHigh", "KafkaLagTooHigh"];

let renders: TenantRender[] = [];

beforeAll(async () => {
  renders = await renderTenant("autonomous-op");
});

describe("autonomous-op renders in every cluster", () => {
  it("has a folder for every cluster of the fleet", () => {
    expect(renders.map((r) => r.cluster).sort()).toEqual(DEFAULT_FLEET.clusters.map((c) => c.name).sort());
  });

  for (const c of SEED) {
    it(`runs ${c.app} as a ${c.kind} with the seed's ports, sizes, storage and scaling`, () => {
      for (const { cluster, env, objects } of renders) {
        const where = `${cluster} ${c.app}`;
        const w = get(objects, c.kind, c.app);
        expect(containerPorts(w), `${where} ports`).toEqual(c.ports);
        expect(servicePorts(get(objects, "Service", c.app)), `${where} service ports`).toEqual(c.ports);
        expect(restrictedProblems(w), `${where} restricted`).toEqual([]);
        if (env !== "dev") {
          const r = container(w).resources;
          expect(r.requests.cpu, where).toBe(c.prod.cpu);
          expect(r.requests.memory, where).toBe(c.prod.memory);
          expect(r.limits.cpu, where).toBe(c.prod.cpuLimit);
          expect(r.limits.memory, where).toBe(c.prod.memoryLimit);
        }
        if (c.storage) expect(claimSizes(w), `${where} storage`).toEqual(c.storage);
        const hpa = find(objects, "HorizontalPodAutoscaler", c.app);
        const so = find(objects, "ScaledObject", c.app);
        if ("replicas" in c.scaling) {
          expect(w.spec.replicas, `${where} replicas`).toBe(c.scaling.replicas[env]);
          expect(hpa, `${where}: no HPA`).toBeUndefined();
          expect(so, `${where}: no ScaledObject`).toBeUndefined();
        } else if ("hpa" in c.scaling) {
          expect(w.spec.replicas, `${where}: the HPA owns replicas`).toBeUndefined();
          expect(so, `${where}: one autoscaler`).toBeUndefined();
          expect(hpa?.spec.minReplicas, `${where} min`).toBe(c.scaling.hpa.min[env]);
          expect(hpa?.spec.maxReplicas, `${where} max`).toBe(c.scaling.hpa.max[env]);
        } else {
          expect(w.spec.replicas, `${where}: KEDA owns replicas`).toBeUndefined();
          expect(hpa, `${where}: one autoscaler (KEDA creates its own HPA)`).toBeUndefined();
          expect(so?.spec.minReplicaCount, `${where} min`).toBe(c.scaling.keda.min[env]);
          expect(so?.spec.maxReplicaCount, `${where} max`).toBe(c.scaling.keda.max[env]);
          expect(so?.spec.scaleTargetRef, where).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: c.app });
          expect(
            so?.spec.triggers.map((t: any) => t.type),
            `${where} triggers`,
          ).toEqual(c.scaling.keda.triggers);
        }
        const min =
          "replicas" in c.scaling ? c.scaling.replicas[env] : "hpa" in c.scaling ? c.scaling.hpa.min[env] : c.scaling.keda.min[env];
        expect(find(objects, "PodDisruptionBudget", c.app) !== undefined, `${where} PDB iff min >= 2`).toBe(min >= 2);
      }
    });
  }

  it("schedules ml-service on one NVIDIA GPU in the region's GPU pool, tolerating the GPU taint", () => {
    for (const { cluster, objects } of renders) {
      const pod = get(objects, "Deployment", "ml-service").spec.template.spec;
      expect(pod.containers[0].resources.requests["nvidia.com/gpu"], cluster).toBe("1");
      expect(pod.containers[0].resources.limits["nvidia.com/gpu"], cluster).toBe("1");
      expect(pod.tolerations, cluster).toEqual([{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
      expect(pod.nodeSelector, cluster).toEqual({ "karpenter.sh/nodepool": "gpu" });
    }
  });

  it("scales ml-service on GPU utilization from DCGM through Prometheus, never on the nvidia.com/gpu resource", () => {
    for (const { cluster, objects } of renders) {
      const so = get(objects, "ScaledObject", "ml-service");
      const gpu = so.spec.triggers.find((t: any) => t.name === "gpu-utilization");
      expect(gpu.type, cluster).toBe("prometheus");
      expect(gpu.metadata.query, cluster).toContain("DCGM_FI_DEV_GPU_UTIL");
      expect(gpu.metadata.threshold, cluster).toBe("80");
      expect(JSON.stringify(objects.filter((o) => o.kind === "HorizontalPodAutoscaler")), cluster).not.toContain("nvidia.com/gpu");
    }
  });

  it("scales autonomous-op on Kafka lag with credentials from the ExternalSecret-managed Secret", () => {
    for (const { cluster, objects } of renders) {
      const so = get(objects, "ScaledObject", "autonomous-op");
      const kafka = so.spec.triggers.filter((t: any) => t.type === "kafka");
      expect(
        kafka.map((t: any) => [t.metadata.topic, t.metadata.lagThreshold]),
        cluster,
      ).toEqual([
        ["vehicle-telemetry", "1000"],
        ["route-updates", "500"],
      ]);
      const prom = so.spec.triggers.find((t: any) => t.type === "prometheus");
      expect(prom.metadata.threshold, cluster).toBe("1000");
      for (const t of kafka) {
        // Fully qualified: the scaler dials it from the keda namespace (kedacore/keda#978).
        expect(t.metadata.bootstrapServers).toBe("kafka.autonomous-op.svc.cluster.local:9092");
        const ta = get(objects, "TriggerAuthentication", t.authenticationRef.name);
        expect(ta.spec.secretTargetRef, cluster).toEqual([
          { parameter: "password", name: SECRETS, key: "spring.kafka.password" },
          { parameter: "username", name: SECRETS, key: "spring.kafka.username" },
        ]);
        const es = get(objects, "ExternalSecret", SECRETS);
        expect(es.spec.data.map((d: any) => d.secretKey)).toEqual(
          expect.arrayContaining(["spring.kafka.username", "spring.kafka.password"]),
        );
      }
    }
  });

  it("runs Kafka in KRaft mode: 3 brokers, headless Service, Parallel pod management", () => {
    for (const { cluster, objects } of renders) {
      const sts = get(objects, "StatefulSet", "kafka");
      expect(sts.spec.podManagementPolicy, cluster).toBe("Parallel");
      expect(sts.spec.serviceName, cluster).toBe("kafka-headless");
      const headless = get(objects, "Service", "kafka-headless");
      expect(headless.spec.clusterIP, cluster).toBe("None");
      const env = Object.fromEntries(container(sts).env.map((e: any) => [e.name, e.value]));
      expect(env.KAFKA_PROCESS_ROLES, cluster).toBe("broker,controller");
      expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS.split(","), cluster).toHaveLength(3);
    }
  });

  it("keeps Argo CD off the replicas of every autoscaled workload, KEDA-owned ones included", async () => {
    const { readFileSync } = await import("node:fs");
    const text = readFileSync(new URL("../../apps/fleet/applicationsets.yaml", import.meta.url), "utf8");
    const section = text.slice(text.indexOf("name: autonomous-op\n"));
    for (const app of ["gateway", "fms", "tms", "scm", "autonomous-op", "ml-service"])
      expect(section).toMatch(new RegExp(`kind: Deployment\\n\\s+name: ${app}\\n`));
  });

  it("syncs every credential from ExternalSecrets and never ships a Secret", () => {
    for (const { cluster, env, objects } of renders) {
      for (const [secret, keys] of Object.entries(CREDENTIALS)) {
        const es = get(objects, "ExternalSecret", secret);
        expect(
          es.spec.data.map((d: any) => d.secretKey),
          `${cluster} ${secret}`,
        ).toEqual([...keys].sort());
        for (const d of es.spec.data) expect(d.remoteRef.key.startsWith(`${env}/autonomous-op/`)).toBe(true);
      }
      expect(
        objects.filter((o) => o.kind === "Secret"),
        cluster,
      ).toEqual([]);
    }
  });

  it("monitors the Spring services, ml-service and Kafka lag, with the seed's alerts", () => {
    for (const { cluster, objects } of renders) {
      for (const app of ["gateway", "fms", "tms", "scm", "autonomous-op", "ml-service"]) {
        const sm = get(objects, "ServiceMonitor", app);
        expect(sm.spec.endpoints[0], `${cluster} ${app}`).toMatchObject({
          port: "management",
          path: "/actuator/prometheus",
          interval: "30s",
        });
      }
      expect(find(objects, "ServiceMonitor", "kafka-exporter"), cluster).toBeDefined();
      const alerts = get(objects, "PrometheusRule", "autonomous-op-alerts").spec.groups.flatMap((g: any) =>
        g.rules.map((r: any) => r.alert),
      );
      expect(alerts.sort(), cluster).toEqual([...ALERTS].sort());
    }
  });

  it("ships the Promtail config as a ConfigMap", () => {
    for (const { cluster, objects } of renders) {
      const cm = get(objects, "ConfigMap", "promtail-config");
      expect(cm.data["promtail.yaml"], cluster).toContain("http_listen_port: 9080");
      expect(cm.data["promtail.yaml"], cluster).toContain("kubernetes_sd_configs");
    }
  });

  it("expresses the seed's NetworkPolicy: gateway and Prometheus in; Kafka, PostgreSQL and Redis out", () => {
    for (const { cluster, objects } of renders) {
      const np = get(objects, "NetworkPolicy", "autonomous-op");
      const from = np.spec.ingress.flatMap((r: any) => r.from);
      expect(from, cluster).toContainEqual({
        podSelector: { matchLabels: { "app.kubernetes.io/name": "gateway", "app.kubernetes.io/part-of": "autonomous-op" } },
      });
      expect(from, cluster).toContainEqual({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } });
      expect(np.spec.ingress.flatMap((r: any) => r.ports.map((p: any) => p.port)).sort()).toEqual([8080, 8081]);
      const egress = np.spec.egress
        .filter((r: any) => r.to.some((t: any) => t.podSelector?.matchLabels?.["app.kubernetes.io/part-of"] === "autonomous-op"))
        .map((r: any) => `${r.to[0].podSelector.matchLabels["app.kubernetes.io/name"]}:${r.ports.map((p: any) => p.port).join("+")}`);
      expect(egress.sort(), cluster).toEqual(["kafka:9092", "ml-service:8082", "redis:6379"]);
      // PostgreSQL through its Pooler: a NetworkPolicy of the database lets the app out to the PgBouncer pods.
      const toPooler = get(objects, "NetworkPolicy", "postgres-client-autonomous-op");
      expect(toPooler.spec.egress, cluster).toEqual([
        { to: [{ podSelector: { matchLabels: { "cnpg.io/poolerName": "postgres-pooler" } } }], ports: [{ protocol: "TCP", port: 5432 }] },
      ]);
    }
  });

  it("runs PostgreSQL as a CloudNativePG Cluster behind a Pooler, with WAL archiving and daily backups", () => {
    for (const { cluster, env, objects } of renders)
      expectCnpgDatabase(objects, env, cluster, {
        cluster: "postgres",
        pooler: "postgres-pooler",
        storage: "100Gi",
        instances: { dev: 1, staging: 3, prod: 3 },
      });
  });
});

describe("KEDA spec validation", () => {
  const withKeda = (app: string, change: (k: EventScaling["keda"]) => EventScaling["keda"]) =>
    TENANTS.map((s) =>
      s.spec.name !== "autonomous-op"
        ? s
        : {
            ...s,
            spec: {
              ...s.spec,
              apps: s.spec.apps.map(
                (a): AppSpec => (a.name === app && a.scaling.keda !== undefined ? { ...a, scaling: { keda: change(a.scaling.keda) } } : a),
              ),
            } as TenantSpec,
          },
    );
  const fields = (problems: SpecProblem[]) => problems.filter((p) => p.file === FILE).map((p) => p.field);

  it("accepts the tenant as written", () => {
    expect(validateAll(DEFAULT_FLEET, TENANTS)).toEqual([]);
  });

  it("rejects min greater than max, naming the environment", () => {
    const problems = validateAll(
      DEFAULT_FLEET,
      withKeda("ml-service", (k) => ({ ...k, min: { dev: 1, staging: 1, prod: 7 } })),
    );
    expect(fields(problems)).toEqual(["apps[ml-service].scaling.keda.min.prod"]);
    expect(problems[0]?.message).toContain("greater than max (6)");
  });

  it("rejects min below 1 (no scale to zero)", () => {
    const problems = validateAll(
      DEFAULT_FLEET,
      withKeda("autonomous-op", (k) => ({ ...k, min: 0 })),
    );
    expect(fields(problems)).toEqual(["apps[autonomous-op].scaling.keda.min"]);
    expect(problems[0]?.message).toContain("at least 1");
  });

  it("rejects an empty trigger list", () => {
    expect(
      fields(
        validateAll(
          DEFAULT_FLEET,
          withKeda("autonomous-op", (k) => ({ ...k, triggers: [] })),
        ),
      ),
    ).toEqual(["apps[autonomous-op].scaling.keda.triggers"]);
  });

  it("rejects trigger credentials that are not a property of a tenant secret", () => {
    const problems = validateAll(
      DEFAULT_FLEET,
      withKeda("autonomous-op", (k) => ({
        ...k,
        triggers: [
          {
            kafka: {
              name: "lag",
              bootstrapServers: "kafka:9092",
              topic: "t",
              consumerGroup: "g",
              lagThreshold: 10,
              sasl: "plaintext",
              auth: { secret: SECRETS, parameters: { username: "spring.kafka.username", password: "kafka-password" } },
            },
          },
        ],
      })),
    );
    expect(fields(problems)).toEqual(["apps[autonomous-op].scaling.keda.triggers[0].kafka.auth.parameters.password"]);
  });

  it("rejects SASL without username and password, a zero lag threshold, and duplicate trigger names", () => {
    const problems = validateAll(
      DEFAULT_FLEET,
      withKeda("autonomous-op", (k) => ({
        ...k,
        triggers: [
          { kafka: { name: "lag", bootstrapServers: "kafka:9092", topic: "t", consumerGroup: "g", lagThreshold: 0, sasl: "scram_sha512" } },
          { prometheus: { name: "lag", query: "sum(x)", threshold: "high" } },
        ],
      })),
    );
    expect(fields(problems).sort()).toEqual(
      [
        "apps[autonomous-op].scaling.keda.triggers[0].kafka.lagThreshold",
        // The tenant's broker does not enable SCRAM-SHA-512 (its KAFKA_SASL_ENABLED_MECHANISMS), so the scaler could not connect.
        "apps[autonomous-op].scaling.keda.triggers[0].kafka.sasl",
        "apps[autonomous-op].scaling.keda.triggers[0].kafka.auth",
        "apps[autonomous-op].scaling.keda.triggers[1].prometheus.threshold",
        "apps[autonomous-op].scaling.keda.triggers[].name",
      ].sort(),
    );
  });
});
