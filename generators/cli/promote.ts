/**
 * `npm run promote -- --tenant t [--app a] --from staging --to prod`: copies release pins
 * between environments in generators/release/pins.json, regenerates, and prints the rendered
 * diff against HEAD. Exit 0 on success, 2 on a refusal or error.
 */
import { parseArgs } from "node:util";
import { ENVIRONMENTS } from "../fleet/fleet.js";
import { diffFleet } from "../diff/diff.js";
import { formatText } from "../diff/format.js";
import { isEnv, promote } from "../release/promote.js";
import { repoRoot } from "./repo.js";

function fail(message: string): never {
  console.error(`promote: ${message}`);
  process.exit(2);
}

let values: { tenant?: string; app?: string; from?: string; to?: string };
try {
  ({ values } = parseArgs({ options: { tenant: { type: "string" }, app: { type: "string" }, from: { type: "string" }, to: { type: "string" } } }));
} catch (e) {
  fail((e as Error).message);
}
const { tenant, app, from, to } = values;
if (!tenant || !from || !to) fail("usage: npm run promote -- --tenant <tenant> [--app <app>] --from <env> --to <env>");
if (!isEnv(from)) fail(`--from: unknown environment "${from}"; allowed: ${ENVIRONMENTS.join(", ")}`);
if (!isEnv(to)) fail(`--to: unknown environment "${to}"; allowed: ${ENVIRONMENTS.join(", ")}`);

try {
  const repo = repoRoot();
  const promoted = await promote(repo, { tenant, from, to, ...(app !== undefined ? { app } : {}) });
  if (promoted.every((p) => JSON.stringify(p.before) === JSON.stringify(p.after))) {
    console.log(`promote: ${to} already runs ${from}'s pins for ${tenant}; nothing changed`);
    process.exit(0);
  }
  for (const p of promoted) console.log(`promote: ${tenant}/${p.app} ${to}: ${p.before?.tag ?? "(unpinned)"} → ${p.after.tag}${p.after.digest ? `@${p.after.digest}` : ""}`);
  const result = await diffFleet(repo, { base: "HEAD", tenant });
  process.stdout.write(formatText(result));
} catch (e) {
  fail((e as Error).message);
}
