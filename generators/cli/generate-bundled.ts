/**
 * The entry cli/bundled.mjs bundles for `npm run generate`: cli/generate.ts's runGenerate,
 * unchanged, with a memo loaded before and saved after: serialized YAML documents (emit/yaml.ts) and
 * the objects that passed schema validation (emit/files.ts), both pure functions of an
 * object's JSON. The launcher names the memo file by a hash of those two files and the
 * lockfile (the serializer, the yaml library, the model packages), so it stays valid
 * across tenant edits and is never read by other code. It holds exactly what the last
 * run that produced anything new produced.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { loadValidatedMemo, validatedMemo } from "../layout/files.js";
import { loadYamlMemo, yamlMemo } from "../layout/yaml.js";
import { runGenerate } from "./generate.js";
import { repoRoot } from "./repo.js";

interface Memo {
  yaml: Record<string, string>;
  validated: string[];
}

const file = process.env.FLEET_YAML_MEMO;
let known = 0;
if (file !== undefined) {
  try {
    const memo = JSON.parse(readFileSync(file, "utf8")) as Memo;
    loadYamlMemo(memo.yaml);
    loadValidatedMemo(memo.validated);
    known = memo.validated.length;
  } catch {
    // No memo yet for this serializer.
  }
}
// Exactly what generate.ts's own entry does (it only runs when it is the main module).
const run = await runGenerate(process.argv.slice(2), repoRoot());
for (const line of run.stdout) console.log(line);
for (const line of run.stderr) console.error(line);
process.exitCode = run.code;
// A failed run saves nothing.
const { entries, misses } = yamlMemo();
const validated = validatedMemo();
if (file !== undefined && run.code === 0 && (misses > 0 || validated.length !== known)) {
  const tmp = `${file}.${process.pid}.tmp`;
  const memo: Memo = { yaml: entries, validated };
  writeFileSync(tmp, JSON.stringify(memo));
  renameSync(tmp, file);
}
