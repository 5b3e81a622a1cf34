/** generators/rules/ is the bottom layer: it imports only its own modules, so generate and check can both use it. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/repo.js";

describe("generators/rules", () => {
  it("imports nothing but its own modules", () => {
    const dir = join(REPO, "generators", "rules");
    const imports = readdirSync(dir)
      .filter((f) => f.endsWith(".ts"))
      .flatMap((f) => [...readFileSync(join(dir, f), "utf8").matchAll(/^import [^;]*? from "([^"]+)";/gms)].map((m) => `${f}: ${m[1]}`));
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((i) => !/: \.\/[a-z-]+\.js$/.test(i))).toEqual([]);
  });
});
