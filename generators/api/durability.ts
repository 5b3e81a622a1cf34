/**
 * Durability as typed data: how much data a store may lose (RPO) and how long it may be down
 * (RTO), per environment, or the statement that its data can be re-created. The generators derive
 * the mechanism from it (archive_timeout, backup schedules, instances) and refuse a declaration the
 * mechanism cannot meet (validate/durability.ts); `npm run check` proves the rendered objects
 * still meet it (check/policy/durability.ts).
 */
import type { Env } from "../fleet/fleet.js";

/**
 * One value or one per environment: structurally tenant.ts's PerEnv, spelled here because
 * tenant.ts imports the database declaration (a type import back would be a cycle).
 */
export type PerEnv<T> = T | Readonly<Record<Env, T>>;

/** A duration as `<n>s`, `<n>m` or `<n>h`, e.g. "5m". */
export type Duration = string;

export interface DurabilityTargets {
  /** Recovery point objective: the most data, in time, a failure may lose. */
  rpo: Duration;
  /** Recovery time objective: the longest the store may be unavailable after a failure. */
  rto: Duration;
}

/** Either targets per environment, or why the data needs no backup. */
export type DurabilitySpec =
  | { targets: PerEnv<DurabilityTargets>; recreatable?: never }
  | { recreatable: { reason: string }; targets?: never };

/**
 * The defaults: prod takes the seeds' strictest stated figures (MLCF: "RTO < 15 minutes,
 * RPO < 5 minutes"); staging and dev are rehearsal environments with looser targets.
 */
export const DEFAULT_DURABILITY: Readonly<Record<Env, DurabilityTargets>> = {
  dev: { rpo: "1h", rto: "4h" },
  staging: { rpo: "15m", rto: "1h" },
  prod: { rpo: "5m", rto: "15m" },
};

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600 };

/** Seconds of a duration, or undefined when it is not `<n>s|m|h`. */
export function durationSeconds(d: string): number | undefined {
  const m = /^([1-9][0-9]*)([smh])$/.exec(d);
  return m ? Number(m[1]) * (UNIT_SECONDS[m[2] as string] ?? 0) : undefined;
}

/** Seconds as the shortest exact duration ("150s", "5m", "1h"). */
export function formatSeconds(s: number): Duration {
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}
