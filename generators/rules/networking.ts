/**
 * Ingress paths, NetworkPolicy ipBlocks and DNS names as the API server validates them.
 *
 * References:
 * - kubernetes/kubernetes pkg/apis/networking/validation/validation.go validateHTTPIngressPath:
 *   for pathType Exact and Prefix the path must be absolute and must not contain
 *   invalidPathSequences ("//", "/./", "/../", "%2f", "%2F") nor end with
 *   invalidPathSuffixes ("/..", "/."); ImplementationSpecific is left to the controller.
 * - kubernetes/ingress-nginx internal/ingress/inspector (strict-validate-path-type, on by
 *   default since v1.12): Exact and Prefix paths may only hold alphanumerics and - . _ ~ /.
 * - pkg/apis/networking/validation/validation.go ValidateIPBlock: `cidr` required and a
 *   valid CIDR (apimachinery pkg/util/validation/ip.go IsValidCIDR, no leading zeros), every
 *   `except` a valid CIDR that is a strict subset of `cidr`.
 * - kubernetes/apimachinery pkg/util/validation IsDNS1123Subdomain / IsFullyQualifiedDomainName:
 *   a name with a trailing dot is not a valid host or subdomain.
 */

const INVALID_PATH_SEQUENCES = ["//", "/./", "/../", "%2f", "%2F"];
const INVALID_PATH_SUFFIXES = ["/..", "/."];
const NGINX_SAFE_PATH = /^\/[A-Za-z0-9\-._~/]*$/;

/** validateHTTPIngressPath (and ingress-nginx's path check) for one path. */
export function ingressPathProblems(path: string, pathType: string): string[] {
  if (pathType !== "Exact" && pathType !== "Prefix") return [];
  const errs: string[] = [];
  if (!path.startsWith("/")) errs.push("must be an absolute path");
  for (const seq of INVALID_PATH_SEQUENCES) if (path.includes(seq)) errs.push(`must not contain '${seq}'`);
  for (const suffix of INVALID_PATH_SUFFIXES) if (path.endsWith(suffix)) errs.push(`cannot end with '${suffix}'`);
  if (errs.length === 0 && !NGINX_SAFE_PATH.test(path))
    errs.push(
      `ingress-nginx refuses ${pathType} paths with characters other than letters, digits and - . _ ~ / (regular expressions need pathType ImplementationSpecific)`,
    );
  return errs;
}

/** An address as a big integer with its bit width, or undefined. */
function parseIp(text: string): { bits: 32 | 128; value: bigint } | undefined {
  if (/^[0-9.]+$/.test(text)) {
    const parts = text.split(".");
    if (parts.length !== 4) return undefined;
    let v = 0n;
    for (const p of parts) {
      if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return undefined; // no leading zeros (IsValidIP, strict)
      v = (v << 8n) | BigInt(p);
    }
    return { bits: 32, value: v };
  }
  if (!/^[0-9a-fA-F:]+$/.test(text) || text.includes(":::")) return undefined;
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (h: string): string[] => (h === "" ? [] : h.split(":"));
  const head = groups(halves[0] ?? "");
  const tail = halves.length === 2 ? groups(halves[1] ?? "") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  let v = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    v = (v << 16n) | BigInt(`0x${g}`);
  }
  return { bits: 128, value: v };
}

export interface Cidr {
  bits: 32 | 128;
  network: bigint;
  prefix: number;
  hostBitsSet: boolean;
}

export function parseCidr(text: string): Cidr | undefined {
  const [ip, len, ...rest] = text.split("/");
  if (rest.length > 0 || ip === undefined || len === undefined || !/^(0|[1-9][0-9]{0,2})$/.test(len)) return undefined;
  const addr = parseIp(ip);
  const prefix = Number(len);
  if (!addr || prefix > addr.bits) return undefined;
  const hostMask = (1n << BigInt(addr.bits - prefix)) - 1n;
  return { bits: addr.bits, network: addr.value & ~hostMask, prefix, hostBitsSet: (addr.value & hostMask) !== 0n };
}

const CIDR_EXAMPLE = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

/** IsValidCIDR, plus the API server's warning about host bits (a CIDR naming a host, not a network, is a mistake). */
export function cidrProblems(text: string): string[] {
  const c = parseCidr(text);
  if (!c) return [CIDR_EXAMPLE];
  if (c.hostBitsSet)
    return [`has host bits set; the network is ${formatNetwork(c)}: write that (the API server warns, and the rule means the network)`];
  return [];
}

function formatNetwork(c: Cidr): string {
  if (c.bits === 32) return `${[24n, 16n, 8n, 0n].map((s) => String((c.network >> s) & 255n)).join(".")}/${c.prefix}`;
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((c.network >> s) & 0xffffn).toString(16));
  return `${groups.join(":")}/${c.prefix}`;
}

/** ValidateIPBlock: `except` entries valid and strictly inside `cidr`. */
export function ipBlockProblems(cidr: string, except: readonly string[]): { field: string; value: string; message: string }[] {
  const out: { field: string; value: string; message: string }[] = [];
  for (const m of cidrProblems(cidr)) out.push({ field: "cidr", value: cidr, message: m });
  const outer = parseCidr(cidr);
  except.forEach((e, i) => {
    const ms = cidrProblems(e);
    for (const m of ms) out.push({ field: `except[${i}]`, value: e, message: m });
    const inner = parseCidr(e);
    if (!outer || !inner || ms.length > 0) return;
    const shift = BigInt(outer.bits - outer.prefix);
    const inside = inner.bits === outer.bits && inner.prefix > outer.prefix && inner.network >> shift === outer.network >> shift;
    if (!inside) out.push({ field: `except[${i}]`, value: e, message: "must be a strict subset of `cidr`" });
  });
  return out;
}

/** Host names (FQDNs in Ingress rules, DNS records): a subdomain without a trailing dot, with at least two labels when `fqdn`. */
export function hostnameProblems(host: string, fqdn = false): string[] {
  if (host.endsWith(".")) return ["must not end with '.': Kubernetes names hosts without the root dot; drop it"];
  const errs: string[] = [];
  if (host.length > 253) errs.push("must be no more than 253 characters");
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(host))
    errs.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
    );
  else if (host.split(".").some((l) => l.length > 63)) errs.push("each label must be no more than 63 characters");
  if (fqdn && !host.includes(".")) errs.push("should be a domain with at least two segments separated by dots");
  return errs;
}
