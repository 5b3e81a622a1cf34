/**
 * Finds cluster-internal addresses in free text (env values, config files, commands):
 * `svc`, `svc.ns`, `pod.svc`, `*.svc`, `*.svc.cluster.local`, inside URLs, JDBC strings,
 * `host:port` lists and `-h host` flags. Names resolve the way a pod's resolver does with
 * the search path `<ns>.svc.cluster.local svc.cluster.local cluster.local`
 * (kubernetes/kubernetes pkg/kubelet/network/dns/dns.go generateSearchesForDNSClusterFirst):
 * a bare `svc` is a Service of the pod's own namespace, `svc.ns` one of `ns`, and
 * `pod.svc[.ns]` a pod behind a headless Service (its `subdomain`).
 */
import { SERVICE_DOMAIN } from "../../fleet/constants.js";

/** A Service reachable by name: its namespace and the tenant app or platform service behind it. */
export interface ServiceName {
  namespace: string;
  service: string;
  /** What serves it: `app:<tenant>/<app>` or `platform:<name>`. */
  owner: string;
}

/** One in-cluster address found in a text. */
export interface FoundAddress {
  /** The token as written. */
  text: string;
  /** The Service it resolves to, or undefined when it names `*.svc` of nothing known. */
  target: ServiceName | undefined;
}

const TOKEN = /[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?/g;
const SUFFIXES = [`.${SERVICE_DOMAIN}`, ".svc"];

/** Keys whose whole value is an address even without a scheme or port (`POSTGRES_HOST=pgpool`). */
export const ADDRESS_KEY = /(HOST|URL|URI|ENDPOINT|ADDR|ADDRESS|SERVER|SERVERS|BROKERS|NODES)$/i;

/** Index of the Services of a fleet by namespace and name. */
export class ServiceIndex {
  private readonly byKey = new Map<string, ServiceName>();
  private readonly namespaces = new Set<string>();
  constructor(names: readonly ServiceName[]) {
    for (const n of names) {
      this.byKey.set(`${n.namespace}/${n.service}`, n);
      this.namespaces.add(n.namespace);
    }
  }
  get(namespace: string, service: string): ServiceName | undefined {
    return this.byKey.get(`${namespace}/${service}`);
  }
  hasNamespace(ns: string): boolean {
    return this.namespaces.has(ns);
  }
}

/**
 * Resolves one host-like token from a pod in `home`. `strong` is true when the token
 * stands where only a host can (after `://`, `@`, before `:port`, the whole value of an
 * address key): then a bare Service name counts; elsewhere only dotted forms do.
 */
function resolve(token: string, home: string, idx: ServiceIndex, strong: boolean): FoundAddress | undefined {
  const lower = token.toLowerCase();
  let name = lower;
  let explicitSvc = false;
  for (const s of SUFFIXES) {
    if (name.endsWith(s)) {
      name = name.slice(0, -s.length);
      explicitSvc = true;
      break;
    }
  }
  const labels = name.split(".");
  if (labels.some((l) => l.length === 0)) return undefined;
  const candidates: [string, string][] = [];
  // svc | svc.ns | pod.svc | pod.svc.ns
  if (labels.length === 1) candidates.push([home, labels[0] ?? ""]);
  if (labels.length === 2) {
    candidates.push([labels[1] ?? "", labels[0] ?? ""]);
    if (!explicitSvc) candidates.push([home, labels[1] ?? ""]);
  }
  if (labels.length === 3) candidates.push([labels[2] ?? "", labels[1] ?? ""]);
  for (const [ns, svc] of candidates) {
    const target = idx.get(ns, svc);
    if (!target) continue;
    if (labels.length === 1 && !strong && !explicitSvc) return undefined;
    return { text: token, target };
  }
  if (explicitSvc && labels.length <= 3) return { text: token, target: undefined };
  return undefined;
}

/** Every in-cluster address in `text`, read from a pod in namespace `home`. */
export function findAddresses(text: string, home: string, idx: ServiceIndex, wholeIsAddress = false): FoundAddress[] {
  const found: FoundAddress[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const token = m[0];
    const start = m.index ?? 0;
    const end = start + token.length;
    const before = text.slice(Math.max(0, start - 4), start);
    const after = text.slice(end, end + 6);
    const strong =
      (wholeIsAddress && start === 0 && end === text.length) ||
      before.endsWith("://") ||
      before.endsWith("@") ||
      /^:\d/.test(after) ||
      /(^|\s)-h\s$/.test(before) ||
      before.endsWith("host=");
    // A token like `0@kafka-0.kafka-headless` is split at "@" by TOKEN; a token may also carry a trailing port-less dot.
    const r = resolve(token.replace(/\.$/, ""), home, idx, strong);
    if (r) found.push(r);
  }
  return found;
}
