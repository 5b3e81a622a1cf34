/**
 * Argo CD sized by the fleet it manages (generators/addons/argocd-scale.ts): the sizing
 * rules against the high-availability guide's reference point, the generated `argocd`
 * Application on the committed fleet and on a synthetic fleet past one shard, and the
 * argo-scale rule catching a hand edit.
 */
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments, stringify } from "yaml";
import { ARGOCD_SIZING, argoCdScale } from "../../generators/addons/argocd-scale.js";
import { argoCdSettings } from "../../generators/addons/argocd-values.js";
import { applicationsPerCluster, expandAll } from "../../generators/argo/expand.js";
import { runAppsBootstrap } from "../../generators/check/bootstrap/index.js";
import { readAppsObjects } from "../../generators/check/policy/load.js";
import { TreeBuilder } from "../../generators/layout/files.js";
import { emitApps } from "../../generators/layout/apps.js";
import { syntheticFleet, syntheticSources } from "../../generators/bench/synthetic.js";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { REPO } from "../helpers/repo.js";
import type { Obj } from "../helpers/fleet.js";

/** `n` clusters with `each` Applications apiece. */
const load = (n: number, each: number): { applicationsPerCluster: Map<string, number> } => ({
  applicationsPerCluster: new Map(Array.from({ length: n }, (_, i) => [`c${i}`, each])),
});

const argocdApp = (apps: readonly Obj[]): Obj => apps.find((o) => o.kind === "Application" && o.spec?.source?.chart === "argo-cd") as Obj;

describe("Argo CD's sizing rules", () => {
  it("keeps one controller with the guide's 50/25 processors at its reference point of 1000 Applications", () => {
    const s = argoCdScale(load(10, 100));
    expect(s).toMatchObject({
      applications: 1000,
      controllerReplicas: 1,
      statusProcessors: 50,
      operationProcessors: 25,
      shardingAlgorithm: undefined,
    });
  });

  it("adds a shard past 1000 Applications, distributed round-robin, and sizes processors per shard", () => {
    const s = argoCdScale(load(11, 100));
    expect(s).toMatchObject({ controllerReplicas: 2, shardingAlgorithm: "round-robin", statusProcessors: 28, operationProcessors: 14 });
  });

  it("never runs more shards than clusters: sharding is by cluster", () => {
    expect(argoCdScale(load(2, 5000)).controllerReplicas).toBe(2);
    expect(argoCdScale(load(1, 900)).controllerReplicas).toBe(1);
  });

  it("never sizes processors below Argo CD's defaults of 20 and 10", () => {
    expect(argoCdScale(load(3, 10))).toMatchObject({ statusProcessors: 20, operationProcessors: 10 });
  });

  it("gives 50 tenants on 100 clusters six shards and five repo-servers", () => {
    // ~59 Applications per cluster: 50 tenants, the platform and up to 8 add-ons.
    const s = argoCdScale(load(100, 59));
    expect(s.controllerReplicas).toBe(6);
    expect(s.statusProcessors).toBe(50);
    // 5,900 × 0.7 CPU-s of kustomize within 240 s needs 18 concurrent generations: 5 replicas of 4.
    expect(s.repoServerReplicas * s.repoParallelismLimit).toBeGreaterThanOrEqual(
      Math.ceil((5900 * ARGOCD_SIZING.kustomizeCpuSecondsPerApplication) / ARGOCD_SIZING.coldRegenerationSeconds),
    );
    expect(s.repoServerReplicas).toBe(5);
  });

  it("keeps two repo-servers however small the fleet, so one can restart", () => {
    expect(argoCdScale(load(1, 3)).repoServerReplicas).toBe(ARGOCD_SIZING.minRepoServerReplicas);
  });

  it("never shrinks as clusters are added", () => {
    let last = argoCdScale(load(1, 59));
    for (let n = 2; n <= 120; n++) {
      const s = argoCdScale(load(n, 59));
      expect(s.controllerReplicas).toBeGreaterThanOrEqual(last.controllerReplicas);
      expect(s.repoServerReplicas).toBeGreaterThanOrEqual(last.repoServerReplicas);
      last = s;
    }
  });
});

describe("the generated argocd Application", () => {
  it("is sized for the committed fleet's Applications, and the argo-scale rule agrees", () => {
    const apps = readAppsObjects(REPO) as Obj[];
    const counts = applicationsPerCluster(expandAll(apps));
    expect(counts.size).toBe(DEFAULT_FLEET.clusters.length + 1); // and in-cluster
    const values = parse(argocdApp(apps).spec.source.helm.values);
    expect(values.controller.replicas).toBe(argoCdScale({ applicationsPerCluster: counts }).controllerReplicas);
    expect(runAppsBootstrap(apps).findings.filter((f) => f.rule === "argo-scale")).toEqual([]);
  });

  it("fails argo-scale when its values are edited by hand, naming the setting and the fleet's need", () => {
    const apps = structuredClone(readAppsObjects(REPO)) as Obj[];
    const app = argocdApp(apps);
    const values = parse(app.spec.source.helm.values);
    values.controller.replicas = 3;
    delete values.configs.params["controller.status.processors"];
    app.spec.source.helm.values = stringify(values);
    const hits = runAppsBootstrap(apps)
      .findings.filter((f) => f.rule === "argo-scale")
      .map((f) => `${f.path}: ${f.message}`);
    expect(hits).toEqual([
      expect.stringMatching(
        new RegExp(
          `^spec\\.source\\.helm\\.values: controller\\.replicas: is 3, but \\d+ Applications on ${DEFAULT_FLEET.clusters.length + 1} clusters need 1$`,
        ),
      ),
      expect.stringMatching(/configs\.params\["controller\.status\.processors"\]: is unset, but .* need "20"$/),
    ]);
  });

  it("shards a synthetic fleet of 50 tenants on 24 clusters, as the rule derives from its apps/", () => {
    // apps/ alone (emitApps), which is all the sizing reads.
    const b = new TreeBuilder();
    emitApps(
      b,
      syntheticFleet(24),
      syntheticSources(50, 5).map((s) => s.spec),
    );
    const tree = b.sorted();
    const apps = [...tree.keys()]
      .filter((p) => p.startsWith("apps/") && !p.endsWith("kustomization.yaml"))
      .flatMap((p) => parseAllDocuments(tree.get(p) ?? "").map((d) => d.toJS() as Obj))
      .filter((o) => o !== null);
    const settings = argoCdSettings(argocdApp(apps).spec.source.helm.values);
    const applications = expandAll(apps).apps.length;
    expect(applications).toBeGreaterThan(1000);
    expect(settings.controllerReplicas).toBe(Math.ceil(applications / 1000));
    expect(settings.params["controller.sharding.algorithm"]).toBe("round-robin");
    expect(runAppsBootstrap(apps).findings.filter((f) => f.rule === "argo-scale")).toEqual([]);
  });
});
