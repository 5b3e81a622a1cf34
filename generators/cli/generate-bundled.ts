/**
 * The entry cli/bundled.mjs bundles for `npm run generate`: cli/generate.ts unchanged,
 * with a YAML memo (emit/yaml.ts) loaded before and saved after. The launcher names the
 * memo file by a hash of emit/yaml.ts and the lockfile (the serializer and the yaml
 * library), so it stays valid across tenant edits and is never read by another
 * serializer. It holds exactly the documents of the last run that serialized anything new.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { loadYamlMemo, yamlMemo } from "../emit/yaml.js";

const file = process.env.FLEET_YAML_MEMO;
if (file !== undefined) {
  try {
    loadYamlMemo(JSON.parse(readFileSync(file, "utf8")) as Record<string, string>);
  } catch {
    // No memo yet for this serializer.
  }
}
await import("./generate.js");
// A failed run exits inside generate.ts and saves nothing.
const { entries, misses } = yamlMemo();
if (file !== undefined && misses > 0) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(entries));
  renameSync(tmp, file);
}
