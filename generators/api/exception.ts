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
export function awaitingDigestPins(
  namespace: string,
  pods: { apps: readonly { kind?: string; name: string }[]; jobs?: readonly { schedule?: string; name: string }[] },
  expires: string,
): PolicyException[] {
  const objects = [
    ...pods.apps.map((a) => `${a.kind ?? "Deployment"}/${namespace}/${a.name}`),
    ...(pods.jobs ?? []).map((j) => `${j.schedule ? "CronJob" : "Job"}/${namespace}/${j.name}`),
  ];
  return objects.map((object) => ({
    rule: "wl-image-digest",
    object,
    reason: "prod is pinned by tag until the release pipeline records image digests in the release pins",
    expires,
  }));
}
