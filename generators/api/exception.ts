/**
 * A reviewed exception to a policy rule, declared beside the tenant it concerns. The
 * check shows every exception in use; one that matches nothing, or has expired, fails.
 */
export interface PolicyException {
  /** Rule id, as in the check report (e.g. "wl-image-digest"). */
  rule: string;
  /** Cluster name. @default every cluster */
  cluster?: string;
  /** kind/namespace/name (kind/name for cluster-scoped objects), as in the check report. */
  object: string;
  /** Why this is acceptable; also written in the tenant's doc. */
  reason: string;
  /** Last day the exception applies, YYYY-MM-DD. @default never expires */
  expires?: string;
}

/**
 * Exceptions to `wl-image-digest` for workloads whose prod release is still pinned by
 * tag. Each expires: by then the release pins must carry digests, and once they do the
 * exception matches nothing and the check demands its removal.
 */
export function awaitingDigestPins(namespace: string, workloads: readonly { kind?: string; name: string }[], expires: string): PolicyException[] {
  return workloads.map((w) => ({
    rule: "wl-image-digest",
    object: `${w.kind ?? "Deployment"}/${namespace}/${w.name}`,
    reason: "prod is pinned by tag until the release pipeline records image digests in the release pins",
    expires,
  }));
}
