/**
 * The OCI distribution API's manifest HEAD, as `npm run pins -- resolve` uses it: a tag to the
 * digest the registry serves for it, without pulling anything.
 *
 * - `HEAD /v2/<name>/manifests/<reference>` with an Accept listing the OCI image index, the Docker
 *   manifest list, and the OCI and Docker image manifests; the digest is the
 *   `Docker-Content-Digest` response header (opencontainers/distribution-spec spec.md "Pulling
 *   manifests"; distribution/distribution registry/handlers/manifests.go sets it). A registry that
 *   omits it on HEAD is asked with GET and the digest is the sha256 of the body as served.
 * - A multi-arch image stays an index: with the index types first in Accept, the registry answers
 *   with the index, whose digest is what a pod pinned by digest pulls on every architecture.
 * - Auth: a 401 with `WWW-Authenticate: Bearer realm=…,service=…,scope=…` is answered by a token
 *   from the realm (distribution/distribution docs/spec/auth/token.md; Docker Hub, GHCR), with
 *   basic credentials when the environment has some; `Basic` is answered with those credentials
 *   directly (ECR's token from `aws ecr get-login-password`, user "AWS").
 */
import { createHash } from "node:crypto";

export const MANIFEST_ACCEPT: readonly string[] = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
];

/** Where an image lives: the registry host (with port) and the repository name inside it. */
export interface ImageLocation {
  registry: string;
  repository: string;
}

/** docker.io's API host, and its implicit `library/` for official images (distribution/reference normalize.go). */
const DOCKER_HUB = "registry-1.docker.io";

export function locate(repository: string): ImageLocation {
  const first = repository.split("/")[0] ?? "";
  const hasHost = repository.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  const registry = hasHost ? first : "docker.io";
  let path = hasHost ? repository.slice(first.length + 1) : repository;
  if ((registry === "docker.io" || registry === "index.docker.io") && !path.includes("/")) path = `library/${path}`;
  return { registry: registry === "docker.io" || registry === "index.docker.io" ? DOCKER_HUB : registry, repository: path };
}

/** `user:password` for a registry host, from the environment; undefined when none is set. */
export type Credentials = (registry: string) => string | undefined;

/**
 * Credentials from environment variables: `PINS_AUTH_<HOST>` ("user:password", HOST upper-cased
 * with every other character as `_`), else DOCKERHUB_USERNAME/DOCKERHUB_TOKEN for Docker Hub,
 * GHCR_TOKEN for ghcr.io, ECR_PASSWORD (user AWS) for `*.dkr.ecr.*.amazonaws.com`.
 */
export function envCredentials(env: NodeJS.ProcessEnv = process.env): Credentials {
  return (registry) => {
    const own = env[`PINS_AUTH_${registry.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`];
    if (own) return own;
    if (registry === DOCKER_HUB && env.DOCKERHUB_USERNAME && env.DOCKERHUB_TOKEN) return `${env.DOCKERHUB_USERNAME}:${env.DOCKERHUB_TOKEN}`;
    if (registry === "ghcr.io" && env.GHCR_TOKEN) return `token:${env.GHCR_TOKEN}`;
    if (/\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com$/.test(registry) && env.ECR_PASSWORD) return `AWS:${env.ECR_PASSWORD}`;
    return undefined;
  };
}

export class RegistryError extends Error {
  override name = "RegistryError";
  constructor(
    message: string,
    /** HTTP status when the registry answered; 404 means the tag does not exist. */
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface RegistryClient {
  /** The digest the registry serves for `repository:tag` (an index digest for a multi-arch image). */
  digest(repository: string, tag: string): Promise<string>;
}

export interface ClientOptions {
  credentials?: Credentials;
  /** Plain HTTP for these hosts (a local registry). @default localhost and 127.0.0.1 */
  insecure?: (registry: string) => boolean;
  fetch?: typeof fetch;
  /**
   * Ask another host for a registry's images, e.g. a pull-through cache: { "docker.io":
   * "mirror.internal:5000" }. Keys are registry hosts as images name them.
   */
  mirrors?: Readonly<Record<string, string>>;
}

const isLocal = (registry: string): boolean => /^(localhost|127\.0\.0\.1)(:\d+)?$/.test(registry);

/** `key="value"` pairs of a WWW-Authenticate challenge after its scheme. */
export function challengeParams(header: string): { scheme: string; params: Record<string, string> } {
  const m = /^(\w+)\s*(.*)$/s.exec(header.trim());
  const params: Record<string, string> = {};
  for (const p of (m?.[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)) params[p[1] ?? ""] = p[2] ?? "";
  return { scheme: (m?.[1] ?? "").toLowerCase(), params };
}

const basic = (userPass: string): string => `Basic ${Buffer.from(userPass).toString("base64")}`;

export function registryClient(options: ClientOptions = {}): RegistryClient {
  const doFetch = options.fetch ?? fetch;
  const creds = options.credentials ?? envCredentials();
  const insecure = options.insecure ?? isLocal;
  const tokens = new Map<string, string>();
  const mirrors = new Map(Object.entries(options.mirrors ?? {}).map(([from, to]) => [locate(`${from}/x/y`).registry, to]));

  async function authorize(challenge: string, registry: string, repository: string): Promise<string> {
    const { scheme, params } = challengeParams(challenge);
    const secret = creds(registry);
    if (scheme === "basic") {
      if (!secret) throw new RegistryError(`${registry} asks for basic credentials; set PINS_AUTH_<HOST> (or ECR_PASSWORD for ECR)`, 401);
      return basic(secret);
    }
    if (scheme !== "bearer" || !params.realm)
      throw new RegistryError(`${registry} answered 401 with an unsupported challenge "${challenge}"`, 401);
    const url = new URL(params.realm);
    if (params.service) url.searchParams.set("service", params.service);
    url.searchParams.set("scope", params.scope ?? `repository:${repository}:pull`);
    const res = await doFetch(url, { headers: secret ? { authorization: basic(secret) } : {} });
    if (!res.ok)
      throw new RegistryError(`the token service ${url.origin} refused a pull token for ${repository} (HTTP ${res.status})`, res.status);
    const body = (await res.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new RegistryError(`the token service ${url.origin} returned no token for ${repository}`);
    return `Bearer ${token}`;
  }

  async function request(method: "HEAD" | "GET", image: ImageLocation, tag: string): Promise<Response> {
    const url = `${insecure(image.registry) ? "http" : "https"}://${image.registry}/v2/${image.repository}/manifests/${encodeURIComponent(tag)}`;
    const key = `${image.registry}/${image.repository}`;
    const headers = (): Record<string, string> => {
      const auth = tokens.get(key);
      return { accept: MANIFEST_ACCEPT.join(", "), ...(auth ? { authorization: auth } : {}) };
    };
    let res = await doFetch(url, { method, headers: headers() });
    const challenge = res.headers.get("www-authenticate");
    if (res.status === 401 && challenge) {
      tokens.set(key, await authorize(challenge, image.registry, image.repository));
      res = await doFetch(url, { method, headers: headers() });
    }
    return res;
  }

  return {
    async digest(repository: string, tag: string): Promise<string> {
      const named = locate(repository);
      const image = { ...named, registry: mirrors.get(named.registry) ?? named.registry };
      const where = `${image.registry}/${image.repository}:${tag}`;
      let res = await request("HEAD", image, tag);
      if (res.status === 404) throw new RegistryError(`${where}: no such tag (HTTP 404)`, 404);
      if (!res.ok) throw new RegistryError(`${where}: HTTP ${res.status}`, res.status);
      const header = res.headers.get("docker-content-digest");
      if (header && /^sha256:[0-9a-f]{64}$/.test(header)) return header;
      // No digest header on HEAD: the digest of the manifest bytes as served (distribution-spec "Pulling manifests").
      res = await request("GET", image, tag);
      if (!res.ok) throw new RegistryError(`${where}: HTTP ${res.status}`, res.status);
      return `sha256:${createHash("sha256")
        .update(Buffer.from(await res.arrayBuffer()))
        .digest("hex")}`;
    },
  };
}
