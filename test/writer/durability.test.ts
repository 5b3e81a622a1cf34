/**
 * What the writer flushes, and when: a power cut keeps only what was fsynced, so every staged
 * file, the journal and the directories naming them are on disk before the COMMIT marker
 * appears, and every directory a file was renamed into or removed from is on disk before the
 * marker goes (after that, no run would redo the renames).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { GENERATE_JOURNAL } from "../../generators/fleet/constants.js";
import { type DurabilityEvent, writeTree } from "../../generators/layout/writer.js";
import { after, before, ROOTS } from "./trees.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function traced(): { dir: string; events: DurabilityEvent[] } {
  const dir = mkdtempSync(join(tmpdir(), "writer-sync-"));
  dirs.push(dir);
  writeTree(dir, ROOTS, before());
  const events: DurabilityEvent[] = [];
  writeTree(dir, ROOTS, after(), { trace: (e) => events.push(e) });
  return { dir, events };
}

const at = (events: DurabilityEvent[], step: DurabilityEvent["step"], path: string): number =>
  events.findIndex((e) => e.step === step && e.path === path);

describe("the writer's durability", () => {
  it("fsyncs every staged file, the journal and their directories before the COMMIT rename", () => {
    const { dir, events } = traced();
    const journal = join(dir, GENERATE_JOURNAL);
    const commit = at(events, "commit", join(journal, "COMMIT"));
    expect(commit).toBeGreaterThan(0);
    const changed = [...after()].filter(([p, c]) => before().get(p) !== c).map(([p]) => p);
    expect(changed.length).toBe(10);
    for (const p of changed) {
      const staged = join(journal, "files", p);
      const synced = at(events, "fsync-file", staged);
      expect(synced, `${p} staged and fsynced`).toBeGreaterThanOrEqual(0);
      expect(synced).toBeLessThan(commit);
      const entry = at(events, "fsync-dir", dirname(staged));
      expect(entry, `${dirname(staged)} fsynced`).toBeGreaterThan(synced);
      expect(entry).toBeLessThan(commit);
    }
    const journalFile = at(events, "fsync-file", join(journal, "journal.json"));
    expect(journalFile).toBeGreaterThanOrEqual(0);
    expect(at(events, "fsync-dir", journal)).toBeGreaterThan(journalFile);
    expect(at(events, "fsync-dir", journal)).toBeLessThan(commit);
    // `.generate/` itself is a new entry in the repository.
    expect(at(events, "fsync-dir", dir)).toBeLessThan(commit);
  });

  it("fsyncs the journal directory after the COMMIT rename, and every target directory before COMMIT is removed", () => {
    const { dir, events } = traced();
    const journal = join(dir, GENERATE_JOURNAL);
    const commit = at(events, "commit", join(journal, "COMMIT"));
    const uncommit = at(events, "uncommit", join(journal, "COMMIT"));
    expect(events.findIndex((e, i) => i > commit && e.step === "fsync-dir" && e.path === journal)).toBeGreaterThan(commit);
    expect(uncommit).toBeGreaterThan(commit);
    const changed = [...after()].filter(([p, c]) => before().get(p) !== c).map(([p]) => p);
    for (const p of changed) {
      const renamed = at(events, "rename", p);
      expect(renamed).toBeGreaterThan(commit);
      const target = events.findIndex((e, i) => i > renamed && e.step === "fsync-dir" && e.path === join(dir, dirname(p)));
      expect(target, `${dirname(p)} fsynced after ${p} was renamed into it`).toBeGreaterThan(renamed);
      expect(target).toBeLessThan(uncommit);
    }
    // A removed folder (t2) is gone: its parent, whose entry changed, is flushed instead.
    for (const root of ROOTS) {
      const removed = [...before().keys()].some((p) => p.startsWith(`${root}/t2/`));
      if (!removed) continue;
      const parent = events.findIndex((e, i) => i > commit && e.step === "fsync-dir" && e.path === join(dir, root));
      expect(parent, `${root} fsynced after its t2 folder was removed`).toBeGreaterThan(commit);
      expect(parent).toBeLessThan(uncommit);
    }
  });
});
