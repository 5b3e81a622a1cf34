import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_FLEET, type Fleet } from "../generators/fleet/fleet.js";
import { TENANTS, type TenantSource } from "../generators/tenants/index.js";
import type { AppSpec, TenantSpec } from "../generators/api/tenant.js";
import { SpecError } from "../generators/api/validate.js";
import { generate } from "../generators/generate.js";
import { removeScratch, scratchTree, snapshot } from "./helpers/repo.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };
type MTenant = Mutable<TenantSpec> & { apps: Mutable<AppSpec>[] };

const UIOTA_FILE = "generators/tenants/uiota.ts";

function uiotaCopy(): MTenant {
  const src = TENANTS.find((t) => t.spec.name === "uiota");
  if (!src) throw new Error("uiota tenant missing");
  return structuredClone(src.spec) as MTenant;
}

function app(t: MTenant, name: string): Mutable<AppSpec> {
  const a = t.apps.find((x) => x.name === name);
  if (!a) throw new Error(`no app ${name}`);
  return a;
}

function withTenant(t: MTenant): TenantSource[] {
  return TENANTS.map((s) => (s.spec.name === t.name ? { file: s.file, spec: t as TenantSpec } : s));
}

interface Case {
  name: string;
  /** Text the error must contain: file, field and value. */
  expect: string[];
  tenants?: () => TenantSource[];
  fleet?: () => Fleet;
}

const cases: Case[] = [
  {
    name: "an app name that is not a DNS-1123 label",
    tenants: () => { const t = uiotaCopy(); app(t, "mcp-server").name = "MCP_Server"; return withTenant(t); },
    expect: [UIOTA_FILE, "apps[MCP_Server].name", '"MCP_Server"', "DNS-1123"],
  },
  {
    name: "two apps with the same name",
    tenants: () => { const t = uiotaCopy(); app(t, "mcp-server").name = "backend-api"; return withTenant(t); },
    expect: [UIOTA_FILE, "apps[].name", '"backend-api"', "duplicate app name"],
  },
  {
    name: "two ports with the same name",
    tenants: () => { const t = uiotaCopy(); const a = app(t, "mcp-server"); a.ports = [...a.ports, { name: "websocket", containerPort: 8090 }]; return withTenant(t); },
    expect: [UIOTA_FILE, "apps[mcp-server].ports[].name", '"websocket"', "duplicate port name"],
  },
  {
    name: "fewer than one replica",
    tenants: () => { const t = uiotaCopy(); app(t, "mcp-server").scaling = { replicas: { dev: 0, staging: 2, prod: 2 } }; return withTenant(t); },
    expect: [UIOTA_FILE, "apps[mcp-server].scaling.replicas.dev", ": 0:", "at least 1"],
  },
  {
    name: "an autoscaling minimum above its maximum",
    tenants: () => { const t = uiotaCopy(); app(t, "backend-api").scaling = { autoscale: { min: { dev: 1, staging: 2, prod: 30 }, max: { dev: 3, staging: 6, prod: 20 } } }; return withTenant(t); },
    expect: [UIOTA_FILE, "apps[backend-api].scaling.autoscale.min.prod", ": 30:", "greater than max (20)"],
  },
  {
    name: "a GPU app in a region without a GPU pool",
    fleet: () => ({ ...DEFAULT_FLEET, regions: DEFAULT_FLEET.regions.map((r) => (r.name === "eu-west-1" ? { ...r, gpuPool: undefined } : r)) }),
    expect: [UIOTA_FILE, "apps[offline-ai].gpus", ": 1:", "region eu-west-1", "has no GPU pool"],
  },
  {
    name: "an unknown environment in a per-environment value",
    tenants: () => { const t = uiotaCopy(); app(t, "mcp-server").scaling = { replicas: { dev: 1, staging: 2, prod: 2, qa: 1 } as never }; return withTenant(t); },
    expect: [UIOTA_FILE, "apps[mcp-server].scaling.replicas.qa", '"qa"', "unknown environment; allowed: dev, staging, prod"],
  },
  {
    name: "a cluster in an unknown region",
    fleet: () => ({ ...DEFAULT_FLEET, clusters: [...DEFAULT_FLEET.clusters, { name: "prod-aps1", env: "prod", region: "ap-south-1" as never, kubernetesVersion: "1.33", efsFileSystemId: "fs-1" }] }),
    expect: ["generators/fleet/fleet.ts", "clusters[prod-aps1].region", '"ap-south-1"', "unknown region"],
  },
  {
    name: "two apps claiming the same ingress host",
    tenants: () => { const t = uiotaCopy(); const ing = app(t, "security-monitor").exposure?.ingress; if (ing) ing.host = "api"; return withTenant(t); },
    expect: [UIOTA_FILE, "apps[security-monitor].exposure.ingress.host", '"api"', "api.uiota.dev-usw2.ai.example.com", "already served by uiota/backend-api"],
  },
  {
    name: "a probe on a port that does not exist",
    tenants: () => { const t = uiotaCopy(); app(t, "mcp-server").probes = { readiness: { http: { path: "/ready", port: "admin" } } }; return withTenant(t); },
    expect: [UIOTA_FILE, "apps[mcp-server].probes.readiness.port", '"admin"', "no port of that name"],
  },
  {
    name: "a secret given as a literal",
    tenants: () => { const t = uiotaCopy(); app(t, "backend-api").env = { DB_PASSWORD: "change-in-production" }; return withTenant(t); },
    expect: [UIOTA_FILE, "apps[backend-api].env.DB_PASSWORD", '"change-in-production"', "secret given as a literal"],
  },
  {
    name: "a credential embedded in a URL",
    tenants: () => { const t = uiotaCopy(); app(t, "mcp-server").env = { UPSTREAM: ["https://admin", "hunter2@upstream.example.com"].join(":") }; return withTenant(t); },
    expect: [UIOTA_FILE, "apps[mcp-server].env.UPSTREAM", "embedded credentials"],
  },
];

describe("bad input", () => {
  let dir = "";
  let before = new Map<string, string>();
  beforeAll(() => {
    dir = scratchTree();
    before = snapshot(dir);
  });
  afterAll(() => removeScratch(dir));

  it.each(cases)("rejects $name, naming file, field and value, and writes nothing", (c) => {
    let error: unknown;
    try {
      generate(dir, c.fleet?.() ?? DEFAULT_FLEET, c.tenants?.() ?? TENANTS);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    const message = (error as SpecError).message;
    for (const part of c.expect) expect(message).toContain(part);
    expect(snapshot(dir)).toEqual(before);
  });
});
