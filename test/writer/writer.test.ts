/**
 * Crash safety of the writer: whatever the moment a run dies (an injected failure after
 * the k-th staged file, rename or removal; a real SIGKILL of a child process), the next
 * run leaves exactly the old tree or the new one, and no temporary file is ever inside
 * the generated roots, where `git add -A` would pick it up.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { GENERATE_JOURNAL } from "../../generators/fleet/constants.js";
import { recover, writeTree, type WriteOptions } from "../../generators/layout/writer.js";
import { REPO } from "../helpers/repo.js";
import { after, before, onDisk, ROOTS, sorted } from "./trees.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function oldTree(): string {
  const dir = mkdtempSync(join(tmpdir(), "writer-"));
  dirs.push(dir);
  writeTree(dir, ROOTS, before());
  expect(onDisk(dir)).toEqual(sorted(before()));
  return dir;
}

/** Files in the roots that belong to neither tree: temporary files git would commit. */
function strays(dir: string): string[] {
  const known = new Set([...before().keys(), ...after().keys()]);
  return [...onDisk(dir).keys()].filter((p) => !known.has(p));
}

class Crash extends Error {}
const crashAt = (phase: string, k: number): WriteOptions => ({
  fault: (p, i) => {
    if (p === phase && i === k) throw new Crash(`crash after ${phase} ${k}`);
  },
});

const changes = after().size - [...after()].filter(([p, c]) => before().get(p) === c).length; // files written
const removals = [...before().keys()].filter((p) => !after().has(p)).length;

describe("the generated-tree writer after a crash", () => {
  it("has a tree with changes, additions and removals to work on", () => {
    expect(changes).toBe(10);
    expect(removals).toBe(8);
  });

  it.each([1, 2, 5, changes])("keeps the old tree when the run dies after staging file %i, and the next run writes the new one", (k) => {
    const dir = oldTree();
    expect(() => writeTree(dir, ROOTS, after(), crashAt("stage", k))).toThrow(Crash);
    expect(onDisk(dir)).toEqual(sorted(before()));
    expect(strays(dir)).toEqual([]);
    writeTree(dir, ROOTS, after());
    expect(onDisk(dir)).toEqual(sorted(after()));
    expect(existsSync(join(dir, GENERATE_JOURNAL))).toBe(false);
  });

  it.each([1, 2, 5, changes - 1, changes])("completes the new tree on the next run when the run dies after rename %i", (k) => {
    const dir = oldTree();
    expect(() => writeTree(dir, ROOTS, after(), crashAt("rename", k))).toThrow(Crash);
    expect(strays(dir)).toEqual([]);
    expect(onDisk(dir)).not.toEqual(sorted(before()));
    // The next run, even one that would write the old tree again, first finishes the committed one...
    expect(recover(dir, ROOTS)).toBe("rolled-forward");
    expect(onDisk(dir)).toEqual(sorted(after()));
    // ...and a plain next run from a crashed state ends in the tree it was asked for.
    const dir2 = oldTree();
    expect(() => writeTree(dir2, ROOTS, after(), crashAt("rename", k))).toThrow(Crash);
    writeTree(dir2, ROOTS, before());
    expect(onDisk(dir2)).toEqual(sorted(before()));
  });

  it.each([1, 4, removals])("completes the new tree when the run dies after removal %i", (k) => {
    const dir = oldTree();
    expect(() => writeTree(dir, ROOTS, after(), crashAt("remove", k))).toThrow(Crash);
    expect(strays(dir)).toEqual([]);
    writeTree(dir, ROOTS, after());
    expect(onDisk(dir)).toEqual(sorted(after()));
  });

  it("keeps its staging area out of git: .gitignore lists the journal directory", () => {
    const ignore = readFileSync(join(REPO, ".gitignore"), "utf8").split("\n");
    expect(ignore).toContain(`/${GENERATE_JOURNAL}/`);
  });

  it("refuses to touch a tree another live generate is writing", () => {
    const dir = oldTree();
    mkdirSync(join(dir, GENERATE_JOURNAL));
    writeFileSync(join(dir, GENERATE_JOURNAL, "pid"), String(process.ppid));
    expect(() => writeTree(dir, ROOTS, after())).toThrow(/another npm run generate \(pid \d+\) is writing this tree/);
    expect(onDisk(dir)).toEqual(sorted(before()));
  });

  /** Runs child.ts, SIGKILLs it once it prints `line`, and returns what it printed. */
  async function killAt(dir: string, line: string): Promise<string> {
    // node itself with tsx as a loader: the tsx CLI would run the script in a grandchild that outlives the kill.
    const child = spawn(process.execPath, ["--import", "tsx", join(REPO, "test", "writer", "child.ts"), dir], {
      cwd: REPO,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (b: Buffer) => {
        out += b.toString();
        if (out.split("\n").includes(line)) child.kill("SIGKILL");
      });
      child.on("exit", (_code, signal) => (signal === "SIGKILL" ? resolve() : reject(new Error(`child was not killed: ${out}`))));
    });
    return out;
  }

  it("survives a real SIGKILL in the middle of the renames", async () => {
    const dir = oldTree();
    const out = await killAt(dir, "rename 3");
    expect(out).not.toContain("done");
    expect(strays(dir)).toEqual([]);
    const mid = onDisk(dir);
    expect(mid).not.toEqual(sorted(before()));
    expect(mid).not.toEqual(sorted(after()));
    writeTree(dir, ROOTS, after());
    expect(onDisk(dir)).toEqual(sorted(after()));
    expect(existsSync(join(dir, GENERATE_JOURNAL))).toBe(false);
  }, 30_000);

  it("survives a real SIGKILL while staging: the old tree is untouched", async () => {
    const dir = oldTree();
    await killAt(dir, "stage 4");
    expect(onDisk(dir)).toEqual(sorted(before()));
    expect(strays(dir)).toEqual([]);
    writeTree(dir, ROOTS, after());
    expect(onDisk(dir)).toEqual(sorted(after()));
  }, 30_000);
});
