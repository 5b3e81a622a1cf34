/**
 * Reviewed exceptions to policy rules. Each one names the rule, the object
 * (kind/namespace/name, as in findings), optionally the cluster (default: every cluster),
 * why it is acceptable, and when it expires (YYYY-MM-DD; the day after, it fails again).
 *
 * An exception that matches no finding, or has expired, is itself a failure: delete it.
 */
export interface PolicyException {
  rule: string;
  /** Cluster name; omitted = every cluster. */
  cluster?: string;
  /** kind/namespace/name (kind/name for cluster-scoped objects). */
  object: string;
  reason: string;
  /** Last day the exception applies, YYYY-MM-DD. */
  expires?: string;
}

/** Found 2026-11-22 when the policy engine first ran on the committed fleet. */
export const EXCEPTIONS: readonly PolicyException[] = [
  {
    rule: "wl-image-digest",
    object: "Deployment/uiota/backend-api",
    reason: "uiota prod images are pinned by tag (docker.io/uiota/backend-api:1.0.0), not digest; the tenant's prod settings need image digests (tracked for the lead).",
    expires: "2027-01-31",
  },
  {
    rule: "wl-image-digest",
    object: "Deployment/uiota/mcp-server",
    reason: "uiota prod images are pinned by tag (docker.io/uiota/mcp-server:1.0.0), not digest; the tenant's prod settings need image digests (tracked for the lead).",
    expires: "2027-01-31",
  },
  {
    rule: "wl-image-digest",
    object: "StatefulSet/uiota/offline-ai",
    reason: "uiota prod images are pinned by tag (docker.io/uiota/offline-ai:1.0.0), not digest; the tenant's prod settings need image digests (tracked for the lead).",
    expires: "2027-01-31",
  },
  {
    rule: "wl-image-digest",
    object: "StatefulSet/uiota/offline-dns",
    reason: "uiota prod images are pinned by tag (docker.io/uiota/offline-dns:1.0.0), not digest; the tenant's prod settings need image digests (tracked for the lead).",
    expires: "2027-01-31",
  },
  {
    rule: "wl-image-digest",
    object: "StatefulSet/uiota/security-monitor",
    reason: "uiota prod images are pinned by tag (docker.io/uiota/security-monitor:1.0.0), not digest; the tenant's prod settings need image digests (tracked for the lead).",
    expires: "2027-01-31",
  },
];
