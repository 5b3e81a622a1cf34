/**
 * Every declared connection of a fleet, resolved once: caller, callee and port. The
 * NetworkPolicy builder derives both sides from it (caller egress, callee ingress), the
 * Istio builder the callee's AuthorizationPolicy rule, so one `calls` entry is one
 * connection everywhere.
 */
import { PLATFORM_SERVICES, type PlatformServiceName } from "../fleet/constants.js";
import type { AppSpec, PortSpec, TenantSpec } from "../api/tenant.js";
import type { ExternalSpec } from "../api/wiring.js";

export type Connection =
  | { kind: "app"; caller: AppSpec; callerTenant: TenantSpec; tenant: TenantSpec; app: AppSpec; port: PortSpec }
  | { kind: "platform"; caller: AppSpec; callerTenant: TenantSpec; name: PlatformServiceName }
  | { kind: "external"; caller: AppSpec; callerTenant: TenantSpec; external: ExternalSpec };

/** The connections `app` of `tenant` declares, in declaration order. Validation has refused unknown targets. */
export function connectionsOf(tenant: TenantSpec, all: readonly TenantSpec[], app: AppSpec): Connection[] {
  return (app.calls ?? []).map((call): Connection => {
    const base = { caller: app, callerTenant: tenant };
    if (call.platform !== undefined) return { ...base, kind: "platform", name: call.platform };
    if (call.external !== undefined) return { ...base, kind: "external", external: call.external };
    const owner = call.tenant === undefined ? tenant : all.find((t) => t.name === call.tenant);
    const target = owner?.apps.find((a) => a.name === call.app);
    const port = target?.ports.find((p) => p.name === call.port);
    if (!owner || !target || !port)
      throw new Error(`internal: ${tenant.name}/${app.name} calls unknown ${call.tenant ?? tenant.name}/${call.app}:${call.port}`);
    return { ...base, kind: "app", tenant: owner, app: target, port };
  });
}

/** Every connection to `app` of `tenant`, from any tenant, in fleet order. */
export function connectionsTo(tenant: TenantSpec, all: readonly TenantSpec[], app: AppSpec): Extract<Connection, { kind: "app" }>[] {
  const out: Extract<Connection, { kind: "app" }>[] = [];
  for (const t of all)
    for (const caller of t.apps)
      for (const c of connectionsOf(t, all, caller))
        if (c.kind === "app" && c.tenant.name === tenant.name && c.app.name === app.name) out.push(c);
  return out;
}

/** Does the platform service sit behind an address (the VPC) rather than pods we can select? */
export function viaVpc(name: PlatformServiceName): boolean {
  return "viaVpc" in PLATFORM_SERVICES[name];
}
