/**
 * renovate.json: valid against the options Renovate documents (docs.renovatebot.com
 * configuration-options; the custom regex manager's fields from lib/modules/manager/custom/regex),
 * and every custom manager finds what it is for in the real files: one chart per catalogue file
 * (whatever files the catalogue holds), Istio's annotated version, the literal public images of
 * the tenant files, and three EKS add-on versions per calendar minor. The matchStrings run as
 * JavaScript regular expressions, as Renovate runs them (re2 accepts this subset).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ADDONS } from "../../generators/addons/catalogue.js";
import { EKS_CALENDAR } from "../../generators/fleet/eks-calendar.js";
import { REPO } from "../helpers/repo.js";

interface Manager {
  customType: string;
  description?: string;
  managerFilePatterns: string[];
  matchStrings: string[];
  datasourceTemplate?: string;
  depNameTemplate?: string;
  packageNameTemplate?: string;
  versioningTemplate?: string;
}
type Config = Record<string, unknown> & { customManagers: Manager[]; packageRules: Record<string, unknown>[] };

const config = JSON.parse(readFileSync(join(REPO, "renovate.json"), "utf8")) as Config;

/** Top-level, custom-manager and package-rule options used here, with their documented JSON types. */
const TOP: Record<string, string> = {
  $schema: "string",
  description: "array",
  extends: "array",
  timezone: "string",
  dependencyDashboard: "boolean",
  separateMajorMinor: "boolean",
  minimumReleaseAge: "string",
  postUpgradeTasks: "object",
  customManagers: "array",
  packageRules: "array",
};
const MANAGER = new Set([
  "customType",
  "description",
  "managerFilePatterns",
  "matchStrings",
  "matchStringsStrategy",
  "datasourceTemplate",
  "depNameTemplate",
  "packageNameTemplate",
  "versioningTemplate",
  "registryUrlTemplate",
  "currentValueTemplate",
  "extractVersionTemplate",
  "autoReplaceStringTemplate",
]);
const RULE = new Set([
  "description",
  "matchFileNames",
  "matchPackageNames",
  "matchDatasources",
  "matchManagers",
  "groupName",
  "addLabels",
  "prBodyNotes",
  "minimumReleaseAge",
  "dependencyDashboardApproval",
]);
/** The datasources and versionings the managers name (docs.renovatebot.com/modules/datasource, …/versioning). */
const DATASOURCES = new Set(["helm", "docker", "aws-eks-addon", "github-tags", "github-releases"]);

const typeOf = (v: unknown): string => (Array.isArray(v) ? "array" : v === null ? "null" : typeof v);
/** Renovate's `/regex/` pattern strings as RegExp. */
const pattern = (p: string): RegExp => {
  const m = /^\/(.*)\/([a-z]*)$/.exec(p);
  if (!m) throw new Error(`managerFilePatterns entry ${p} is not /regex/`);
  return new RegExp(m[1] ?? "", m[2]);
};
const repoFiles = (dir: string): string[] =>
  readdirSync(join(REPO, dir), { recursive: true, encoding: "utf8" }).map((f) => `${dir}/${f}`.replace(/\\/g, "/"));

/** What a custom manager extracts from the repository: the named groups of every match, per file. */
function extract(m: Manager): { file: string; groups: Record<string, string> }[] {
  const files = [...repoFiles("generators")].filter((f) => m.managerFilePatterns.some((p) => pattern(p).test(f)));
  return files.flatMap((file) => {
    const text = readFileSync(join(REPO, file), "utf8");
    return m.matchStrings.flatMap((s) =>
      [...text.matchAll(new RegExp(s, "g"))].map((x) => ({ file, groups: { ...x.groups } as Record<string, string> })),
    );
  });
}
const manager = (text: string): Manager => {
  const m = config.customManagers.find((x) => x.description?.includes(text));
  if (!m) throw new Error(`renovate.json has no custom manager about "${text}"`);
  return m;
};

describe("renovate.json", () => {
  it("uses only documented options, with their types", () => {
    expect(config.$schema).toBe("https://docs.renovatebot.com/renovate-schema.json");
    for (const [k, v] of Object.entries(config)) {
      expect(TOP[k], `unknown top-level option ${k}`).toBeDefined();
      expect(typeOf(v), k).toBe(TOP[k]);
    }
    for (const m of config.customManagers) {
      for (const k of Object.keys(m)) expect(MANAGER.has(k), `customManagers: unknown option ${k}`).toBe(true);
      expect(m.customType).toBe("regex");
      expect(m.matchStrings.length).toBeGreaterThan(0);
      for (const s of m.matchStrings) {
        const re = new RegExp(s);
        // Renovate needs currentValue and a depName (captured or templated), and a datasource.
        expect(s.includes("(?<currentValue>"), s).toBe(true);
        expect(s.includes("(?<depName>") || m.depNameTemplate !== undefined, s).toBe(true);
        expect(s.includes("(?<datasource>") || DATASOURCES.has(m.datasourceTemplate ?? ""), s).toBe(true);
        expect(re).toBeInstanceOf(RegExp);
      }
    }
    for (const r of config.packageRules)
      for (const k of Object.keys(r)) expect(RULE.has(k), `packageRules: unknown option ${k}`).toBe(true);
  });

  it("finds exactly one chart in every catalogue file, with the catalogue's version, or Istio's annotated one", () => {
    const charts = [...extract(manager("HTTP Helm repositories")), ...extract(manager("OCI registries"))];
    const annotated = extract(manager("annotated in the source"));
    const byFile = new Map(charts.map((c) => [c.file, c.groups]));
    for (const a of ADDONS) {
      const file = `generators/addons/catalogue/${a.name}.ts`;
      const found = byFile.get(file);
      if (found) {
        expect(
          charts.filter((c) => c.file === file),
          file,
        ).toHaveLength(1);
        expect(found.depName, file).toBe(a.chart);
        expect(found.currentValue, file).toBe(a.version);
      } else {
        // The chart's version is a shared constant: the annotation manager must carry it.
        expect(
          annotated.map((x) => x.groups.currentValue),
          file,
        ).toContain(a.version);
      }
    }
    expect(annotated.find((x) => x.groups.depName === "istiod")?.groups).toMatchObject({
      datasource: "helm",
      registryUrl: "https://istio-release.storage.googleapis.com/charts",
    });
    const oci = extract(manager("OCI registries"));
    expect(oci.map((x) => `${x.groups.ociRepository}/${x.groups.depName}`)).toContain("public.ecr.aws/karpenter/karpenter");
  });

  it("finds the literal public images of the tenant files, with their digests when pinned", () => {
    const images = extract(manager("Public images named literally"));
    expect(images.length).toBeGreaterThan(5);
    for (const i of images) {
      expect(i.groups.depName).toMatch(/^[a-z0-9.-]+\.[a-z]+\/[a-z0-9._/-]+$/);
      expect(i.groups.currentValue).not.toBe("latest");
    }
    expect(images.map((i) => i.groups.depName)).toContain("docker.io/qdrant/qdrant");
  });

  it("finds vpc-cni, coredns and kube-proxy for every minor of the calendar, with its version", () => {
    const found = extract(manager("EKS managed add-on versions")).map(
      (x) => `${x.groups.minor} ${x.groups.addon} ${x.groups.currentValue}`,
    );
    const want = EKS_CALENDAR.flatMap((e) => [
      `${e.minor} vpc-cni ${e.addons["vpc-cni"]}`,
      `${e.minor} coredns ${e.addons.coredns}`,
      `${e.minor} kube-proxy ${e.addons["kube-proxy"]}`,
    ]);
    expect(found.sort()).toEqual(want.sort());
  });

  it("regenerates the tree, the docs tables and the known-fields tree after a bump, with commands that exist", () => {
    const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { scripts: Record<string, string> };
    const tasks = config.postUpgradeTasks as { commands: string[] };
    for (const c of tasks.commands) {
      const script = /^npm run (\S+)/.exec(c)?.[1];
      if (script) expect(pkg.scripts[script], c).toBeDefined();
    }
    expect(tasks.commands).toEqual(expect.arrayContaining(["npm run generate", "npm run docs", "npm run schema"]));
  });
});
