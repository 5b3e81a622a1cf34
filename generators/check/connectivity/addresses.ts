/**
 * In-cluster addresses inside free text: env values, ConfigMap data, KEDA trigger metadata.
 * Kubernetes DNS (kubernetes/dns docs/specification.md) gives a Service `svc` the names
 * `svc.ns.svc.cluster.local` and, through the pod's search path (`ns.svc.cluster.local`,
 * `svc.cluster.local`, `cluster.local`), `svc.ns.svc`, `svc.ns` and, from its own namespace,
 * `svc`; a pod of a headless Service is `pod.svc.ns.svc.cluster.local`. Addresses appear bare,
 * with a port, inside URLs (`scheme://user@host:port/path`), JDBC strings
 * (`jdbc:postgresql://host:port/db`) and comma-separated host:port lists.
 */
import { SERVICE_DOMAIN } from "../../fleet/constants.js";

export interface HostRef {
  /** The host as written, lower-cased. */
  host: string;
  port?: number | undefined;
  scheme?: string | undefined;
  /** The whole value was this address (with or without a port). */
  whole: boolean;
}

/** Default ports of URL schemes seen in connection strings. */
export const SCHEME_PORTS: Readonly<Record<string, number>> = {
  http: 80,
  ws: 80,
  https: 443,
  wss: 443,
  redis: 6379,
  rediss: 6379,
  postgres: 5432,
  postgresql: 5432,
  mysql: 3306,
  mongodb: 27017,
  amqp: 5672,
  nats: 4222,
  bolt: 7687,
  neo4j: 7687,
};

const LABEL = "[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?";
// An optional scheme with optional userinfo, a DNS name, an optional port, bounded so that
// a name is never cut out of a longer word.
const ADDRESS = new RegExp(
  `(?<![-a-z0-9._/])(?:([a-z][a-z0-9+.-]*):\\/\\/(?:[^@/\\s]*@)?)?(${LABEL}(?:\\.${LABEL})*)(?::(\\d{1,5}))?(?![-a-z0-9_])`,
  "g",
);

/** Every DNS-name-shaped token of a value, with its scheme and port. */
export function hostRefs(value: string): HostRef[] {
  const v = value.toLowerCase();
  const out: HostRef[] = [];
  for (const m of v.matchAll(ADDRESS)) {
    const host = m[2] ?? "";
    if (/^\d+(\.\d+)*$/.test(host)) continue; // a number or an IP address
    const port = m[3] !== undefined ? Number(m[3]) : undefined;
    const whole = m.index === 0 && m[0].length === v.trim().length;
    // A lone word inside text (a path segment, a flag value) is never an address by itself.
    if (!host.includes(".") && port === undefined && m[1] === undefined && !whole) continue;
    out.push({ host, port: port !== undefined && port > 0 && port < 65536 ? port : undefined, scheme: m[1], whole });
  }
  return out;
}

/** What an in-cluster name points at. */
export interface ClusterName {
  service: string;
  namespace: string;
  /** A pod of a headless Service (`pod.svc.ns.svc.cluster.local`). */
  pod?: string | undefined;
  /** Written as a cluster name for certain (ends in `.svc` or `.svc.cluster.local`). */
  explicit: boolean;
}

/** What a cluster has, for name resolution. */
export interface NameScope {
  isNamespace(ns: string): boolean;
  isService(ns: string, name: string): boolean;
}

/**
 * How a pod in `namespace` resolves `host`, if it is a cluster name. Bare names resolve in the
 * pod's own namespace first (the search path `ns.svc.cluster.local`), so `a.b` is a pod of the
 * headless Service b of that namespace when b is one, else Service a of namespace b when b is a
 * namespace; `p.a.b` is pod p of Service a in namespace b.
 */
export function clusterName(host: string, namespace: string, scope: NameScope): ClusterName | undefined {
  const h = host.replace(/\.$/, "");
  const parts = h.split(".");
  const suffix = h.endsWith(`.${SERVICE_DOMAIN}`) ? 4 : h.endsWith(".svc") ? 2 : 0;
  if (suffix > 0) {
    const rest = parts.slice(0, parts.length - suffix + 1);
    if (rest.length === 2) return { service: rest[0] ?? "", namespace: rest[1] ?? "", explicit: true };
    if (rest.length === 3) return { pod: rest[0], service: rest[1] ?? "", namespace: rest[2] ?? "", explicit: true };
    return undefined;
  }
  const [a = "", b = "", c = ""] = parts;
  if (parts.length === 1) return { service: a, namespace, explicit: false };
  if (parts.length === 2 && scope.isService(namespace, b)) return { pod: a, service: b, namespace, explicit: false };
  if (parts.length === 2 && scope.isNamespace(b)) return { service: a, namespace: b, explicit: false };
  if (parts.length === 3 && scope.isNamespace(c)) return { pod: a, service: b, namespace: c, explicit: false };
  return undefined;
}

/** Setting names whose value is an address even when it is a bare word (POSTGRES_HOST=pgpool). */
export function namesAnAddress(key: string): boolean {
  return /(host|hosts|hostname|addr|address|addresses|server|servers|endpoint|endpoints|url|uri|brokers|nodes)$/i.test(
    key.replace(/[^a-z0-9]/gi, ""),
  );
}
