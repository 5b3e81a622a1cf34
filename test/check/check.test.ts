import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { TENANTS } from "../../generators/tenants/index.js";
import { checkFleet } from "../../generators/check/run.js";
import { formatReport } from "../../generators/check/report.js";
import { renderedFleet, TEST_RENDER_CACHE } from "../helpers/fleet.js";
import { addPatch, REPO, removeScratch, resetScratchRepo, scratchRepo } from "../helpers/repo.js";
import { clusterFolderCount } from "../helpers/fleet-shape.js";

// One cluster of a scratch copy; folders the planted patch leaves alone come from the suite's render cache.
const check = (dir: string, cluster: string) => checkFleet(dir, DEFAULT_FLEET, TENANTS, { cluster, cache: { dir: TEST_RENDER_CACHE } });

describe("npm run check", () => {
  // One scratch copy (a git repository: the secret scan lists tracked files), put back after each planted defect.
  let dir = "";
  beforeAll(() => {
    dir = scratchRepo();
  });
  afterEach(() => resetScratchRepo(dir));
  afterAll(() => removeScratch(dir));

  it("passes the committed fleet with zero failures", async () => {
    const report = await checkFleet(REPO, DEFAULT_FLEET, TENANTS, { rendered: await renderedFleet() });
    expect(report.findings.map((f) => `${f.rule} ${f.cluster} ${f.object} ${f.path}: ${f.message}`)).toEqual([]);
    expect(report.summary.objects).toBeGreaterThan(1000);
    expect(formatReport(report, "text")).toMatch(
      new RegExp(`check: ${clusterFolderCount()} folders, \\d+ objects checked, \\d+ rules run, 0 failures, \\d+ exceptions\\n$`),
    );
  });

  describe("strict schema", () => {
    it("rejects an unknown field that a patch introduces, naming cluster, object and path", async () => {
      addPatch(dir, "clusters/dev-usw2/uiota", { kind: "Deployment", name: "mcp-server" }, [
        { op: "add", path: "/spec/template/spec/containers/0/imagePullPolicyy", value: "Always" },
      ]);
      const report = await check(dir, "dev-usw2");
      expect(report.findings).toContainEqual(
        expect.objectContaining({
          rule: "schema",
          cluster: "dev-usw2",
          tenant: "uiota",
          object: "Deployment/uiota/mcp-server",
          path: "/spec/template/spec/containers/0/imagePullPolicyy",
        }),
      );
      expect(report.findings.find((f) => f.rule === "schema")?.message).toMatch(
        /unknown field "imagePullPolicyy" \(did you mean "imagePullPolicy"\?\)/,
      );
    });

    it("rejects a wrong type that a patch introduces", async () => {
      addPatch(dir, "clusters/prod-euw1/uiota", { kind: "StatefulSet", name: "offline-dns" }, [
        { op: "replace", path: "/spec/replicas", value: "three" },
      ]);
      const report = await check(dir, "prod-euw1");
      expect(report.findings).toContainEqual(
        expect.objectContaining({
          rule: "schema",
          object: "StatefulSet/uiota/offline-dns",
          path: "/spec/replicas",
          message: "must be integer",
        }),
      );
    });
  });

  describe("planted violations, each through a real overlay patch", () => {
    it("names a privileged container", async () => {
      addPatch(dir, "clusters/staging-usw2/mlcf", { kind: "Deployment", name: "mlcf-api" }, [
        { op: "replace", path: "/spec/template/spec/containers/0/securityContext/privileged", value: true },
      ]);
      const report = await check(dir, "staging-usw2");
      expect(report.findings).toContainEqual(
        expect.objectContaining({ rule: "pss-privileged", cluster: "staging-usw2", object: "Deployment/mlcf/mlcf-api" }),
      );
    });

    it("names a Service whose selector matches no pod", async () => {
      addPatch(dir, "clusters/dev-usw2/agentguard", { kind: "Service", name: "nginx" }, [
        { op: "replace", path: "/spec/selector/app.kubernetes.io~1name", value: "ngnix" },
      ]);
      const report = await check(dir, "dev-usw2");
      expect(report.findings).toContainEqual(expect.objectContaining({ rule: "ref-service-selector", object: "Service/agentguard/nginx" }));
    });

    it("names a GPU pod without the GPU toleration", async () => {
      addPatch(dir, "clusters/prod-use1/uiota", { kind: "StatefulSet", name: "offline-ai" }, [
        { op: "remove", path: "/spec/template/spec/tolerations" },
      ]);
      const report = await check(dir, "prod-use1");
      expect(report.findings).toContainEqual(
        expect.objectContaining({ rule: "gpu-toleration", cluster: "prod-use1", object: "StatefulSet/uiota/offline-ai" }),
      );
    });

    it("names a Secret that carries data", async () => {
      const folder = join(dir, "clusters/dev-usw2/uiota");
      // Built at run time so the planted credential never sits in a tracked file.
      writeFileSync(
        join(folder, "planted-secret.yaml"),
        stringify({
          apiVersion: "v1",
          kind: "Secret",
          metadata: { name: "planted", namespace: "uiota" },
          stringData: { password: ["pl", "anted"].join("") },
        }),
      );
      const k = join(folder, "kustomization.yaml");
      writeFileSync(k, readFileSync(k, "utf8").replace("resources:\n", "resources:\n  - planted-secret.yaml\n"));
      const report = await check(dir, "dev-usw2");
      expect(report.findings).toContainEqual(expect.objectContaining({ rule: "secret-inline-data", object: "Secret/uiota/planted" }));
    });

    it("names a staging Application aimed at a prod cluster", async () => {
      const file = join(dir, "apps/fleet/applicationsets.yaml");
      const docs = parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS() as Record<string, any>);
      const uiota = docs.find((d) => d.kind === "ApplicationSet" && d.metadata.name === "uiota");
      const elements: Record<string, string>[] = uiota?.spec.generators[0].list.elements;
      const staging = elements.find((e) => e.env === "staging")!;
      // Retarget it at prod-usw2, whose own element goes: two elements rendering one name would
      // make the ApplicationSet controller refuse the whole set (argo-appset-expand) instead.
      uiota!.spec.generators[0].list.elements = elements.filter((e) => e.cluster !== "prod-usw2");
      staging.cluster = "prod-usw2";
      writeFileSync(file, docs.map((d) => `---\n${stringify(d)}`).join(""));
      const report = await check(dir, "dev-usw2");
      expect(report.findings.filter((f) => f.rule === "argo-env-crossing").map((f) => f.message)).toEqual([
        expect.stringMatching(/env=staging targets prod cluster prod-usw2/),
      ]);
      expect(report.findings.some((f) => f.rule === "argo-project-destination")).toBe(true);
    });
  });
});
