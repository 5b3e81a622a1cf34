import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TenantSpec } from "../../generators/api/tenant.js";
import { validateAll } from "../../generators/api/validate.js";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { TENANTS } from "../../generators/tenants/index.js";
import { imageFor } from "../../generators/layout/images.js";
import { formatPins, parsePins, validatePins, type Pins } from "../../generators/api/pins.js";
import { planPromotion, promote, PromoteError } from "../../generators/release/promote.js";
import { compareTags } from "../../generators/release/semver.js";
import { PINS } from "../helpers/repo.js";
import { cli, generateWith, makeTempRepo, resetRepo, run } from "../diff/temp-repo.js";
import { removeScratch } from "../helpers/repo.js";

const DIGEST_A = `sha256:${"a".repeat(64)}`;
const DIGEST_B = `sha256:${"b".repeat(64)}`;

const digestTenant: TenantSpec = {
  name: "acme",
  description: "test tenant",
  apps: [
    {
      name: "api",
      image: { repository: "ghcr.io/acme/api", tag: "1.0.0", digest: DIGEST_A },
      ports: [{ name: "http", containerPort: 8080 }],
      resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "128Mi" } },
      scaling: { replicas: 1 },
    },
  ],
};

const UIOTA = TENANTS.find((t) => t.spec.name === "uiota")?.spec as TenantSpec;
const AI = UIOTA.apps.find((a) => a.name === "offline-ai")!;

describe("release pins", () => {
  it("are the one source of image versions, and the committed pins validate", () => {
    expect(validateAll(DEFAULT_FLEET, TENANTS, PINS)).toEqual([]);
    const devPin = PINS.uiota?.dev?.["offline-ai"];
    if (!devPin) throw new Error("pins.json no longer pins uiota/offline-ai in dev; pick another pinned app");
    expect(PINS.uiota?.prod?.["offline-ai"]).toBeUndefined();
    expect(imageFor(UIOTA, AI, "dev", PINS)).toEqual({
      name: AI.image.repository,
      newTag: devPin.tag,
      ...(devPin.digest ? { digest: devPin.digest } : {}),
    });
    expect(imageFor(UIOTA, AI, "prod", PINS)).toEqual({
      name: AI.image.repository,
      newTag: AI.image.tag,
      ...(AI.image.digest ? { digest: AI.image.digest } : {}),
    });
  });

  it("are written deterministically: sorted keys, same bytes for the same pins", () => {
    const a = formatPins({ z: { prod: { b: { tag: "2" }, a: { tag: "1" } } }, a: {} });
    expect(a).toBe(
      '{\n  "a": {},\n  "z": {\n    "prod": {\n      "a": {\n        "tag": "1"\n      },\n      "b": {\n        "tag": "2"\n      }\n    }\n  }\n}\n',
    );
    expect(formatPins(parsePins(a))).toBe(a);
  });

  it("reject a malformed pins file with a message naming the field", () => {
    expect(() => parsePins('{"uiota": {"qa": {}}}')).toThrow(/uiota\.qa: unknown environment/);
    expect(() => parsePins('{"uiota": {"dev": {"x": {"tag": "1", "sha": "y"}}}}')).toThrow(/uiota\.dev\.x: unknown field\(s\) sha/);
  });

  it("refuse a tag without its digest where the image is pinned by digest (the digest-preservation guard)", () => {
    const problems = validatePins({ acme: { prod: { api: { tag: "1.1.0" } } } }, [digestTenant]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: "generators/release/pins.json", field: "acme.prod.api.digest" });
    expect(problems[0]?.message).toMatch(/pinned by digest.*kustomize would silently drop it/);
    expect(validatePins({ acme: { prod: { api: { tag: "1.1.0", digest: DIGEST_B } } } }, [digestTenant])).toEqual([]);
  });

  it("refuse a promotion that would drop a digest the target had", () => {
    const pins: Pins = { acme: { staging: { api: { tag: "1.2.0" } }, prod: { api: { tag: "1.1.0", digest: DIGEST_A } } } };
    expect(() => planPromotion(pins, { tenant: "acme", from: "staging", to: "prod" })).toThrow(
      /pinned by digest.*silently drop the digest/,
    );
  });

  it("order semver-ish tags, pre-releases before releases", () => {
    expect(compareTags("1.1.0-rc.1", "1.1.0")).toBe(-1);
    expect(compareTags("1.10.0", "1.9.3")).toBe(1);
    expect(compareTags("v2.0.0", "2.0.0")).toBe(0);
    expect(compareTags("1.1.0-rc.2", "1.1.0-rc.10")).toBe(-1);
    expect(compareTags("nightly", "1.0.0")).toBeUndefined();
  });
});

describe("planning a promotion", () => {
  const pins: Pins = {
    uiota: {
      dev: { "offline-ai": { tag: "1.2.0" } },
      staging: { "offline-ai": { tag: "1.1.0", digest: DIGEST_A } },
      prod: { "offline-ai": { tag: "1.0.0", digest: DIGEST_B } },
    },
  };

  it("copies tag and digest from the source to the target", () => {
    const plan = planPromotion(pins, { tenant: "uiota", app: "offline-ai", from: "staging", to: "prod" });
    expect(plan.pins.uiota?.prod?.["offline-ai"]).toEqual({ tag: "1.1.0", digest: DIGEST_A });
    expect(plan.promoted).toEqual([
      { app: "offline-ai", before: { tag: "1.0.0", digest: DIGEST_B }, after: { tag: "1.1.0", digest: DIGEST_A } },
    ]);
    expect(pins.uiota?.prod?.["offline-ai"]?.tag).toBe("1.0.0"); // input untouched
  });

  it("refuses when the source environment has no pin", () => {
    expect(() => planPromotion(pins, { tenant: "uiota", app: "mcp-server", from: "staging", to: "prod" })).toThrow(
      /no pin for uiota\/mcp-server in staging/,
    );
    expect(() => planPromotion(pins, { tenant: "other", from: "staging", to: "prod" })).toThrow(/no pin for tenant "other" in staging/);
  });

  it("refuses when the target is ahead of the source", () => {
    expect(() => planPromotion(pins, { tenant: "uiota", from: "prod", to: "staging" })).toThrow(PromoteError);
    expect(() => planPromotion(pins, { tenant: "uiota", from: "staging", to: "dev" })).toThrow(
      /dev is ahead of staging for uiota\/offline-ai: dev runs 1\.2\.0, staging has 1\.1\.0/,
    );
  });
});

describe("promoting into production", () => {
  const pins: Pins = {
    uiota: {
      dev: { "offline-ai": { tag: "1.1.0-rc.1" } },
      staging: { "offline-ai": { tag: "1.1.0-rc.1" }, "mcp-server": { tag: "2.0.0" }, "backend-api": { tag: "2.1.0", digest: DIGEST_A } },
      prod: { "offline-ai": { tag: "1.0.0" } },
    },
  };

  it("refuses a pre-release tag, saying why and which flag overrides it", () => {
    expect(() => planPromotion(pins, { tenant: "uiota", app: "offline-ai", from: "staging", to: "prod" })).toThrow(
      "uiota/offline-ai: staging's pin 1.1.0-rc.1 is a pre-release (-rc.1), and prod runs releases; promote a release tag, or pass --allow-prerelease to ship this one on purpose",
    );
  });

  it("refuses a tag without a digest, naming the command that resolves it", () => {
    expect(() => planPromotion(pins, { tenant: "uiota", app: "mcp-server", from: "staging", to: "prod" })).toThrow(
      /uiota\/mcp-server: staging's pin 2\.0\.0 has no digest, and prod runs only images pinned by digest \(wl-image-digest\); run `npm run pins -- resolve --tenant uiota --env staging`/,
    );
  });

  it("lets each through only with its own flag, and a digest-pinned release without any", () => {
    const rc = { tenant: "uiota", app: "offline-ai", from: "staging", to: "prod" } as const;
    // The rc has no digest either: both flags are needed.
    expect(() => planPromotion(pins, { ...rc, allowPrerelease: true })).toThrow(/has no digest/);
    expect(planPromotion(pins, { ...rc, allowPrerelease: true, allowTagOnly: true }).pins.uiota?.prod?.["offline-ai"]).toEqual({
      tag: "1.1.0-rc.1",
    });
    expect(planPromotion(pins, { tenant: "uiota", app: "backend-api", from: "staging", to: "prod" }).promoted).toHaveLength(1);
  });

  it("applies only to production: dev to staging takes a release candidate without a digest", () => {
    expect(planPromotion(pins, { tenant: "uiota", app: "offline-ai", from: "dev", to: "staging" }).promoted).toHaveLength(1);
    expect(() => planPromotion(pins, { tenant: "uiota", app: "offline-ai", from: "dev", to: "staging", production: true })).toThrow(
      /pre-release/,
    );
  });
});

describe("npm run promote on a temporary copy of the repository", () => {
  let repo: string;
  beforeAll(() => {
    repo = makeTempRepo();
  });
  afterAll(() => removeScratch(repo));
  beforeEach(() => resetRepo(repo));

  const regenerate = (pins: Pins): void => generateWith(repo, TENANTS, pins);

  it("refuses with a dirty working tree, naming the reason, and exits 2", () => {
    writeFileSync(join(repo, "scratch.txt"), "work in progress\n");
    expect(() => promote(repo, { tenant: "uiota", from: "dev", to: "staging" }, regenerate)).toThrow(/working tree is dirty/);
    const r = cli(repo, "promote", ["--tenant", "uiota", "--from", "dev", "--to", "staging"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^promote: the working tree is dirty/);
  });

  it("refuses a missing source pin without touching the pins", () => {
    const before = readFileSync(join(repo, "generators/release/pins.json"), "utf8");
    expect(() => promote(repo, { tenant: "uiota", from: "staging", to: "prod" }, regenerate)).toThrow(
      /has no pin for tenant "uiota" in staging/,
    );
    expect(readFileSync(join(repo, "generators/release/pins.json"), "utf8")).toBe(before);
    expect(run(repo, "git", ["status", "--porcelain"]).stdout).toBe("");
  });

  it("refuses the committed release candidate (no digest) into prod from the command line, exit 2, pins untouched", () => {
    const before = readFileSync(join(repo, "generators/release/pins.json"), "utf8");
    const r = cli(repo, "promote", ["--tenant", "uiota", "--app", "offline-ai", "--from", "dev", "--to", "prod"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^promote: uiota\/offline-ai: dev's pin 1\.1\.0-rc\.1 is a pre-release \(-rc\.1\), and prod runs releases/);
    expect(readFileSync(join(repo, "generators/release/pins.json"), "utf8")).toBe(before);
  });

  it("restores the pins when regenerating with them fails", () => {
    const before = readFileSync(join(repo, "generators/release/pins.json"), "utf8");
    expect(() =>
      promote(repo, { tenant: "uiota", app: "offline-ai", from: "dev", to: "staging" }, () => {
        throw new Error("generator exploded");
      }),
    ).toThrow(/the pins were restored:\ngenerator exploded/);
    expect(readFileSync(join(repo, "generators/release/pins.json"), "utf8")).toBe(before);
  });

  it("promotes dev to staging, regenerates and prints the rendered diff", () => {
    const r = cli(repo, "promote", ["--tenant", "uiota", "--app", "offline-ai", "--from", "dev", "--to", "staging"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const dev = PINS.uiota?.dev?.["offline-ai"]?.tag;
    expect(r.stdout).toContain(`promote: uiota/offline-ai staging: (unpinned) → ${dev}`);
    expect(r.stdout).toContain(`containers[name=offline-ai].image: ${AI.image.repository}:${AI.image.tag} → ${AI.image.repository}:${dev}`);
    expect(r.stdout).toMatch(/staging-euw1 .*\n.*staging-usw2/);
    expect(r.stdout).not.toContain("prod-");
    expect(run(repo, "git", ["status", "--porcelain"]).stdout).toContain("overlays/staging/uiota/kustomization.yaml");
  });
});
