/**
 * What Argo CD would create for the default fleet: every ApplicationSet in the
 * committed apps/ expanded with Argo CD's semantics, checked against expectations
 * derived from the fleet model, the tenant list and the add-on table below.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_FLEET, regionSpec, type ClusterSpec } from "../../generators/fleet/fleet.js";
import { TENANTS } from "../../generators/tenants/index.js";
import { WAVES } from "../../generators/fleet/constants.js";
import { ADDONS, addonClusters } from "../../generators/addons/catalogue.js";
import { generateTree } from "../../generators/generate.js";
import { PINS, REPO } from "../helpers/repo.js";
import { renderedFleet } from "../helpers/fleet.js";
import { expandApplicationSet, type ExpandedApp } from "../../generators/argo/expand.js";
import { kustomizeInputs, loadFleetApps, type FleetApps } from "../../generators/argo/load.js";
import { parseDocument } from "../../generators/argo/manifest-yaml.js";
import {
  applicationViolations,
  isGroupKindPermitted,
  resourceViolation,
  type ManifestLike,
  type ProjectLike,
} from "../../generators/argo/project.js";

const GIT = "https://github.com/example-org/ai-fleet-gitops.git";

/**
 * The add-on catalogue, read from its source (chart, version, repository, namespace, wave):
 * a chart bump is one edit there. What this file promises on top is the shape: one
 * Application per cluster that needs the add-on, in the addons project, and the GPU
 * operator only where the region has a GPU pool.
 */
const ADDON_TABLE = ADDONS.map((a) => ({
  name: a.name,
  repoURL: a.repoURL,
  chart: a.chart,
  version: a.version,
  /** A git directory instead of a Helm chart (the Gateway API CRDs). */
  dir: a.path,
  namespace: a.namespace,
  wave: a.wave,
  gpuOnly: a.name === "gpu-operator",
}));
const PLATFORM_WAVE = WAVES.platform;
const TENANT_WAVE = WAVES.tenants;

interface Expected {
  name: string;
  kind: "addon" | "platform" | "tenant";
  project: string;
  cluster: ClusterSpec;
  namespace: string;
  wave: number;
  source: { path: string } | { chart: string; version: string; repoURL: string; dir: string | undefined };
}

function expectedApps(): Expected[] {
  const out: Expected[] = [];
  for (const c of DEFAULT_FLEET.clusters) {
    const gpu = regionSpec(DEFAULT_FLEET, c.region).gpuPool !== undefined;
    for (const a of ADDON_TABLE) {
      if (a.gpuOnly && !gpu) continue;
      out.push({
        name: `${c.name}-${a.name}`,
        kind: "addon",
        project: "addons",
        cluster: c,
        namespace: a.namespace,
        wave: a.wave,
        source: { chart: a.chart, version: a.version, repoURL: a.repoURL, dir: a.dir },
      });
    }
    out.push({
      name: `${c.name}-platform`,
      kind: "platform",
      project: `platform-${c.env}`,
      cluster: c,
      namespace: "platform",
      wave: PLATFORM_WAVE,
      source: { path: `clusters/${c.name}/platform` },
    });
    for (const t of TENANTS) {
      const ns = t.spec.namespace ?? t.spec.name;
      out.push({
        name: `${c.name}-${t.spec.name}`,
        kind: "tenant",
        project: `${t.spec.name}-${c.env}`,
        cluster: c,
        namespace: ns,
        wave: TENANT_WAVE,
        source: { path: `clusters/${c.name}/${t.spec.name}` },
      });
    }
  }
  return out;
}

let fleet: FleetApps;
let apps: ExpandedApp[];
let projects: Map<string, ProjectLike>;

beforeAll(() => {
  fleet = loadFleetApps(REPO);
  apps = fleet.applicationSets.flatMap(expandApplicationSet);
  projects = new Map(fleet.projects.map((p) => [p.metadata.name, p]));
});

describe("committed apps/ is what the generator produces", () => {
  it("apps/ on disk equals a fresh render", () => {
    const tree = generateTree(DEFAULT_FLEET, TENANTS, PINS);
    for (const [path, content] of tree) if (path.startsWith("apps/")) expect(readFileSync(join(REPO, path), "utf8"), path).toBe(content);
  });
});

describe("every Application Argo CD would create for the default fleet", () => {
  it("runs the GPU operator exactly where the region has a GPU pool, every other add-on everywhere", () => {
    expect(ADDON_TABLE.filter((a) => a.gpuOnly)).toHaveLength(1);
    for (const a of ADDONS) {
      const want = DEFAULT_FLEET.clusters.filter(
        (c) => !ADDON_TABLE.find((x) => x.name === a.name)!.gpuOnly || regionSpec(DEFAULT_FLEET, c.region).gpuPool !== undefined,
      );
      expect(
        addonClusters(DEFAULT_FLEET, a).map((c) => c.name),
        a.name,
      ).toEqual(want.map((c) => c.name));
    }
  });

  it("is exactly the expected list: count, names, kind and sync wave", () => {
    const expected = expectedApps();
    // 6 clusters x (11 add-ons + platform + 1 tenant); every region has a GPU pool today.
    expect(expected).toHaveLength(DEFAULT_FLEET.clusters.length * (ADDON_TABLE.length + 1 + TENANTS.length));
    expect(apps).toHaveLength(expected.length);
    const got = apps.map((a) => `${a.metadata.name} ${a.metadata.annotations?.["argocd.argoproj.io/sync-wave"]}`).sort();
    expect(got).toEqual(expected.map((e) => `${e.name} ${e.wave}`).sort());
    expect(new Set(apps.map((a) => a.metadata.name)).size).toBe(apps.length);
  });

  it("each has the expected project, destination, source and labels", () => {
    const byName = new Map(apps.map((a) => [a.metadata.name, a]));
    for (const e of expectedApps()) {
      const a = byName.get(e.name)!;
      expect(a, e.name).toBeDefined();
      expect(a.spec.project, e.name).toBe(e.project);
      expect(a.spec.destination, e.name).toEqual({ name: e.cluster.name, namespace: e.namespace });
      const labels = a.metadata.labels ?? {};
      expect(labels["ai-platform.io/cluster"], e.name).toBe(e.cluster.name);
      expect(labels["ai-platform.io/env"], e.name).toBe(e.cluster.env);
      expect(labels["ai-platform.io/region"], e.name).toBe(e.cluster.region);
      if ("path" in e.source) {
        expect(a.spec.source, e.name).toMatchObject({ repoURL: GIT, targetRevision: "main", path: e.source.path });
        expect(labels["ai-platform.io/tenant"], e.name).toBe(e.name.slice(e.cluster.name.length + 1));
        expect(a.spec.syncPolicy?.syncOptions, e.name).toContain("SkipDryRunOnMissingResource=true");
      } else if (e.source.dir !== undefined) {
        expect(a.spec.source, e.name).toEqual({ repoURL: e.source.repoURL, path: e.source.dir, targetRevision: e.source.version });
        expect(labels["app.kubernetes.io/component"], e.name).toBe("addon");
      } else {
        expect(a.spec.source, e.name).toMatchObject({ repoURL: e.source.repoURL, chart: e.source.chart, targetRevision: e.source.version });
        expect(labels["app.kubernetes.io/component"], e.name).toBe("addon");
        expect(a.spec.source?.helm?.values, e.name).toBeTruthy();
      }
    }
  });

  it("sync waves order add-ons, then the platform, then tenants, in the root app too", () => {
    const setWave = (name: string) =>
      Number(fleet.applicationSets.find((s) => s.metadata.name === name)!.metadata.annotations!["argocd.argoproj.io/sync-wave"]);
    const addonWaves = ADDON_TABLE.map((a) => setWave(`addon-${a.name}`));
    // Every add-on but kube-prometheus-stack precedes the platform; the stack follows it,
    // because Grafana reads the platform's grafana-admin Secret (test/health).
    const beforePlatform = ADDON_TABLE.filter((a) => a.name !== "kube-prometheus-stack").map((a) => setWave(`addon-${a.name}`));
    expect(Math.max(...beforePlatform)).toBeLessThan(setWave("platform"));
    expect(setWave("addon-kube-prometheus-stack")).toBeGreaterThan(setWave("platform"));
    for (const t of TENANTS) expect(setWave("addon-kube-prometheus-stack")).toBeLessThan(setWave(t.spec.name));
    for (const t of TENANTS) expect(setWave("platform")).toBeLessThan(setWave(t.spec.name));
    // Add-ons whose CRDs other add-ons use (ServiceMonitor, Istio) go first.
    expect(setWave("addon-prometheus-operator-crds")).toBeLessThan(setWave("addon-cert-manager"));
    expect(setWave("addon-istio-base")).toBeLessThan(setWave("addon-istiod"));
    for (const p of fleet.projects.filter((p) => p.metadata.name !== "default")) {
      expect(
        Number((p.metadata as { annotations?: Record<string, string> }).annotations?.["argocd.argoproj.io/sync-wave"]),
        p.metadata.name,
      ).toBeLessThan(Math.min(...addonWaves));
    }
  });

  it("large-CRD charts use server-side apply", () => {
    for (const n of ["kube-prometheus-stack", "karpenter", "keda", "external-secrets", "cert-manager"]) {
      for (const a of apps.filter((x) => x.metadata.name.endsWith(`-${n}`)))
        expect(a.spec.syncPolicy?.syncOptions, a.metadata.name).toContain("ServerSideApply=true");
    }
  });

  it("per-cluster add-on values: Karpenter cluster and queue, external-dns owner and zone", () => {
    const values = (name: string) =>
      parseDocument(apps.find((a) => a.metadata.name === name)!.spec.source!.helm!.values!, name) as Record<string, any>;
    expect(values("prod-use1-karpenter").settings).toMatchObject({ clusterName: "prod-use1", interruptionQueue: "Karpenter-prod-use1" });
    expect(values("prod-use1-external-dns")).toMatchObject({
      txtOwnerId: "prod-use1",
      policy: "upsert-only",
      domainFilters: ["prod-use1.ai.example.com", "ai.example.com"],
    });
    expect(values("dev-usw2-external-dns")).toMatchObject({
      txtOwnerId: "dev-usw2",
      policy: "sync",
      domainFilters: ["dev-usw2.ai.example.com"],
    });
    expect(values("staging-euw1-external-dns").env).toEqual([{ name: "AWS_DEFAULT_REGION", value: "eu-west-1" }]);
    expect(values("dev-usw2-cert-manager").ingressShim.defaultIssuerName).toBe("letsencrypt-prod");
  });
});

describe("Applications and cluster folders", () => {
  const folders = readdirSync(join(REPO, "clusters")).flatMap((c) =>
    readdirSync(join(REPO, "clusters", c))
      .filter((t) => statSync(join(REPO, "clusters", c, t)).isDirectory())
      .map((t) => `clusters/${c}/${t}`),
  );

  it("exactly one Application per clusters/<cluster>/<tenant> folder", () => {
    const paths = apps.flatMap((a) => (a.spec.source?.repoURL === GIT && a.spec.source.path ? [a.spec.source.path] : []));
    expect(paths.sort()).toEqual(folders.sort());
  });

  it("manifest-generate-paths covers every folder the Application's kustomization reads", () => {
    for (const a of apps.filter((x) => x.spec.source?.repoURL === GIT && x.spec.source.path)) {
      const declared = (a.metadata.annotations?.["argocd.argoproj.io/manifest-generate-paths"] ?? "")
        .split(";")
        .map((p) => p.replace(/^\//, ""));
      for (const d of declared) expect(statSync(join(REPO, d)).isDirectory(), `${a.metadata.name}: ${d}`).toBe(true);
      for (const input of kustomizeInputs(REPO, a.spec.source!.path!)) {
        expect(
          declared.some((d) => input === d || input.startsWith(`${d}/`)),
          `${a.metadata.name} reads ${input}`,
        ).toBe(true);
      }
    }
  });
});

describe("project rules", () => {
  it("admit every generated Application", () => {
    expect(apps.flatMap((a) => applicationViolations(projects, a))).toEqual([]);
  });

  it("reject a staging Application aimed at a prod cluster", () => {
    for (const t of ["platform", ...TENANTS.map((x) => x.spec.name)]) {
      const staging = apps.find((a) => a.metadata.name === `staging-usw2-${t}`)!;
      const planted = {
        ...staging,
        metadata: { ...staging.metadata, name: `planted-${t}` },
        spec: { ...staging.spec, destination: { ...staging.spec.destination, name: "prod-usw2" } },
      };
      expect(applicationViolations(projects, planted).join()).toMatch(/destination prod-usw2\/.* is not permitted in project .*-staging/);
    }
  });

  it("reject tenant Applications that reach for chart repos or other namespaces", () => {
    const t = apps.find((a) => a.metadata.name === `dev-usw2-${TENANTS[0]!.spec.name}`)!;
    expect(
      applicationViolations(projects, {
        ...t,
        spec: { ...t.spec, source: { repoURL: "https://charts.jetstack.io", chart: "cert-manager" } },
      }),
    ).not.toEqual([]);
    expect(
      applicationViolations(projects, { ...t, spec: { ...t.spec, destination: { name: "dev-usw2", namespace: "kube-system" } } }),
    ).not.toEqual([]);
    const addon = apps.find((a) => a.metadata.name === "dev-usw2-keda")!;
    expect(
      applicationViolations(projects, { ...addon, spec: { ...addon.spec, destination: { name: "dev-usw2", namespace: "uiota" } } }),
    ).not.toEqual([]);
  });

  it("the addons project admits the kube-system objects some charts need, and only on clusters that run them", () => {
    const addons = projects.get("addons")!;
    const role = {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: "leader-election", namespace: "kube-system" },
    };
    for (const n of ["dev-usw2-cert-manager", "prod-euw1-keda", "staging-usw2-kube-prometheus-stack"]) {
      expect(resourceViolation(addons, apps.find((a) => a.metadata.name === n)!, role), n).toBeUndefined();
    }
    const crd = { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "x.example.com" } };
    expect(resourceViolation(addons, apps.find((a) => a.metadata.name === "dev-usw2-karpenter")!, crd)).toBeUndefined();
    expect(isGroupKindPermitted(addons, { group: "certificates.k8s.io", kind: "CertificateSigningRequest" }, false)).toBe(false);
    expect(addons.spec.sourceRepos).not.toContain("*");
  });

  it("admit every rendered resource of every cluster folder, and reject a tenant's cluster-scoped resource", async () => {
    // What kustomize renders from each Application's source path (the suite's one shared render).
    const rendered = new Map((await renderedFleet()).map((f) => [f.path, f.objects]));
    const withPath = apps.filter((x) => x.spec.source?.repoURL === GIT && x.spec.source.path);
    expect(withPath.length).toBe(rendered.size);
    for (const a of withPath) {
      const manifests = rendered.get(a.spec.source!.path!) as unknown as ManifestLike[] | undefined;
      if (!manifests) throw new Error(`${a.metadata.name}: ${a.spec.source!.path} was not rendered`);
      const project = projects.get(a.spec.project)!;
      expect(
        manifests.flatMap((m) => resourceViolation(project, a, m) ?? []),
        a.metadata.name,
      ).toEqual([]);
      if (a.metadata.labels?.["ai-platform.io/tenant"] !== "platform") {
        const planted = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "escalate" } };
        expect(resourceViolation(project, a, planted), a.metadata.name).toMatch(/cluster-scoped/);
        const ns = { apiVersion: "v1", kind: "Namespace", metadata: { name: "mine" } };
        expect(resourceViolation(project, a, ns), a.metadata.name).toMatch(/cluster-scoped/);
      }
    }
  });
});
