/**
 * "Today" as an explicit input. Support windows, exception expiry and the control-plane fee
 * depend on the day; every command that judges them takes the day from `--today YYYY-MM-DD`,
 * else from the FLEET_TODAY environment variable, else the real date, so tests and
 * reproductions pin it.
 */

/** The environment variable that sets the day for generate, check, report and promote. */
export const TODAY_ENV = "FLEET_TODAY";

export class ClockError extends Error {}

/** The day to judge by: `flag` (from --today), else `env` (FLEET_TODAY), else `now`. */
export function clockFrom(flag: string | undefined, env: string | undefined = process.env[TODAY_ENV], now: Date = new Date()): Date {
  const [value, from] = flag !== undefined ? [flag, "--today"] : env !== undefined && env !== "" ? [env, TODAY_ENV] : [undefined, ""];
  if (value === undefined) return now;
  const d = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : undefined;
  if (!d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value)
    throw new ClockError(`${from} "${value}" is not a day; write it as YYYY-MM-DD, e.g. 2026-12-06`);
  return d;
}
