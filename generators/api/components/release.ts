/**
 * The release state every tenant shares: prod runs images pinned by tag until the release
 * pipeline records digests in generators/release/pins.json. One date for the fleet, so
 * the exceptions of every tenant expire together (docs/tenants/*.md).
 */
import { awaitingDigestPins, type PolicyException } from "../exception.js";

/** Last day prod may run tag-pinned images. */
export const DIGEST_PINS_DUE = "2027-01-31";

/** The `wl-image-digest` exceptions of a tenant's workloads, expiring on DIGEST_PINS_DUE. */
export function prodPinnedByTag(
  namespace: string,
  pods: { apps: readonly { kind?: string; name: string }[]; jobs?: readonly { schedule?: string; name: string }[] },
): PolicyException[] {
  return awaitingDigestPins(namespace, pods, DIGEST_PINS_DUE);
}
