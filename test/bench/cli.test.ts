/** `npm run bench` is run by hand: a mistyped option must say what is wrong and how to call it, not print a stack. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/repo.js";

describe("npm run bench's options", () => {
  it("names an unknown option with the usage and exits 2, before measuring anything", () => {
    const r = spawnSync(join(REPO, "node_modules", ".bin", "tsx"), ["generators/cli/bench.ts", "--rnus", "3"], {
      cwd: REPO,
      encoding: "utf8",
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^bench: Unknown option '--rnus'/);
    expect(r.stderr).toContain("usage: npm run bench [-- --runs N]");
    expect(r.stderr).not.toContain("    at ");
    expect(r.stdout).toBe("");
  });
});
