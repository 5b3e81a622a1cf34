/**
 * The advisory gate (generators/addons/advisories.ts): every pinned chart and image is
 * checked against the cited table at generate; a pin inside an affected range fails with the
 * advisory named, unless a typed exception that has not expired says why.
 */
import { describe, expect, it } from "vitest";
import {
  ADVISORIES,
  ADVISORY_EXCEPTIONS,
  advisoryProblems,
  compareVersions,
  inRange,
  type Advisory,
  type PinnedArtifact,
} from "../../generators/addons/advisories.js";
import { ADDONS } from "../../generators/addons/catalogue.js";
import { generateTree, pinnedArtifacts } from "../../generators/generate.js";
import { SpecError } from "../../generators/api/problem.js";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { TENANTS } from "../../generators/tenants/index.js";
import { PINS } from "../helpers/repo.js";

const TODAY = "2026-12-06";
/**
 * The platform's pins with the retired ingress-nginx chart pinned again at `version`, as a
 * rollback of the edge cut-over (docs/edge.md) would: its advisories stay in the table for that.
 */
function withIngressNginx(version: string): PinnedArtifact[] {
  const chart: PinnedArtifact = {
    kind: "chart",
    name: "ingress-nginx",
    repoURL: "https://kubernetes.github.io/ingress-nginx",
    version,
    file: "generators/addons/catalogue/ingress-nginx.ts",
    field: "version",
  };
  return [...pinnedArtifacts(TENANTS, PINS), chart];
}

describe("the advisory table", () => {
  it("cites every advisory and states comparable, ordered ranges", () => {
    for (const a of ADVISORIES) {
      expect(a.id, a.id).toMatch(/^(CVE-\d{4}-\d+|GHSA-[\w-]+)$/);
      expect(a.url, a.id).toMatch(/^https:\/\//);
      expect(a.affected.length, a.id).toBeGreaterThan(0);
      for (const r of a.affected)
        if (r.introduced && r.fixed) expect(compareVersions(r.introduced, r.fixed), `${a.id} ${JSON.stringify(r)}`).toBeLessThan(0);
    }
  });

  it("matches the affected versions upstream states for CVE-2026-24512 (< v1.13.7, v1.14.0 to < v1.14.3)", () => {
    const a = ADVISORIES.find((x) => x.id === "CVE-2026-24512")!;
    const affected = (v: string): boolean => a.affected.some((r) => inRange(v, r) === true);
    expect(["4.13.6", "4.12.8", "4.14.0", "4.14.2"].filter(affected)).toEqual(["4.13.6", "4.12.8", "4.14.0", "4.14.2"]);
    expect(["4.13.7", "4.14.3", "4.14.5", "4.15.0"].filter(affected)).toEqual([]);
  });

  it("orders versions numerically, a leading v ignored and a pre-release before its release", () => {
    expect(compareVersions("4.14.10", "4.14.9")).toBe(1);
    expect(compareVersions("v1.14.5", "1.14.5")).toBe(0);
    expect(compareVersions("4.14.5-rc.1", "4.14.5")).toBe(-1);
    expect(compareVersions("latest", "1.0.0")).toBeUndefined();
  });
});

describe("the gate at generate", () => {
  it("passes the committed catalogue and release pins, and waives nothing", () => {
    expect(advisoryProblems(pinnedArtifacts(TENANTS, PINS), TODAY)).toEqual([]);
    expect(ADVISORY_EXCEPTIONS).toEqual([]);
    expect(ADDONS.map((a) => a.name)).not.toContain("ingress-nginx");
  });

  it("fails a planted ingress-nginx 4.14.0 pin naming each advisory, its page and its fixed versions", () => {
    const problems = advisoryProblems(withIngressNginx("4.14.0"), TODAY);
    expect(problems.map((p) => p.message.slice(0, p.message.indexOf(" ("))).sort()).toEqual([
      "affected by CVE-2026-24512",
      "affected by CVE-2026-3288",
      "affected by CVE-2026-4342",
    ]);
    const p = problems.find((x) => x.message.includes("CVE-2026-24512"))!;
    expect(p).toMatchObject({ file: "generators/addons/catalogue/ingress-nginx.ts", field: "version", value: "4.14.0" });
    expect(p.message).toContain("https://github.com/kubernetes/kubernetes/issues/136678");
    expect(p.message).toContain("fixed in 4.13.7, 4.14.3");
  });

  it("makes generation refuse a catalogue pin inside an advisory's range, naming file, field, value and advisory", () => {
    const keda = ADDONS.find((a) => a.name === "keda")!;
    const planted: Advisory = {
      id: "CVE-2099-0002",
      url: "https://example.org/advisory",
      summary: "planted",
      component: { kind: "chart", repoURL: keda.repoURL, chart: keda.chart },
      affected: [{ fixed: "999.0.0" }],
    };
    (ADVISORIES as Advisory[]).push(planted);
    try {
      expect(() => generateTree(DEFAULT_FLEET, TENANTS, PINS, new Date(`${TODAY}T00:00:00Z`))).toThrow(SpecError);
      expect(() => generateTree(DEFAULT_FLEET, TENANTS, PINS, new Date(`${TODAY}T00:00:00Z`))).toThrow(
        new RegExp(`keda\\.ts: version: "${keda.version.replaceAll(".", "\\.")}": affected by CVE-2099-0002`),
      );
    } finally {
      (ADVISORIES as Advisory[]).pop();
    }
  });

  it("checks images too: a tenant image or a release pin inside an image advisory's range fails", () => {
    const app = TENANTS[0]!.spec.apps[0]!;
    const advisory: Advisory = {
      id: "CVE-2099-0001",
      url: "https://example.org/advisory",
      summary: "planted",
      component: { kind: "image", repository: app.image.repository },
      affected: [{ fixed: "999.0.0" }],
    };
    const problems = advisoryProblems(pinnedArtifacts(TENANTS, PINS), TODAY, [advisory]);
    expect(problems.some((p) => p.file === TENANTS[0]!.file && p.field === `apps[${app.name}].image.tag`)).toBe(true);
  });

  it("waives a pin only while its typed exception is unexpired, and fails an expired or unused exception", () => {
    const pins = withIngressNginx("4.14.4");
    const exception = { advisory: "CVE-2026-4342", component: "ingress-nginx", version: "4.14.4", reason: "test", expires: "2026-12-31" };
    expect(advisoryProblems(pins, TODAY, ADVISORIES, [exception])).toEqual([]);
    const expired = advisoryProblems(pins, "2027-01-01", ADVISORIES, [exception]);
    expect(expired.map((p) => p.message)).toEqual([expect.stringMatching(/CVE-2026-4342 .*expired on 2026-12-31/)]);
    const unused = advisoryProblems(withIngressNginx("4.14.5"), TODAY, ADVISORIES, [exception]);
    expect(unused.map((p) => p.message)).toEqual(["matches no affected pin: remove the exception"]);
  });
});
