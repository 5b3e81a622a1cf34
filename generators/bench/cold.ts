/**
 * The cold stages: what a fresh clone pays, as the npm scripts run it, in new processes and
 * with no cache of any kind. The in-process stages of run.ts time a warm module graph (the
 * warm-up run loads the model packages and the strict schema and warms the JIT); these
 * time each process from its start, so start-up, module loading and the validators' set-up
 * count, as they do for a first `npm run check` in CI.
 *
 * Each process starts as package.json's script starts it (node with CLI_NODE_FLAGS, the launcher).
 * Caches turned off in every run: the render cache (`--no-cache`), the check cache (off with
 * it), the strict-schema tree's node_modules cache (STRICT_SCHEMA_NO_CACHE=1; the committed tree
 * is read, as in a clone), the bundled CLI (a new, empty FLEET_CLI_CACHE per run: the bundle is
 * built) and tsx's transform cache (TSX_DISABLE_CACHE=1, for a CLI that falls back to tsx).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { CLI_NODE_FLAGS } from "../fleet/constants.js";
import { run } from "./measure.js";
import type { StageResult, StageTimer } from "./stage-timer.js";

export interface ColdStages {
  /** `npm run render -- --no-cache --out DIR`: the bundled launcher, its bundle built anew. */
  render: StageResult;
  /** `npm run generate` then `npm run check -- --no-cache`: the gate a fresh clone runs. */
  gate: StageResult;
}

/** A CLI as package.json's script starts it: node with CLI_NODE_FLAGS, the bundled launcher, the CLI and its arguments. */
export function scriptArgv(cli: string, ...args: string[]): string[] {
  return ["node", ...CLI_NODE_FLAGS, "generators/cli/bundled.mjs", cli, ...args];
}

/** Environment of a cold process: every cache that would survive between runs turned off. */
function coldEnv(cliCache: string): NodeJS.ProcessEnv {
  return { ...process.env, STRICT_SCHEMA_NO_CACHE: "1", TSX_DISABLE_CACHE: "1", FLEET_CLI_CACHE: cliCache };
}

/**
 * Times the cold render and the cold gate in `sandbox`, a runnable copy of the repository
 * with a git index (the check's tracked-file scan reads it).
 */
export async function coldStages(timer: StageTimer, sandbox: string, scratch: string[]): Promise<ColdStages> {
  const out = mkdtempSync(join(sandbox, "..", "bench-cold-out-"));
  const cliCache = mkdtempSync(join(sandbox, "..", "bench-cold-cli-"));
  scratch.push(out, cliCache);
  const fresh = async (): Promise<void> => {
    for (const d of [out, cliCache, join(sandbox, ".cache")]) rmSync(d, { recursive: true, force: true });
  };
  const env = coldEnv(cliCache);
  const render = await timer.time(
    "render (cold process)",
    "`npm run render -- --no-cache --out DIR`: `node [CLI_NODE_FLAGS] generators/cli/bundled.mjs render`, its bundle built anew",
    ({ peak }) => run(scriptArgv("render", "--no-cache", "--out", out), { cwd: sandbox, env, peak: peak ?? undefined }),
    { setup: fresh, children: 1 },
  );
  const gate = await timer.time(
    "gate (cold processes)",
    "`npm run generate` then `npm run check -- --no-cache` (the one bundle built anew by generate, the committed strict schema read)",
    async ({ peak }) => {
      await run(scriptArgv("generate"), { cwd: sandbox, env, peak: peak ?? undefined });
      await run(scriptArgv("check", "--no-cache"), { cwd: sandbox, env, peak: peak ?? undefined });
    },
    { setup: fresh, children: 1 },
  );
  return { render, gate };
}
