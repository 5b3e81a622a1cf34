/**
 * Bad input: every class of mistake in a tenant, fleet or pins source is rejected by
 * `npm run generate` itself, with exit code 1, a message naming file, field, value and
 * fix, and not one byte of base/, overlays/, clusters/ or apps/ changed.
 *
 * Most cases run the generator in-process (runGenerate, the CLI's own function) against
 * a scratch copy of the generated tree; a handful run the real CLI on a copy of the repo.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_FLEET, type Fleet } from "../generators/fleet/fleet.js";
import { TENANTS, type TenantSource } from "../generators/tenants/index.js";
import type { TenantSpec } from "../generators/api/tenant.js";
import { loadPins, parsePins, type Pins } from "../generators/api/pins.js";
import { runGenerate, type Sources } from "../generators/cli/generate.js";
import { blockScratchTree, LAUNCHER, REPO, removeScratch, scratchTree, snapshot, sourceCopy } from "./helpers/repo.js";

/** Test-only: sources are broken on purpose, so they are loosely typed. */
type Loose = Record<string, any>;

const UIOTA = "generators/tenants/uiota.ts";
const MLCF = "generators/tenants/mlcf.ts";
const FLEET = "generators/fleet/fleet.ts";
const PINS = "generators/release/pins.json";
const D64 = "0123456789abcdef".repeat(4);
/** The fleet's EKS parts with kube-proxy pinned to one version on every cluster. */
const DEFAULT_EKS_WITH_KUBE_PROXY = (version: string): NonNullable<Fleet["eks"]> => {
  const eks = DEFAULT_FLEET.eks;
  if (!eks) throw new Error("fixture changed: the fleet has no eks");
  return { ...eks, managedAddons: eks.managedAddons.map((a) => (a.name === "kube-proxy" ? { ...a, version } : a)) };
};

function tenant(name: string): Loose {
  const src = TENANTS.find((t) => t.spec.name === name);
  if (!src) throw new Error(`no tenant ${name}`);
  return structuredClone(src.spec) as Loose;
}
/** The first element matching, or a thrown error: the fixtures below rely on the committed tenants. */
function find(xs: unknown, match: (x: Loose) => boolean): Loose {
  const hit = (xs as Loose[]).find(match);
  if (!hit) throw new Error("fixture changed: element not found");
  return hit;
}
const app = (t: Loose, name: string): Loose => {
  const a = (t.apps as Loose[]).find((x) => x.name === name);
  if (!a) throw new Error(`no app ${name}`);
  return a;
};

/** The sources with some tenants replaced. */
function withTenants(...specs: Loose[]): TenantSource[] {
  return TENANTS.map((s) => {
    const t = specs.find((x) => x.name === s.spec.name);
    return t ? { file: s.file, spec: t as TenantSpec } : s;
  });
}

/** The fleet with one change. */
function fleetWith(change: (f: Loose) => void): Fleet {
  const f = structuredClone(DEFAULT_FLEET) as Loose;
  change(f);
  return f as Fleet;
}

/** uiota with one change. */
const uiota = (change: (t: Loose) => void): TenantSource[] => {
  const t = tenant("uiota");
  change(t);
  return withTenants(t);
};
/** uiota with one change to one app. */
const uiotaApp = (name: string, change: (a: Loose) => void): TenantSource[] => uiota((t) => change(app(t, name)));

interface Case {
  name: string;
  /** Text the output must contain: file, field, value and the fix. */
  expect: string[];
  /** Text it must not contain (knock-on errors, secret values). */
  absent?: string[];
  tenants?: () => TenantSource[];
  fleet?: () => Fleet;
  pins?: () => Pins;
}

const cases: Case[] = [
  // --- A runtime-strict API: unknown keys, exclusive options, types ---
  {
    name: "a misspelled option (gpu for gpus), which used to drop the GPU silently",
    tenants: () =>
      uiotaApp("offline-ai", (a) => {
        a.gpu = a.gpus;
        delete a.gpus;
      }),
    expect: [UIOTA, "apps[offline-ai].gpu: 1: unknown field", 'did you mean "gpus"?'],
  },
  {
    name: "a misspelled ingress (ingres), which used to remove an Ingress everywhere",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        a.exposure.ingres = a.exposure.ingress;
        delete a.exposure.ingress;
      }),
    expect: [UIOTA, "apps[mcp-server].exposure.ingres", 'did you mean "ingress"?', "Allowed here: serviceType, headless, ingress"],
  },
  {
    name: "an unknown top-level tenant key",
    tenants: () =>
      uiota((t) => {
        t.secret = t.secrets;
      }),
    expect: [UIOTA, "secret: ", "unknown field", 'did you mean "secrets"?'],
  },
  {
    name: "an unknown key deep in a probe",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        a.probes = { readiness: { http: { path: "/ready", port: "http-api" }, periodSecond: 5 } };
      }),
    expect: [UIOTA, "apps[mcp-server].probes.readiness.periodSecond: 5: unknown field", 'did you mean "periodSeconds"?'],
  },
  {
    name: "an unknown key in the fleet",
    fleet: () =>
      ({ ...DEFAULT_FLEET, clusters: DEFAULT_FLEET.clusters.map((c, i) => (i === 0 ? { ...c, kubernetesVersio: "1.34" } : c)) }) as Fleet,
    expect: [FLEET, "clusters[dev-usw2].kubernetesVersio", 'did you mean "kubernetesVersion"?'],
  },
  {
    name: "an HPA asking for a metric no declaration serves (no adapter rule would)",
    tenants: () =>
      uiotaApp("offline-ai", (a) => {
        if (a.scaling.autoscale?.podMetrics)
          a.scaling = { autoscale: { ...a.scaling.autoscale, podMetrics: [{ metric: "gpu_util" as "queue_length", averageValue: "80" }] } };
      }),
    expect: [
      UIOTA,
      "apps[offline-ai].scaling.autoscale.podMetrics[0].metric",
      "no declared metric serves this name; declare it in generators/addons/metrics.ts",
    ],
  },
  {
    name: "both replicas and autoscale",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        a.scaling = { replicas: 2, autoscale: { min: 1, max: 3 } };
      }),
    expect: [
      UIOTA,
      "apps[mcp-server].scaling",
      "exactly one of replicas, autoscale, keda may be given; found replicas and autoscale. Keep one",
    ],
  },
  {
    name: "both an HPA and a KEDA ScaledObject (autoscale and keda), the mcp-server example",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        a.scaling = { autoscale: { min: 1, max: 3 }, keda: { min: 1, max: 3, triggers: [{ cpu: { utilization: 70 } }] } };
      }),
    expect: [UIOTA, "apps[mcp-server].scaling", "found autoscale and keda"],
  },
  {
    name: "no scaling option at all",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        a.scaling = {};
      }),
    expect: [UIOTA, "apps[mcp-server].scaling", "needs exactly one of: replicas, autoscale, keda"],
  },
  {
    name: "two probe kinds in one probe",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        a.probes = { liveness: { http: { path: "/", port: "http-api" }, tcp: { port: "http-api" } } };
      }),
    expect: [UIOTA, "apps[mcp-server].probes.liveness", "exactly one of http, tcp, exec may be given; found http and tcp"],
  },
  {
    name: "two kinds of network peer in one peer",
    tenants: () =>
      uiotaApp("offline-dns", (a) => {
        a.network.ingress[0].from[0] = { job: "x", namespace: "monitoring" };
      }),
    expect: [
      UIOTA,
      "apps[offline-dns].network.ingress[0].from[0]",
      "exactly one of namespace, cidr, vpc, job may be given; found namespace and job",
    ],
  },
  {
    name: "an app peer on the callee, where the caller now declares `calls`",
    tenants: () =>
      uiotaApp("offline-dns", (a) => {
        a.network.ingress[0].from[0] = { namespace: "monitoring", tenant: "mlcf" };
      }),
    expect: [UIOTA, "apps[offline-dns].network.ingress[0].from[0].tenant", '"mlcf": unknown field', "Allowed here: namespace"],
  },
  // --- Wiring: every connection declared once, through handles (api/components/wiring.ts) ---
  {
    name: "a call to an app that does not exist",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        a.calls = [...a.calls, { app: "offline-aii", port: "ollama-api" }];
      }),
    expect: [UIOTA, 'apps[mcp-server].calls[4].app: "offline-aii"', "no app of that name in tenant uiota; known: offline-ai, mcp-server"],
  },
  {
    name: "a call to a port the app does not have",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        a.calls = [...a.calls, { app: "offline-ai", port: "grpc" }];
      }),
    expect: [
      UIOTA,
      'apps[mcp-server].calls[4].port: "grpc"',
      "uiota/offline-ai has no port of that name; its ports: ollama-api, http-api, metrics",
    ],
  },
  {
    name: "a call to another tenant's app whose owner has not exposed the port",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        a.calls = [...a.calls, { app: "mlcf-api", port: "http", tenant: "mlcf" }];
      }),
    expect: [
      UIOTA,
      'apps[mcp-server].calls[4]: "mlcf/mlcf-api:http"',
      "tenant mlcf does not expose port http of mlcf-api to tenant uiota",
      'network.exposeTo: [{ tenants: ["uiota"], ports: ["http"] }] to apps[mlcf-api]',
    ],
  },
  {
    name: "an external without a reason",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        a.calls = [...a.calls, { external: { host: "api.example.com", port: 443, reason: "", range: "internet", expires: "2027-01-31" } }];
      }),
    expect: [UIOTA, 'apps[mcp-server].calls[4].external.reason: ""', "say why the app calls this host"],
  },
  {
    name: "egress to 0.0.0.0/0 without an expiry",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        a.calls = [...a.calls, { external: { host: "api.example.com", port: 443, reason: "an example provider API", range: "internet" } }];
      }),
    expect: [UIOTA, "apps[mcp-server].calls[4].external.expires: (not set)", "egress to 0.0.0.0/0 is an exception", "YYYY-MM-DD"],
  },
  {
    name: "a literal in-cluster URL naming an app the app does not call",
    tenants: () =>
      uiotaApp("security-monitor", (a) => {
        a.env = { ...a.env, OFFLINE_AI: "http://offline-ai:11434" };
      }),
    expect: [
      UIOTA,
      'apps[security-monitor].env.OFFLINE_AI: "http://offline-ai:11434"',
      "names offline-ai (uiota/offline-ai) as a literal in-cluster address",
      'calls: [wire.port(offline-ai, "<port>").call]',
    ],
  },
  {
    name: "a JDBC string naming another tenant's database by its full name",
    tenants: () =>
      uiotaApp("security-monitor", (a) => {
        a.env = { ...a.env, DB: "jdbc:postgresql://postgres-rw.agentguard.svc.cluster.local:5432/agentguard" };
      }),
    expect: [UIOTA, "apps[security-monitor].env.DB", "(db:agentguard/postgres)", "databases[postgres].clients of tenant agentguard"],
  },
  {
    name: "a host list of StatefulSet pods in a config file",
    tenants: () =>
      uiotaApp("security-monitor", (a) => {
        a.configFiles = [
          {
            name: "peers",
            mountPath: "/peers",
            files: { "peers.txt": "redis-0.redis-headless.autonomous-op:6379,redis-1.redis-headless.autonomous-op:6379" },
          },
        ];
      }),
    expect: [
      UIOTA,
      'apps[security-monitor].configFiles[peers].files["peers.txt"]',
      "names redis-0.redis-headless.autonomous-op (autonomous-op/redis)",
    ],
  },
  {
    name: "a bare Service name in a host variable",
    tenants: () =>
      uiotaApp("security-monitor", (a) => {
        a.env = { ...a.env, CACHE_HOST: "mcp-server" };
      }),
    expect: [UIOTA, 'apps[security-monitor].env.CACHE_HOST: "mcp-server"', "names mcp-server (uiota/mcp-server)"],
  },
  {
    name: "a *.svc name of nothing in the fleet",
    tenants: () =>
      uiotaApp("security-monitor", (a) => {
        a.env = { ...a.env, LOKI_URL: "http://loki-gateway.monitoring.svc/loki" };
      }),
    expect: [
      UIOTA,
      "apps[security-monitor].env.LOKI_URL",
      "names loki-gateway.monitoring.svc, which is no Service of any tenant or of the platform",
    ],
  },
  {
    name: "a Job's open egress without an expiry",
    tenants: () => {
      const t = tenant("mlcf");
      const backup = find(t.jobs, (j) => j.name === "neo4j-backup");
      backup.calls = [{ external: { ...backup.calls[0].external, expires: undefined } }];
      return withTenants(t);
    },
    expect: [MLCF, "jobs[neo4j-backup].calls[0].external.expires: (not set)", "egress to 0.0.0.0/0 is an exception"],
  },
  {
    name: "a VPC-range external on a cluster without vpcCidr",
    fleet: () =>
      ({ ...DEFAULT_FLEET, clusters: DEFAULT_FLEET.clusters.map((c, i) => (i === 0 ? { ...c, vpcCidr: undefined } : c)) }) as Fleet,
    expect: [UIOTA, "apps[backend-api].calls[2].external.range", "no vpcCidr for dev-usw2; add each cluster's VPC CIDR"],
  },
  {
    name: "a KEDA trigger with two kinds",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        a.scaling = { keda: { min: 1, max: 3, triggers: [{ cpu: { utilization: 70 }, memory: { utilization: 80 } }] } };
      }),
    expect: [UIOTA, "apps[mcp-server].scaling.keda.triggers[0]", "found cpu and memory"],
  },
  {
    name: "a string where a number belongs",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        a.scaling = { replicas: "3" };
      }),
    expect: [UIOTA, 'apps[mcp-server].scaling.replicas: "3": must be a whole number'],
  },
  {
    name: "a required field left out",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        delete a.image;
      }),
    expect: [UIOTA, "apps[mcp-server].image: (not set): required field is missing; give an object"],
  },
  {
    name: "a misspelled enum value",
    tenants: () =>
      uiotaApp("offline-dns", (a) => {
        a.kind = "Statefulset";
      }),
    expect: [UIOTA, 'apps[offline-dns].kind: "Statefulset": must be one of "Deployment", "StatefulSet"; did you mean "StatefulSet"?'],
  },
  {
    name: "a misspelled environment in a per-environment value",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        a.scaling = { replicas: { dev: 1, staging: 2, prd: 2 } };
      }),
    expect: [
      UIOTA,
      'apps[mcp-server].scaling.replicas.prd: "prd": unknown environment; did you mean "prod"?',
      "apps[mcp-server].scaling.replicas.prod: (not set): missing",
    ],
  },
  {
    name: "a shape error together with a semantic one: only the root cause is reported",
    tenants: () =>
      uiota((t) => {
        app(t, "offline-ai").gpu = 1;
        app(t, "backend-api").scaling = { autoscale: { min: 30, max: 20 } };
      }),
    expect: [UIOTA, "generate: 1 problem(s)", "apps[offline-ai].gpu"],
    absent: ["greater than max"],
  },
  // --- The API server's own rules, before kustomize ---
  {
    name: "an app name that is not a DNS-1035 label (it names a Service)",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        a.name = "MCP_Server";
      }),
    expect: [
      UIOTA,
      'apps[MCP_Server].name: "MCP_Server": an app name names its Service: a DNS-1035 label must consist of lower case alphanumeric characters',
    ],
  },
  {
    name: "an app name starting with a digit (valid DNS-1123, invalid Service name)",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        a.name = "1mcp";
      }),
    expect: [UIOTA, 'apps[1mcp].name: "1mcp"', "start with an alphabetic character"],
  },
  {
    name: "a StatefulSet name longer than its revision label allows",
    tenants: () =>
      uiotaApp("security-monitor", (a) => {
        a.name = `sm-${"x".repeat(50)}`;
      }),
    expect: [
      UIOTA,
      `apps[sm-${"x".repeat(50)}].name`,
      "the StatefulSet name",
      "must be no more than 52 characters",
      "shorten the app name",
    ],
  },
  {
    name: "a headless Service name (<name>-headless) over 63 characters",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        a.name = `m${"c".repeat(55)}`;
        a.exposure.headless = true;
      }),
    expect: [UIOTA, "the headless Service", "-headless must be no more than 63 characters"],
  },
  {
    name: "a CronJob name over 52 characters (its Jobs add 11)",
    tenants: () => {
      const t = tenant("mlcf");
      find(t.jobs, (j) => j.schedule !== undefined).name = `backup-${"z".repeat(46)}`;
      return withTenants(t);
    },
    expect: [MLCF, `jobs[backup-${"z".repeat(46)}].name`, "CronJob name must be no more than 52 characters"],
  },
  {
    name: "free-text ingress-nginx annotations, which the Gateway edge could not honour",
    tenants: () =>
      uiotaApp("backend-api", (a) => {
        a.exposure.ingress.annotations = { "nginx.ingress.kubernetes.io/limit-rps": "100" };
      }),
    expect: [UIOTA, "apps[backend-api].exposure.ingress.annotations", "unknown field"],
  },
  {
    name: "a burst under the rate (Envoy's bucket would cap the rate at the burst)",
    tenants: () =>
      uiotaApp("backend-api", (a) => {
        a.exposure.ingress.rateLimit = { requestsPerSecond: 100, burst: 50 };
      }),
    expect: [
      UIOTA,
      "apps[backend-api].exposure.ingress.rateLimit.burst: 50: must be a whole number of requests from requestsPerSecond (100) up",
      "use 100 or more",
    ],
  },
  {
    name: "a rate of zero requests per second",
    tenants: () =>
      uiotaApp("backend-api", (a) => {
        a.exposure.ingress.rateLimit = { requestsPerSecond: 0 };
      }),
    expect: [UIOTA, "apps[backend-api].exposure.ingress.rateLimit.requestsPerSecond: 0: must be a whole number of requests, at least 1"],
  },
  {
    name: "CORS credentials with the * origin, which browsers refuse",
    tenants: () => {
      const t = tenant("mlcf");
      app(t, "mlcf-api").exposure.ingress.cors = { allowOrigins: ["*"], allowMethods: ["GET"], allowCredentials: true };
      return withTenants(t);
    },
    expect: [MLCF, "apps[mlcf-api].exposure.ingress.cors.allowCredentials: true", "list the origins or drop allowCredentials"],
  },
  {
    name: "a CORS origin with a path, and a method that is not one",
    tenants: () => {
      const t = tenant("mlcf");
      app(t, "mlcf-api").exposure.ingress.cors = { allowOrigins: ["https://app.example.com/"], allowMethods: ["FETCH"] };
      return withTenants(t);
    },
    expect: [
      MLCF,
      'apps[mlcf-api].exposure.ingress.cors.allowOrigins[0]: "https://app.example.com/": an origin is scheme://host[:port]',
      'apps[mlcf-api].exposure.ingress.cors.allowMethods[0]: "FETCH": not an HTTP method',
    ],
  },
  {
    name: "a body size that is not a whole number of bytes",
    tenants: () =>
      uiotaApp("backend-api", (a) => {
        a.exposure.ingress.maxBodySize = "10m";
      }),
    expect: [UIOTA, 'apps[backend-api].exposure.ingress.maxBodySize: "10m": a whole number of bytes as a quantity'],
  },
  {
    name: "a quantity with a space",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        a.resources = { requests: { cpu: "100m", memory: "1 Gi" }, limits: { memory: "2Gi" } };
      }),
    expect: [UIOTA, 'apps[mcp-server].resources.requests.memory: "1 Gi": not a Kubernetes quantity; write e.g. "500m"'],
  },
  {
    name: "memory in fractions of a byte",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        a.resources = { requests: { cpu: "100m", memory: "500m" }, limits: { memory: "2Gi" } };
      }),
    expect: [UIOTA, 'apps[mcp-server].resources.requests.memory: "500m": is a fraction of a byte; write whole bytes'],
  },
  {
    name: "a memory limit below the request",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        a.resources = { requests: { cpu: "100m", memory: "2Gi" }, limits: { memory: "1Gi" } };
      }),
    expect: [
      UIOTA,
      'apps[mcp-server].resources.requests.memory: "2Gi": must be less than or equal to memory limit of 1Gi; raise limits.memory or lower the request',
    ],
  },
  {
    name: "a CPU limit below the request in one environment",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        const ok = { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } };
        a.resources = { dev: { requests: { cpu: "2", memory: "128Mi" }, limits: { cpu: "1", memory: "256Mi" } }, staging: ok, prod: ok };
      }),
    expect: [UIOTA, 'apps[mcp-server].resources.dev.requests.cpu: "2": must be less than or equal to cpu limit of 1'],
  },
  {
    name: "a storage size that is not a quantity",
    tenants: () =>
      uiotaApp("offline-ai", (a) => {
        a.storage[0].size = "10GB";
      }),
    expect: [UIOTA, `apps[offline-ai].storage[${"models"}].size`, '"10GB": not a Kubernetes quantity'],
  },
  {
    name: "a sidecar limit below its request",
    tenants: () => {
      const t = tenant("mlcf");
      t.mesh = { ...t.mesh, sidecarResources: { requests: { cpu: "100m", memory: "1Gi" }, limits: { memory: "128Mi" } } };
      return withTenants(t);
    },
    expect: [MLCF, 'mesh.sidecarResources.requests.memory: "1Gi": must be less than or equal to memory limit of 128Mi'],
  },
  {
    name: "an init container named like the app's own container",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        a.initContainers = [{ name: "mcp-server", command: ["true"] }];
      }),
    expect: [UIOTA, 'apps[mcp-server].initContainers[].name: "mcp-server": duplicate container name'],
  },
  {
    name: "two ports with the same name",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        a.ports = [...a.ports, { name: a.ports[0].name, containerPort: 8090 }];
      }),
    expect: [UIOTA, "apps[mcp-server].ports[].name", "duplicate port name"],
  },
  {
    name: "two ports on the same number and protocol",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        a.ports = [...a.ports, { name: "again", containerPort: a.ports[0].containerPort }];
      }),
    expect: [UIOTA, "apps[mcp-server].ports[].containerPort", "duplicate container port and protocol"],
  },
  {
    name: "a port name that is not an IANA service name",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        a.ports[0].name = "websocket-server";
      }),
    expect: [
      UIOTA,
      'apps[mcp-server].ports[websocket-server].name: "websocket-server": a port name (IANA_SVC_NAME) must be no more than 15 characters',
    ],
  },
  {
    name: "a volume name used by both storage and scratch",
    tenants: () =>
      uiotaApp("offline-ai", (a) => {
        a.scratch = [{ name: a.storage[0].name, mountPath: "/scratch" }];
      }),
    expect: [UIOTA, "apps[offline-ai].volumes", "duplicate volume name (storage, scratch and configFiles share the pod's volumes)"],
  },
  {
    name: "an image repository with upper-case letters",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        a.image = { ...a.image, repository: "docker.io/UIOTA/mcp-server" };
      }),
    expect: [UIOTA, 'apps[mcp-server].image.repository: "docker.io/UIOTA/mcp-server": not an image repository'],
  },
  {
    name: "the latest tag",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        a.image = { ...a.image, tag: "latest" };
      }),
    expect: [UIOTA, 'apps[mcp-server].image.tag: "latest": pin an immutable version tag'],
  },
  {
    name: "an image from a registry outside the fleet's allow-list (the admission policy would refuse the pod)",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        a.image = { ...a.image, repository: "quay.io/someone/mcp" };
      }),
    expect: [
      UIOTA,
      'apps[mcp-server].image.repository: "quay.io/someone/mcp": not from an allowed registry',
      "imageRegistries in generators/fleet/fleet.ts",
    ],
  },
  {
    name: "a digest that is not sha256 and 64 hex digits",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        a.image = { ...a.image, digest: "sha256:abc" };
      }),
    expect: [UIOTA, 'apps[mcp-server].image.digest: "sha256:abc": must be "sha256:" followed by 64 lower-case hex digits'],
  },
  {
    name: "a tenant in kube-system",
    tenants: () =>
      uiota((t) => {
        t.namespace = "kube-system";
      }),
    expect: [
      UIOTA,
      'namespace: "kube-system": a tenant may not run in namespace kube-system: kube-* namespaces belong to Kubernetes itself',
      "set `namespace` to a namespace of its own",
    ],
  },
  {
    name: "a tenant in default",
    tenants: () =>
      uiota((t) => {
        t.namespace = "default";
      }),
    expect: [UIOTA, 'namespace: "default": a tenant may not run in namespace default'],
  },
  {
    name: "a tenant in Argo CD's namespace",
    tenants: () =>
      uiota((t) => {
        t.namespace = "argocd";
      }),
    expect: [UIOTA, 'namespace: "argocd"', "Argo CD's namespace"],
  },
  {
    name: "a tenant in an add-on's namespace (Velero's, whose pods run under a Pod Security exception)",
    tenants: () =>
      uiota((t) => {
        t.namespace = "velero";
      }),
    expect: [UIOTA, 'namespace: "velero"', "a platform component's namespace"],
  },
  {
    name: "a tenant in the edge Gateway's namespace",
    tenants: () =>
      uiota((t) => {
        t.namespace = "istio-ingress";
      }),
    expect: [UIOTA, 'namespace: "istio-ingress"', "a platform component's namespace"],
  },
  {
    name: "two tenants in one namespace",
    tenants: () => {
      const t = tenant("mlcf");
      t.namespace = "uiota";
      return withTenants(t);
    },
    expect: [MLCF, 'namespace: "uiota": tenant uiota already runs in namespace uiota; one tenant per namespace'],
  },
  {
    name: "a gateway selector label the API server refuses",
    tenants: () => {
      const t = tenant("mlcf");
      t.mesh = { ...t.mesh, gatewaySelector: { istio: "ingress gateway" } };
      return withTenants(t);
    },
    expect: [
      MLCF,
      'mesh.gatewaySelector.istio: "ingress gateway": label value a valid label must be an empty string or consist of alphanumeric characters',
    ],
  },
  // --- Secrets: one rule for generate and check, values never echoed ---
  {
    name: "a password under a short name (DB_PASS), which used to pass generate",
    tenants: () =>
      uiotaApp("backend-api", (a) => {
        a.env = { ...a.env, DB_PASS: "hunter2-but-longer" };
      }),
    expect: [
      UIOTA,
      'apps[backend-api].env.DB_PASS: "<18 characters, not shown>": the name says this is a secret',
      "reference it from `secretEnv`",
    ],
    absent: ["hunter2"],
  },
  {
    name: "an encryption key (ENCRYPTION_KEY), which used to pass generate",
    tenants: () =>
      uiotaApp("backend-api", (a) => {
        a.env = { ...a.env, ENCRYPTION_KEY: "s3cr3t-value" };
      }),
    expect: [UIOTA, "apps[backend-api].env.ENCRYPTION_KEY", "not shown"],
    absent: ["s3cr3t-value"],
  },
  {
    name: "a credential embedded in a URL",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        a.env = { UPSTREAM: ["https://admin", "pw-in-url@upstream.example.com"].join(":") };
      }),
    expect: [UIOTA, "apps[mcp-server].env.UPSTREAM", "the value contains a URL with embedded credentials"],
    absent: ["pw-in-url"],
  },
  {
    name: "a secret literal in a job step",
    tenants: () => {
      const t = tenant("mlcf");
      find(find(t.jobs, () => true).steps, () => true).env = { API_TOKEN: "tok-123456" };
      return withTenants(t);
    },
    expect: [MLCF, ".env.API_TOKEN", "not shown"],
    absent: ["tok-123456"],
  },
  // --- Release pins ---
  {
    name: "a pin for an app that does not exist",
    pins: () => ({ ...loadPins(REPO), uiota: { prod: { "mcp-servr": { tag: "1.0.1" } } } }),
    expect: [PINS, 'uiota.prod.mcp-servr: "mcp-servr": nothing in tenant uiota has that key', "mcp-server"],
  },
  {
    name: "a pin with a malformed digest",
    pins: () => ({ ...loadPins(REPO), uiota: { prod: { "mcp-server": { tag: "1.0.1", digest: "sha256:XYZ" } } } }),
    expect: [PINS, 'uiota.prod.mcp-server.digest: "sha256:XYZ": must be "sha256:" followed by 64 lower-case hex digits'],
  },
  {
    name: "a pin on latest",
    pins: () => ({ ...loadPins(REPO), uiota: { prod: { "mcp-server": { tag: "latest", digest: `sha256:${D64}` } } } }),
    expect: [PINS, 'uiota.prod.mcp-server.tag: "latest"'],
  },
  // --- Semantics that were there before, kept ---
  {
    name: "an autoscaling minimum above its maximum",
    tenants: () =>
      uiotaApp("backend-api", (a) => {
        a.scaling = { autoscale: { min: { dev: 1, staging: 2, prod: 30 }, max: { dev: 3, staging: 6, prod: 20 } } };
      }),
    expect: [UIOTA, "apps[backend-api].scaling.autoscale.min.prod: 30: greater than max (20); min must be at most max"],
  },
  {
    name: "a GPU app in a region without a GPU pool",
    fleet: () => ({
      ...DEFAULT_FLEET,
      regions: DEFAULT_FLEET.regions.map((r) => (r.name === "eu-west-1" ? { ...r, gpuPool: undefined } : r)),
    }),
    expect: [UIOTA, "apps[offline-ai].gpus: 1:", "region eu-west-1", "has no GPU pool; add gpuPool to the region"],
  },
  {
    name: "a cluster in an unknown region",
    fleet: () =>
      ({
        ...DEFAULT_FLEET,
        clusters: [
          ...DEFAULT_FLEET.clusters,
          { name: "prod-aps1", env: "prod", region: "ap-south-1", kubernetesVersion: "1.33", efsFileSystemId: "fs-1" },
        ],
      }) as Fleet,
    expect: [FLEET, 'clusters[prod-aps1].region: "ap-south-1": must be one of "us-west-2", "us-east-1", "eu-west-1"'],
  },
  {
    name: "a pinned kube-proxy add-on newer than a cluster's Kubernetes",
    fleet: () => ({
      ...DEFAULT_FLEET,
      eks: DEFAULT_EKS_WITH_KUBE_PROXY("v1.33.5-eksbuild.2"),
      clusters: DEFAULT_FLEET.clusters.map((c) => (c.name === "prod-usw2" ? { ...c, kubernetesVersion: "1.32" } : c)),
    }),
    expect: [FLEET, "eks.managedAddons[2].version", "kube-proxy 1.33 is newer than the API server on cluster prod-usw2 (Kubernetes 1.32)"],
  },
  {
    name: "two apps claiming the same ingress host",
    tenants: () =>
      uiotaApp("security-monitor", (a) => {
        a.exposure.ingress.host = "api";
      }),
    expect: [
      UIOTA,
      'apps[security-monitor].exposure.ingress.host: "api"',
      "already served by uiota/backend-api; choose another host label",
    ],
  },
  {
    name: "a probe on a port that does not exist",
    tenants: () =>
      uiotaApp("mcp-server", (a) => {
        a.probes = { readiness: { http: { path: "/ready", port: "admin" } } };
      }),
    expect: [UIOTA, 'apps[mcp-server].probes.readiness.port: "admin": no port of that name; declared ports:'],
  },
  // --- Issue 22: what the API server, a controller or AWS refuses; cross-field consistency ---
  {
    name: "an env var name the API server refuses (starts with a digit)",
    tenants: () => uiotaApp("mcp-server", (a) => (a.env = { ...a.env, "1ST_RUN": "yes" })),
    expect: [UIOTA, 'apps[mcp-server].env.1ST_RUN: "1ST_RUN": env var name', "must not start with a digit", 'e.g. "_1ST_RUN"'],
  },
  {
    name: "a config file name that is not a ConfigMap key",
    tenants: () => uiota((t) => (t.configMaps = [...(t.configMaps ?? []), { name: "extra", files: { "conf/app.yaml": "a: 1" } }])),
    expect: [UIOTA, 'configMaps[extra].files: "conf/app.yaml": a file name is a ConfigMap key', "rename the file"],
  },
  {
    name: "a ConfigMap over 1 MiB",
    tenants: () =>
      uiota((t) => (t.configMaps = [...(t.configMaps ?? []), { name: "big", files: { "model.txt": "x".repeat(1100 * 1024) } }])),
    expect: [UIOTA, "configMaps[big].files", "must have at most 1048576 bytes (1 MiB)", "split it"],
  },
  {
    name: "two volumes mounted at one path",
    tenants: () =>
      uiotaApp(
        "mcp-server",
        (a) =>
          (a.scratch = [
            { name: "cache", mountPath: "/tmp" },
            { name: "cache2", mountPath: "/tmp" },
          ]),
      ),
    expect: [
      UIOTA,
      'apps[mcp-server].scratch[cache2].mountPath: "/tmp": mountPath must be unique',
      "apps[mcp-server].scratch[cache].mountPath",
    ],
  },
  {
    name: "a CronJob schedule with an hour out of range",
    tenants: () => {
      const t = tenant("mlcf");
      find(t.jobs, (j) => j.name === "qdrant-backup").schedule = "0 25 * * *";
      return withTenants(t);
    },
    expect: [MLCF, 'jobs[qdrant-backup].schedule: "0 25 * * *": hour field: end of range (25) above maximum (23)', '"@daily"'],
  },
  {
    name: "a rollout that can never progress (maxSurge 0 and maxUnavailable 0)",
    tenants: () => uiotaApp("mcp-server", (a) => (a.rollout = { maxSurge: 0, maxUnavailable: 0 })),
    expect: [UIOTA, "apps[mcp-server].rollout.maxUnavailable: 0: may not be 0 when `maxSurge` is 0"],
  },
  {
    name: "a rollout count written as a string",
    tenants: () => uiotaApp("mcp-server", (a) => (a.rollout = { maxSurge: "2" })),
    expect: [UIOTA, 'apps[mcp-server].rollout.maxSurge: "2": a valid percent string'],
  },
  {
    name: "an HPA stabilization window above 3600 seconds",
    tenants: () => uiotaApp("backend-api", (a) => (a.scaling.autoscale.stabilization = { down: 7200 })),
    expect: [UIOTA, "apps[backend-api].scaling.autoscale.stabilization.down: 7200: must be a whole number from 0 to 3600"],
  },
  {
    name: "an Ingress path with '//'",
    tenants: () => uiotaApp("mcp-server", (a) => (a.exposure.ingress.paths[0].path = "/api//v1")),
    expect: [UIOTA, "apps[mcp-server].exposure.ingress.paths[0].path", "must not contain '//'"],
  },
  {
    name: "a network peer CIDR that is not a CIDR",
    tenants: () =>
      uiotaApp(
        "mcp-server",
        (a) => (a.network = { ...a.network, ingress: [{ from: [{ cidr: "10.0.0.0/33" }], ports: [a.ports[0].name] }] }),
      ),
    expect: [UIOTA, 'apps[mcp-server].network.ingress[0].from[0].cidr: "10.0.0.0/33": must be a valid CIDR value'],
  },
  {
    name: "Job fields the API server refuses (backoffLimit -1, activeDeadlineSeconds 0)",
    tenants: () => {
      const t = tenant("mlcf");
      const j = find(t.jobs, (x) => x.name === "health-check");
      j.backoffLimit = -1;
      j.activeDeadlineSeconds = 0;
      return withTenants(t);
    },
    expect: [
      MLCF,
      "jobs[health-check].activeDeadlineSeconds: 0: must be a whole number greater than or equal to 1",
      "jobs[health-check].backoffLimit: -1",
    ],
  },
  {
    name: "an Istio timeout without a unit",
    tenants: () => {
      const t = tenant("mlcf");
      app(t, "mlcf-api").traffic = { ...app(t, "mlcf-api").traffic, timeout: "30" };
      return withTenants(t);
    },
    expect: [MLCF, 'apps[mlcf-api].traffic.timeout: "30": time: missing unit in duration "30"', "Istio durations are Go durations"],
  },
  {
    name: "an external-secrets refresh interval in days",
    tenants: () => {
      const t = tenant("mlcf");
      find(t.secrets, (s) => s.name === "api").refreshInterval = "1d";
      return withTenants(t);
    },
    expect: [MLCF, 'secrets[api].refreshInterval: "1d": external-secrets reads it with Go\'s time.ParseDuration', 'unknown unit "d"'],
  },
  {
    name: "an RBAC rule whose API group serves none of its resources",
    tenants: () => {
      const t = tenant("mlcf");
      app(t, "mlcf-api").apiAccess = { rules: [{ apiGroups: ["apps"], resources: ["configmaps"], verbs: ["get"] }] };
      return withTenants(t);
    },
    expect: [MLCF, 'apps[mlcf-api].apiAccess.rules[0].resources: "configmaps"', "grants nothing", 'api group ""'],
  },
  {
    name: "a caller namespace nothing creates",
    tenants: () =>
      uiotaApp(
        "security-monitor",
        (a) => (a.network = { ...a.network, ingress: [{ from: [{ namespace: "monitor" }], ports: ["http-api"] }] }),
      ),
    expect: [
      UIOTA,
      'apps[security-monitor].network.ingress[0].from[0].namespace: "monitor": no tenant, add-on or Kubernetes itself creates namespace monitor',
      "monitoring",
    ],
  },
  {
    name: "an IAM prefix that is not where the Job writes",
    tenants: () => {
      const t = tenant("mlcf");
      find(t.jobs, (j) => j.name === "neo4j-backup").s3Write = ["mlcf/neo4j-backups"];
      return withTenants(t);
    },
    expect: [MLCF, "jobs[neo4j-backup].s3Write", "a step writes to s3://…/mlcf/neo4j/", "S3 will refuse the upload"],
  },
  {
    name: "a PVC quota below the claims the StatefulSets make",
    tenants: () => {
      const t = tenant("ossa");
      for (const env of ["dev", "staging", "prod"]) if (t.quota[env]) t.quota[env].persistentVolumeClaims = 2;
      return withTenants(t);
    },
    expect: [
      "generators/tenants/ossa.ts: quota.dev.persistentVolumeClaims: 2: the apps claim",
      "PersistentVolumeClaims in dev",
      "Raise it to at least",
    ],
  },
  {
    name: "a LimitRange maximum below what a container asks",
    tenants: () => {
      const t = tenant("ossa");
      t.quota.prod.containerMax = { cpu: "1500m", memory: "8Gi" };
      return withTenants(t);
    },
    expect: [
      "generators/tenants/ossa.ts: quota.prod.containerMax.cpu",
      "below what app qdrant asks in prod (cpu limit 2",
      "the LimitRanger refuses those pods",
    ],
  },
  {
    name: "an exception that expires on a day that does not exist",
    tenants: () => {
      const t = tenant("mlcf");
      t.exceptions = [{ ...t.exceptions[0], expires: "2027-02-30" }, ...t.exceptions.slice(1)];
      return withTenants(t);
    },
    expect: [MLCF, 'exceptions[0].expires: "2027-02-30": no such day in the calendar (month 2 of 2027 has 28 days)'],
  },
  {
    name: "a KEDA Kafka trigger whose SASL mechanism the broker does not enable",
    tenants: () => {
      const t = tenant("autonomous-op");
      for (const a of t.apps as Loose[]) for (const tr of a.scaling.keda?.triggers ?? []) if (tr.kafka) tr.kafka.sasl = "scram_sha512";
      return withTenants(t);
    },
    expect: [
      "generators/tenants/autonomous-op.ts",
      '.kafka.sasl: "scram_sha512": uses SASL mechanism SCRAM-SHA-512, which broker kafka does not enable',
      'Use "plaintext"',
    ],
  },
  {
    name: "a broker host with a trailing dot",
    tenants: () => {
      const t = tenant("autonomous-op");
      for (const a of t.apps as Loose[])
        for (const tr of a.scaling.keda?.triggers ?? [])
          if (tr.kafka) tr.kafka.bootstrapServers = "kafka.autonomous-op.svc.cluster.local.:9092";
      return withTenants(t);
    },
    expect: ["generators/tenants/autonomous-op.ts", "host kafka.autonomous-op.svc.cluster.local.: must not end with '.'"],
  },
  {
    name: "a GPU instance type EC2 does not have",
    fleet: () => fleetWith((f) => (f.regions[0].gpuPool.instanceTypes[0] = { name: "g5.3xlarge", gpus: 1 })),
    expect: [FLEET, 'regions[us-west-2].gpuPool.instanceTypes[0].name: "g5.3xlarge": not an EC2 GPU instance type; did you mean'],
  },
  {
    name: "a GPU instance type with the wrong GPU count",
    fleet: () => fleetWith((f) => (f.regions[0].gpuPool.instanceTypes[1] = { name: "g5.12xlarge", gpus: 8 })),
    expect: [FLEET, "regions[us-west-2].gpuPool.instanceTypes[1].gpus: 8: g5.12xlarge has 4 A10G GPU(s) per instance; write gpus: 4"],
  },
  {
    name: "a GPU instance type the region does not offer",
    fleet: () => fleetWith((f) => (f.regions[2].gpuPool.instanceTypes[0] = { name: "p5.48xlarge", gpus: 8 })),
    expect: [FLEET, 'regions[eu-west-1].gpuPool.instanceTypes[0].name: "p5.48xlarge": EC2 does not offer p5.48xlarge in eu-west-1'],
  },
  {
    name: "an availability zone of another region",
    fleet: () => fleetWith((f) => (f.regions[1].zones = ["us-east-1a", "us-west-2b"])),
    expect: [FLEET, 'regions[us-east-1].zones[1]: "us-west-2b": is a zone of us-west-2, not of us-east-1'],
  },
  {
    name: "an EFS file system ID and an OIDC issuer that are not AWS identifiers",
    fleet: () =>
      fleetWith((f) => {
        f.clusters[0].efsFileSystemId = "fs-12345";
        f.clusters[0].oidcIssuerId = "https://oidc.eks.us-west-2.amazonaws.com/id/0D1E5A0C7B2F4AA015C1D0E7A9B3F2E4";
      }),
    expect: [
      FLEET,
      'clusters[dev-usw2].efsFileSystemId: "fs-12345": not an EFS file system ID',
      "clusters[dev-usw2].oidcIssuerId",
      "write only the ID",
    ],
  },
  {
    name: "a registry prefix without its trailing slash",
    fleet: () => fleetWith((f) => (f.imageRegistries = f.imageRegistries.map((r: string) => (r === "ghcr.io/mlcf/" ? "ghcr.io/mlcf" : r)))),
    expect: [FLEET, "imageRegistries[", '"ghcr.io/mlcf": must end with "/"', 'write "ghcr.io/mlcf/"'],
  },
  {
    name: "a GPU pool with a zero limit in a region whose apps need GPUs",
    fleet: () => fleetWith((f) => (f.regions[1].gpuPool.gpuLimit = 0)),
    expect: [FLEET, "regions[us-east-1].gpuPool.gpuLimit: 0: GPU apps run in us-east-1", "Raise it to at least"],
  },
  {
    name: "a global certificate issuer that is not a cluster of its environment",
    fleet: () => fleetWith((f) => (f.environments[2].globalCertificateIssuer = "staging-usw2")),
    expect: [
      FLEET,
      'environments[prod].globalCertificateIssuer: "staging-usw2": not a cluster of prod',
      "name one of prod-usw2, prod-use1, prod-euw1",
    ],
  },
  {
    name: "a staging environment that would join prod's global DNS",
    fleet: () => fleetWith((f) => (f.environments[1].production = true)),
    expect: [FLEET, "environments[staging].production: true: only prod serves the global hosts", "Set production: false"],
  },
  {
    name: "a pin for a Job step that runs an app's image",
    pins: () => ({
      ...loadPins(REPO),
      mlcf: { ...loadPins(REPO).mlcf, prod: { ...loadPins(REPO).mlcf?.prod, "neo4j-backup/backup": { tag: "5.26.0" } } },
    }),
    expect: [
      PINS,
      'mlcf.prod.neo4j-backup/backup: "neo4j-backup/backup": jobs[neo4j-backup].steps[backup].image runs',
      'pin it at "mlcf" > "prod" > "neo4j"',
    ],
  },
];

describe("bad input is rejected by npm run generate", () => {
  const tree = blockScratchTree();

  it("has at least 40 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)("rejects $name: exit 1, file, field, value and fix, nothing written", async (c) => {
    const load = async (): Promise<Sources> => ({
      fleet: c.fleet?.() ?? DEFAULT_FLEET,
      tenants: c.tenants?.() ?? TENANTS,
      pins: c.pins?.() ?? loadPins(REPO),
    });
    const run = await runGenerate([], tree.dir, load);
    const text = run.stderr.join("\n");
    expect(run.code).toBe(1);
    expect(run.stdout).toEqual([]);
    expect(text).toMatch(/^generate: \d+ problem\(s\) in the sources; nothing was written\.\n/);
    for (const part of c.expect) expect(text).toContain(part);
    for (const part of c.absent ?? []) expect(text).not.toContain(part);
    expect(text).not.toMatch(/^\s+at /m); // no stack trace
    expect(snapshot(tree.dir)).toEqual(tree.before);
  });

  it("sorts problems by file and field and reports each once", async () => {
    const t1 = tenant("uiota");
    app(t1, "mcp-server").image = { ...app(t1, "mcp-server").image, tag: "latest" };
    app(t1, "backend-api").image = { ...app(t1, "backend-api").image, tag: "latest" };
    const t2 = tenant("mlcf");
    t2.namespace = "default";
    const load = async (): Promise<Sources> => ({ fleet: DEFAULT_FLEET, tenants: withTenants(t1, t2), pins: loadPins(REPO) });
    const run = await runGenerate([], tree.dir, load);
    const problems = run.stderr.slice(1);
    expect(problems.map((l) => l.split(": ").slice(0, 2).join(": "))).toEqual([
      `${MLCF}: namespace`,
      `${UIOTA}: apps[backend-api].image.tag`,
      `${UIOTA}: apps[mcp-server].image.tag`,
    ]);
    expect(new Set(problems).size).toBe(problems.length);
  });

  it("reports every shape problem of pins.json at once, each with its field", () => {
    const text = JSON.stringify({ uiota: { qa: {}, prod: { "mcp-server": { tag: "1", sha: "x" }, "backend-api": "1.0" } } });
    expect(() => parsePins(text)).toThrow(
      [
        `${PINS}: uiota.prod.backend-api: must be { "tag": string, "digest"?: string }`,
        `${PINS}: uiota.prod.mcp-server: unknown field(s) sha; allowed: tag, digest`,
        `${PINS}: uiota.qa: unknown environment; allowed: dev, staging, prod`,
      ].join("\n"),
    );
  });

  it("accepts what Kubernetes accepts: an @daily schedule, and a pin for a Job step at the key the check names", async () => {
    const t = tenant("mlcf");
    find(t.jobs, (j) => j.name === "qdrant-backup").schedule = "@daily";
    const pins = loadPins(REPO);
    const digest = `sha256:${D64}`;
    const withStep: Pins = {
      ...pins,
      mlcf: { ...pins.mlcf, prod: { ...pins.mlcf?.prod, "qdrant-backup/upload": { tag: "2.22.0", digest } } },
    };
    const load = async (): Promise<Sources> => ({ fleet: DEFAULT_FLEET, tenants: withTenants(t), pins: withStep });
    const scratch = scratchTree();
    try {
      const run = await runGenerate([], scratch, load);
      expect(run.stderr).toEqual([]);
      expect(run.code).toBe(0);
      const k = readFileSync(join(scratch, "overlays/prod/mlcf/kustomization.yaml"), "utf8");
      expect(k).toContain(digest);
      expect(readFileSync(join(scratch, "base/mlcf/jobs.yaml"), "utf8")).toMatch(/schedule: ["']@daily["']/);
    } finally {
      removeScratch(scratch);
    }
  });

  it("still accepts names that only look like secrets to a substring match (MAX_TOKENS, TOKENIZER_MODEL)", async () => {
    const t = tenant("uiota");
    app(t, "offline-ai").env = { ...app(t, "offline-ai").env, MAX_TOKENS: "4096", TOKENIZER_MODEL: "llama3" };
    const load = async (): Promise<Sources> => ({ fleet: DEFAULT_FLEET, tenants: withTenants(t), pins: loadPins(REPO) });
    const scratch = scratchTree();
    try {
      const run = await runGenerate([], scratch, load);
      expect(run.stderr).toEqual([]);
      expect(run.code).toBe(0);
    } finally {
      removeScratch(scratch);
    }
  });
});

/** README "Bad input": each example's mistake, keyed by the comment after `$ npm run generate     #`. */
const README_EXAMPLES: Readonly<Record<string, () => Promise<Sources>>> = {
  "offline-ai: `gpu: 1` instead of `gpus: 1`; mcp-server: both `replicas` and `keda`": async () => {
    const t = tenant("uiota");
    const ai = app(t, "offline-ai");
    ai.gpu = ai.gpus;
    delete ai.gpus;
    app(t, "mcp-server").scaling = { replicas: 2, keda: { min: 1, max: 3, triggers: [{ cpu: { utilization: 70 } }] } };
    return { fleet: DEFAULT_FLEET, tenants: withTenants(t), pins: loadPins(REPO) };
  },
  "mcp-server: a 4Gi request under a 2Gi limit; offline-dns: DB_PASS as a literal": async () => {
    const t = tenant("uiota");
    app(t, "mcp-server").resources = { requests: { cpu: "250m", memory: "4Gi" }, limits: { memory: "2Gi" } };
    app(t, "offline-dns").env = { ...app(t, "offline-dns").env, DB_PASS: "hunter2-hunter2" };
    return { fleet: DEFAULT_FLEET, tenants: withTenants(t), pins: loadPins(REPO) };
  },
  "fleet: g5.12xlarge with 8 GPUs; qdrant-backup: hour 25": async () => {
    const t = tenant("mlcf");
    find(t.jobs, (j) => j.name === "qdrant-backup").schedule = "0 25 * * *";
    return {
      fleet: fleetWith((f) => (f.regions[0].gpuPool.instanceTypes[1] = { name: "g5.12xlarge", gpus: 8 })),
      tenants: withTenants(t),
      pins: loadPins(REPO),
    };
  },
};

describe("README's Bad input examples", () => {
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```\n\$ npm run generate +# (.+)\n([\s\S]*?)```/g)].map((m) => ({
    comment: m[1] ?? "",
    output: (m[2] ?? "").trimEnd(),
  }));

  it("shows at least three runs, each one of the examples below", () => {
    expect(blocks.map((b) => b.comment).sort()).toEqual(Object.keys(README_EXAMPLES).sort());
  });

  // One copy for every example: each must fail before writing anything, so the copy stays as made.
  const tree = blockScratchTree();

  it.each(blocks)("is the real output of: $comment, and writes nothing", async (b) => {
    const load = README_EXAMPLES[b.comment];
    if (!load) throw new Error(`no mistake defined for README example "${b.comment}"`);
    const run = await runGenerate([], tree.dir, load);
    expect(run.code).toBe(1);
    expect(run.stderr.join("\n")).toBe(b.output);
    expect(snapshot(tree.dir)).toEqual(tree.before);
  });
});

/**
 * What `npm run generate` runs (package.json): the bundled launcher, which reports a source that
 * does not build as the tsx path does (test/cli/bundled.test.ts proves both print the same). The
 * copy holds the repository's sources, so it shares the repository's bundle (node_modules is linked).
 */
function cli(dir: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...LAUNCHER, "generate", ...args], { cwd: dir, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("the real `npm run generate` on bad input", () => {
  let dir = "";
  let before = new Map<string, string>();
  beforeAll(() => {
    dir = sourceCopy("cli");
    before = snapshot(dir);
  });
  afterAll(() => {
    removeScratch(dir);
  });

  const edit = (file: string, change: (text: string) => string): (() => void) => {
    const original = readFileSync(join(dir, file), "utf8");
    writeFileSync(join(dir, file), change(original));
    return () => writeFileSync(join(dir, file), original);
  };

  it("reports a TypeScript syntax error in a tenant file as file:line:col, with no stack trace", () => {
    const undo = edit(UIOTA, (t) => t.replace('name: "mcp-server",', 'name: "mcp-server",,'));
    try {
      const r = cli(dir);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(
        /^generate: 1 syntax error\(s\) in the sources; nothing was written\.\ngenerators\/tenants\/uiota\.ts:\d+:\d+: Expected identifier but found ","/,
      );
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(snapshot(dir)).toEqual(before);
      // --debug adds the stack.
      expect(cli(dir, "--debug").stderr).toMatch(/^\s+at /m);
    } finally {
      undo();
    }
  }, 60_000);

  it("reports invalid JSON in pins.json with file, line and column", () => {
    const undo = edit(PINS, (t) => t.replace('"tag":', '"tag"'));
    try {
      const r = cli(dir);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(
        /^generate: invalid release pins; nothing was written\.\ngenerators\/release\/pins\.json:\d+:\d+: invalid JSON/,
      );
      expect(snapshot(dir)).toEqual(before);
    } finally {
      undo();
    }
  }, 60_000);

  it("reports a pins.json of the wrong shape with the field", () => {
    const undo = edit(PINS, (t) => t.replace('"tag":', '"tags":'));
    try {
      const r = cli(dir);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`${PINS}: uiota.dev.offline-ai: must be { "tag": string, "digest"?: string }; unknown field(s) tags`);
      expect(snapshot(dir)).toEqual(before);
    } finally {
      undo();
    }
  }, 60_000);

  it("rejects a misspelled option in a tenant file, without tsc", () => {
    const undo = edit(UIOTA, (t) => t.replace("gpus: 1,", "gpu: 1,"));
    try {
      const r = cli(dir);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`${UIOTA}: apps[offline-ai].gpu: 1: unknown field; did you mean "gpus"?`);
      expect(snapshot(dir)).toEqual(before);
    } finally {
      undo();
    }
  }, 60_000);

  it("generates the committed tree byte for byte when nothing is wrong", () => {
    const r = cli(dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/generate: \d+ folders, 0 written, \d+ unchanged, 0 removed/);
    expect(execFileSync("ls", ["-A", dir], { encoding: "utf8" })).not.toContain(".generate");
  }, 60_000);
});
