/**
 * The API server's validation of whole objects (generators/rules/objects.ts), and its use
 * at generate time on every emitted object: the committed fleet's objects are all clean,
 * and each planted mistake is found with its rule, path and the emitting source.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { TENANTS } from "../../generators/tenants/index.js";
import { layoutTree } from "../../generators/layout/tree.js";
import type { KubeObject } from "../../generators/builders/object.js";
import { emittedObjectProblems } from "../../generators/generate.js";
import type { TenantSpec } from "../../generators/api/tenant.js";
import { objectProblems } from "../../generators/rules/objects.js";
import { loadPins } from "../../generators/api/pins.js";
import { REPO } from "../helpers/repo.js";

/** Test-only: objects are mutated freely. */
type O = Record<string, any>;

const deployment = (): O => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "team", labels: { "app.kubernetes.io/name": "web" } },
  spec: {
    template: {
      metadata: { labels: { "app.kubernetes.io/name": "web" } },
      spec: {
        volumes: [{ name: "tmp", emptyDir: {} }],
        containers: [
          {
            name: "web",
            image: "ghcr.io/a/web:1.0",
            ports: [{ name: "http", containerPort: 8080 }],
            volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
            resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
          },
        ],
      },
    },
  },
});
const rules = (o: O): string[] => objectProblems(o).map((p) => `${p.rule} ${p.path}`);

describe("the API server's rules on whole objects", () => {
  it("finds nothing in a valid Deployment", () => {
    expect(rules(deployment())).toEqual([]);
  });

  it.each<[string, (o: O) => void, string]>([
    ["a Deployment name with upper case", (o) => (o.metadata.name = "Web"), "kube-name metadata.name"],
    ["a namespace that is not a DNS label", (o) => (o.metadata.namespace = "team.a"), "kube-name metadata.namespace"],
    ["a label key with two slashes", (o) => (o.metadata.labels["a/b/c"] = "x"), "kube-label metadata.labels[a/b/c]"],
    [
      "a pod label value of 64 characters",
      (o) => (o.spec.template.metadata.labels.v = "a".repeat(64)),
      "kube-label spec.template.metadata.labels[v]",
    ],
    [
      "a duplicate volume",
      (o) => o.spec.template.spec.volumes.push({ name: "tmp", emptyDir: {} }),
      "kube-unique spec.template.spec.volumes[1].name",
    ],
    [
      "a mount of an undeclared volume",
      (o) => (o.spec.template.spec.containers[0].volumeMounts[0].name = "data"),
      "kube-unique spec.template.spec.containers[0].volumeMounts[0].name",
    ],
    [
      "a port name of 16 characters",
      (o) => (o.spec.template.spec.containers[0].ports[0].name = "a".repeat(16)),
      "kube-name spec.template.spec.containers[0].ports[0].name",
    ],
    [
      "an image with a space",
      (o) => (o.spec.template.spec.containers[0].image = "ghcr.io/a/web 1.0"),
      "kube-image spec.template.spec.containers[0].image",
    ],
    [
      "a CPU request above its limit",
      (o) => (o.spec.template.spec.containers[0].resources.limits.cpu = "50m"),
      "kube-resources spec.template.spec.containers[0].resources.requests.cpu",
    ],
  ])("finds %s", (_what, mutate, expected) => {
    const o = deployment();
    mutate(o);
    expect(rules(o)).toEqual([expected]);
  });

  it("checks Service names as DNS-1035 labels and port+protocol pairs as unique", () => {
    const svc: O = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "1web" },
      spec: {
        ports: [
          { name: "a", port: 80 },
          { name: "b", port: 80, protocol: "TCP" },
          { name: "c", port: 80, protocol: "UDP" },
        ],
      },
    };
    expect(rules(svc)).toEqual(["kube-name metadata.name", "kube-unique spec.ports[1]"]);
  });

  it("checks the names a StatefulSet's and a CronJob's controllers derive", () => {
    const sts: O = {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "d".repeat(53) },
      spec: { replicas: 3, template: { spec: { containers: [] } }, volumeClaimTemplates: [{ metadata: { name: "data" } }] },
    };
    expect(objectProblems(sts).map((p) => p.message)).toEqual([
      expect.stringMatching(/^StatefulSet name must be no more than 52 characters/),
    ]);
    const cj: O = {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: { name: "c".repeat(53) },
      spec: { schedule: "@daily", jobTemplate: { spec: { template: { spec: { containers: [] } } } } },
    };
    expect(objectProblems(cj).map((p) => p.message)).toEqual([expect.stringMatching(/^CronJob name must be no more than 52 characters/)]);
  });

  it("finds nothing in any object the committed fleet emits", () => {
    const seen: string[] = [];
    layoutTree(DEFAULT_FLEET, TENANTS, loadPins(REPO), (_path, source, objects) =>
      seen.push(...emittedObjectProblems(source, objects).map((p) => `${p.file}: ${p.field}: ${p.message}`)),
    );
    expect(seen).toEqual([]);
  });

  it("names the emitting source and the app's field at generate time, the generated object only for --debug", () => {
    const o = deployment();
    o.metadata.labels.team = "web team";
    o.spec.template.spec.containers[0].env = [{ name: "1ST", value: "x" }];
    const tenant = { name: "team", description: "", apps: [{ name: "web" }] } as unknown as TenantSpec;
    const problems = emittedObjectProblems("generators/tenants/team.ts", [o as unknown as KubeObject], tenant);
    expect(problems).toEqual([
      {
        file: "generators/tenants/team.ts",
        field: "apps[web]",
        value: "web team",
        message: expect.stringMatching(/^the Deployment built from it: label value a valid label must be .* \[kube-label\]$/),
        debug: "Deployment/team/web metadata.labels[team]",
      },
      {
        file: "generators/tenants/team.ts",
        field: "apps[web].env",
        value: "1ST",
        message: expect.stringMatching(/environment variable name must consist of .* \[kube-env\]$/),
        debug: "Deployment/team/web spec.template.spec.containers[0].env[0].name",
      },
    ]);
  });
});
