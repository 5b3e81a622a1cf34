/**
 * `npm run render [-- <cluster>] [--out DIR] [--shard i/n] [--no-cache]`: what Argo CD will apply, per folder.
 * `--shard i/n [--costs FILE]` renders one of n cost-balanced shards of the folders (render/shard.ts).
 * Without --out the rendered YAML goes to stdout, each folder under a comment naming it.
 * Folders whose inputs did not change come from the render cache (.cache/render).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { countDocuments } from "../argo/manifest-yaml.js";
import { renderFleet } from "../render/render.js";
import { parseShard, readCosts } from "../render/shard.js";
import { repoRoot } from "./repo.js";

// `npm run render | head` closes the pipe early; that is not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => process.exit(e.code === "EPIPE" ? 0 : 1));

try {
  const { values, positionals } = parseArgs({
    options: {
      out: { type: "string" },
      shard: { type: "string" },
      costs: { type: "string" },
      "no-cache": { type: "boolean", default: false },
    },
    allowPositionals: true,
  });
  const folders = await renderFleet(repoRoot(), {
    ...(positionals[0] !== undefined ? { cluster: positionals[0] } : {}),
    ...(values.shard !== undefined
      ? {
          shard: {
            shard: parseShard(values.shard),
            ...(values.costs !== undefined ? { costs: readCosts(process.cwd(), values.costs) } : {}),
          },
        }
      : {}),
    cache: !values["no-cache"],
  });
  if (values.out) {
    const out = resolve(values.out);
    for (const f of folders) {
      const file = join(out, f.cluster, `${f.tenant}.yaml`);
      mkdirSync(join(out, f.cluster), { recursive: true });
      writeFileSync(file, f.yaml);
    }
    console.error(
      `render: ${folders.length} folders, ${folders.reduce((n, f) => n + countDocuments(f.yaml), 0)} objects written to ${out}`,
    );
  } else {
    for (const f of folders) process.stdout.write(`# ---- ${f.path}\n${f.yaml}`);
  }
} catch (e) {
  console.error(`render: ${(e as Error).message}`);
  process.exit(1);
}
