/**
 * The diff's object comparison and its fleet (apps/) section, as pure functions: no git,
 * no kustomize. The apps/ objects are the committed ones, read from the repository, and
 * changed the way a careless edit would change them.
 */
import { describe, expect, it } from "vitest";
import { loadYamlObjects } from "../../generators/argo/load.js";
import { compareObjects, diffSet, diffValues, formatChange, type Obj } from "../../generators/diff/objects.js";
import { chartLine, diffFleetApps, projectWidenings } from "../../generators/diff/fleet.js";
import { newlyAdmitted } from "../../generators/argo/admits.js";
import { formatDiff } from "../../generators/diff/format.js";
import type { DiffResult } from "../../generators/diff/diff.js";
import { REPO } from "../helpers/repo.js";

const APPS: readonly Obj[] = loadYamlObjects(REPO, "apps");
const committed = (): Obj[] => structuredClone(APPS) as Obj[];
const named = (objects: Obj[], kind: string, pred: (o: any) => boolean): any => {
  const o = objects.find((x) => x.kind === kind && pred(x));
  if (!o) throw new Error(`no ${kind} matching in apps/`);
  return o;
};
const chartSet = (objects: Obj[]): any =>
  named(objects, "ApplicationSet", (o) => typeof o.spec?.template?.spec?.source?.chart === "string");

describe("field-level comparison", () => {
  it("reports only the leaves that differ, lists of named items by name", () => {
    const a = {
      spec: {
        replicas: 3,
        template: {
          spec: {
            containers: [
              { name: "app", image: "x:1" },
              { name: "side", image: "s:1" },
            ],
          },
        },
      },
    };
    const b = {
      spec: {
        replicas: 4,
        template: {
          spec: {
            containers: [
              { name: "side", image: "s:1" },
              { name: "app", image: "x:2" },
            ],
          },
        },
      },
    };
    expect(diffValues(a, b).map(formatChange)).toEqual([
      "spec.replicas: 3 → 4",
      "spec.template.spec.containers[name=app].image: x:1 → x:2",
    ]);
  });

  it("shows an added or removed key as absent on one side, and unnamed lists of another length whole", () => {
    expect(diffValues({ a: 1 }, { a: 1, b: { c: 2 } }).map(formatChange)).toEqual(['b: (absent) → {"c":2}']);
    expect(diffValues({ l: [1, 2] }, { l: [1, 2, 3] }).map(formatChange)).toEqual(["l: [1,2] → [1,2,3]"]);
    expect(diffValues({ "nvidia.com/gpu": 1 }, { "nvidia.com/gpu": 2 }).map(formatChange)).toEqual(['["nvidia.com/gpu"]: 1 → 2']);
    expect(diffValues({ a: [1] }, { a: [1] })).toEqual([]);
  });

  it("compares lists as sets where order means nothing", () => {
    expect(diffSet(["a", "b"], ["b", "c"], "spec.sourceRepos").map(formatChange)).toEqual([
      "spec.sourceRepos: - a",
      "spec.sourceRepos: + c",
    ]);
    expect(diffSet([{ x: 1, y: 2 }], [{ y: 2, x: 1 }], "p")).toEqual([]);
  });

  it("pairs objects by group, kind, namespace and name", () => {
    const d = (name: string, replicas: number): Obj => ({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name, namespace: "t" },
      spec: { replicas },
    });
    const changes = compareObjects([d("a", 1), d("b", 1)], [d("b", 2), d("c", 1)]);
    expect(changes.map((c) => [c.kind, c.label])).toEqual([
      ["removed", "Deployment t/a"],
      ["changed", "Deployment t/b"],
      ["added", "Deployment t/c"],
    ]);
    expect(changes[1]?.fields.map(formatChange)).toEqual(["spec.replicas: 1 → 2"]);
  });
});

describe("the fleet section over the committed apps/", () => {
  it("finds nothing when apps/ is unchanged", () => {
    const f = diffFleetApps(committed(), committed());
    expect(f).toEqual({ objects: [], applications: [], charts: [], widened: [], errors: [] });
  });

  it("names a chart version change once, with every cluster it reaches", () => {
    const before = committed();
    const after = committed();
    const set = chartSet(after);
    const chart: string = set.spec.template.spec.source.chart;
    const from: string = set.spec.template.spec.source.targetRevision;
    set.spec.template.spec.source.targetRevision = `${from}-next`;
    const clusters = (set.spec.generators[0].list.elements as { cluster: string }[]).map((e) => e.cluster).sort();
    const f = diffFleetApps(before, after);
    expect(f.charts).toEqual([{ chart, repoURL: set.spec.template.spec.source.repoURL, from, to: `${from}-next`, clusters }]);
    expect(chartLine(f.charts[0]!)).toBe(`chart ${chart}: ${from} → ${from}-next (${clusters.join(", ")})`);
    expect(f.applications.map((a) => a.cluster).sort()).toEqual(clusters);
    expect(f.objects).toEqual([]); // the template change shows in the Applications, not twice
  });

  it("shows a Helm values change inside the values, for the one cluster it touches", () => {
    const after = committed();
    const set = chartSet(after);
    const el = set.spec.generators[0].list.elements[0];
    el.values = `${el.values}extraFlag: true\n`;
    const f = diffFleetApps(committed(), after);
    expect(f.applications).toHaveLength(1);
    expect(f.applications[0]?.cluster).toBe(el.cluster);
    expect(f.applications[0]?.fields.map(formatChange)).toEqual(["spec.source.helm.values.extraFlag: (absent) → true"]);
  });

  it("shows a sync-wave change on an ApplicationSet", () => {
    const after = committed();
    const set = chartSet(after);
    const wave = set.metadata.annotations["argocd.argoproj.io/sync-wave"];
    set.metadata.annotations["argocd.argoproj.io/sync-wave"] = "5";
    const f = diffFleetApps(committed(), after);
    expect(f.objects.map((o) => o.fields.map(formatChange))).toEqual([
      [`metadata.annotations["argocd.argoproj.io/sync-wave"]: ${wave} → 5`],
    ]);
  });

  it("shows a widened AppProject field by field and flags what it now admits", () => {
    const after = committed();
    const p = named(after, "AppProject", (o) => o.metadata.labels?.["ai-platform.io/env"] === "staging");
    const prodCluster = named(after, "AppProject", (o) => o.metadata.labels?.["ai-platform.io/env"] === "prod").spec.destinations[0].name;
    p.spec.destinations.push({ name: prodCluster, namespace: p.spec.destinations[0].namespace });
    p.spec.sourceRepos.push("https://github.com/evil/*");
    p.spec.description = "wider";
    const f = diffFleetApps(committed(), after);
    const change = f.objects.find((o) => o.label.endsWith(p.metadata.name));
    expect(change?.fields.map(formatChange)).toEqual([
      `spec.description: ${named(committed(), "AppProject", (o) => o.metadata.name === p.metadata.name).spec.description} → wider`,
      `spec.destinations: + {"name":"${prodCluster}","namespace":"${p.spec.destinations[0].namespace}"}`,
      "spec.sourceRepos: + https://github.com/evil/*",
    ]);
    expect(f.widened.map((w) => w.path)).toEqual(["spec.destinations", "spec.sourceRepos"]);
  });

  it("judges widening by what the project admits, not by syntax", () => {
    const a = {
      kind: "AppProject",
      metadata: { name: "p" },
      spec: { sourceRepos: ["r", "!x"], clusterResourceBlacklist: [{ group: "", kind: "Namespace" }], destinations: [] },
    };
    // `!x` alone already admits everything but x: dropping `r` admits nothing new.
    expect(projectWidenings(a, { ...a, spec: { ...a.spec, sourceRepos: ["!x"] } })).toEqual([]);
    // Without a cluster whitelist no cluster-scoped kind is admitted, so dropping the blacklist widens nothing.
    expect(projectWidenings(a, { ...a, spec: { ...a.spec, clusterResourceBlacklist: [] } })).toEqual([]);
    // Moving the veto from x to y admits x.
    expect(projectWidenings(a, { ...a, spec: { ...a.spec, sourceRepos: ["r", "!y"] } })).toEqual([
      { project: "p", path: "spec.sourceRepos", admits: "x" },
    ]);
  });

  it("flags an added `!` destination, which admits every namespace it does not name", () => {
    const a = { kind: "AppProject", metadata: { name: "p" }, spec: { sourceRepos: ["r"], destinations: [{ name: "c1", namespace: "t" }] } };
    const b = { ...a, spec: { ...a.spec, destinations: [...a.spec.destinations, { name: "*", namespace: "!kube-system" }] } };
    const w = projectWidenings(a, b);
    expect(w.map((x) => x.path)).toEqual(["spec.destinations"]);
    expect(w[0]!.admits).toContain('{"name":"c1","namespace":"argocd"}');
    expect(w[0]!.admits).toMatch(/more$/);
    // Every namespace but the one it names, on every cluster: kube-system stays refused.
    const now = newlyAdmitted(a, b).filter((x) => x.field === "destinations");
    expect(now.map((x) => x.value)).toContain('{"name":"<any cluster it does not list>","namespace":"<any namespace it does not list>"}');
    expect(now.filter((x) => x.value.includes('"namespace":"kube-system"'))).toEqual([]);
  });

  it("flags a removed blacklist entry only where the whitelist admitted the kind", () => {
    const a = {
      kind: "AppProject",
      metadata: { name: "p" },
      spec: { clusterResourceWhitelist: [{ group: "*", kind: "*" }], clusterResourceBlacklist: [{ group: "", kind: "Namespace" }] },
    };
    expect(projectWidenings(a, { ...a, spec: { ...a.spec, clusterResourceBlacklist: [] } })).toEqual([
      { project: "p", path: "spec.clusterResourceBlacklist", admits: "core/Namespace" },
    ]);
  });

  it("limits the section to one cluster or one tenant on request", () => {
    const after = committed();
    const set = chartSet(after);
    set.spec.template.spec.source.targetRevision = "0.0.0-test";
    const cluster: string = set.spec.generators[0].list.elements[0].cluster;
    expect(diffFleetApps(committed(), after, { cluster }).applications.map((a) => a.cluster)).toEqual([cluster]);
    expect(diffFleetApps(committed(), after, { tenant: "uiota" }).applications).toEqual([]);
  });

  it("reports an ApplicationSet that no longer expands", () => {
    const after = committed();
    chartSet(after).spec.template.metadata.name = "{{.cluster}}-{{.nope}}";
    expect(diffFleetApps(committed(), after).errors[0]).toMatch(/map has no entry for key "nope"/);
  });

  it("prints the fleet section in text, Markdown and JSON", () => {
    const after = committed();
    const set = chartSet(after);
    set.spec.template.spec.source.targetRevision = "9.9.9";
    const fleet = diffFleetApps(committed(), after);
    const result: DiffResult = {
      base: { ref: "HEAD", commit: "0".repeat(40), why: "test" },
      folders: [],
      summaries: [],
      fleet,
      stats: { folders: 0, skipped: 0, rendered: 0 },
      hasChanges: true,
    };
    const line = chartLine(fleet.charts[0]!);
    expect(formatDiff(result, "text")).toContain(`== fleet (apps/: what Argo CD reads)\n${line}`);
    expect(formatDiff(result, "markdown")).toContain(`- \`${line}\``);
    expect(JSON.parse(formatDiff(result, "json")).fleet.charts[0].to).toBe("9.9.9");
  });
});
