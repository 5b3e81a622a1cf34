/**
 * Version tables in the docs follow the sources: docs/argocd.md's add-on table is checked row by
 * row against the catalogue (every add-on, whatever files the catalogue grows), any docs table
 * that names an add-on in its first column and has a "version" column agrees with the catalogue,
 * README's fleet table agrees with fleet.ts, docs/upgrading.md's calendar table with
 * eks-calendar.ts, and every EKS add-on build (`v…-eksbuild.N`) the docs name is one the calendar lists.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ADDONS } from "../../generators/addons/catalogue.js";
import { EKS_CALENDAR } from "../../generators/fleet/eks-calendar.js";
import { DEFAULT_FLEET } from "../../generators/fleet/fleet.js";
import { REPO } from "../helpers/repo.js";
import { refreshDocs, TABLES, withTable } from "../../generators/cli/docs.js";

interface Table {
  file: string;
  header: string[];
  rows: string[][];
}

const cells = (line: string): string[] =>
  line
    .replaceAll("\\|", "\u{E000}")
    .split("|")
    .slice(1, -1)
    .map((c) => c.replaceAll("\u{E000}", "|").trim());

/** Every Markdown table of a file: header cells and body rows. */
function tables(file: string): Table[] {
  const lines = readFileSync(join(REPO, file), "utf8").split("\n");
  const out: Table[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i]?.startsWith("|") || !/^\|[\s:|-]+\|$/.test(lines[i + 1] ?? "")) continue;
    const header = cells(lines[i] ?? "").map((h) => h.toLowerCase());
    const rows: string[][] = [];
    let j = i + 2;
    for (; j < lines.length && lines[j]?.startsWith("|"); j++) rows.push(cells(lines[j] ?? ""));
    out.push({ file, header, rows });
    i = j;
  }
  return out;
}

const DOCS = [
  "README.md",
  ...readdirSync(join(REPO, "docs"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];
const plain = (s: string): string => s.replace(/`/g, "").replace(/\*\*/g, "").trim();

describe("version tables in the docs", () => {
  it("are what npm run docs writes from the catalogue and the calendar (run it after a bump)", () => {
    expect(refreshDocs(REPO, true)).toEqual([]);
    expect(TABLES.map((t) => t.file)).toEqual(["docs/argocd.md", "docs/upgrading.md"]);
    expect(() => withTable("no markers here", TABLES[0] as (typeof TABLES)[number])).toThrow(/markers <!-- generated:addons/);
  });

  it("docs/argocd.md lists every add-on of the catalogue once, with its version, namespace, wave and server-side apply", () => {
    const table = tables("docs/argocd.md").find((t) => t.header[0] === "add-on" && t.header.includes("version"));
    expect(table, "docs/argocd.md has the add-on table").toBeDefined();
    const col = (name: string): number => table?.header.indexOf(name) ?? -1;
    const byName = new Map((table?.rows ?? []).map((r) => [plain(r[0] ?? ""), r]));
    expect([...byName.keys()].sort(), "add the missing rows (or remove the extra ones) in docs/argocd.md").toEqual(
      ADDONS.map((a) => a.name).sort(),
    );
    for (const a of ADDONS) {
      const row = byName.get(a.name) ?? [];
      expect(plain(row[col("version")] ?? ""), `${a.name} version`).toBe(a.version);
      expect(plain(row[col("namespace")] ?? ""), `${a.name} namespace`).toBe(a.namespace);
      expect(Number(plain(row[col("wave")] ?? "")), `${a.name} wave`).toBe(a.wave);
      expect(plain(row[col("ssa")] ?? ""), `${a.name} SSA`).toBe(a.serverSideApply ? "yes" : "no");
    }
  });

  it("any table in the docs naming an add-on with a version column shows the catalogue's version", () => {
    const versions = new Map(ADDONS.map((a) => [a.name, a.version]));
    let checked = 0;
    for (const t of DOCS.flatMap(tables)) {
      const v = t.header.findIndex((h) => h === "version" || h === "chart version");
      if (v < 0) continue;
      for (const r of t.rows) {
        const want = versions.get(plain(r[0] ?? ""));
        if (want === undefined) continue;
        expect(plain(r[v] ?? ""), `${t.file}: ${r[0]}`).toBe(want);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(ADDONS.length);
  });

  it("README's fleet table shows each cluster's Kubernetes minor from fleet.ts", () => {
    const table = tables("README.md").find((t) => t.header[0] === "cluster" && t.header.includes("kubernetes"));
    expect(table).toBeDefined();
    const k = table?.header.indexOf("kubernetes") ?? -1;
    const listed = new Map<string, string>();
    for (const r of table?.rows ?? []) for (const name of plain(r[0] ?? "").split(/,\s*/)) listed.set(name, plain(r[k] ?? ""));
    for (const c of DEFAULT_FLEET.clusters) expect(listed.get(c.name), c.name).toBe(c.kubernetesVersion);
  });

  it("docs/upgrading.md's calendar table is eks-calendar.ts, minor by minor", () => {
    const table = tables("docs/upgrading.md").find((t) => t.header[0] === "minor");
    expect(table).toBeDefined();
    expect(table?.rows.map((r) => r.map(plain))).toEqual(
      [...EKS_CALENDAR]
        .reverse()
        .map((e) => [
          e.minor,
          e.released,
          e.endOfStandardSupport,
          e.endOfExtendedSupport,
          e.addons["vpc-cni"],
          e.addons.coredns,
          e.addons["kube-proxy"],
        ]),
    );
  });

  it("every EKS add-on build the docs name is one the calendar lists", () => {
    const known = new Set(EKS_CALENDAR.flatMap((e) => Object.values(e.addons)));
    for (const file of DOCS) {
      const text = readFileSync(join(REPO, file), "utf8");
      for (const m of text.matchAll(/v\d+\.\d+\.\d+-eksbuild\.\d+/g)) expect(known.has(m[0]), `${file}: ${m[0]}`).toBe(true);
    }
  });
});
