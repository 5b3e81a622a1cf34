/**
 * `npm run promote -- --tenant t [--app a] --from staging --to prod [--allow-prerelease] [--allow-tag-only]`:
 * copies release pins between environments in generators/release/pins.json, regenerates in
 * process, and prints the diff against HEAD. Into a production environment it refuses a
 * pre-release tag and a pin without a digest unless the flag says so. Exit 0 on success, 2 on a
 * refusal or error.
 */
import { parseArgs } from "node:util";
import { DEFAULT_FLEET, ENVIRONMENTS, envSpec } from "../fleet/fleet.js";
import { TENANTS } from "../tenants/index.js";
import { generate } from "../generate.js";
import { diffFleet } from "../diff/diff.js";
import { formatText } from "../diff/format.js";
import { isEnv, promote } from "../release/promote.js";
import { repoRoot } from "./repo.js";

function fail(message: string): never {
  console.error(`promote: ${message}`);
  process.exit(2);
}

let values: { tenant?: string; app?: string; from?: string; to?: string; "allow-prerelease"?: boolean; "allow-tag-only"?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      tenant: { type: "string" },
      app: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      "allow-prerelease": { type: "boolean", default: false },
      "allow-tag-only": { type: "boolean", default: false },
    },
  }));
} catch (e) {
  fail((e as Error).message);
}
const { tenant, app, from, to } = values;
if (!tenant || !from || !to)
  fail("usage: npm run promote -- --tenant <tenant> [--app <app>] --from <env> --to <env> [--allow-prerelease] [--allow-tag-only]");
if (!isEnv(from)) fail(`--from: unknown environment "${from}"; allowed: ${ENVIRONMENTS.join(", ")}`);
if (!isEnv(to)) fail(`--to: unknown environment "${to}"; allowed: ${ENVIRONMENTS.join(", ")}`);

try {
  const repo = repoRoot();
  const request = {
    tenant,
    from,
    to,
    ...(app !== undefined ? { app } : {}),
    production: envSpec(DEFAULT_FLEET, to).production,
    allowPrerelease: values["allow-prerelease"] === true,
    allowTagOnly: values["allow-tag-only"] === true,
  };
  const promoted = promote(repo, request, (pins) => generate(repo, DEFAULT_FLEET, TENANTS, pins));
  if (promoted.every((p) => JSON.stringify(p.before) === JSON.stringify(p.after))) {
    console.log(`promote: ${to} already runs ${from}'s pins for ${tenant}; nothing changed`);
    process.exit(0);
  }
  for (const p of promoted)
    console.log(
      `promote: ${tenant}/${p.app} ${to}: ${p.before?.tag ?? "(unpinned)"} → ${p.after.tag}${p.after.digest ? `@${p.after.digest}` : ""}`,
    );
  // The base differs from the working tree only in the pins: it is generated in process with its own pins.
  const result = await diffFleet(repo, { base: "HEAD", tenant, generateInProcess: (dir) => void generate(dir, DEFAULT_FLEET, TENANTS) });
  process.stdout.write(formatText(result));
} catch (e) {
  fail((e as Error).message);
}
