/**
 * `npm run pins -- resolve [--tenant t] [--env e] [--app a]`: resolves release tags to digests
 * through the OCI distribution API and writes them into generators/release/pins.json, then
 * regenerates. All-or-nothing. `npm run pins -- resolve --help` documents it.
 */
import { parseArgs } from "node:util";
import { loadPins, writePins, PINS_FILE } from "../api/pins.js";
import { DEFAULT_FLEET, ENVIRONMENTS, isEnv } from "../fleet/fleet.js";
import { generate } from "../generate.js";
import { registryClient } from "../release/registry.js";
import { applyResolved, resolveAll, resolveTargets, ResolveError } from "../release/resolve.js";
import { TENANTS } from "../tenants/index.js";
import { repoRoot } from "./repo.js";

export const RESOLVE_HELP = `Usage: npm run pins -- resolve [--tenant <tenant>] [--env <${ENVIRONMENTS.join("|")}>] [--app <app>] [--mirror <registry>=<host>]...

Resolves each selected app's release tag (its pin in ${PINS_FILE}, else the tag in its tenant
file) to the digest its registry serves, writes { "tag", "digest" } into ${PINS_FILE}, and runs
npm run generate. Nothing is written unless every image resolves: a missing tag is reported
with tenant/env/app and image, and the command exits 1.

How: HEAD /v2/<name>/manifests/<tag> (OCI distribution API) accepting the OCI image index,
the Docker manifest list and the OCI/Docker image manifests; the digest is Docker-Content-Digest.
A multi-arch image is pinned by its index digest. Apps whose tenant file pins a digest and that
have no release pin are skipped.

Credentials (read from the environment, never written anywhere):
  PINS_AUTH_<HOST>                  "user:password" for any registry (HOST upper-cased, other characters as _)
  DOCKERHUB_USERNAME, DOCKERHUB_TOKEN  Docker Hub (token from the realm in WWW-Authenticate: Bearer)
  GHCR_TOKEN                        ghcr.io (a token with read:packages)
  ECR_PASSWORD                      *.dkr.ecr.*.amazonaws.com, from: aws ecr get-login-password
Without credentials, public images are resolved with anonymous tokens.

Options:
  --tenant <tenant>   only this tenant
  --env <env>         only this environment
  --app <app>         only this app
  --mirror r=h        ask host h (a pull-through cache, or a local registry) for registry r's images,
                      e.g. --mirror docker.io=127.0.0.1:5000 (plain HTTP for localhost); repeatable
  --help              this text
Exit: 0 written (or nothing to change), 1 an image did not resolve (nothing written), 2 bad usage.
`;

function usage(message: string): never {
  console.error(`pins: ${message}\n\n${RESOLVE_HELP}`);
  process.exit(2);
}

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      tenant: { type: "string" },
      env: { type: "string" },
      app: { type: "string" },
      mirror: { type: "string", multiple: true },
      help: { type: "boolean", default: false },
    },
    allowPositionals: true,
  });
}
try {
  parsed = parse();
} catch (e) {
  usage((e as Error).message);
}
const { values, positionals } = parsed;
if (values.help && positionals.length <= 1 && (positionals[0] ?? "resolve") === "resolve") {
  process.stdout.write(RESOLVE_HELP);
  process.exit(0);
}
if (positionals[0] !== "resolve" || positionals.length > 1) usage(`unknown command "${positionals.join(" ")}"; the command is "resolve"`);
if (values.env !== undefined && !isEnv(values.env))
  usage(`--env: unknown environment "${values.env}"; allowed: ${ENVIRONMENTS.join(", ")}`);
const specs = TENANTS.map((t) => t.spec);
if (values.tenant !== undefined && !specs.some((t) => t.name === values.tenant))
  usage(`--tenant: no tenant "${values.tenant}"; known: ${specs.map((t) => t.name).join(", ")}`);

const mirrors: Record<string, string> = {};
for (const m of values.mirror ?? []) {
  const [from, to] = m.split("=");
  if (!from || !to) usage(`--mirror "${m}": write <registry>=<host>, e.g. docker.io=127.0.0.1:5000`);
  mirrors[from] = to;
}

const repo = repoRoot();
const pins = loadPins(repo);
const targets = resolveTargets(specs, pins, {
  ...(values.tenant !== undefined ? { tenant: values.tenant } : {}),
  ...(values.env !== undefined && isEnv(values.env) ? { env: values.env } : {}),
  ...(values.app !== undefined ? { app: values.app } : {}),
});
if (targets.length === 0) usage("the selection matches no app");
try {
  const resolved = await resolveAll(targets, registryClient({ mirrors }));
  const next = applyResolved(pins, resolved);
  const changed = resolved.filter((r) => pins[r.tenant]?.[r.env]?.[r.app]?.digest !== r.digest);
  if (changed.length === 0) {
    console.log(`pins: ${resolved.length} image(s) resolved; ${PINS_FILE} already has every digest`);
    process.exit(0);
  }
  writePins(repo, next);
  try {
    generate(repo, DEFAULT_FLEET, TENANTS, next);
  } catch (e) {
    writePins(repo, pins);
    console.error(`pins: generating with the resolved pins failed; ${PINS_FILE} was restored:\n${(e as Error).message}`);
    process.exit(1);
  }
  for (const r of changed) console.log(`pins: ${r.tenant}/${r.env}/${r.app} ${r.repository}:${r.tag}@${r.digest}`);
  console.log(`pins: ${resolved.length} image(s) resolved, ${changed.length} pin(s) written to ${PINS_FILE}; the tree is regenerated`);
} catch (e) {
  console.error(e instanceof ResolveError ? `pins: ${e.message}` : `pins: ${(e as Error).message}`);
  process.exit(1);
}
