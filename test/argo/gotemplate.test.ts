import { describe, expect, it } from "vitest";
import { renderDeep, renderGoTemplate, TemplateError } from "../../generators/argo/gotemplate.js";
import { expandApplicationSet, ExpansionError, type AppSetLike } from "../../generators/argo/expand.js";

describe("Go template subset", () => {
  const params = { cluster: "dev-usw2", env: "dev", path: { segments: ["clusters", "dev-usw2", "uiota"] }, n: 3, m: { "a-b": "x" } };

  it("renders fields, nested fields and index", () => {
    expect(renderGoTemplate("{{.cluster}}-uiota", params)).toBe("dev-usw2-uiota");
    expect(renderGoTemplate("{{ index .path.segments 1 }}/{{index .path.segments 2}}", params)).toBe("dev-usw2/uiota");
    expect(renderGoTemplate('{{ index .m "a-b" }}', params)).toBe("x");
    expect(renderGoTemplate("n={{.n}}", params)).toBe("n=3");
    expect(renderGoTemplate("a  {{- .env -}}  b", params)).toBe("adevb");
    expect(renderGoTemplate("no actions", params)).toBe("no actions");
  });

  it("missingkey=error: a missing parameter throws; default prints <no value>", () => {
    expect(() => renderGoTemplate("{{.clustr}}", params)).toThrow(TemplateError);
    expect(() => renderGoTemplate("{{.path.nope}}", params)).toThrow(/no entry for key "nope"/);
    expect(renderGoTemplate("{{.clustr}}", params, { missingKey: "default" })).toBe("<no value>");
  });

  it("index out of range throws; unsupported syntax throws", () => {
    expect(() => renderGoTemplate("{{index .path.segments 7}}", params)).toThrow(/out of range/);
    expect(() => renderGoTemplate("{{ .cluster | upper }}", params)).toThrow(/pipelines/);
    expect(() => renderGoTemplate('{{ printf "%s" .cluster }}', params)).toThrow(/unsupported/);
    expect(() => renderGoTemplate("{{ .cluster ", params)).toThrow(/unclosed/);
  });

  it("renders keys and values deeply", () => {
    expect(renderDeep({ "x/{{.env}}": ["{{.cluster}}", 1, true] }, params)).toEqual({ "x/dev": ["dev-usw2", 1, true] });
  });
});

describe("ApplicationSet expansion", () => {
  const base = (template: string, elements: Record<string, unknown>[]): AppSetLike => ({
    metadata: { name: "t", namespace: "argocd" },
    spec: {
      goTemplate: true,
      goTemplateOptions: ["missingkey=error"],
      generators: [{ list: { elements } }],
      template: { metadata: { name: template }, spec: { project: "p", destination: { name: "{{.cluster}}", namespace: "ns" } } },
    },
  });

  it("one Application per element, in the ApplicationSet's namespace", () => {
    const apps = expandApplicationSet(base("{{.cluster}}-t", [{ cluster: "a" }, { cluster: "b" }]));
    expect(apps.map((a) => [a.metadata.name, a.metadata.namespace, a.spec.destination.name])).toEqual([
      ["a-t", "argocd", "a"],
      ["b-t", "argocd", "b"],
    ]);
  });

  it("a template referencing a missing parameter fails the whole ApplicationSet", () => {
    expect(() => expandApplicationSet(base("{{.cluster}}-{{.tier}}", [{ cluster: "a" }]))).toThrow(ExpansionError);
  });

  it("duplicate names are an error", () => {
    expect(() => expandApplicationSet(base("same", [{ cluster: "a" }, { cluster: "b" }]))).toThrow(/duplicate/);
  });

  it("matrix merges parameters; unsupported generators throw", () => {
    const set = base("{{.cluster}}-{{.addon}}", []);
    set.spec.generators = [
      { matrix: { generators: [{ list: { elements: [{ cluster: "a" }, { cluster: "b" }] } }, { list: { elements: [{ addon: "x" }] } }] } },
    ];
    expect(expandApplicationSet(set).map((a) => a.metadata.name)).toEqual(["a-x", "b-x"]);
    set.spec.generators = [{ clusters: {} }];
    expect(() => expandApplicationSet(set)).toThrow(/not supported/);
  });
});
