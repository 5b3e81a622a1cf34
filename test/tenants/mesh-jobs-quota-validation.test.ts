/** The new tenant options (mesh/traffic, jobs, quota) are validated: each bad value is named with its file, field and fix. */
import { describe, expect, it } from "vitest";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { TENANTS, type TenantSource } from "../../generators/tenants/index.js";
import type { TenantSpec } from "../../generators/api/tenant.js";
import { formatProblem, validateAll } from "../../generators/api/validate.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

function problemsWith(name: string, mutate: (t: Loose) => void): string[] {
  const sources: TenantSource[] = TENANTS.map((s) => {
    if (s.spec.name !== name) return s;
    const copy = structuredClone(s.spec) as Loose;
    mutate(copy);
    return { file: s.file, spec: copy as TenantSpec };
  });
  return validateAll(DEFAULT_FLEET, sources).map(formatProblem);
}

describe("validation of mesh, jobs and quota", () => {
  it("accepts the committed mlcf and ossa tenants", () => {
    expect(validateAll(DEFAULT_FLEET, TENANTS).map(formatProblem)).toEqual([]);
  });

  it("rejects traffic policy on a tenant without a mesh", () => {
    const p = problemsWith("mlcf", (t) => delete t.mesh);
    expect(p).toEqual([expect.stringMatching(/^generators\/tenants\/mlcf\.ts: apps\[mlcf-api\]\.traffic: .*need the mesh/)]);
  });

  it("rejects an Istio gateway host that the NGINX Ingress already serves", () => {
    const p = problemsWith("mlcf", (t) => (t.apps[0].traffic.gateway.host = "api"));
    expect(p.join("\n")).toMatch(/traffic\.gateway\.host: "api": the NGINX Ingress already serves this host/);
  });

  it("rejects a network intent naming a job that does not exist", () => {
    const p = problemsWith("mlcf", (t) => (t.jobs = t.jobs.filter((j: Loose) => j.name !== "neo4j-backup")));
    expect(p.join("\n")).toMatch(/apps\[neo4j\]\.network\.ingress\[0\]\.from\[0\]\.job: "neo4j-backup": no job of that name/);
  });

  it("rejects a malformed cron schedule, an unknown secret and a literal password in a job", () => {
    const p = problemsWith("ossa", (t) => {
      const check = t.jobs.find((j: Loose) => j.name === "db-health-check");
      check.schedule = "daily";
      check.steps[1].secretEnv.REDISCLI_AUTH.secret = "nope";
      check.steps[1].env = { REDIS_PASSWORD: "hunter2" };
    }).join("\n");
    expect(p).toMatch(/jobs\[db-health-check\]\.schedule: "daily": expected exactly 5 fields/);
    expect(p).toMatch(/jobs\[db-health-check\]\.steps\[redis\]\.secretEnv\.REDISCLI_AUTH\.secret: "nope": no tenant secret/);
    expect(p).toMatch(
      /jobs\[db-health-check\]\.steps\[redis\]\.env\.REDIS_PASSWORD: "<7 characters, not shown>": the name says this is a secret/,
    );
    expect(p).not.toContain("hunter2");
  });

  it("rejects a quota that would cap an HPA below its maximum", () => {
    const p = problemsWith("ossa", (t) => (t.quota.prod.requests.cpu = "50")).join("\n");
    expect(p).toMatch(/quota\.prod\.requests\.cpu: "50": smaller than the apps need at their maximum replicas/);
  });
});
