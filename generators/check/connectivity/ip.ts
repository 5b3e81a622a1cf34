/**
 * IPv4 and IPv6 CIDR blocks as the NetworkPolicy ipBlock field uses them: containment of an
 * address or a whole block, and whether two blocks overlap. Addresses are bigints, so both
 * families share one implementation (net/netip semantics: a prefix masks the host bits).
 */

export interface Cidr {
  family: 4 | 6;
  /** The network address, host bits cleared. */
  base: bigint;
  bits: number;
}

function parseV4(s: string): bigint | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    v = (v << 8n) | BigInt(Number(p));
  }
  return v;
}

function parseV6(s: string): bigint | undefined {
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const groups = (h: string | undefined): string[] => (h === undefined || h === "" ? [] : h.split(":"));
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  let v = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    v = (v << 16n) | BigInt(Number.parseInt(g, 16));
  }
  return v;
}

/** An address ("10.1.2.3", "fd00::1") as a /32 or /128 block. */
export function parseAddress(s: string): Cidr | undefined {
  const v4 = parseV4(s);
  if (v4 !== undefined) return { family: 4, base: v4, bits: 32 };
  const v6 = s.includes(":") ? parseV6(s) : undefined;
  return v6 !== undefined ? { family: 6, base: v6, bits: 128 } : undefined;
}

/** A CIDR ("10.0.0.0/8"); a bare address is a host block. Undefined when malformed. */
export function parseCidr(s: string): Cidr | undefined {
  const [addr, len, extra] = s.trim().split("/");
  if (addr === undefined || extra !== undefined) return undefined;
  const a = parseAddress(addr);
  if (!a) return undefined;
  const max = a.family === 4 ? 32 : 128;
  const bits = len === undefined ? max : /^\d{1,3}$/.test(len) ? Number(len) : Number.NaN;
  if (!(bits >= 0 && bits <= max)) return undefined;
  const host = (1n << BigInt(max - bits)) - 1n;
  return { family: a.family, base: a.base & ~host, bits };
}

function width(c: Cidr): number {
  return c.family === 4 ? 32 : 128;
}

/** Does `outer` contain every address of `inner`? */
export function containsCidr(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || outer.bits > inner.bits) return false;
  const shift = BigInt(width(outer) - outer.bits);
  return inner.base >> shift === outer.base >> shift;
}

/** Do two blocks share an address? (Of two CIDRs, one then contains the other.) */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return containsCidr(a, b) || containsCidr(b, a);
}

export function formatCidr(c: Cidr): string {
  if (c.family === 4) {
    const o = [24n, 16n, 8n, 0n].map((s) => String((c.base >> s) & 255n));
    return `${o.join(".")}/${c.bits}`;
  }
  const g: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) g.push(((c.base >> s) & 0xffffn).toString(16));
  return `${g.join(":")}/${c.bits}`;
}

/** 0.0.0.0/0 or ::/0: every address of a family. */
export function isWorld(c: Cidr): boolean {
  return c.bits === 0;
}
