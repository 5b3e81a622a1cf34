import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root: two levels above generators/cli/. */
export function repoRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
}
