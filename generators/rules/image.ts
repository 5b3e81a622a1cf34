/**
 * Container image references, with the grammar of github.com/distribution/reference
 * (regexp.go): `[domain[:port]/]path[:tag][@digest]`, path components lower case
 * alphanumerics joined by `.`, `_`, `__` or dashes, tag `[\w][\w.-]{0,127}`, the whole
 * name at most 255 characters. The API server itself only requires a non-empty image
 * without surrounding whitespace (ValidateContainers); a reference the kubelet cannot pull
 * is caught here instead of as ImagePullBackOff.
 */

const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
const NAME = new RegExp(`^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const TAG = /^[\w][\w.-]{0,127}$/;
/** A sha256 digest as the OCI image spec writes it; the only algorithm this repo pins. */
export const DIGEST = /^sha256:[a-f0-9]{64}$/;
const NAME_MAX = 255;

export interface ImageRef {
  repository: string;
  tag: string | undefined;
  digest: string | undefined;
}

/** Splits an image reference into repository, tag and digest (no validation). */
export function splitImage(image: string): ImageRef {
  const at = image.indexOf("@");
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const rest = at >= 0 ? image.slice(0, at) : image;
  const slash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  const tag = colon > slash ? rest.slice(colon + 1) : undefined;
  return { repository: colon > slash ? rest.slice(0, colon) : rest, tag, digest };
}

/** What is wrong with a repository (no tag, no digest), or undefined. */
export function repositoryProblem(repository: string): string | undefined {
  if (repository === "") return "must not be empty";
  if (repository.length > NAME_MAX) return `must be no more than ${NAME_MAX} characters`;
  if (/[@]/.test(repository) || /:[^/]*$/.test(repository.replace(/^[^/]*\//, ""))) return "give the repository without tag or digest";
  if (!NAME.test(repository))
    return 'not an image repository: lower-case path components separated by "/", optionally after a registry host, e.g. "ghcr.io/org/app"';
  return undefined;
}

export function tagProblem(tag: string): string | undefined {
  if (tag === "" || tag === "latest") return 'pin an immutable version tag such as "1.4.2"; "latest" and empty tags are not allowed';
  if (!TAG.test(tag)) return "a tag is 1-128 letters, digits, '_', '.' or '-', not starting with '.' or '-'";
  return undefined;
}

export function digestProblem(digest: string): string | undefined {
  return DIGEST.test(digest) ? undefined : 'must be "sha256:" followed by 64 lower-case hex digits';
}

/** What is wrong with a full image reference, or undefined. */
export function imageProblem(image: string): string | undefined {
  if (image.trim() !== image || image === "") return "must be non-empty, without leading or trailing whitespace";
  const ref = splitImage(image);
  return (
    (NAME.test(ref.repository) && ref.repository.length <= NAME_MAX
      ? undefined
      : `repository ${JSON.stringify(ref.repository)} is not a valid image name`) ??
    (ref.tag !== undefined && !TAG.test(ref.tag) ? `tag ${JSON.stringify(ref.tag)} is not a valid tag` : undefined) ??
    (ref.digest !== undefined && !DIGEST.test(ref.digest)
      ? `digest ${JSON.stringify(ref.digest)} is not "sha256:" followed by 64 hex digits`
      : undefined)
  );
}

/** Pinned by a well-formed digest. */
export function pinnedByDigest(image: string): boolean {
  const d = splitImage(image).digest;
  return d !== undefined && DIGEST.test(d);
}

/**
 * The registry allow-list rule: an image is admitted when its reference starts with one of
 * the allowed prefixes (each ending in "/"). The same test, in CEL, is the
 * image-registries ValidatingAdmissionPolicy (build/admission.ts); generate applies it to
 * the tenant specs so a disallowed image fails before anything is written.
 */
export function registryProblem(repository: string, allowed: readonly string[]): string | undefined {
  if (allowed.some((prefix) => `${repository}:`.startsWith(prefix))) return undefined;
  return `not from an allowed registry; pull from one of ${allowed.join(", ")}, or add the organisation to imageRegistries in generators/fleet/fleet.ts`;
}
