/** Timing and memory helpers for the benchmark. */
import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { performance } from "node:perf_hooks";
import type { Kustomize } from "../render/kustomize.js";
import type { FolderBuilder } from "../render/render.js";

export interface Summary {
  median: number;
  min: number;
  max: number;
  /** Every timed run, seconds. */
  runs: number[];
}

export function summarize(runs: number[]): Summary {
  const s = [...runs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  return { median, min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN, runs };
}

export async function seconds(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

/** Samples this process's RSS every few milliseconds while `fn` runs; returns the peak in bytes. */
export async function peakRss<T>(fn: () => Promise<T>): Promise<{ value: T; peak: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, peak };
  } finally {
    clearInterval(timer);
  }
}

/** GNU time, when installed: it reports a child's peak RSS (`%M`, KiB). */
export const GNU_TIME: string | undefined = ["/usr/bin/time"].find((p) => {
  if (!existsSync(p)) return false;
  try {
    execFileSync(p, ["-f", "%M %U %S", "true"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
});

/** What GNU time saw of the children: the largest peak RSS (bytes) and their summed CPU seconds. */
export interface ChildPeak {
  bytes: number;
  /** user + system CPU seconds of every child measured. */
  cpu?: number;
}

/** Runs argv, optionally under GNU time to record its peak RSS into `peak`. */
export function run(argv: readonly string[], options: { cwd?: string; peak?: ChildPeak; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  const [cmd, ...args] = options.peak && GNU_TIME ? [GNU_TIME, "-f", "%M %U %S", ...argv] : argv;
  if (!cmd) throw new Error("internal: empty command");
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd: options.cwd, env: options.env, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (options.peak && GNU_TIME) {
        const m = /(\d+) ([\d.]+) ([\d.]+)\s*$/.exec(stderr);
        if (m) {
          options.peak.bytes = Math.max(options.peak.bytes, Number(m[1]) * 1024);
          options.peak.cpu = (options.peak.cpu ?? 0) + Number(m[2]) + Number(m[3]);
        }
      }
      if (err) reject(new Error(`${argv.join(" ")} failed:\n${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });
}

/** A folder builder that runs kustomize under GNU time, recording the largest child's peak RSS. */
export function measuringBuilder(peak: ChildPeak): FolderBuilder {
  return (dir: string, k: Kustomize) => run([...k.command, dir], { peak });
}

export const MiB = 1024 * 1024;
export const fmtS = (s: number): string => (Number.isFinite(s) ? (s < 10 ? s.toFixed(3) : s.toFixed(1)) : "n/a");
export const fmtMiB = (b: number | undefined): string => (b === undefined || !Number.isFinite(b) ? "n/a" : `${Math.round(b / MiB)}`);
