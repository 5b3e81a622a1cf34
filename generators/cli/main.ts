/**
 * The one entry cli/bundled.mjs bundles: every npm script's CLI, by name. Each module is
 * imported only when its CLI runs (esbuild initializes a dynamically imported module lazily),
 * so one bundle serves generate, check and the rest, and a clone builds it once.
 */
import { repoRoot } from "./repo.js";

const CLIS: Readonly<Record<string, () => Promise<unknown>>> = {
  // The script CLIs run on import.
  check: () => import("./check.js"),
  diff: () => import("./diff.js"),
  generate: () => import("./generate-bundled.js"),
  pins: () => import("./pins.js"),
  promote: () => import("./promote.js"),
  render: () => import("./render.js"),
  report: () => import("./report.js"),
  schema: () => import("./schema.js"),
  // docs.ts runs as a script only as tsx's main module.
  docs: async () => {
    const { runDocs } = await import("./docs.js");
    process.exitCode = runDocs(process.argv.slice(2), repoRoot());
  },
};

/** The names the launcher accepts: package.json's bundled scripts (test/cli/bundled.test.ts). */
export const BUNDLED_CLIS: readonly string[] = Object.keys(CLIS).sort();

/** Runs the named CLI with process.argv as the launcher left it. */
export async function runCli(name: string): Promise<void> {
  const cli = CLIS[name];
  if (cli === undefined) throw new Error(`no bundled CLI "${name}"; add it to generators/cli/main.ts`);
  await cli();
}
