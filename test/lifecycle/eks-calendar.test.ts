/**
 * The EKS version calendar and the rules on it: support phases by day (the calendar's dates from
 * AWS's release calendar as endoflife.date records them), the check's eks-version-support
 * failures and warnings, generate's refusal of a minor EKS does not offer, and the clock input.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClockError, clockFrom } from "../../generators/fleet/clock.js";
import { CONTROL_PLANE_USD_PER_HOUR, daysBetween, EKS_CALENDAR, offeredMinors, supportOn } from "../../generators/fleet/eks-calendar.js";
import { DEFAULT_FLEET, type Fleet } from "../../generators/fleet/fleet.js";
import { eksSupportFindings } from "../../generators/check/lifecycle.js";
import { eksVersionProblems } from "../../generators/generate.js";
import { runGenerate, type Sources } from "../../generators/cli/generate.js";
import { TENANTS } from "../../generators/tenants/index.js";
import { loadPins } from "../../generators/api/pins.js";
import { REPO, removeScratch, scratchTree, snapshot } from "../helpers/repo.js";

const day = (d: string): Date => new Date(`${d}T00:00:00Z`);
const at = (version: string, names: readonly string[] = DEFAULT_FLEET.clusters.map((c) => c.name)): Fleet => ({
  ...DEFAULT_FLEET,
  clusters: DEFAULT_FLEET.clusters.map((c) => (names.includes(c.name) ? { ...c, kubernetesVersion: version } : c)),
});

describe("the EKS calendar", () => {
  it("covers every minor from 1.28 to 1.35 in order, 14 months of standard and 12 of extended support each", () => {
    expect(EKS_CALENDAR.map((e) => e.minor)).toEqual(["1.28", "1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35"]);
    for (const e of EKS_CALENDAR) {
      // 14 months after release (give or take the days AWS's announcement and the calendar differ by).
      expect(daysBetween(e.released, e.endOfStandardSupport), e.minor).toBeGreaterThanOrEqual(14 * 30 - 5);
      expect(daysBetween(e.released, e.endOfStandardSupport), e.minor).toBeLessThanOrEqual(14 * 31 + 3);
      // Extended support ends exactly a year after standard support.
      expect(e.endOfExtendedSupport, e.minor).toBe(`${Number(e.endOfStandardSupport.slice(0, 4)) + 1}${e.endOfStandardSupport.slice(4)}`);
      for (const v of Object.values(e.addons)) expect(v, e.minor).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
    }
  });

  it("puts the issue's dates where AWS's calendar has them: 1.33 and 1.34 out of standard support, 1.35 in it until 2027-03-27", () => {
    const today = day("2026-12-06");
    expect(supportOn("1.33", today)).toMatchObject({ phase: "extended", usdPerHour: 0.6 });
    expect(supportOn("1.34", today)).toMatchObject({ phase: "extended", usdPerHour: 0.6 });
    expect(supportOn("1.35", today)).toMatchObject({ phase: "standard", usdPerHour: 0.1, daysOfStandardLeft: 111 });
    expect(supportOn("1.35", today).entry?.endOfStandardSupport).toBe("2027-03-27");
    expect(offeredMinors(today)).toEqual(["1.32", "1.33", "1.34", "1.35"]);
  });

  it("counts the last day of each phase inside it", () => {
    expect(supportOn("1.34", day("2026-12-02")).phase).toBe("standard");
    expect(supportOn("1.34", day("2026-12-03")).phase).toBe("extended");
    expect(supportOn("1.34", day("2027-12-02")).phase).toBe("extended");
    expect(supportOn("1.34", day("2027-12-03"))).toMatchObject({ phase: "ended", usdPerHour: undefined });
    expect(supportOn("1.35", day("2026-01-27")).phase).toBe("unreleased");
    expect(supportOn("1.99", day("2026-12-06")).phase).toBe("unknown");
    expect(CONTROL_PLANE_USD_PER_HOUR).toEqual({ standard: 0.1, extended: 0.6 });
  });
});

describe("eks-version-support in the check", () => {
  it("fails a cluster past standard support, naming the fee, and passes one inside it", () => {
    const { findings, warnings } = eksSupportFindings(at("1.34", ["dev-usw2"]), day("2026-12-06"), ["dev-usw2"]);
    expect(warnings).toEqual([]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: "eks-version-support",
      cluster: "dev-usw2",
      object: "Cluster/dev-usw2",
      path: "kubernetesVersion",
    });
    expect(findings[0]?.message).toContain("left EKS standard support on 2026-12-02");
    expect(findings[0]?.message).toContain("$0.60 per hour");
    expect(findings[0]?.fix).toContain("docs/upgrading.md");
    expect(eksSupportFindings(at("1.35"), day("2026-12-06"))).toEqual({ findings: [], warnings: [] });
  });

  it("passes the committed fleet on 2026-12-06: every cluster inside standard support", () => {
    expect(eksSupportFindings(DEFAULT_FLEET, day("2026-12-06"))).toEqual({ findings: [], warnings: [] });
    expect(eksVersionProblems(DEFAULT_FLEET, day("2026-12-06"))).toEqual([]);
  });

  it("warns from 60 days before the end of standard support, without failing", () => {
    // 2027-01-26 is 60 days before 2027-03-27; the day before is 61.
    expect(eksSupportFindings(at("1.35"), day("2027-01-25")).warnings).toEqual([]);
    const { findings, warnings } = eksSupportFindings(at("1.35"), day("2027-01-26"));
    expect(findings).toEqual([]);
    expect(warnings.map((w) => w.cluster)).toEqual(DEFAULT_FLEET.clusters.map((c) => c.name));
    expect(warnings[0]?.message).toBe("Kubernetes 1.35 leaves EKS standard support on 2027-03-27, in 60 days");
  });

  it("fails a minor EKS no longer offers, one not yet released, and one the calendar lacks", () => {
    const ended = eksSupportFindings(at("1.31", ["prod-usw2"]), day("2026-12-06"), ["prod-usw2"]).findings;
    expect(ended[0]?.message).toContain("left EKS extended support on 2026-11-26; EKS no longer offers it");
    const early = eksSupportFindings(at("1.35", ["prod-usw2"]), day("2026-01-01"), ["prod-usw2"]).findings;
    expect(early[0]?.message).toContain("not released on EKS until 2026-01-28");
    expect(eksSupportFindings(at("1.40", ["prod-usw2"]), day("2026-12-06"), ["prod-usw2"]).findings[0]?.message).toContain(
      "not in the EKS calendar",
    );
  });
});

describe("generate and the calendar", () => {
  it("refuses a minor the calendar lacks even without a day, and one EKS no longer offers on the day", () => {
    expect(eksVersionProblems(at("1.27", ["prod-euw1"]))).toEqual([
      expect.objectContaining({ field: "clusters[prod-euw1].kubernetesVersion", value: "1.27" }),
    ]);
    expect(eksVersionProblems(at("1.31", ["prod-euw1"]))).toEqual([]);
    const late = eksVersionProblems(at("1.31", ["prod-euw1"]), day("2026-12-06"));
    expect(late).toHaveLength(1);
    expect(late[0]?.message).toContain("EKS no longer offers Kubernetes 1.31 on 2026-12-06 (extended support ended 2026-11-26)");
    expect(late[0]?.message).toContain("1.32, 1.33, 1.34, 1.35");
  });

  let dir = "";
  beforeAll(() => {
    dir = scratchTree();
  });
  afterAll(() => removeScratch(dir));

  it("npm run generate -- --today refuses the cluster with file, field, value and fix, and writes nothing", async () => {
    const before = snapshot(dir);
    const load = async (): Promise<Sources> => ({ fleet: at("1.34", ["staging-euw1"]), tenants: TENANTS, pins: loadPins(REPO) });
    const run = await runGenerate(["--today", "2027-12-03"], dir, load);
    expect(run.code).toBe(1);
    const text = run.stderr.join("\n");
    expect(text).toContain("nothing was written");
    expect(text).toContain(
      'generators/fleet/fleet.ts: clusters[staging-euw1].kubernetesVersion: "1.34": EKS no longer offers Kubernetes 1.34 on 2027-12-03',
    );
    expect(snapshot(dir)).toEqual(before);
    const bad = await runGenerate(["--today", "2027-02-30"], dir, load);
    expect(bad.code).toBe(1);
    expect(bad.stderr.join("\n")).toContain('--today "2027-02-30" is not a day; write it as YYYY-MM-DD');
  });
});

describe("the clock", () => {
  it("takes --today, else FLEET_TODAY, else the real date, and refuses anything but a calendar day", () => {
    const now = new Date("2026-12-06T15:00:00Z");
    expect(clockFrom("2027-01-05", "2026-01-01", now).toISOString()).toBe("2027-01-05T00:00:00.000Z");
    expect(clockFrom(undefined, "2026-01-01", now).toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(clockFrom(undefined, "", now)).toBe(now);
    expect(clockFrom(undefined, undefined, now)).toBe(now);
    expect(() => clockFrom("06/12/2026", undefined, now)).toThrow(ClockError);
    expect(() => clockFrom(undefined, "2026-13-01", now)).toThrow(/FLEET_TODAY "2026-13-01" is not a day/);
  });
});

describe("the control-plane fee in the cost model", () => {
  it("adds 730 hours of the support phase's fee to the cluster's month", async () => {
    const { clusterCost } = await import("../../generators/report/cost.js");
    const { INSTANCE_SHAPES, PRICES } = await import("../../generators/fleet/prices.js");
    const inputs = { region: "us-east-1", gpuOptions: [], prices: PRICES, shapes: INSTANCE_SHAPES };
    const none = clusterCost([], inputs);
    const extended = clusterCost([], { ...inputs, controlPlaneUsdPerHour: CONTROL_PLANE_USD_PER_HOUR.extended });
    const standard = clusterCost([], { ...inputs, controlPlaneUsdPerHour: CONTROL_PLANE_USD_PER_HOUR.standard });
    expect(none.usdPerMonth).toBe(0);
    expect(standard).toMatchObject({ controlPlaneUsdPerMonth: 73, usdPerMonth: 73 });
    expect(extended).toMatchObject({ controlPlaneUsdPerMonth: 438, usdPerMonth: 438 });
  });
});

describe("add-on compatibility with each cluster's minor", () => {
  it("refuses a chart whose typed range excludes a cluster that runs it, naming the catalogue file and the fix", async () => {
    const { addonCompatibilityProblems } = await import("../../generators/generate.js");
    const { ADDONS } = await import("../../generators/addons/catalogue.js");
    expect(addonCompatibilityProblems(DEFAULT_FLEET)).toEqual([]);
    const keda = ADDONS.find((a) => a.name === "keda");
    expect(keda?.kubernetes?.max).toBeDefined();
    const tooNew = `1.${Number(keda?.kubernetes?.max?.split(".")[1]) + 2}`;
    const old = { ...keda, kubernetes: { ...keda?.kubernetes, beyondMax: undefined } } as typeof keda & object;
    // Every cluster at the chart's newest minor, dev one past it (minors past 1.35 are only a test input here).
    const atMax = at(keda?.kubernetes?.max ?? "");
    const devTooNew: Fleet = {
      ...atMax,
      clusters: atMax.clusters.map((c) => (c.name === "dev-usw2" ? { ...c, kubernetesVersion: tooNew } : c)),
    };
    const problems = addonCompatibilityProblems(devTooNew, [old]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: "generators/addons/catalogue/keda.ts", field: "kubernetes", value: tooNew });
    expect(problems[0]?.message).toContain(`cluster dev-usw2 runs ${tooNew}: bump the chart`);
    // A reviewed beyondMax admits exactly the minors it lists.
    const waived = { ...old, kubernetes: { ...old.kubernetes, source: "x", beyondMax: { minors: [tooNew], reason: "reviewed" } } };
    expect(addonCompatibilityProblems(devTooNew, [waived])).toEqual([]);
    // Below the chart's minimum is refused too.
    const floor = { ...old, kubernetes: { min: "1.40", source: "x" } };
    expect(addonCompatibilityProblems(at("1.35", ["dev-usw2"]), [floor]).map((p) => p.message)).toEqual(
      DEFAULT_FLEET.clusters.map((c) => expect.stringContaining(`cluster ${c.name} runs`)),
    );
  });

  it("every add-on of the catalogue declares where its Kubernetes range comes from", async () => {
    const { ADDONS } = await import("../../generators/addons/catalogue.js");
    expect(ADDONS.filter((a) => !a.kubernetes?.source).map((a) => a.name)).toEqual([]);
  });
});

describe("the fleet report", () => {
  it("shows each cluster's support window and control-plane fee, and counts the fee in its cost", async () => {
    const { buildReport } = await import("../../generators/report/model.js");
    const { renderHtml } = await import("../../generators/report/html.js");
    const { INSTANCE_SHAPES, PRICES } = await import("../../generators/fleet/prices.js");
    const fleet = at("1.34", ["dev-usw2"]);
    const folders = fleet.clusters.map((c) => ({ cluster: c.name, tenant: "platform", path: `clusters/${c.name}/platform`, objects: [] }));
    const check = { findings: [], excepted: [], summary: { folders: 0, objects: 0, rules: 0, failures: 0, exceptions: 0 } };
    const report = buildReport({
      fleet,
      pins: {},
      folders,
      apps: [],
      check,
      prices: PRICES,
      shapes: INSTANCE_SHAPES,
      today: day("2026-12-06"),
    });
    const dev = report.clusters.find((c) => c.name === "dev-usw2");
    const prod = report.clusters.find((c) => c.name === "prod-usw2");
    expect(dev?.support).toEqual({
      phase: "extended",
      released: "2025-10-06",
      endOfStandardSupport: "2026-12-02",
      endOfExtendedSupport: "2027-12-02",
      usdPerHour: 0.6,
    });
    expect(prod?.support).toMatchObject({ phase: "standard", endOfStandardSupport: "2027-03-27", usdPerHour: 0.1 });
    expect(dev?.cost.min.controlPlaneUsdPerMonth).toBe(438);
    expect(prod?.cost.min.usdPerMonth).toBe(73);
    const html = renderHtml(report);
    expect(html).toContain('data-support="extended"');
    expect(html).toContain(
      '⚠ EKS extended support</span> (standard support until 2026-12-02, extended until 2027-12-02); control plane <b data-fee="0.6">$0.60/hour</b>',
    );
    expect(html).toContain(
      'EKS standard support until 2027-03-27, extended until 2028-03-27; control plane <b data-fee="0.1">$0.10/hour</b>',
    );
  });
});
