/**
 * A mistake generate cannot see, because it was made by hand in the generated tree: the
 * check renders what is committed and fails on it with the API-server rule's id.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { TENANTS } from "../../generators/tenants/index.js";
import { checkFleet } from "../../generators/check/run.js";
import { formatReport } from "../../generators/check/report.js";
import { addPatch, removeScratch, resetScratchRepo, scratchRepo } from "../helpers/repo.js";
import { TEST_RENDER_CACHE } from "../helpers/fleet.js";

// One cluster of a scratch copy; folders the hand edit leaves alone come from the suite's render cache
// (keyed by each folder's inputs), so kustomize runs only on the edited folder.
const check = (dir: string, cluster: string) => checkFleet(dir, DEFAULT_FLEET, TENANTS, { cluster, cache: { dir: TEST_RENDER_CACHE } });

describe("npm run check on a hand-edited generated tree", () => {
  // One scratch copy (a git repository: the secret scan lists tracked files), put back after each hand edit.
  let dir = "";
  beforeAll(() => {
    dir = scratchRepo();
  });
  afterEach(() => resetScratchRepo(dir));
  afterAll(() => removeScratch(dir));

  it.each([
    {
      rule: "kube-resources",
      what: "a memory limit below the request",
      folder: "clusters/dev-usw2/uiota",
      target: { kind: "Deployment", name: "mcp-server" },
      ops: [{ op: "replace", path: "/spec/template/spec/containers/0/resources/limits/memory", value: "1Mi" }],
      object: "Deployment/uiota/mcp-server",
      message: /must be less than or equal to memory limit of 1Mi/,
    },
    {
      rule: "kube-unique",
      what: "two Service ports on the same port and protocol",
      folder: "clusters/dev-usw2/mlcf",
      target: { kind: "Service", name: "mlcf-api" },
      ops: [{ op: "add", path: "/spec/ports/-", value: { name: "again", port: 80, targetPort: 8000 } }],
      object: "Service/mlcf/mlcf-api",
      message: /duplicate Service port and protocol/,
    },
    {
      rule: "kube-label",
      what: "a label value with a space",
      folder: "clusters/staging-usw2/ossa",
      target: { kind: "Deployment", name: "gateway" },
      ops: [{ op: "add", path: "/metadata/labels/team", value: "agent ops" }],
      object: "Deployment/ossa-platform/gateway",
      message: /label value/,
    },
    {
      rule: "kube-image",
      what: "an image with an upper-case repository",
      folder: "clusters/dev-usw2/agentguard",
      target: { kind: "Deployment", name: "nginx" },
      ops: [{ op: "replace", path: "/spec/template/spec/containers/0/image", value: "docker.io/Library/nginx:1.27" }],
      object: "Deployment/agentguard/nginx",
      message: /not a valid image name/,
    },
    {
      rule: "kube-namespace",
      what: "a tenant object moved into kube-system",
      folder: "clusters/dev-usw2/uiota",
      target: { kind: "ConfigMap", name: "guardian-config" },
      ops: [{ op: "replace", path: "/metadata/namespace", value: "kube-system" }],
      object: undefined,
      message: /kube-\* namespaces belong to Kubernetes itself/,
    },
  ])(
    "fails with $rule on $what",
    async (c) => {
      addPatch(dir, c.folder, c.target, c.ops);
      const cluster = c.folder.split("/")[1] ?? "";
      const report = await check(dir, cluster);
      const hits = report.findings.filter((f) => f.rule === c.rule);
      expect(hits.length).toBeGreaterThan(0);
      if (c.object) expect(hits.map((h) => h.object)).toContain(c.object);
      expect(hits.map((h) => h.message).join("\n")).toMatch(c.message);
      expect(formatReport(report, "text")).toContain(c.rule);
    },
    60_000,
  );
});
