import { ENVIRONMENTS, type Env } from "../fleet/fleet.js";
import type { PerEnv } from "./tenant.js";

/** True when the value is written per environment (an object keyed by environment names). */
export function isPerEnvRecord<T>(value: PerEnv<T>): value is Readonly<Record<Env, T>> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.some((k) => (ENVIRONMENTS as readonly string[]).includes(k));
}

/** The value for one environment. The validator has already proved every environment is present. */
export function forEnv<T>(value: PerEnv<T>, env: Env): T {
  if (!isPerEnvRecord(value)) return value as T;
  const v = value[env];
  if (v === undefined) throw new Error(`internal: per-environment value has no entry for ${env}`);
  return v;
}
