/**
 * The clocks the check watches: each cluster's Kubernetes minor against the EKS calendar
 * (fleet/eks-calendar.ts), and the policy exceptions about to expire.
 *
 * - `eks-version-support`: a cluster past the end of standard support fails (it pays the
 *   extended-support fee, or EKS no longer offers its minor); from 60 days before the end it
 *   is a warning, which does not fail the check.
 * - Exceptions expiring within 30 days are summarised once (one line per exception, clusters
 *   merged), instead of listing every exception in use on every run.
 */
import type { PolicyException } from "../api/exception.js";
import { isoDay, daysBetween, STANDARD_SUPPORT_WARNING_DAYS, supportOn } from "../fleet/eks-calendar.js";
import type { Fleet } from "../fleet/fleet.js";
import type { Finding } from "./finding.js";

export const EKS_SUPPORT_RULE = "eks-version-support";

/** Days ahead an expiring exception is listed in the summary. */
export const EXPIRY_NOTICE_DAYS = 30;

const FLEET_SOURCE = "generators/fleet/fleet.ts";

function clusterFinding(cluster: string, message: string, fix: string): Finding {
  return { rule: EKS_SUPPORT_RULE, cluster, tenant: "-", object: `Cluster/${cluster}`, path: "kubernetesVersion", message, fix };
}

/** Failures and warnings of `eks-version-support` for these clusters (default: the fleet's) on `today`. */
export function eksSupportFindings(fleet: Fleet, today: Date, clusters?: readonly string[]): { findings: Finding[]; warnings: Finding[] } {
  const findings: Finding[] = [];
  const warnings: Finding[] = [];
  const day = isoDay(today);
  for (const c of fleet.clusters) {
    if (clusters && !clusters.includes(c.name)) continue;
    const s = supportOn(c.kubernetesVersion, today);
    const upgrade = `upgrade ${c.name} to a minor in standard support: set kubernetesVersion in ${FLEET_SOURCE} and follow docs/upgrading.md`;
    if (s.phase === "unknown") {
      findings.push(
        clusterFinding(
          c.name,
          `Kubernetes ${c.kubernetesVersion} is not in the EKS calendar (generators/fleet/eks-calendar.ts)`,
          "add the minor to the calendar with its cited dates, or set a minor the calendar has",
        ),
      );
    } else if (s.phase === "ended" || s.phase === "unreleased") {
      findings.push(
        clusterFinding(
          c.name,
          s.phase === "ended"
            ? `Kubernetes ${c.kubernetesVersion} left EKS extended support on ${s.entry?.endOfExtendedSupport}; EKS no longer offers it (on ${day})`
            : `Kubernetes ${c.kubernetesVersion} is not released on EKS until ${s.entry?.released} (on ${day})`,
          upgrade,
        ),
      );
    } else if (s.phase === "extended") {
      findings.push(
        clusterFinding(
          c.name,
          `Kubernetes ${c.kubernetesVersion} left EKS standard support on ${s.entry?.endOfStandardSupport} (on ${day}): the cluster pays extended support, $${s.usdPerHour?.toFixed(2)} per hour, until ${s.entry?.endOfExtendedSupport}`,
          upgrade,
        ),
      );
    } else if (s.daysOfStandardLeft !== undefined && s.daysOfStandardLeft <= STANDARD_SUPPORT_WARNING_DAYS) {
      warnings.push(
        clusterFinding(
          c.name,
          `Kubernetes ${c.kubernetesVersion} leaves EKS standard support on ${s.entry?.endOfStandardSupport}, in ${s.daysOfStandardLeft} days`,
          upgrade,
        ),
      );
    }
  }
  return { findings, warnings };
}

/** One exception in use whose expiry is near, with every cluster it covers there. */
export interface ExpiringException {
  rule: string;
  tenant: string;
  object: string;
  clusters: string[];
  expires: string;
  daysLeft: number;
  reason: string;
}

/**
 * The exceptions in use that expire within `EXPIRY_NOTICE_DAYS` of `today`, once each
 * (clusters merged), soonest first.
 */
export function expiringExceptions(
  excepted: readonly { finding: Finding; exception: PolicyException }[],
  today: Date,
  days: number = EXPIRY_NOTICE_DAYS,
): ExpiringException[] {
  const day = isoDay(today);
  const byKey = new Map<string, ExpiringException>();
  for (const { finding, exception } of excepted) {
    if (exception.expires === undefined) continue;
    const daysLeft = daysBetween(day, exception.expires);
    if (daysLeft > days) continue;
    const key = `${finding.rule}\n${finding.tenant}\n${finding.object}\n${exception.expires}`;
    const known = byKey.get(key);
    if (known) {
      if (!known.clusters.includes(finding.cluster)) known.clusters.push(finding.cluster);
      continue;
    }
    byKey.set(key, {
      rule: finding.rule,
      tenant: finding.tenant,
      object: finding.object,
      clusters: [finding.cluster],
      expires: exception.expires,
      daysLeft,
      reason: exception.reason,
    });
  }
  return sortExpiring([...byKey.values()]);
}

/** Soonest first, then by rule, tenant and object; clusters sorted. */
export function sortExpiring(list: readonly ExpiringException[]): ExpiringException[] {
  return list
    .map((e) => ({ ...e, clusters: [...e.clusters].sort() }))
    .sort(
      (a, b) =>
        a.expires.localeCompare(b.expires) ||
        a.rule.localeCompare(b.rule) ||
        a.tenant.localeCompare(b.tenant) ||
        a.object.localeCompare(b.object),
    );
}

/** Shards' lists as one: the same exception seen by several shards becomes one entry with every cluster. */
export function mergeExpiring(lists: readonly (readonly ExpiringException[])[]): ExpiringException[] {
  const byKey = new Map<string, ExpiringException>();
  for (const e of lists.flat()) {
    const key = `${e.rule}\n${e.tenant}\n${e.object}\n${e.expires}`;
    const known = byKey.get(key);
    if (known) known.clusters = [...new Set([...known.clusters, ...e.clusters])];
    else byKey.set(key, { ...e, clusters: [...e.clusters] });
  }
  return sortExpiring([...byKey.values()]);
}
