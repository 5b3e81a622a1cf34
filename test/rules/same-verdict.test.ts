/**
 * One rule, one place: the generator (validating a tenant source) and the check
 * (policy over rendered objects) give the same verdict on the same input, because both
 * call generators/rules. Each table row is run through both sides.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { TENANTS, type TenantSource } from "../../generators/tenants/index.js";
import type { AppSpec, TenantSpec } from "../../generators/api/tenant.js";
import { validateAll } from "../../generators/api/validate.js";
import { RULES, runPolicies } from "../../generators/check/policy/index.js";
import { ctr, fixture, toInput, type Fixture } from "../check/policy-fixtures.js";

type MApp = { -readonly [K in keyof AppSpec]: AppSpec[K] };

/** The problems generate reports for uiota's backend-api after `change`. */
function generateSays(change: (app: MApp) => void): string[] {
  const sources: TenantSource[] = TENANTS.map((s) => {
    if (s.spec.name !== "uiota") return s;
    const spec = structuredClone(s.spec) as TenantSpec & { apps: MApp[] };
    const app = spec.apps.find((a) => a.name === "backend-api");
    if (!app) throw new Error("uiota has no backend-api");
    change(app);
    return { file: s.file, spec };
  });
  return validateAll(DEFAULT_FLEET, sources).map((p) => p.field);
}

/** The findings of one check rule on the policy fixture (a prod cluster) after `change`. */
function checkSays(ruleId: string, change: (f: Fixture) => void): number {
  const f = fixture();
  change(f);
  const rule = RULES.find((r) => r.id === ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  return runPolicies(toInput(f), [], new Date("2026-01-01"), [rule]).findings.length;
}

const ENV_NAMES: [string, boolean][] = [
  ["MAX_TOKENS", false],
  ["TOKENIZER_MODEL", false],
  ["PASSTHROUGH_MODE", false],
  ["KEYCLOAK_URL", false],
  ["LOG_LEVEL", false],
  ["DB_PASS", true],
  ["ENCRYPTION_KEY", true],
  ["DB_PASSWORD", true],
  ["API_KEY", true],
  ["OPENAI_APIKEY", true],
  ["GITHUB_TOKEN", true],
  ["clientSecret", true],
  ["AWS_CREDENTIALS", true],
  ["PGPASSWORD", true],
  ["BYPASS_CACHE", false],
  ["TOKEN_COUNT", true],
];

const D = "a".repeat(64);
const DIGESTS: [string, boolean][] = [
  [`sha256:${D}`, true],
  ["sha256:abc", false],
  [`sha256:${D.toUpperCase()}`, false],
  [`sha512:${D}${D}`, false],
  [`sha256:${D}0`, false],
];

const MEMORY: [string, boolean][] = [
  ["512Mi", true],
  ["1Gi", true],
  ["1e9", true],
  ["0.5Ki", true],
  ["1.5", false],
  ["500m", false],
  ["1GB", false],
  ["1 Gi", false],
  ["-1Gi", false],
];

describe("generate and check agree", () => {
  it.each(ENV_NAMES)("on whether env var %s holds a secret (%s)", (name, secret) => {
    const gen = generateSays((a) => {
      a.env = { [name]: "some-literal" };
    }).includes(`apps[backend-api].env.${name}`);
    const chk =
      checkSays("secret-literal-env", (f) => {
        ctr(f).env = [{ name, value: "some-literal" }];
      }) > 0;
    expect({ gen, chk }).toEqual({ gen: secret, chk: secret });
  });

  it.each(DIGESTS)("on whether %s is a digest to pin by (%s)", (digest, ok) => {
    const gen = !generateSays((a) => {
      a.image = { ...a.image, digest };
    }).includes("apps[backend-api].image.digest");
    const chk =
      checkSays("wl-image-digest", (f) => {
        ctr(f).image = `registry.example.com/web:1.2.3@${digest}`;
      }) === 0;
    expect({ gen, chk }).toEqual({ gen: ok, chk: ok });
  });

  it.each(MEMORY)("on whether %s is a valid memory amount (%s)", (q, ok) => {
    const gen = !generateSays((a) => {
      a.resources = { requests: { cpu: "100m", memory: q }, limits: { memory: q } };
    }).some((f) => f.startsWith("apps[backend-api].resources"));
    const chk =
      checkSays("kube-resources", (f) => {
        ctr(f).resources = { requests: { cpu: "100m", memory: q }, limits: { memory: q } };
      }) === 0;
    expect({ gen, chk }).toEqual({ gen: ok, chk: ok });
  });

  it("on limits below requests", () => {
    const gen = generateSays((a) => {
      a.resources = { requests: { cpu: "2", memory: "2Gi" }, limits: { cpu: "1", memory: "1Gi" } };
    });
    const chk = checkSays("kube-resources", (f) => {
      ctr(f).resources = { requests: { cpu: "2", memory: "2Gi" }, limits: { cpu: "1", memory: "1Gi" } };
    });
    expect(gen).toEqual(["apps[backend-api].resources.requests.cpu", "apps[backend-api].resources.requests.memory"]);
    expect(chk).toBe(2);
  });
});
