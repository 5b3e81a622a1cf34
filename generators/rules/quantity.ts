/**
 * Kubernetes quantities ("500m", "2", "1.5Gi", "1e3"), parsed exactly as
 * kubernetes/apimachinery pkg/api/resource/quantity.go (parseQuantityString, ParseQuantity)
 * and suffix.go do: an optional sign, a decimal number, then one suffix: a binary
 * SI suffix (Ki Mi Gi Ti Pi Ei), a decimal SI suffix (n u m "" k M G T P E) or a decimal
 * exponent (e/E followed by an optionally signed integer). The value is kept as an exact
 * fraction of bigints so that comparisons (limits >= requests, quota fitting) never round.
 */

export interface Quantity {
  /** The text as written. */
  readonly text: string;
  /** value = num / den, den > 0. */
  readonly num: bigint;
  readonly den: bigint;
}

const BINARY: Record<string, bigint> = { Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** The shape upstream's splitREString describes, made strict about where the dot may go. */
const SPLIT = /^([+-]?)([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*[-+]?[0-9]*)$/;

const pow10 = (n: number): bigint => 10n ** BigInt(n);

/** The quantity, or undefined when the API server would refuse to parse it. */
export function parseQuantity(text: string): Quantity | undefined {
  const m = SPLIT.exec(text);
  if (!m) return undefined;
  const [, sign = "", whole = "", frac = "", suffix = ""] = m;
  if (whole === "" && frac === "") return undefined; // no digits at all ("", "+", ".", "Mi")
  let num = BigInt(`${whole || "0"}${frac}`) * (sign === "-" ? -1n : 1n);
  let den = pow10(frac.length);
  if (suffix in BINARY) num *= BINARY[suffix] ?? 1n;
  else if (suffix in DECIMAL) {
    const e = DECIMAL[suffix] ?? 0;
    if (e >= 0) num *= pow10(e);
    else den *= pow10(-e);
  } else {
    const exp = /^[eE]([-+]?[0-9]+)$/.exec(suffix);
    if (!exp) return undefined; // ErrSuffix upstream: "1i", "0.1mi", "0.1am"
    const e = Number(exp[1]);
    if (!Number.isSafeInteger(e) || Math.abs(e) > 1000) return undefined;
    if (e >= 0) num *= pow10(e);
    else den *= pow10(-e);
  }
  return { text, num, den };
}

/** -1, 0 or 1 as a is less than, equal to or greater than b. */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** The value as a JavaScript number (cores or bytes), for sums and messages. */
export function quantityNumber(q: Quantity): number {
  return Number(q.num) / Number(q.den);
}

/** A whole number (no fraction of a byte, of a pod, of a GPU). */
export function isWhole(q: Quantity): boolean {
  return q.num % q.den === 0n;
}

/** Parses a quantity written in a source, or NaN: convenience for arithmetic on validated input. */
export function quantityValue(text: string): number {
  const q = parseQuantity(text);
  return q ? quantityNumber(q) : Number.NaN;
}

/** What is wrong with a quantity of this kind of resource, or undefined. */
export function quantityProblem(text: string, resource: "cpu" | "memory" | "storage" | "count" | "any" = "any"): string | undefined {
  const q = parseQuantity(text);
  if (!q) return 'not a Kubernetes quantity; write e.g. "500m", "2", "512Mi" or "8Gi" (no spaces, one suffix)';
  if (q.num < 0n) return "must be greater than or equal to 0";
  if ((resource === "memory" || resource === "storage" || resource === "count") && !isWhole(q)) {
    // pkg/api/pod/warnings.go: "fractional byte value ... is invalid, must be an integer".
    return resource === "count"
      ? "must be a whole number"
      : `is a fraction of a byte; write whole bytes, e.g. "512Mi" rather than "${text}"`;
  }
  return undefined;
}
