/**
 * The fleet report, opened from the file system in a real headless Chromium. One render
 * of the committed fleet with the real kustomize, one extra kustomize run for the
 * planted change, one browser launch.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { GPU_RESOURCE, PLATFORM_TENANT } from "../../generators/fleet/constants.js";
import { HOURS_PER_MONTH, INSTANCE_SHAPES, PRICES, priceOf } from "../../generators/fleet/prices.js";
import { TENANTS } from "../../generators/tenants/index.js";
import { checkFleet } from "../../generators/check/run.js";
import { readAppsObjects } from "../../generators/check/policy/index.js";
import { loadPins } from "../../generators/api/pins.js";
import { buildFolder } from "../../generators/render/kustomize.js";
import { parseObjects } from "../../generators/argo/manifest-yaml.js";
import { formatMarkdown } from "../../generators/diff/format.js";
import { buildReport, type FleetReport, type ReportFolder, type ReportInputs } from "../../generators/report/model.js";
import { renderHtml } from "../../generators/report/html.js";
import { renderedFleet, type Obj } from "../helpers/fleet.js";
import { REPO, addPatch, removeScratch, scratchTree } from "../helpers/repo.js";
import { launch } from "../../generators/report/browser.js";

/** Screenshots and the pages under test are kept here (gitignored) for people and CI to look at. */
const ARTIFACTS = join(REPO, "test-artifacts");
const PLANTED = { cluster: "prod-usw2", tenant: "uiota", hpa: "offline-ai", from: 2, to: 3 };

// ---- Independent readings of the rendered objects, written plainly, to compare the page against.
const WORKLOAD_KINDS = ["Deployment", "StatefulSet"];
const workloads = (objects: readonly Obj[]): Obj[] => objects.filter((o) => WORKLOAD_KINDS.includes(o.kind));
function bounds(objects: readonly Obj[], w: Obj): { min: number; max: number } {
  const hpa = objects.find(
    (o) => o.kind === "HorizontalPodAutoscaler" && o.spec.scaleTargetRef.name === w.metadata.name && o.spec.scaleTargetRef.kind === w.kind,
  );
  if (hpa) return { min: hpa.spec.minReplicas ?? 1, max: hpa.spec.maxReplicas };
  const so = objects.find((o) => o.kind === "ScaledObject" && o.spec.scaleTargetRef.name === w.metadata.name);
  if (so) return { min: so.spec.minReplicaCount ?? 0, max: so.spec.maxReplicaCount ?? 100 };
  return { min: w.spec.replicas ?? 1, max: w.spec.replicas ?? 1 };
}
const gpusPerPod = (w: Obj): number =>
  (w.spec.template.spec.containers as Obj[]).reduce((n, c) => n + Number(c.resources?.limits?.[GPU_RESOURCE] ?? 0), 0);
function gpuRange(objects: readonly Obj[]): string {
  const lo = workloads(objects).reduce((n, w) => n + gpusPerPod(w) * bounds(objects, w).min, 0);
  const hi = workloads(objects).reduce((n, w) => n + gpusPerPod(w) * bounds(objects, w).max, 0);
  return lo === hi ? String(lo) : `${lo}–${hi}`;
}
function hosts(objects: readonly Obj[]): number {
  const ingress = objects.filter((o) => o.kind === "Ingress").flatMap((o) => (o.spec.rules as Obj[]).map((r) => r.host as string));
  // Routes' hosts (the Gateway API edge); a wildcard (the platform's HTTPS redirect) is no public host.
  const routes = objects
    .filter((o) => o.kind === "HTTPRoute")
    .flatMap((o) => (o.spec.hostnames as string[]).filter((h) => !h.startsWith("*.")));
  const gateway = objects
    .filter((o) => o.kind === "Gateway" && o.apiVersion.startsWith("networking.istio.io/"))
    .flatMap((o) => (o.spec.servers as Obj[]).flatMap((s) => (s.hosts as string[]).map((h) => h.replace(/^[^/]*\//, ""))));
  return new Set([...ingress, ...routes, ...gateway]).size;
}

/** The workload with its first container's image moved to a new tag. */
function bumpImage(w: Obj): Obj {
  const [first, ...rest] = w.spec.template.spec.containers as Obj[];
  const image = `${String(first?.image).split("@")[0]}-next`;
  return {
    ...w,
    spec: { ...w.spec, template: { ...w.spec.template, spec: { ...w.spec.template.spec, containers: [{ ...first, image }, ...rest] } } },
  };
}

describe("the fleet report in a headless Chromium", () => {
  let browser: Browser;
  let plain: FleetReport;
  let changed: FleetReport;
  let folders: ReportFolder[];
  let plannedFolder: ReportFolder;
  let inputs: ReportInputs;
  let plainUrl: string;
  let changedUrl: string;

  beforeAll(async () => {
    const rendered = await renderedFleet();
    folders = rendered.map((f) => ({ cluster: f.cluster, tenant: f.tenant, path: f.path, objects: f.objects }));
    const check = await checkFleet(REPO, DEFAULT_FLEET, TENANTS, { rendered });
    inputs = {
      fleet: DEFAULT_FLEET,
      pins: loadPins(REPO),
      folders,
      apps: readAppsObjects(REPO),
      check,
      prices: PRICES,
      shapes: INSTANCE_SHAPES,
    };

    // The planted change: one more minimum replica of a GPU workload's HPA, in one cluster, rendered by kustomize.
    const scratch = scratchTree();
    try {
      const path = `clusters/${PLANTED.cluster}/${PLANTED.tenant}`;
      addPatch(scratch, path, { kind: "HorizontalPodAutoscaler", name: PLANTED.hpa }, [
        { op: "replace", path: "/spec/minReplicas", value: PLANTED.to },
      ]);
      plannedFolder = {
        cluster: PLANTED.cluster,
        tenant: PLANTED.tenant,
        path,
        objects: parseObjects(await buildFolder(join(scratch, path)), path),
      };
    } finally {
      removeScratch(scratch);
    }
    const head = folders.map((f) => (f.path === plannedFolder.path ? plannedFolder : f));
    plain = buildReport(inputs);
    changed = buildReport({ ...inputs, folders: head, base: { folders, ref: "HEAD", commit: "0".repeat(40), why: "the committed fleet" } });

    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, "report.html"), renderHtml(plain));
    writeFileSync(join(ARTIFACTS, "report-change.html"), renderHtml(changed));
    plainUrl = pathToFileURL(join(ARTIFACTS, "report.html")).href;
    changedUrl = pathToFileURL(join(ARTIFACTS, "report-change.html")).href;
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
  });

  /**
   * The plain report at the default width, loaded once for the tests that only read it (a page
   * load is seconds of Chromium on two cores); tests that click, type or resize open their own.
   */
  let readOnly: Promise<{ page: Page; errors: string[] }> | undefined;
  const plainPage = (): Promise<{ page: Page; errors: string[] }> => {
    readOnly ??= open(plainUrl);
    return readOnly;
  };

  /** Opens a page, collecting console errors and uncaught exceptions. */
  async function open(url: string, options: { width?: number; javaScript?: boolean } = {}): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({
      viewport: { width: options.width ?? 1280, height: 900 },
      javaScriptEnabled: options.javaScript ?? true,
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(url);
    return { page, errors };
  }

  it("shows every cluster and every tenant of the fleet, with no console errors", async () => {
    const { page, errors } = await plainPage();
    const clusters = await page.$$eval("#matrix-table thead th[scope=col]", (ths) =>
      ths.slice(1).map((th) => th.childNodes[0]?.textContent ?? ""),
    );
    expect(clusters).toEqual(DEFAULT_FLEET.clusters.map((c) => c.name));
    const tenants = await page.$$eval("#matrix-table tbody th[scope=row]", (ths) => ths.map((th) => th.textContent ?? ""));
    expect(tenants.sort()).toEqual([PLATFORM_TENANT, ...TENANTS.map((t) => t.spec.name)].sort());
    for (const c of DEFAULT_FLEET.clusters) expect(await page.locator(`#capacity-${c.name} h3`).textContent()).toContain(c.name);
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, "report-1280.png"), fullPage: false });
  });

  it("shows, in every cell, the apps, GPUs and hosts the rendered folder holds", async () => {
    const { page } = await plainPage();
    const cells = await page.$$eval("td[data-cell]", (tds) =>
      tds.map((td) => ({
        key: td.getAttribute("data-cell") ?? "",
        apps: td.querySelector("[data-apps]")?.getAttribute("data-apps") ?? "0",
        gpus: td.querySelector("[data-gpus]")?.textContent ?? "",
        text: td.textContent ?? "",
      })),
    );
    expect(cells.map((c) => c.key).sort()).toEqual(folders.map((f) => `${f.cluster}/${f.tenant}`).sort());
    for (const f of folders) {
      const cell = cells.find((c) => c.key === `${f.cluster}/${f.tenant}`);
      const objects = f.objects as Obj[];
      expect(Number(cell?.apps), f.path).toBe(workloads(objects).length);
      expect(cell?.gpus, f.path).toBe(gpuRange(objects));
      const n = hosts(objects);
      expect(cell?.text, f.path).toContain(n === 0 ? "no hosts" : `${n} host${n === 1 ? "" : "s"}`);
    }
    // Each cluster's GPU range sums its folders.
    for (const c of DEFAULT_FLEET.clusters) {
      const objs = folders.filter((f) => f.cluster === c.name).flatMap((f) => f.objects as Obj[]);
      expect(await page.locator(`#capacity-${c.name} [data-gpus]`).textContent(), c.name).toBe(gpuRange(objs));
    }
  });

  it("states that prices are estimates and names their source and date", async () => {
    const { page } = await plainPage();
    const text = (await page.locator("#prices").locator("xpath=..").textContent()) ?? "";
    expect(text).toContain("All costs on this page are estimates");
    for (const p of PRICES) expect(text).toContain(`${p.source} (read ${p.date})`);
  });

  it("shows the planted GPU replica in the change view with its cost delta, as the PR comment does", async () => {
    const line = changed.change?.lines.find((l) => l.cluster === PLANTED.cluster);
    expect(changed.change?.lines.map((l) => l.cluster)).toEqual([PLANTED.cluster]);
    // One more pod of the GPU workload at minimum scale: its GPUs and exactly one GPU node more.
    const node = changed.clusters
      .find((c) => c.name === PLANTED.cluster)
      ?.cost.min.gpuNodes.find((g) => g.name === `${PLANTED.tenant}/${PLANTED.hpa}`);
    const price = priceOf(PRICES, node?.instanceType ?? "", "us-west-2");
    expect(price, "the node type is priced").toBeDefined();
    const gpus = gpusPerPod(workloads(plannedFolder.objects as Obj[]).find((w) => w.metadata.name === PLANTED.hpa) as Obj);
    expect(gpus).toBeGreaterThan(0);
    expect(line?.delta.min.gpus).toBe(gpus);
    expect(line?.delta.max.gpus).toBe(0);
    expect(line?.usd.min).toBeCloseTo((price?.usdPerHour ?? 0) * HOURS_PER_MONTH, 1);
    expect(line?.usd.max).toBeCloseTo(0, 6);
    const dollars = `+$${Math.round((price?.usdPerHour ?? 0) * HOURS_PER_MONTH).toLocaleString("en-US")}/month`;
    expect(line?.text).toContain(`${PLANTED.cluster}: +${gpus} GPU`);
    expect(line?.text).toContain(dollars);

    const { page, errors } = await open(changedUrl);
    const shown = await page.locator(`#change-lines li[data-change="${PLANTED.cluster}"]`).textContent();
    expect(shown).toBe(line?.text);
    await page.locator("#change").locator("xpath=..").locator("details summary").first().click();
    expect(await page.locator("#change").locator("xpath=..").textContent()).toContain(`spec.minReplicas: ${PLANTED.from} → ${PLANTED.to}`);
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, "report-change-1280.png") });
    await page.context().close();

    const diff = changed.change?.diff;
    expect(diff).toBeDefined();
    if (diff) expect(formatMarkdown(diff, { capacity: changed.change?.lines.map((l) => l.text) ?? [] })).toContain(`- ${line?.text}`);
  });

  it("has no horizontal scroll on a 390 px wide phone", async () => {
    for (const url of [plainUrl, changedUrl]) {
      const { page, errors } = await open(url, { width: 390 });
      const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
      expect(scroll, url).toBeLessThanOrEqual(width);
      expect(errors).toEqual([]);
      if (url === plainUrl) await page.screenshot({ path: join(ARTIFACTS, "report-390.png") });
      await page.context().close();
    }
  });

  it("works without JavaScript, and the script only adds filtering", async () => {
    const off = await open(plainUrl, { javaScript: false });
    expect(await off.page.locator("#matrix-table tbody tr").count()).toBe(plain.tenants.length);
    expect(await off.page.locator("input[type=search]").count()).toBe(0);
    await off.page.context().close();

    const on = await open(plainUrl);
    // An app only uiota runs: the platform row names tenants too (the exceptions its NetworkPolicies carry).
    await on.page.fill("#matrix-table-filter", "security-monitor");
    expect(await on.page.locator("#matrix-table tbody tr:visible").count()).toBe(1);
    expect(await on.page.locator("#matrix-table tbody tr:visible th").textContent()).toBe("uiota");
    await on.page.context().close();
  });

  it("flags over-commit against a NodePool limit, at maximum and at minimum scale", () => {
    const cluster = "prod-usw2";
    const limited = (gpus: string): ReportFolder[] =>
      folders.map((f) =>
        f.cluster === cluster && f.tenant === PLATFORM_TENANT
          ? {
              ...f,
              objects: f.objects.map((o) =>
                (o as Obj).kind === "NodePool" && (o as Obj).spec.limits[GPU_RESOURCE] !== undefined
                  ? { ...o, spec: { ...(o as Obj).spec, limits: { [GPU_RESOURCE]: gpus } } }
                  : o,
              ),
            }
          : f,
      );
    const gpuCheck = (r: FleetReport): { min: number; max: number; status: string } | undefined =>
      r.clusters.find((c) => c.name === cluster)?.limits.find((l) => l.against.startsWith("NodePool") && l.resource === "gpu");
    const before = gpuCheck(plain);
    expect(before?.status).toBe("ok");
    const { min = 0, max = 0 } = before ?? {};
    expect(max).toBeGreaterThan(min);
    const atMax = buildReport({ ...inputs, folders: limited(String(min)) });
    expect(gpuCheck(atMax)?.status).toBe("over-at-max");
    expect(renderHtml(atMax)).toContain("⚠ over-commit at maximum");
    const atMin = buildReport({ ...inputs, folders: limited(String(min - 1)) });
    expect(gpuCheck(atMin)?.status).toBe("over-at-min");
    expect(renderHtml(atMin)).toContain("✗ over at minimum");
  });

  it("marks an app whose staging image prod does not run yet as pending promotion", () => {
    const app = PLANTED.hpa;
    const staged = folders.map((f) =>
      f.tenant === PLANTED.tenant && f.cluster.startsWith("staging-")
        ? {
            ...f,
            objects: f.objects.map((o) =>
              (o as Obj).kind === "StatefulSet" && (o as Obj).metadata.name === app ? bumpImage(o as Obj) : o,
            ),
          }
        : f,
    );
    expect(plain.releases.find((r) => r.tenant === PLANTED.tenant && r.app === app)?.pendingPromotion).toBe(false);
    const r = buildReport({ ...inputs, folders: staged });
    const row = r.releases.find((x) => x.tenant === PLANTED.tenant && x.app === app);
    expect(row?.pendingPromotion).toBe(true);
    expect(row?.envs.staging?.images.map((i) => i.image).every((i) => i.endsWith("-next"))).toBe(true);
    expect(row?.envs.prod?.images.map((i) => i.image).some((i) => i.endsWith("-next"))).toBe(false);
    expect(renderHtml(r)).toContain("pending promotion: staging runs a release prod does not");
  });

  it("escapes values from the rendered objects before they reach the page", () => {
    const evil = '<img src=x onerror="alert(1)">.uiota.example.com';
    const hostile = folders.map((f) =>
      f.cluster === PLANTED.cluster && f.tenant === PLANTED.tenant
        ? {
            ...f,
            objects: f.objects.map((o) =>
              (o as Obj).kind === "HTTPRoute" ? { ...o, spec: { ...(o as Obj).spec, hostnames: [evil] } } : o,
            ),
          }
        : f,
    );
    const html = renderHtml(buildReport({ ...inputs, folders: hostile }));
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;.uiota.example.com");
  });

  it("uses semantic tables and is keyboard navigable", async () => {
    const { page } = await open(changedUrl);
    const tables = await page.$$eval("table", (ts) =>
      ts.map((t) => ({ caption: t.querySelector("caption")?.textContent ?? "", unscoped: t.querySelectorAll("th:not([scope])").length })),
    );
    expect(tables.length).toBeGreaterThan(5);
    for (const t of tables) {
      expect(t.caption).not.toBe("");
      expect(t.unscoped).toBe(0);
    }
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to the report");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => location.hash)).toBe("#main");
    // A disclosure opens from the keyboard.
    await page.locator("#matrix-table summary").first().focus();
    await page.keyboard.press("Enter");
    expect(
      await page
        .locator("#matrix-table details")
        .first()
        .evaluate((d) => (d as HTMLDetailsElement).open),
    ).toBe(true);
    await page.context().close();
  });
});
