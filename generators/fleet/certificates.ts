/**
 * Who orders which certificate name. A cluster name (`*.<tenant>.<cluster>.<base>`) is ordered by
 * its own cluster; a production environment's global names (`*.<tenant>.<base>`) by exactly one
 * cluster of the environment, its `globalCertificateIssuer` (else its first cluster). Every
 * cluster orders through the same Route 53 zone, whose DNS-01 record cert-manager's solver
 * UPSERTs with one TXT value (cert-manager pkg/issuer/acme/dns/route53/route53.go
 * changeRecord/newTXTRecordSet), so a second cluster ordering the same name overwrites the
 * first one's challenge; the check's `certificate-single-owner` proves one owner per name.
 */
import { type ClusterSpec, type Env, envSpec, type Fleet } from "./fleet.js";

/** The cluster that orders `env`'s global names, or undefined outside production. */
export function globalCertificateIssuer(fleet: Fleet, env: Env): ClusterSpec | undefined {
  const spec = envSpec(fleet, env);
  if (!spec.production) return undefined;
  const clusters = fleet.clusters.filter((c) => c.env === env);
  const named = spec.globalCertificateIssuer;
  return named === undefined ? clusters[0] : clusters.find((c) => c.name === named);
}

/** Whether `cluster` orders its environment's global names. */
export function issuesGlobalNames(fleet: Fleet, cluster: ClusterSpec): boolean {
  return globalCertificateIssuer(fleet, cluster.env)?.name === cluster.name;
}

/** The regions of an environment's clusters: where the issuer publishes the global certificates. */
export function environmentRegions(fleet: Fleet, env: Env): string[] {
  return [...new Set(fleet.clusters.filter((c) => c.env === env).map((c) => c.region))];
}
