/** `npm run generate`: writes base/, overlays/, clusters/ and apps/ from the TypeScript sources. */
import { DEFAULT_FLEET } from "../fleet/fleet.js";
import { TENANTS } from "../tenants/index.js";
import { generate } from "../generate.js";
import { SpecError } from "../api/validate.js";
import { repoRoot } from "./repo.js";

try {
  const result = generate(repoRoot(), DEFAULT_FLEET, TENANTS);
  // One line per folder; --changed keeps only the folders something happened in.
  const changedOnly = process.argv.includes("--changed");
  for (const f of result.folders) {
    if (!changedOnly || f.written > 0 || f.removed > 0) console.log(`${f.folder}: ${f.written} written, ${f.unchanged} unchanged, ${f.removed} removed`);
  }
  console.log(`generate: ${result.folders.length} folders, ${result.written} written, ${result.unchanged} unchanged, ${result.removed} removed`);
} catch (e) {
  if (e instanceof SpecError) {
    console.error(`generate: ${e.problems.length} problem(s) in the sources; nothing was written.\n${e.message}`);
  } else {
    console.error(`generate: failed; nothing was written.\n${(e as Error).stack ?? String(e)}`);
  }
  process.exit(1);
}
