/**
 * The check stage the benchmark times: `checkFleet` from generators/check/run.ts when
 * that module exists on this branch, else nothing (the stage is reported as missing).
 * Loaded by a computed specifier so this file compiles before the module lands.
 */
import type { Fleet } from "../fleet/fleet.js";
import type { RenderedFolder } from "../render/render.js";
import type { TenantSource } from "../tenants/index.js";

/** The signature of checkFleet in generators/check/run.ts. */
export type CheckFleet = (repo: string, fleet: Fleet, tenants: readonly TenantSource[], options: { rendered?: readonly RenderedFolder[] }) => Promise<unknown>;

export async function loadCheckFleet(): Promise<CheckFleet | undefined> {
  const specifier = ["..", "check", "run.js"].join("/");
  try {
    const mod = (await import(specifier)) as { checkFleet?: unknown };
    return typeof mod.checkFleet === "function" ? (mod.checkFleet as CheckFleet) : undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") return undefined;
    throw e;
  }
}
