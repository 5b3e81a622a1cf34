import { describe, expect, it } from "vitest";
import { globMatch, matchPattern } from "../../generators/argo/glob.js";
import {
  applicationViolations,
  isDestinationPermitted,
  isGroupKindPermitted,
  isSourcePermitted,
  resourceJudge,
  resourceViolation,
  type ProjectLike,
} from "../../generators/argo/project.js";

const project = (spec: ProjectLike["spec"]): ProjectLike => ({ metadata: { name: "p" }, spec });

describe("glob", () => {
  it("matches like gobwas/glob", () => {
    expect(globMatch("prod-*", "prod-usw2")).toBe(true);
    expect(globMatch("prod-*", "staging-usw2")).toBe(false);
    expect(matchPattern("!prod-*", "staging-usw2")).toBe(true);
    expect(globMatch("{dev,staging}-*", "staging-euw1")).toBe(true);
    expect(globMatch("https://github.com/org/*", "https://github.com/org/a/b", "/")).toBe(false);
    expect(globMatch("https://github.com/org/**", "https://github.com/org/a/b", "/")).toBe(true);
    expect(globMatch("ns-?", "ns-1")).toBe(true);
  });
});

describe("sourceRepos", () => {
  it("admits matches, normalizes .git and case, honours ! denies", () => {
    const p = project({ sourceRepos: ["https://github.com/Example-Org/*", "!https://github.com/example-org/secret"] });
    expect(isSourcePermitted(p, "https://github.com/example-org/ai-fleet-gitops.git")).toBe(true);
    expect(isSourcePermitted(p, "https://github.com/example-org/secret.git")).toBe(false);
    // Argo CD evaluates `!p` as "not p": the deny entry admits everything it does not name.
    // That is why generated projects never use `!` in sourceRepos, only exact URLs.
    expect(isSourcePermitted(p, "https://charts.jetstack.io")).toBe(true);
    expect(isSourcePermitted(project({ sourceRepos: ["https://github.com/example-org/*"] }), "https://charts.jetstack.io")).toBe(false);
    expect(isSourcePermitted(project({ sourceRepos: [] }), "https://x")).toBe(false);
    expect(isSourcePermitted(project({ sourceRepos: ["*"] }), "https://charts.jetstack.io")).toBe(true);
  });
});

describe("destinations", () => {
  const p = project({
    destinations: [
      { name: "staging-*", namespace: "uiota" },
      { server: "https://kubernetes.default.svc", namespace: "argocd" },
      { name: "*", namespace: "!kube-system" },
    ],
  });
  it("needs name or server and namespace to match", () => {
    expect(isDestinationPermitted(p, { name: "staging-usw2", namespace: "uiota" })).toBe(true);
    expect(isDestinationPermitted(p, { server: "https://kubernetes.default.svc", namespace: "argocd" })).toBe(true);
    expect(
      isDestinationPermitted(project({ destinations: [{ name: "staging-*", namespace: "uiota" }] }), {
        name: "prod-usw2",
        namespace: "uiota",
      }),
    ).toBe(false);
    expect(
      isDestinationPermitted(project({ destinations: [{ name: "staging-*", namespace: "uiota" }] }), {
        name: "staging-usw2",
        namespace: "other",
      }),
    ).toBe(false);
  });
  it("a ! entry rejects what it matches", () => {
    expect(isDestinationPermitted(p, { name: "staging-usw2", namespace: "kube-system" })).toBe(false);
    const denyProd = project({
      destinations: [
        { name: "!prod-*", namespace: "*" },
        { name: "*", namespace: "uiota" },
      ],
    });
    expect(isDestinationPermitted(denyProd, { name: "prod-usw2", namespace: "uiota" })).toBe(false);
    expect(isDestinationPermitted(denyProd, { name: "dev-usw2", namespace: "uiota" })).toBe(true);
  });
});

describe("resource kinds", () => {
  it("cluster-scoped kinds need a whitelist entry and no blacklist entry", () => {
    const p = project({
      clusterResourceWhitelist: [{ group: "*", kind: "*" }],
      clusterResourceBlacklist: [{ group: "rbac.authorization.k8s.io", kind: "*" }],
    });
    expect(isGroupKindPermitted(p, { group: "", kind: "Namespace" }, false)).toBe(true);
    expect(isGroupKindPermitted(p, { group: "rbac.authorization.k8s.io", kind: "ClusterRole" }, false)).toBe(false);
    expect(isGroupKindPermitted(project({ clusterResourceWhitelist: [] }), { group: "", kind: "Namespace" }, false)).toBe(false);
    expect(isGroupKindPermitted(project({}), { group: "", kind: "Namespace" }, false)).toBe(false);
  });
  it("namespaced kinds: no whitelist admits all, an empty one none, blacklist wins", () => {
    expect(isGroupKindPermitted(project({}), { group: "apps", kind: "Deployment" }, true)).toBe(true);
    expect(isGroupKindPermitted(project({ namespaceResourceWhitelist: [] }), { group: "apps", kind: "Deployment" }, true)).toBe(false);
    expect(
      isGroupKindPermitted(
        project({ namespaceResourceBlacklist: [{ group: "*", kind: "*" }] }),
        { group: "apps", kind: "Deployment" },
        true,
      ),
    ).toBe(false);
  });
  it("checks every rendered resource's kind and namespace", () => {
    const p = project({ sourceRepos: ["*"], destinations: [{ name: "dev-usw2", namespace: "uiota" }], clusterResourceWhitelist: [] });
    const app = {
      metadata: { name: "a" },
      spec: { project: "p", source: { repoURL: "x" }, destination: { name: "dev-usw2", namespace: "uiota" } },
    };
    expect(applicationViolations(new Map([["p", p]]), app)).toEqual([]);
    expect(resourceViolation(p, app, { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" } })).toBeUndefined();
    expect(resourceViolation(p, app, { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d", namespace: "other" } })).toMatch(
      /outside/,
    );
    expect(resourceViolation(p, app, { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "r" } })).toMatch(
      /cluster-scoped/,
    );
    expect(applicationViolations(new Map(), app)).toEqual(["a: project p does not exist"]);
  });
  it("judges a folder's manifests as one by one, naming each refused object", () => {
    const p = project({
      sourceRepos: ["*"],
      destinations: [{ name: "dev-usw2", namespace: "uiota" }],
      clusterResourceWhitelist: [],
      namespaceResourceBlacklist: [{ group: "", kind: "ResourceQuota" }],
    });
    const app = {
      metadata: { name: "a" },
      spec: { project: "p", source: { repoURL: "x" }, destination: { name: "dev-usw2", namespace: "uiota" } },
    };
    const manifests = [
      { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d1" } },
      { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d2", namespace: "other" } },
      { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d3", namespace: "other" } },
      { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "q1" } },
      { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "q2" } },
      { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "r" } },
    ];
    const judge = resourceJudge(p, app);
    const judged = manifests.map((m) => judge(m));
    expect(judged).toEqual(manifests.map((m) => resourceViolation(p, app, m)));
    // The memo is by group, kind and namespace; the message still names each object.
    expect(judged.filter((v) => v !== undefined)).toHaveLength(5);
    expect(judged[2]).toContain("Deployment/d3");
    expect(judged[4]).toContain("ResourceQuota/q2");
  });
});
