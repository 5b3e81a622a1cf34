/**
 * Connection handles: the one place a tenant file gets an address from. A handle holds
 * the declaration (`.call`, put in the app's `calls`) and the address that declaration
 * reaches (`.host`, `.hostPort`, `.url()`), so the address an app is configured with and
 * the network path that lets it through come from the same expression. Validation
 * (api/validate/wiring.ts) refuses an in-cluster address naming anything the app does
 * not call.
 *
 *   const wire = wiring(NAMESPACE);
 *   const fmsHttp = wire.port(fms, "http");
 *   gateway: { calls: [fmsHttp.call], env: { FMS_URI: fmsHttp.url() } }
 */
import { CLUSTER_DOMAIN, PLATFORM_SERVICES, type PlatformServiceName } from "../../fleet/constants.js";
import type { PortSpec } from "../tenant.js";
import type { AppCall, Call, ExternalSpec, PlatformCall } from "../wiring.js";

/** A declared connection and the address it reaches. */
export interface Endpoint<C extends Call = Call> {
  /** The declaration: list it in the caller's `calls`. */
  readonly call: C;
  /** DNS name the caller dials. */
  readonly host: string;
  /** Port the caller dials (the Service port for an app). */
  readonly port: number;
  /** `host:port`. */
  readonly hostPort: string;
  /** `scheme://host:port` plus `path`. */
  url(scheme?: string, path?: string): string;
}

/** A port of an app: its Service, and the stable names of its pods behind the headless Service. */
export interface AppEndpoint extends Endpoint<AppCall> {
  /** Fully qualified Service name, for clients that resolve from another namespace (KEDA's scalers, other tenants). */
  readonly fqdn: string;
  /** `fqdn:port`. */
  readonly fqdnHostPort: string;
  /** Pod `i` of a StatefulSet: `<app>-<i>.<app>-headless` (fully qualified with `fqdn: true`). */
  pod(i: number, opts?: { fqdn?: boolean }): string;
  /** `pod(i):port` for pods 0..n-1, joined with ",": a peer or broker list. */
  pods(n: number, opts?: { fqdn?: boolean }): string;
}

function endpoint<C extends Call>(call: C, host: string, port: number): Endpoint<C> {
  return {
    call,
    host,
    port,
    hostPort: `${host}:${port}`,
    url: (scheme = "http", path = ""): string => `${scheme}://${host}:${port}${path}`,
  };
}

/** What a handle needs of its target app: its name and ports (an AppSpec, or the constants it is built from). */
export interface PortTarget {
  name: string;
  ports: readonly PortSpec[];
}

export interface Wiring {
  /**
   * A port of an app. Same tenant: the short Service name, resolved through the pod's
   * DNS search path. Another tenant (`tenant` given, with its namespace): the fully
   * qualified name; that tenant must list the port in the app's `network.exposeTo`.
   */
  port(target: PortTarget, port: string, tenant?: { name: string; namespace?: string }): AppEndpoint;
}

/** Handles for the apps of the tenant running in `namespace`. */
export function wiring(namespace: string): Wiring {
  return {
    port(target, portName, tenant): AppEndpoint {
      const p = target.ports.find((x) => x.name === portName);
      if (!p) throw new Error(`wiring: ${target.name} has no port ${portName}; its ports: ${target.ports.map((x) => x.name).join(", ")}`);
      const number = p.servicePort ?? p.containerPort;
      const ns = tenant ? (tenant.namespace ?? tenant.name) : namespace;
      const fqdn = `${target.name}.${ns}.${CLUSTER_DOMAIN}`;
      const short = tenant ? fqdn : target.name;
      const podName = (i: number, o?: { fqdn?: boolean }): string =>
        o?.fqdn || tenant
          ? `${target.name}-${i}.${target.name}-headless.${ns}.${CLUSTER_DOMAIN}`
          : `${target.name}-${i}.${target.name}-headless`;
      const call: AppCall = tenant ? { app: target.name, port: portName, tenant: tenant.name } : { app: target.name, port: portName };
      return {
        ...endpoint(call, short, number),
        fqdn,
        fqdnHostPort: `${fqdn}:${number}`,
        pod: podName,
        pods: (n: number, o?: { fqdn?: boolean }): string =>
          Array.from({ length: n }, (_, i) => `${podName(i, o)}:${p.containerPort}`).join(","),
      };
    },
  };
}

/** The platform services (fleet/constants.ts PLATFORM_SERVICES), fully qualified: they run in another namespace. */
export const platform: { readonly [K in PlatformServiceName]: Endpoint<PlatformCall> } = Object.fromEntries(
  Object.entries(PLATFORM_SERVICES).map(([name, s]) => [
    name,
    endpoint({ platform: name as PlatformServiceName }, `${s.service}.${s.namespace}.${CLUSTER_DOMAIN}`, s.port),
  ]),
) as { readonly [K in PlatformServiceName]: Endpoint<PlatformCall> };

/** A host outside the cluster, with the reason the app calls it and the range its addresses are in. */
export function external(spec: ExternalSpec): Endpoint<{ external: ExternalSpec }> {
  return endpoint({ external: spec }, spec.host, spec.port);
}
