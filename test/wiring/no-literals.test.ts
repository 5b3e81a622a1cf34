/**
 * Tenant files hold no in-cluster address as text: every string literal and template
 * text of generators/tenants/*.ts and api/components/*.ts is searched with the same
 * resolver generate uses (api/validate/addresses.ts), so an address can only come from
 * a handle's computed value, never from a quoted one.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { TENANTS } from "../../generators/tenants/index.js";
import { tenantNamespace } from "../../generators/api/names.js";
import { findAddresses } from "../../generators/api/validate/addresses.js";
import { serviceIndex } from "../../generators/api/validate/wiring.js";
import { REPO } from "../helpers/repo.js";

/** Every piece of literal text in a TypeScript file: string literals and template heads, middles and tails. */
function literalTexts(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) out.push(n.text);
    else if (ts.isTemplateExpression(n)) out.push(n.head.text, ...n.templateSpans.map((s) => s.literal.text));
    ts.forEachChild(n, visit);
  };
  visit(source);
  return out;
}

const idx = serviceIndex(TENANTS.map((t) => t.spec));
const files = [
  ...TENANTS.map((t) => ({ file: t.file, namespace: tenantNamespace(t.spec) })),
  ...readdirSync(join(REPO, "generators/api/components")).map((f) => ({
    file: `generators/api/components/${f}`,
    namespace: "qdrant-home",
  })),
];

describe("tenant sources", () => {
  it("finds a planted literal, so the search below can fail", () => {
    expect(findAddresses("http://offline-ai:11434", "uiota", idx).map((f) => f.target?.owner)).toEqual(["app:uiota/offline-ai"]);
    expect(findAddresses("postgresql://pgpool:5432/ossa", "ossa-platform", idx).map((f) => f.target?.owner)).toEqual(["db:ossa/postgres"]);
  });

  it.each(files)("$file holds no in-cluster address literal", ({ file, namespace }) => {
    const found = literalTexts(join(REPO, file)).flatMap((text) =>
      findAddresses(text, namespace, idx).map((f) => `${f.text} in ${JSON.stringify(text)}`),
    );
    expect(found).toEqual([]);
  });
});
