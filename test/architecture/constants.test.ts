/**
 * Every shared constant is spelled once, in generators/fleet/constants.ts: a known literal
 * (a label key, a resource name, the cluster DNS zone, Istio's annotations) in a string or
 * template anywhere else under generators/ fails here, naming the file, line and the constant
 * to use. Comments may name them. Tenant files others are rewriting (#20 connection handles,
 * #24 the CNPG component) are listed below until they land; the list may only shrink.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/repo.js";

const ROOT = join(REPO, "generators");
const CONSTANTS = "fleet/constants.ts";

/** Literal -> the constant that spells it. */
const KNOWN: readonly { literal: string; use: string }[] = [
  { literal: "istio-injection", use: "ISTIO_INJECTION_LABEL" },
  { literal: "nvidia.com/gpu", use: "GPU_RESOURCE" },
  { literal: "svc.cluster.local", use: "SERVICE_DOMAIN (or serviceFqdn in fleet/domains.ts)" },
  { literal: "sidecar.istio.io/", use: "ANNOTATIONS.istio* / LABELS.istioInject" },
  { literal: "eks.amazonaws.com/role-arn", use: "IRSA_ROLE_ANNOTATION (with iamRoleArn in fleet/aws/identifiers.ts)" },
];

/** file -> literals still spelled there, by files another issue is rewriting. Shrink it, never grow it. */
const NOT_YET: Readonly<Record<string, readonly string[]>> = {};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith(".ts") ? [relative(ROOT, p)] : [];
  });
}

interface Hit {
  file: string;
  line: number;
  literal: string;
  use: string;
}

/** The text of every string literal and template part in a file (comments excluded). */
function literalHits(file: string): Hit[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const hits: Hit[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isStringLiteralLike(n) || ts.isTemplateLiteralToken(n)) {
      for (const k of KNOWN)
        if (n.text.includes(k.literal))
          hits.push({ file, line: sf.getLineAndCharacterOfPosition(n.getStart()).line + 1, literal: k.literal, use: k.use });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return hits;
}

const FILES = sources(ROOT).filter((f) => f !== CONSTANTS);
const HITS = FILES.flatMap(literalHits);

describe("shared constants", () => {
  it("finds the known literals in fleet/constants.ts itself, so the scan can see them", () => {
    const own = new Set(literalHits(CONSTANTS).map((h) => h.literal));
    expect([...own].sort()).toEqual(KNOWN.map((k) => k.literal).sort());
  });

  it("spells none of them anywhere else under generators/", () => {
    const offending = HITS.filter((h) => !NOT_YET[h.file]?.includes(h.literal)).map(
      (h) => `generators/${h.file}:${h.line}: "${h.literal}": use ${h.use} from generators/fleet/constants.ts`,
    );
    expect(offending).toEqual([]);
  });

  it("lists only files that still spell what the list says (the list shrinks as they are fixed)", () => {
    const stale = Object.entries(NOT_YET).flatMap(([file, literals]) =>
      literals.filter((l) => !HITS.some((h) => h.file === file && h.literal === l)).map((l) => `${file}: ${l}`),
    );
    expect(stale, "remove these entries from NOT_YET").toEqual([]);
  });

  it('compares no environment with the literal "prod": production is EnvSpec.production (isProduction)', () => {
    const compares = /[!=]==\s*"prod"|"prod"\s*[!=]==/;
    const found = FILES.filter((f) => f !== "fleet/fleet.ts").flatMap((file) =>
      readFileSync(join(ROOT, file), "utf8")
        .split("\n")
        .flatMap((line, i) => (compares.test(line) ? [`generators/${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(found).toEqual([]);
  });
});
