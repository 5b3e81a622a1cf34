/**
 * Connections: what an app calls, declared once on the caller. Each declaration yields
 * both sides (builders/network.ts, builders/istio.ts): the caller's NetworkPolicy egress,
 * the callee's ingress and, in a meshed namespace, its AuthorizationPolicy rule. The
 * address the caller is configured with comes from the same handle
 * (api/components/wiring.ts), and validation refuses an in-cluster address that names
 * anything the app does not call (api/validate/wiring.ts).
 */
import type { PlatformServiceName } from "../fleet/constants.js";

/** Another app's named port: of this tenant, or of `tenant` when that app exposes the port to the caller's tenant. */
export interface AppCall {
  app: string;
  /** The callee's port name. */
  port: string;
  /** The callee's tenant. @default the caller's */
  tenant?: string;
  platform?: never;
  external?: never;
}

/** A platform service (fleet/constants.ts PLATFORM_SERVICES). */
export interface PlatformCall {
  platform: PlatformServiceName;
  app?: never;
  port?: never;
  tenant?: never;
  external?: never;
}

/** A host outside the cluster. NetworkPolicy cannot name hosts: egress goes to an address range. */
export interface ExternalCall {
  external: ExternalSpec;
  app?: never;
  port?: never;
  tenant?: never;
  platform?: never;
}

export interface ExternalSpec {
  /** DNS name the app connects to, e.g. "agentguard.abc123.us-west-2.rds.amazonaws.com" or "api.anthropic.com". */
  host: string;
  /** TCP port. */
  port: number;
  /** Why the app calls it; shown in review and docs. */
  reason: string;
  /**
   * Where the host's addresses are: "vpc" (AWS managed databases and caches, VPC endpoints)
   * becomes an ipBlock of each cluster's `vpcCidr`; "internet" becomes 0.0.0.0/0 and needs
   * `expires`, the last day (YYYY-MM-DD) this open egress is accepted (an egress gateway or
   * a narrower range should replace it by then).
   */
  range: "vpc" | "internet";
  /** Required with range "internet": last day the exception applies, YYYY-MM-DD. @default none */
  expires?: string;
}

/** A Job's call: an external host only (apps admit Jobs with `{ job }` peers). */
export interface JobCall {
  external: ExternalSpec;
}

/** One connection an app makes: exactly one of `app`, `platform`, `external`. */
export type Call = AppCall | PlatformCall | ExternalCall;

/** A port another tenant may call: `network.exposeTo` on the callee. */
export interface ExposeRule {
  /** The tenants whose apps may call these ports. */
  tenants: readonly string[];
  /** Port names. */
  ports: readonly string[];
}
