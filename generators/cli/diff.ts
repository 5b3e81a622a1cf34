/**
 * `npm run diff -- [--base <git-ref>] [--cluster c] [--tenant t] [--shard i/n] [--format text|markdown|json] [--max-lines N] [--no-cache]`:
 * what a change does to everything Argo CD reads: the rendered objects of every affected
 * clusters/<cluster>/<tenant> folder, and apps/ (projects, ApplicationSets, the Applications
 * they expand to, chart versions and values, waves).
 * Exit 0 when nothing differs, 1 when something does, 2 on error.
 */
import { parseArgs } from "node:util";
import { diffFleet } from "../diff/diff.js";
import { DEFAULT_FLEET } from "../fleet/fleet.js";
import { TENANTS } from "../tenants/index.js";
import { generate } from "../generate.js";
import { FORMATS, formatDiff, type Format } from "../diff/format.js";
import { parseShard, type Shard } from "../render/shard.js";
import { repoRoot } from "./repo.js";

process.stdout.on("error", (e: NodeJS.ErrnoException) => process.exit(e.code === "EPIPE" ? 0 : 2));

function fail(message: string): never {
  console.error(`diff: ${message}`);
  process.exit(2);
}

let values: {
  base?: string;
  cluster?: string;
  tenant?: string;
  shard?: string;
  format?: string;
  "max-lines"?: string;
  "no-cache"?: boolean;
};
try {
  ({ values } = parseArgs({
    options: {
      base: { type: "string" },
      cluster: { type: "string" },
      tenant: { type: "string" },
      shard: { type: "string" },
      format: { type: "string", default: "text" },
      "max-lines": { type: "string", default: "40" },
      "no-cache": { type: "boolean", default: false },
    },
  }));
} catch (e) {
  fail((e as Error).message);
}
const format = values.format as Format;
if (!FORMATS.includes(format)) fail(`--format must be one of ${FORMATS.join(", ")}; got "${values.format}"`);
const maxLines = Number(values["max-lines"]);
if (!Number.isInteger(maxLines) || maxLines < 1) fail(`--max-lines must be a positive integer; got "${values["max-lines"]}"`);

let shard: Shard | undefined;
try {
  shard = values.shard !== undefined ? parseShard(values.shard) : undefined;
} catch (e) {
  fail((e as Error).message);
}

try {
  const result = await diffFleet(repoRoot(), {
    ...(values.base !== undefined ? { base: values.base } : {}),
    ...(values.cluster !== undefined ? { cluster: values.cluster } : {}),
    ...(values.tenant !== undefined ? { tenant: values.tenant } : {}),
    ...(shard !== undefined ? { shard } : {}),
    cache: !values["no-cache"],
    generateInProcess: (dir) => void generate(dir, DEFAULT_FLEET, TENANTS),
  });
  process.stdout.write(formatDiff(result, format, { maxLines }));
  process.exitCode = result.hasChanges ? 1 : 0;
} catch (e) {
  fail((e as Error).message);
}
