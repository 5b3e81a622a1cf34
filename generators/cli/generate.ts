/**
 * `npm run generate [-- --changed] [--debug] [--today YYYY-MM-DD]`: writes base/, overlays/, clusters/
 * and apps/ from the TypeScript sources. A cluster whose Kubernetes minor EKS does not offer on
 * the day (--today, else $FLEET_TODAY, else the real date) is refused (generate.ts eksVersionProblems).
 *
 * Input errors are reported so a person can act on them: sorted by file and field, root
 * causes only, no stack trace (`--debug` adds it), never a secret value, and always
 * "nothing was written". The sources are imported dynamically so that a syntax error in
 * a tenant file is caught and shown as `file:line:col: message` (tsx compiles each module
 * with esbuild, whose TransformError carries that location).
 */
import { relative } from "node:path";
import { pathToFileURL } from "node:url";
import type { Fleet } from "../fleet/fleet.js";
import type { TenantSource } from "../tenants/index.js";
import { SpecError, formatProblem } from "../api/validate.js";
import { generate } from "../generate.js";
import { loadPins, PinsFormatError, type Pins } from "../api/pins.js";
import { repoRoot } from "./repo.js";
import { clockFrom } from "../fleet/clock.js";

export interface Sources {
  fleet: Fleet;
  tenants: readonly TenantSource[];
  pins: Pins;
}

export interface GenerateRun {
  code: number;
  stdout: string[];
  stderr: string[];
}

const NOTHING_WRITTEN = "nothing was written";

/** The checkout's own sources, imported now (not at start-up) so that load errors can be reported. */
export async function loadSources(repo: string): Promise<Sources> {
  const pins = loadPins(repo);
  const { DEFAULT_FLEET } = await import("../fleet/fleet.js");
  const { TENANTS } = await import("../tenants/index.js");
  return { fleet: DEFAULT_FLEET, tenants: TENANTS, pins };
}

/** `file:line:col: message` lines of an esbuild TransformError, paths relative to the repo, columns 1-based. */
export function syntaxErrors(e: unknown, repo: string): string[] {
  if (!(e instanceof Error) || e.name !== "TransformError") return [];
  return e.message.split("\n").flatMap((line) => {
    const m = /^(.+?):(\d+):(\d+): ERROR: (.*)$/.exec(line);
    return m ? [`${relative(repo, m[1] ?? "")}:${m[2]}:${Number(m[3]) + 1}: ${m[4]}`] : [];
  });
}

function stackOf(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

/** One run of the generator; the CLI prints the result and exits with its code. */
export async function runGenerate(
  argv: readonly string[],
  repo: string,
  load: (repo: string) => Promise<Sources> = loadSources,
): Promise<GenerateRun> {
  const debug = argv.includes("--debug");
  const stdout: string[] = [];
  const stderr: string[] = [];
  const fail = (lines: string[], e: unknown): GenerateRun => {
    stderr.push(...lines);
    if (debug) stderr.push(stackOf(e));
    return { code: 1, stdout, stderr };
  };

  let sources: Sources;
  try {
    sources = await load(repo);
  } catch (e) {
    const syntax = syntaxErrors(e, repo);
    if (syntax.length > 0) return fail([`generate: ${syntax.length} syntax error(s) in the sources; ${NOTHING_WRITTEN}.`, ...syntax], e);
    if (e instanceof PinsFormatError) return fail([`generate: invalid release pins; ${NOTHING_WRITTEN}.`, e.message], e);
    return fail(
      [
        `generate: the sources failed to load; ${NOTHING_WRITTEN}.`,
        e instanceof Error ? e.message : String(e),
        ...(debug ? [] : ["(run with --debug for the stack trace)"]),
      ],
      e,
    );
  }

  try {
    const at = argv.indexOf("--today");
    const today = clockFrom(at >= 0 ? (argv[at + 1] ?? "") : undefined);
    const result = generate(repo, sources.fleet, sources.tenants, sources.pins, { today });
    // One line per folder; --changed keeps only the folders something happened in.
    const changedOnly = argv.includes("--changed");
    for (const f of result.folders) {
      if (!changedOnly || f.written > 0 || f.removed > 0)
        stdout.push(`${f.folder}: ${f.written} written, ${f.unchanged} unchanged, ${f.removed} removed`);
    }
    stdout.push(
      `generate: ${result.folders.length} folders, ${result.written} written, ${result.unchanged} unchanged, ${result.removed} removed`,
    );
    return { code: 0, stdout, stderr };
  } catch (e) {
    if (e instanceof SpecError)
      return fail(
        [
          `generate: ${e.problems.length} problem(s) in the sources; ${NOTHING_WRITTEN}.`,
          ...e.problems.flatMap((p) => [formatProblem(p), ...(debug && p.debug ? [`  (${p.debug})`] : [])]),
        ],
        e,
      );
    return fail(
      [`generate: failed: ${e instanceof Error ? e.message : String(e)}`, ...(debug ? [] : ["(run with --debug for the stack trace)"])],
      e,
    );
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const run = await runGenerate(process.argv.slice(2), repoRoot());
  for (const line of run.stdout) console.log(line);
  for (const line of run.stderr) console.error(line);
  process.exitCode = run.code;
}
