/**
 * The typed edge options of `exposure.ingress` (rate limit, CORS, body size): their defaults and
 * their rules, shared by validation and by both edges' builders, so the two edges read one meaning.
 * Sources:
 * - CORS origins, methods and max age: kubernetes-sigs/gateway-api v1.4.1 apis/v1/httproute_types.go
 *   `HTTPCORSFilter` (`CORSOrigin`: `scheme://host[:port]` or `*`; `HTTPMethodWithWildcard`;
 *   `AllowCredentials` is refused with a `*` origin, as the Fetch standard's CORS protocol requires);
 * - header names: the same file's `HTTPHeaderName` (RFC 7230 token);
 * - rate limit: Envoy's token bucket (envoyproxy/envoy api/envoy/type/v3/token_bucket.proto:
 *   `max_tokens` the burst, `tokens_per_fill` per `fill_interval`; a bucket smaller than one fill
 *   caps the rate at the bucket), with the burst default the tenants had on ingress-nginx
 *   (annotations.md "Rate Limiting": burst = rps x `limit-burst-multiplier`, default 5);
 * - body size: Envoy's buffer filter `max_request_bytes` is a uint32 (envoyproxy/envoy
 *   api/envoy/extensions/filters/http/buffer/v3/buffer.proto).
 * Imports nothing outside rules/.
 */
import { isWhole, parseQuantity } from "./quantity.js";

export interface RateLimitOption {
  /** Sustained requests per second from one client address. */
  requestsPerSecond: number;
  /** Requests a client may send at once above the sustained rate. @default 5 x requestsPerSecond (ingress-nginx's limit-burst-multiplier, which the tenants had); at least requestsPerSecond */
  burst?: number;
}

export interface CorsOption {
  /** Origins allowed to call, each `scheme://host[:port]`, or exactly ["*"] for any origin. */
  allowOrigins: readonly string[];
  /** Methods a cross-origin request may use, e.g. ["GET", "POST"]. */
  allowMethods: readonly string[];
  /** Request headers a cross-origin request may send. @default ["Content-Type", "Authorization"] */
  allowHeaders?: readonly string[];
  /** Response headers a browser script may read. @default none */
  exposeHeaders?: readonly string[];
  /** Whether browsers may send credentials (cookies); never with the "*" origin. @default false */
  allowCredentials?: boolean;
  /** Seconds a browser may cache a preflight answer. @default 86400 */
  maxAge?: number;
}

/** ingress-nginx's `limit-burst-multiplier` default, kept so the tenants' limits behave as they did. */
export const BURST_MULTIPLIER = 5;
export const CORS_DEFAULT_HEADERS: readonly string[] = ["Content-Type", "Authorization"];
export const CORS_DEFAULT_MAX_AGE = 86400;
/** Firefox's cap on Access-Control-Max-Age; Chromium caps lower (7200), so more would only mislead. */
const CORS_MAX_AGE_CAP = 86400;
const METHODS: readonly string[] = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"];
const ORIGIN = /^(https?):\/\/(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(:[0-9]{1,5})?$/;
const HEADER = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const UINT32_MAX = 4294967295;

export function burstOf(r: RateLimitOption): number {
  return r.burst ?? r.requestsPerSecond * BURST_MULTIPLIER;
}

/** The body size in bytes, or undefined when it is not a whole positive quantity Envoy can hold. */
export function bodySizeBytes(text: string): number | undefined {
  const q = parseQuantity(text);
  if (!q || !isWhole(q) || q.num <= 0n) return undefined;
  const bytes = Number(q.num / q.den);
  return bytes <= UINT32_MAX ? bytes : undefined;
}

export interface OptionProblem {
  field: string;
  value: unknown;
  message: string;
}

export function rateLimitProblems(r: RateLimitOption): OptionProblem[] {
  const out: OptionProblem[] = [];
  if (!Number.isInteger(r.requestsPerSecond) || r.requestsPerSecond < 1)
    out.push({ field: "requestsPerSecond", value: r.requestsPerSecond, message: "must be a whole number of requests, at least 1" });
  else if (r.burst !== undefined && (!Number.isInteger(r.burst) || r.burst < r.requestsPerSecond || r.burst > UINT32_MAX))
    out.push({
      field: "burst",
      value: r.burst,
      message: `must be a whole number of requests from requestsPerSecond (${r.requestsPerSecond}) up: a smaller bucket caps the rate at the burst; use ${r.requestsPerSecond} or more, or leave it out (default ${BURST_MULTIPLIER}x)`,
    });
  return out;
}

export function corsProblems(c: CorsOption): OptionProblem[] {
  const out: OptionProblem[] = [];
  const star = c.allowOrigins.includes("*");
  if (c.allowOrigins.length === 0) out.push({ field: "allowOrigins", value: [], message: 'name at least one origin, or ["*"] for any' });
  if (star && c.allowOrigins.length > 1)
    out.push({ field: "allowOrigins", value: c.allowOrigins, message: '"*" admits every origin; write it alone or list the origins' });
  c.allowOrigins.forEach((o, i) => {
    if (o !== "*" && !ORIGIN.test(o))
      out.push({
        field: `allowOrigins[${i}]`,
        value: o,
        message: "an origin is scheme://host[:port] in lower case, without a path or trailing slash (e.g. https://app.example.com)",
      });
  });
  if (c.allowMethods.length === 0) out.push({ field: "allowMethods", value: [], message: `name the methods, from ${METHODS.join(", ")}` });
  c.allowMethods.forEach((m, i) => {
    if (!METHODS.includes(m))
      out.push({ field: `allowMethods[${i}]`, value: m, message: `not an HTTP method; one of ${METHODS.join(", ")}` });
  });
  for (const key of ["allowHeaders", "exposeHeaders"] as const) {
    (c[key] ?? []).forEach((h, i) => {
      if (!HEADER.test(h))
        out.push({ field: `${key}[${i}]`, value: h, message: "a header name is a token (letters, digits, !#$%&'*+.^_`|~-)" });
    });
  }
  if (c.allowCredentials === true && star)
    out.push({
      field: "allowCredentials",
      value: true,
      message: 'browsers refuse credentials with the "*" origin (Fetch standard, CORS protocol); list the origins or drop allowCredentials',
    });
  if (c.maxAge !== undefined && (!Number.isInteger(c.maxAge) || c.maxAge < 1 || c.maxAge > CORS_MAX_AGE_CAP))
    out.push({ field: "maxAge", value: c.maxAge, message: `seconds from 1 to ${CORS_MAX_AGE_CAP} (browsers cap it there)` });
  return out;
}

export function bodySizeProblem(text: string): string | undefined {
  if (bodySizeBytes(text) !== undefined) return undefined;
  return `a whole number of bytes as a quantity, above 0 and at most 4Gi - 1 (Envoy's limit), e.g. "1Mi" or "10M"`;
}
