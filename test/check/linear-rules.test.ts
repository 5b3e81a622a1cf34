/**
 * The linear check gives the same findings as the all-pairs one: on a cluster of many
 * tenant folders with planted violations (cross-namespace references, a namespace shared
 * by two folders, cluster-scoped objects several rules read), the per-namespace engine
 * equals running every rule on the whole cluster, the indexed reference rules equal the
 * legacy scans, and the per-folder cache serves the same findings and re-checks only a
 * changed folder.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CheckCache } from "../../generators/check/cache.js";
import {
  RULES,
  runPolicies,
  type Finding,
  type K8sObject,
  type PolicyFolder,
  type PolicyInput,
  type Rule,
} from "../../generators/check/policy/index.js";
import { REFERENCE_RULES } from "../../generators/check/policy/references.js";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { renderedFleet } from "../helpers/fleet.js";
import { LEGACY_REFERENCE_RULES } from "./legacy/references.js";
import { appsObjects, clusterObjects, NS, type O } from "./policy-fixtures.js";

const TODAY = new Date("2026-11-22T12:00:00Z");
const CLUSTER = "prod-usw2";

/** The compliant fixture tenant moved to namespace `ns`; cluster-scoped objects only when `scoped`. */
function tenant(ns: string, scoped: boolean): O[] {
  const objs = JSON.parse(JSON.stringify(clusterObjects()).replaceAll(`"namespace":"${NS}"`, `"namespace":"${ns}"`)) as O[];
  for (const o of objs) if (o.kind === "Namespace") o.metadata.name = ns;
  return objs.filter((o) => scoped || o.metadata.namespace !== undefined || o.kind === "Namespace");
}

const by = (objs: O[], kind: string, name = "web"): O => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind}/${name}`);
  return o;
};
const drop = (objs: O[], kind: string, name = "web"): O[] => objs.filter((x) => !(x.kind === kind && x.metadata.name === name));

/** Ten tenant folders plus two folders sharing one namespace, each with its own planted faults. */
function plantedFolders(): PolicyFolder[] {
  const folders: { tenant: string; objects: O[] }[] = [];
  for (let i = 0; i < 10; i++) folders.push({ tenant: `t${i}`, objects: tenant(`t${i}`, i === 0) });
  const f = (i: number): O[] => folders[i]!.objects;
  // t1: a missing ConfigMap and a Service selecting nothing.
  folders[1]!.objects = drop(f(1), "ConfigMap", "web-config");
  by(f(1), "Service").spec.selector = { "app.kubernetes.io/name": "nothing" };
  // t2: VirtualServices naming a Service of another namespace (fine), its own by short name (fine), and nothing.
  f(2).push({
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: { name: "web", namespace: "t2" },
    spec: {
      hosts: ["web"],
      http: [
        {
          route: [
            { destination: { host: "web.t3.svc.cluster.local" } },
            { destination: { host: "web.t9" } },
            { destination: { host: "nope" } },
          ],
        },
      ],
    },
  });
  f(2).push({
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: { name: "short", namespace: "t2" },
    spec: { hosts: ["web"], http: [{ route: [{ destination: { host: "db" } }] }] },
  });
  // t3: ServiceMonitors reaching other namespaces by name and by `any`, and one that reaches nothing.
  f(3).push({
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: { name: "cross", namespace: "t3" },
    spec: {
      namespaceSelector: { matchNames: ["t0", "t4"] },
      selector: { matchLabels: { metrics: "true" } },
      endpoints: [{ port: "metrics" }, { port: "grpc" }],
    },
  });
  f(3).push({
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: { name: "all", namespace: "t3" },
    spec: { namespaceSelector: { any: true }, selector: { matchLabels: { metrics: "true" } }, endpoints: [{ port: "metrics" }] },
  });
  f(3).push({
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: { name: "none", namespace: "t3" },
    spec: {
      namespaceSelector: { matchNames: ["absent"] },
      selector: { matchLabels: { metrics: "true" } },
      endpoints: [{ port: "metrics" }],
    },
  });
  // t4: an HPA aimed at a missing Deployment, a PDB and a NetworkPolicy selecting nothing.
  f(4).push({
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: "ghost", namespace: "t4" },
    spec: { minReplicas: 2, maxReplicas: 3, scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "ghost" } },
  });
  by(f(4), "PodDisruptionBudget").spec.selector = { matchLabels: { x: "y" } };
  by(f(4), "NetworkPolicy").spec.podSelector = { matchLabels: { x: "y" } };
  // t5: the Secret's ExternalSecret and the ServiceAccount are gone; the token is mounted; a ClusterRoleBinding (cluster-scoped, another folder) grants t6's ServiceAccount.
  folders[5]!.objects = drop(drop(f(5), "ExternalSecret", "web-secret"), "ServiceAccount");
  by(f(5), "Deployment").spec.template.spec.automountServiceAccountToken = true;
  by(f(6), "Deployment").spec.template.spec.automountServiceAccountToken = true;
  f(0).push({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name: "t6-reader" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
    subjects: [{ kind: "ServiceAccount", name: "web", namespace: "t6" }],
  });
  // t7: a GPU pod on a NodePool that exists (cluster-scoped, in t0's folder) and one on a pool that does not; an Ingress to a missing port.
  const gpu = by(f(7), "Deployment").spec.template.spec;
  gpu.containers[0].resources.limits["nvidia.com/gpu"] = "1";
  gpu.tolerations = [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }];
  gpu.nodeSelector = { "karpenter.sh/nodepool": "gpu" };
  const gpu2 = JSON.parse(JSON.stringify(by(f(7), "Deployment"))) as O;
  gpu2.metadata.name = "web2";
  gpu2.spec.template.spec.nodeSelector = { "karpenter.sh/nodepool": "absent" };
  f(7).push(gpu2);
  by(f(7), "Ingress").spec.rules[0].http.paths[0].backend.service.port = { number: 81 };
  // t8: a deprecated API version and a credential-looking annotation.
  by(f(8), "ConfigMap", "web-config").metadata.annotations = { note: ["postgres", "://", "u", ":", "p", "@db/x"].join("") };
  f(8).push({ apiVersion: "flowcontrol.apiserver.k8s.io/v1beta2", kind: "FlowSchema", metadata: { name: "fs" }, spec: {} });
  // One namespace rendered by two folders: the workload in one, its Service, Secret and policies in the other.
  const shared = tenant("shared", false);
  const workload = ["Deployment", "ServiceAccount", "ConfigMap", "PersistentVolumeClaim"];
  folders.push({ tenant: "shared-a", objects: shared.filter((o) => workload.includes(o.kind)) });
  folders.push({ tenant: "shared-b", objects: shared.filter((o) => !workload.includes(o.kind)) });
  return folders.map((x) => ({ cluster: CLUSTER, tenant: x.tenant, objects: x.objects as K8sObject[] }));
}

function input(folders: readonly PolicyFolder[]): PolicyInput {
  return { fleet: DEFAULT_FLEET, folders, apps: appsObjects() as K8sObject[] };
}

const lines = (fs: readonly Finding[]): string[] =>
  fs.map((f) => `${f.rule} ${f.cluster} ${f.tenant} ${f.object} ${f.path}: ${f.message}`).sort();
const run = (i: PolicyInput, rules: readonly Rule[], mode: "partitioned" | "whole", cache?: CheckCache): string[] =>
  lines(runPolicies(i, [], TODAY, rules, { mode, cache }).findings);
const withLegacyRefs = RULES.map((r) => LEGACY_REFERENCE_RULES.find((l) => l.id === r.id) ?? r);

describe("the linear check", () => {
  it("plants violations the rules find, across namespaces and folders", () => {
    const found = run(input(plantedFolders()), RULES, "whole");
    const rules = new Set(found.map((l) => l.split(" ")[0]));
    for (const id of [
      "ref-configmap",
      "ref-service-selector",
      "ref-istio-hosts",
      "ref-servicemonitor",
      "ref-scale-target",
      "ref-pdb-target",
      "ref-networkpolicy-selects",
      "ref-secret",
      "ref-service-account",
      "wl-automount-token",
      "ref-ingress-backend",
      "api-removed",
      "secret-credential-pattern",
      "gpu-nodepool",
    ])
      expect(rules, id).toContain(id);
    // Cross-namespace references that resolve are not findings.
    expect(found.filter((l) => l.includes("web.t3.svc.cluster.local") || l.includes("web.t9"))).toEqual([]);
    expect(found.filter((l) => l.startsWith("ref-servicemonitor") && l.includes("ServiceMonitor/t3/all"))).toEqual([]);
    // The shared namespace's references resolve across its two folders; only the
    // one-tenant-per-namespace rule objects to the sharing itself.
    expect(found.filter((l) => l.includes("/shared/") && !l.startsWith("kube-namespace "))).toEqual([]);
  });

  it("runs namespace-local rules per namespace with the same findings as on the whole cluster", () => {
    const i = input(plantedFolders());
    const whole = run(i, RULES, "whole");
    expect(whole.length).toBeGreaterThan(15);
    expect(run(i, RULES, "partitioned")).toEqual(whole);
  });

  it("gives the same findings from the indexed reference rules as from the legacy all-pairs scans", () => {
    const i = input(plantedFolders());
    const legacy = run(i, LEGACY_REFERENCE_RULES, "whole");
    expect(legacy.length).toBeGreaterThan(8);
    expect(run(i, REFERENCE_RULES, "whole")).toEqual(legacy);
    expect(run(i, REFERENCE_RULES, "partitioned")).toEqual(legacy);
    expect(run(i, RULES, "partitioned")).toEqual(run(i, withLegacyRefs, "whole"));
  });

  it("gives the same findings either way on the committed fleet", async () => {
    const i = input(await renderedFleet());
    expect(i.folders.length).toBeGreaterThan(30);
    expect(run(i, RULES, "partitioned")).toEqual(run(i, withLegacyRefs, "whole"));
  });

  it("serves unchanged folders from the check cache and re-checks only a changed one", () => {
    const cache = (): CheckCache => new CheckCache("/", mkdtempSync(join(tmpdir(), "check-cache-")));
    const folders = plantedFolders();
    const first = cache();
    const cold = run(input(folders), RULES, "partitioned", first);
    // Every namespace is one entry, the one two folders render into too (as the platform does in every tenant's).
    expect(first.stats).toEqual({ hits: 0, misses: 11 });
    const second = new CheckCache("/", first.dir);
    expect(run(input(folders), RULES, "partitioned", second)).toEqual(cold);
    expect(second.stats).toEqual({ hits: 11, misses: 0 });
    // Plant a new fault in one folder: only its namespace misses, and the finding appears.
    const changed = folders.map((f) => (f.tenant === "t9" ? { ...f, objects: f.objects.filter((o) => o.kind !== "ConfigMap") } : f));
    const third = new CheckCache("/", first.dir);
    const after = run(input(changed), RULES, "partitioned", third);
    expect(third.stats).toEqual({ hits: 10, misses: 1 });
    expect(after).toEqual(run(input(changed), RULES, "whole"));
    expect(after.filter((l) => l.startsWith("ref-configmap") && l.includes(" t9 "))).toHaveLength(1);
  });
});
