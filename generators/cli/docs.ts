/**
 * `npm run docs [-- --check]`: writes the version tables the docs show from their sources,
 * between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->` markers: the add-on table
 * of docs/argocd.md from the catalogue, the EKS calendar of docs/upgrading.md from
 * fleet/eks-calendar.ts. `--check` writes nothing and exits 1 when a table is stale.
 * Renovate runs it after every bump (renovate.json postUpgradeTasks).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ADDONS } from "../addons/catalogue.js";
import { addonTableMarkdown } from "../addons/table.js";
import { calendarTableMarkdown } from "../fleet/eks-calendar.js";
import { repoRoot } from "./repo.js";

export interface GeneratedTable {
  file: string;
  name: string;
  markdown: () => string;
}

export const TABLES: readonly GeneratedTable[] = [
  { file: "docs/argocd.md", name: "addons", markdown: () => addonTableMarkdown(ADDONS) },
  { file: "docs/upgrading.md", name: "eks-calendar", markdown: () => calendarTableMarkdown() },
];

/** The file's text with the table's block replaced, or an error naming the missing markers. */
export function withTable(text: string, t: GeneratedTable): string {
  const open = `<!-- generated:${t.name} (npm run docs) -->`;
  const close = `<!-- /generated:${t.name} -->`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start < 0 || end < start) throw new Error(`${t.file}: markers ${open} … ${close} not found; add them where the table goes`);
  return `${text.slice(0, start + open.length)}\n${t.markdown()}\n${text.slice(end)}`;
}

/** The tables that differ from their sources (written unless `check`). */
export function refreshDocs(repo: string, check: boolean): string[] {
  const stale: string[] = [];
  for (const t of TABLES) {
    const path = join(repo, t.file);
    const text = readFileSync(path, "utf8");
    const next = withTable(text, t);
    if (next === text) continue;
    stale.push(`${t.file} (${t.name})`);
    if (!check) writeFileSync(path, next);
  }
  return stale;
}

/** `npm run docs [-- --check]`: the exit code, after printing what was written or is stale. */
export function runDocs(argv: readonly string[], repo: string): number {
  const check = argv.includes("--check");
  try {
    const stale = refreshDocs(repo, check);
    if (check && stale.length > 0) {
      console.error(`docs: stale tables: ${stale.join(", ")}; run npm run docs and commit the result`);
      return 1;
    }
    console.log(stale.length === 0 ? "docs: every table is current" : `docs: wrote ${stale.join(", ")}`);
    return 0;
  } catch (e) {
    console.error(`docs: ${(e as Error).message}`);
    return 2;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exitCode = runDocs(process.argv.slice(2), repoRoot());
