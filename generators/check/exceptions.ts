/** The policy exceptions in force: those declared beside each tenant spec. */
import type { PolicyException } from "../api/exception.js";
import type { TenantSource } from "../tenants/index.js";

export type { PolicyException } from "../api/exception.js";

export function collectExceptions(tenants: readonly TenantSource[]): PolicyException[] {
  return tenants.flatMap((t) => [...(t.spec.exceptions ?? [])]);
}
