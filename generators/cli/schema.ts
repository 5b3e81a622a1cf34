/**
 * `npm run schema [-- --check]`: derives the check's known-fields tree from the model packages'
 * declarations and writes it to generators/check/schema/strict-fields.json, so a clone's first
 * check reads it instead of running the TypeScript compiler (check/schema/strict-fields.ts).
 * Renovate runs it after every bump (renovate.json postUpgradeTasks). `--check` writes nothing
 * and exits 1 when the committed tree is stale.
 */
import { strictRoots } from "../check/schema/validate.js";
import { COMMITTED_TREE, refreshCommittedTree } from "../check/schema/strict-fields.js";

const check = process.argv.includes("--check");
const stale = refreshCommittedTree(strictRoots(), { check });
if (check && stale) {
  console.error(`schema: ${COMMITTED_TREE} is stale; run npm run schema and commit the result`);
  process.exitCode = 1;
} else console.log(stale ? `schema: wrote ${COMMITTED_TREE}` : `schema: ${COMMITTED_TREE} is current`);
