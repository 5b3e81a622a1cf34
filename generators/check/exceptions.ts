/**
 * The policy exceptions in force: those declared beside each tenant spec, and the open egress
 * each tenant declared with a reason and an expiry (an `external({ range: "internet" })` call of an
 * app or a Job), which the builders render as 0.0.0.0/0 on that port in the caller's
 * NetworkPolicy. Judging those here gives them what every exception has: the check lists them,
 * warns before they expire and fails once they have (rule net-egress-world).
 */
import type { PolicyException } from "../api/exception.js";
import { tenantNamespace } from "../api/names.js";
import { poolerName } from "../api/components/postgres.js";
import type { Call, TenantSpec } from "../api/tenant.js";
import type { TenantSource } from "../tenants/index.js";
import { VELERO_BASELINE_DUE, velero } from "../addons/catalogue/velero.js";
import { ARGOCD_NAMESPACE } from "../fleet/constants.js";

export type { PolicyException } from "../api/exception.js";

/** One exception per NetworkPolicy (its findings are one per rule), expiring with the earliest of its declarations. */
function openEgressExceptions(tenant: TenantSpec): PolicyException[] {
  const namespace = tenantNamespace(tenant);
  const callers = [...tenant.apps, ...(tenant.jobs ?? [])] as readonly { name: string; calls?: readonly Call[] }[];
  return callers.flatMap((caller) => {
    const open = (caller.calls ?? []).flatMap((c) => (c.external?.range === "internet" ? [c.external] : []));
    if (open.length === 0) return [];
    const expires = open.map((e) => e.expires ?? "").sort()[0];
    return [
      {
        rule: "net-egress-world",
        object: `NetworkPolicy/${namespace}/${caller.name}`,
        reason: open.map((e) => `${e.host}:${e.port}: ${e.reason}`).join("; "),
        ...(expires ? { expires } : {}),
      },
    ];
  });
}

/**
 * A CloudNativePG database's instances and Pooler reach S3 (the Barman Cloud WAL archive and base
 * backups) and the EKS API endpoint on 443 (builders/postgres.ts): public AWS addresses until the
 * VPC's S3 gateway endpoint prefix list and the API endpoint ENIs are fleet data.
 */
const DATABASE_EGRESS_DUE = "2027-03-31";

function databaseEgressExceptions(tenant: TenantSpec): PolicyException[] {
  const namespace = tenantNamespace(tenant);
  return (tenant.databases ?? []).flatMap((db) =>
    [`${db.name}-instances`, poolerName(db)].map((policy) => ({
      rule: "net-egress-world",
      object: `NetworkPolicy/${namespace}/${policy}`,
      reason: `PostgreSQL ${db.name}: S3 (Barman Cloud WAL archive and base backups) and the EKS API endpoint over HTTPS`,
      expires: DATABASE_EGRESS_DUE,
    })),
  );
}

/**
 * Velero's namespace enforces Pod Security "baseline": its data mover pods read every file of a
 * volume whatever its owner, as UID 0 (catalogue/velero.ts); reviewed again by VELERO_BASELINE_DUE.
 */
export const ADDON_POD_SECURITY_EXCEPTIONS: readonly PolicyException[] = [
  {
    rule: "addon-pod-security",
    object: `ApplicationSet/${ARGOCD_NAMESPACE}/addon-${velero.name}`,
    reason: "Velero's data mover pods read volume files owned by any UID, as root; node-agent runs without hostPath",
    expires: VELERO_BASELINE_DUE,
  },
];

export function collectExceptions(tenants: readonly TenantSource[]): PolicyException[] {
  return [
    ...tenants.flatMap((t) => [...(t.spec.exceptions ?? []), ...openEgressExceptions(t.spec), ...databaseEgressExceptions(t.spec)]),
    ...ADDON_POD_SECURITY_EXCEPTIONS,
  ];
}
