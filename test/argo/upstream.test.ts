/**
 * generators/argo against Argo CD's own test tables, case for case. Each block names the
 * upstream file and test function (argoproj/argo-cd) it reproduces; the expectations are
 * Argo CD's, not ours.
 */
import { describe, expect, it } from "vitest";
import { filepathMatch, globMatch } from "../../generators/argo/glob.js";
import { renderDeep, renderGoTemplate, TemplateError } from "../../generators/argo/gotemplate.js";
import {
  isDestinationPermitted,
  isGroupKindPermitted,
  isSourcePermitted,
  type ProjectDestination,
  type ProjectLike,
} from "../../generators/argo/project.js";
import { expandAll } from "../../generators/argo/expand.js";
import { ARGOCD_RULES } from "../../generators/check/policy/argocd-isolation.js";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";

const project = (spec: ProjectLike["spec"]): ProjectLike => ({ metadata: { name: "p" }, spec });

describe("util/glob/glob_test.go", () => {
  // Test_Match and Test_MatchWithError: an invalid pattern matches nothing.
  it.each([
    ["Exact match", "hello", "hello", true],
    ["Non-match exact", "hello", "hell", false],
    ["Long glob match", "hello", "hell*", true],
    ["Short glob match", "hello", "h*", true],
    ["Glob non-match", "hello", "e*", false],
    ["Invalid pattern", "e[[a*", "e[[a*", false],
  ])("Test_Match %s", (_name, input, pattern, result) => {
    expect(globMatch(pattern, input)).toBe(result);
  });

  it("Test_GlobCacheKeyIncludesSeparators: without separators * crosses '/', with '/' it does not", () => {
    expect(globMatch("a*b", "a/b")).toBe(true);
    expect(globMatch("a*b", "a/b", "/")).toBe(false);
  });
});

describe("pkg/apis/application/v1alpha1/types_test.go TestAppProject_IsSourcePermitted", () => {
  it.each([
    [["*"], "https://github.com/argoproj/test.git", true],
    [["https://github.com/argoproj/test.git"], "https://github.com/argoproj/test.git", true],
    [["ssh://git@GITHUB.com:argoproj/test"], "ssh://git@github.com:argoproj/test", true],
    [["https://github.com/argoproj/*"], "https://github.com/argoproj/argoproj.git", true],
    [["https://github.com/test1/test.git", "https://github.com/test2/test.git"], "https://github.com/test2/test.git", true],
    [["https://github.com/argoproj/test1.git"], "https://github.com/argoproj/test2.git", false],
    [["https://github.com/argoproj/*.git"], "https://github.com/argoproj1/test2.git", false],
    [["https://github.com/argoproj/foo"], "https://github.com/argoproj/foo1", false],
    [["https://gitlab.com/group/*"], "https://gitlab.com/group/repo/owner", false],
    [["https://gitlab.com/group/*/*"], "https://gitlab.com/group/repo/owner", true],
    [["https://gitlab.com/group/*/*/*"], "https://gitlab.com/group/sub-group/repo/owner", true],
    [["https://gitlab.com/group/**"], "https://gitlab.com/group/sub-group/repo/owner", true],
  ])("%j admits %s: %s", (sourceRepos, repo, permitted) => {
    expect(isSourcePermitted(project({ sourceRepos }), repo)).toBe(permitted);
  });
});

describe("types_test.go TestAppProject_IsNegatedSourcePermitted", () => {
  it.each([
    [["!https://github.com/argoproj/test.git"], "https://github.com/argoproj/test.git", false],
    [["!ssh://git@GITHUB.com:argoproj/test"], "ssh://git@github.com:argoproj/test", false],
    [["!https://github.com/argoproj/*"], "https://github.com/argoproj/argoproj.git", false],
    [["https://github.com/test1/test.git", "!https://github.com/test2/test.git"], "https://github.com/test2/test.git", false],
    [["!https://github.com/argoproj/foo*"], "https://github.com/argoproj/foo1", false],
    [["!https://gitlab.com/group/*/*"], "https://gitlab.com/group/repo/owner", false],
    [["!https://gitlab.com/group/*/*/*"], "https://gitlab.com/group/sub-group/repo/owner", false],
    [["!https://gitlab.com/group/**"], "https://gitlab.com/group/sub-group/repo/owner", false],
    [["*"], "https://github.com/argoproj/test.git", true],
    [["https://github.com/argoproj/test1.git", "*"], "https://github.com/argoproj/test2.git", true],
    [["!https://github.com/argoproj/*.git", "*"], "https://github.com/argoproj1/test2.git", true],
  ])("%j admits %s: %s", (sourceRepos, repo, permitted) => {
    expect(isSourcePermitted(project({ sourceRepos }), repo)).toBe(permitted);
  });
});

type DestCase = [ProjectDestination[], ProjectDestination, boolean];
const K8S = "https://kubernetes.default.svc";

describe("types_test.go TestAppProject_IsDestinationPermitted", () => {
  const cases: DestCase[] = [
    [[{ server: K8S, namespace: "default" }], { server: K8S, namespace: "default" }, true],
    [[{ server: K8S, namespace: "default" }], { server: K8S, namespace: "kube-system" }, false],
    [[{ server: "https://my-cluster", namespace: "default" }], { server: K8S, namespace: "default" }, false],
    [[{ server: K8S, namespace: "*" }], { server: K8S, namespace: "kube-system" }, true],
    [[{ server: "https://*.default.svc", namespace: "default" }], { server: K8S, namespace: "default" }, true],
    [[{ server: "https://team1-*", namespace: "default" }], { server: "https://test2-dev-cluster", namespace: "default" }, false],
    [[{ server: K8S, namespace: "test-*" }], { server: K8S, namespace: "test-foo" }, true],
    [[{ server: K8S, namespace: "test-*" }], { server: K8S, namespace: "test" }, false],
    [[{ server: "*", namespace: "*" }], { server: K8S, namespace: "test" }, true],
    [[{ server: "", namespace: "*", name: "test" }], { name: "test", namespace: "test" }, true],
    [[{ server: "", namespace: "*", name: "test2" }], { name: "test", namespace: "test" }, false],
  ];
  it.each(cases)("%j admits %j: %s", (destinations, dest, permitted) => {
    expect(isDestinationPermitted(project({ destinations }), dest)).toBe(permitted);
  });
});

describe("types_test.go TestAppProject_IsNegatedDestinationPermitted", () => {
  const cases: DestCase[] = [
    [[{ server: `!${K8S}`, namespace: "default" }], { server: K8S, namespace: "default" }, false],
    [[{ server: K8S, namespace: "!default" }], { server: K8S, namespace: "kube-system" }, true],
    [[{ server: "!https://my-cluster", namespace: "default" }], { server: K8S, namespace: "default" }, true],
    [[{ server: `!${K8S}`, namespace: "*" }], { server: K8S, namespace: "kube-system" }, false],
    [[{ server: "!https://*.default.svc", namespace: "default" }], { server: K8S, namespace: "default" }, false],
    [[{ server: "!https://team1-*", namespace: "default" }], { server: "https://test2-dev-cluster", namespace: "default" }, true],
    [[{ server: K8S, namespace: "!test-*" }], { server: K8S, namespace: "test-foo" }, false],
    [[{ server: K8S, namespace: "!test-*" }], { server: K8S, namespace: "test" }, true],
    [[{ server: "", namespace: "*", name: "!test" }], { name: "test", namespace: "test" }, false],
    [[{ server: "", namespace: "*", name: "!test2" }], { name: "test", namespace: "test" }, true],
    [
      [
        { server: "*", namespace: "kube-system" },
        { server: "*", namespace: "!kube-system" },
      ],
      { server: K8S, namespace: "kube-system" },
      false,
    ],
    [
      [
        { server: "*", namespace: "*" },
        { server: "*", namespace: "!kube-system" },
      ],
      { server: K8S, namespace: "kube-system" },
      false,
    ],
    [
      [
        { server: K8S, namespace: "*" },
        { server: `!${K8S}`, namespace: "*" },
      ],
      { server: K8S, namespace: "kube-system" },
      false,
    ],
    [
      [
        { server: "*", namespace: "*" },
        { server: `!${K8S}`, namespace: "kube-system" },
      ],
      { server: K8S, namespace: "kube-system" },
      false,
    ],
    [
      [
        { server: "*", namespace: "*" },
        { server: `!${K8S}`, namespace: "kube-system" },
        { server: "*", namespace: "!kube-system" },
      ],
      { server: K8S, namespace: "kube-system" },
      false,
    ],
    [
      [
        { server: "*", namespace: "*" },
        { server: `!${K8S}`, namespace: "kube-system" },
        { server: "*", namespace: "!kube-system" },
      ],
      { server: K8S, namespace: "default" },
      false,
    ],
    [
      [
        { server: "*", namespace: "*" },
        { server: `!${K8S}`, namespace: "kube-system" },
        { server: "*", namespace: "!kube-system" },
      ],
      { server: "https://test-dev-cluster", namespace: "kube-system" },
      false,
    ],
    [
      [
        { server: "", namespace: "*", name: "test" },
        { server: "", namespace: "*", name: "!test" },
      ],
      { name: "test", namespace: "test" },
      false,
    ],
  ];
  it.each(cases)("%j admits %j: %s", (destinations, dest, permitted) => {
    expect(isDestinationPermitted(project({ destinations }), dest)).toBe(permitted);
  });
});

describe("types_test.go TestAppProject_IsGroupKindPermitted", () => {
  it("reproduces proj … proj6", () => {
    const ns = (spec: ProjectLike["spec"], group: string, kind: string): boolean =>
      isGroupKindPermitted(project(spec), { group, kind }, true);
    const cl = (spec: ProjectLike["spec"], group: string, kind: string): boolean =>
      isGroupKindPermitted(project(spec), { group, kind }, false);
    const p1 = { namespaceResourceWhitelist: [], namespaceResourceBlacklist: [{ group: "apps", kind: "Deployment" }] };
    expect([ns(p1, "apps", "ReplicaSet"), ns(p1, "apps", "Deployment")]).toEqual([false, false]);
    const p2 = {
      namespaceResourceWhitelist: [{ group: "apps", kind: "ReplicaSet" }],
      namespaceResourceBlacklist: [{ group: "apps", kind: "Deployment" }],
    };
    expect([ns(p2, "apps", "ReplicaSet"), ns(p2, "apps", "Action")]).toEqual([true, false]);
    expect(cl({ clusterResourceBlacklist: [{ group: "", kind: "Namespace" }] }, "", "Namespace")).toBe(false);
    const p4 = { clusterResourceWhitelist: [{ group: "*", kind: "*" }], clusterResourceBlacklist: [{ group: "*", kind: "*" }] };
    expect([cl(p4, "", "Namespace"), ns(p4, "apps", "Action")]).toEqual([false, true]);
    const p5 = { clusterResourceWhitelist: [], namespaceResourceWhitelist: [{ group: "*", kind: "*" }] };
    expect([cl(p5, "", "Namespace"), ns(p5, "apps", "Action")]).toEqual([false, true]);
    expect([cl({}, "", "Namespace"), ns({}, "apps", "Action")]).toEqual([false, true]);
  });

  it("matches group and kind with Go's filepath.Match, which has no {a,b}", () => {
    expect(filepathMatch("*", "")).toBe(true);
    expect(filepathMatch("Cluster*", "ClusterRole")).toBe(true);
    expect(filepathMatch("{ClusterRole,Namespace}", "Namespace")).toBe(false);
    expect(filepathMatch("[", "x")).toBe(false);
  });
});

describe("applicationset/utils/utils_test.go TestRenderTemplateParamsGoTemplate", () => {
  it.each([
    ["simple substitution", "{{ .one }}", { one: "two" }, "two"],
    ["template contains itself, containing itself", "{{ .one }}", { one: "{{one}}" }, "{{one}}"],
    ["template contains itself, containing something else", "{{ .one }}", { one: "{{two}}" }, "{{two}}"],
    ["multiple on a line", "{{.one}}{{.one}}", { one: "two" }, "twotwo"],
    ["multiple different on a line", "{{.one}}{{.three}}", { one: "two", three: "four" }, "twofour"],
    ["multiple different on a line with quote", "{{.one}} {{.three}}", { one: '"hello" world', three: "four" }, '"hello" world four'],
    ["depth", "{{ .image.version }}", { replicas: 3, image: { name: "busybox", version: "latest" } }, "latest"],
    [
      "multiple depth",
      "{{ .image.name }}:{{ .image.version }}",
      { replicas: 3, image: { name: "busybox", version: "latest" } },
      "busybox:latest",
    ],
    [
      "Index",
      '{{ index .admin "admin-ca" }}, {{ index .admin "admin-jks" }}',
      { admin: { "admin-ca": "value admin ca", "admin-jks": "value admin jks" } },
      "value admin ca, value admin jks",
    ],
    ["quote", "{{.quote}}", { quote: '"' }, '"'],
    ["lookup missing value with missingkey=default", "--> {{.doesnotexist}} <--", { unused: "this is not used" }, "--> <no value> <--"],
  ])("%s", (_name, template, params, expected) => {
    expect(renderGoTemplate(template, params as Record<string, unknown>, { missingKey: "default" })).toBe(expected);
  });

  it("Test No Data: with no parameters the template is returned untouched", () => {
    expect(renderDeep({ path: "{{.data}}" }, {})).toEqual({ path: "{{.data}}" });
  });

  it("Test template error: a field of a string cannot be evaluated", () => {
    expect(() => renderGoTemplate("{{.data.test}}", { data: "a data string" }, { missingKey: "default" })).toThrow(
      /can't evaluate field test/,
    );
  });

  it("lookup missing value with missingkey=error", () => {
    expect(() => renderGoTemplate("--> {{.doesnotexist}} <--", { unused: "x" }, { missingKey: "error" })).toThrow(
      /map has no entry for key "doesnotexist"/,
    );
  });

  it("index on a map with a missing key is Go's zero value, also under missingkey=error (text/template index)", () => {
    expect(renderGoTemplate('{{ index .m "absent" }}', { m: { a: "x" } }, { missingKey: "error" })).toBe("<no value>");
    expect(renderGoTemplate('{{ index .m "a" }}', { m: { a: "x" } }, { missingKey: "error" })).toBe("x");
  });

  it("refuses what it does not model (functions, pipelines) instead of guessing", () => {
    expect(() => renderGoTemplate("{{functiondoesnotexist}}", { data: "x" })).toThrow(TemplateError);
    expect(() => renderGoTemplate("{{ toYaml . | indent 2 }}", { data: "x" })).toThrow(TemplateError);
  });
});

describe("the check and the tests share one Argo CD model", () => {
  const appSet = (template: string): Record<string, unknown> => ({
    apiVersion: "argoproj.io/v1alpha1",
    kind: "ApplicationSet",
    metadata: { name: "t", namespace: "argocd" },
    spec: {
      goTemplate: true,
      goTemplateOptions: ["missingkey=error"],
      generators: [
        {
          list: {
            elements: [
              { cluster: "staging-usw2", m: { a: "t" } },
              { cluster: "prod-usw2", m: { a: "t" } },
            ],
          },
        },
      ],
      template: {
        metadata: { name: template },
        spec: {
          project: "p",
          source: { repoURL: "https://github.com/example-org/ai-fleet-gitops.git" },
          destination: { name: "{{.cluster}}", namespace: "t" },
        },
      },
    },
  });
  const proj = {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "AppProject",
    metadata: { name: "p", namespace: "argocd" },
    spec: { sourceRepos: ["https://github.com/example-org/ai-fleet-gitops.git"], destinations: [{ name: "!prod-*", namespace: "t" }] },
  };
  const rule = (id: string) => ARGOCD_RULES.find((r) => r.id === id)!;

  it("a `!prod-*` destination admits non-prod clusters and refuses prod ones, in the check as in argo/", () => {
    const apps = [appSet('{{.cluster}}-{{ index .m "a" }}'), proj];
    const hits = rule("argo-project-destination").check({ apps, fleet: DEFAULT_FLEET });
    expect(hits.map((h) => h.cluster)).toEqual(["prod-usw2"]);
    expect(isDestinationPermitted(project(proj.spec), { name: "staging-usw2", namespace: "t" })).toBe(true);
  });

  it('`{{ index .m "a" }}` renders in the check\'s expansion as in argo/', () => {
    const { apps, errors } = expandAll([appSet('{{.cluster}}-{{ index .m "a" }}')]);
    expect(errors).toEqual([]);
    expect(apps.map((a) => a.app.metadata.name)).toEqual(["staging-usw2-t", "prod-usw2-t"]);
    expect(rule("argo-appset-expand").check({ apps: [appSet('{{.cluster}}-{{ index .m "a" }}')], fleet: DEFAULT_FLEET })).toEqual([]);
  });
});
