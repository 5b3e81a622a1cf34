/**
 * Runs the real kustomize: `kustomize` when it is on PATH, else `kubectl kustomize`.
 * Folders render in parallel, at most one process per core.
 */
import { execFile, execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";

export interface Kustomize {
  /** argv prefix that builds a folder, e.g. ["kubectl", "kustomize"]. */
  command: readonly string[];
  /** Version string, e.g. "v5.5.0"; part of every render cache key. */
  version: string;
}

const INSTALL_HINT =
  "neither `kustomize` nor `kubectl` is on PATH. Install one: kubectl >= 1.27 (https://kubernetes.io/docs/tasks/tools/) or kustomize >= 5 (https://kubectl.docs.kubernetes.io/installation/kustomize/), then run this again";

function tryRun(cmd: string, args: string[]): string | undefined {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return undefined;
  }
}

let detected: Kustomize | undefined;

/** Finds kustomize once per process. Throws with install instructions when there is none. */
export function findKustomize(): Kustomize {
  if (detected) return detected;
  const standalone = tryRun("kustomize", ["version"]);
  if (standalone !== undefined) {
    detected = { command: ["kustomize", "build"], version: standalone.trim().replace(/^.*?(v\d+\.\d+\.\d+).*$/s, "$1") };
    return detected;
  }
  const kubectl = tryRun("kubectl", ["version", "--client"]);
  if (kubectl !== undefined) {
    const m = /Kustomize Version:\s*(\S+)/.exec(kubectl);
    detected = { command: ["kubectl", "kustomize"], version: m?.[1] ?? "unknown" };
    return detected;
  }
  throw new Error(INSTALL_HINT);
}

/** Renders one folder to YAML text. Rejects with kustomize's own error text. */
export function buildFolder(dir: string, k: Kustomize = findKustomize()): Promise<string> {
  const [cmd, ...args] = k.command;
  if (!cmd) throw new Error("internal: empty kustomize command");
  return new Promise((resolve, reject) => {
    execFile(cmd, [...args, dir], { maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`kustomize build ${dir} failed:\n${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });
}

/** Maps over items with at most `limit` in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

export const DEFAULT_PARALLELISM: number = availableParallelism();
