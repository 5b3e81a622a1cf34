/**
 * The one rule that derives every hostname. A cluster host is unique per cluster;
 * a prod cluster also serves the global host, which external-dns publishes as a
 * latency-routed record with one member per prod cluster.
 */
import { BASE_DOMAIN, SERVICE_DOMAIN } from "./constants.js";
import type { ClusterSpec, Fleet } from "./fleet.js";
import { envSpec } from "./fleet.js";

/** `<label>.<tenant>.<cluster>.<base>`, e.g. api.uiota.prod-usw2.ai.example.com */
export function clusterHost(label: string, tenant: string, cluster: ClusterSpec): string {
  return `${label}.${tenant}.${cluster.name}.${BASE_DOMAIN}`;
}

/** `<label>.<tenant>.<base>`: the name users call in prod, routed to the nearest region. */
export function globalHost(label: string, tenant: string): string {
  return `${label}.${tenant}.${BASE_DOMAIN}`;
}

/** Every host an app's Ingress serves on a cluster: its own, plus the global one in prod. */
export function hostsFor(fleet: Fleet, label: string, tenant: string, cluster: ClusterSpec): string[] {
  const hosts = [clusterHost(label, tenant, cluster)];
  if (envSpec(fleet, cluster.env).production) hosts.push(globalHost(label, tenant));
  return hosts;
}

/** A Service's fully qualified name in cluster DNS, `<service>.<namespace>.svc.cluster.local`. */
export function serviceFqdn(service: string, namespace: string): string {
  return `${service}.${namespace}.${SERVICE_DOMAIN}`;
}
