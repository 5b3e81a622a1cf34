/**
 * Duration grammars of the controllers the fleet configures.
 *
 * - Go's time.ParseDuration (golang/go src/time/format.go ParseDuration): an optional sign,
 *   then one or more decimal numbers each with a unit ns, us (µs, μs), ms, s, m, h; "0"
 *   alone is zero. metav1.Duration fields (external-secrets `refreshInterval`,
 *   Argo CD, cert-manager) parse with it.
 * - Istio (istio/api CRDs: `duration(self) >= duration('1ms')`; istio/istio
 *   pkg/config/validation/agent ValidateDuration): a Go duration of at least 1ms, with
 *   millisecond precision.
 * - Prometheus (prometheus/common model.ParseDuration; prometheus-operator's Duration
 *   pattern): units y w d h m s ms, largest first, each at most once, no fractions.
 */

const UNIT_NANOS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Nanoseconds of a Go duration, or an error message as time.ParseDuration words it. */
export function parseGoDuration(text: string): { nanos: number } | { error: string } {
  const bad = { error: `time: invalid duration "${text}"` };
  let s = text;
  let sign = 1;
  if (s.startsWith("-") || s.startsWith("+")) {
    if (s[0] === "-") sign = -1;
    s = s.slice(1);
  }
  if (s === "0") return { nanos: 0 };
  if (s === "") return bad;
  let total = 0;
  while (s !== "") {
    const m = /^([0-9]*)(\.([0-9]*))?/.exec(s);
    const whole = m?.[1] ?? "";
    const frac = m?.[3] ?? "";
    if (whole === "" && frac === "") return bad; // no digits on either side of the point
    s = s.slice(m?.[0].length ?? 0);
    const unit = /^[^0-9.]+/.exec(s)?.[0];
    if (unit === undefined) return { error: `time: missing unit in duration "${text}"` };
    const scale = UNIT_NANOS[unit];
    if (scale === undefined) return { error: `time: unknown unit "${unit}" in duration "${text}"` };
    s = s.slice(unit.length);
    total += Number(`${whole || "0"}.${frac || "0"}`) * scale;
  }
  if (total > 2 ** 63) return { error: `time: invalid duration "${text}"` };
  return { nanos: sign * total };
}

/** A Go duration that must not be negative, e.g. external-secrets' refreshInterval ("0" disables refresh). */
export function goDurationProblem(text: string): string | undefined {
  const d = parseGoDuration(text);
  if ("error" in d) return `${d.error}; write a Go duration such as "1h", "30m" or "1h30m" (units ns, us, ms, s, m, h)`;
  if (d.nanos < 0) return "must not be negative";
  return undefined;
}

/** Istio's duration fields (timeouts, perTryTimeout, outlier detection). */
export function istioDurationProblem(text: string): string | undefined {
  const d = parseGoDuration(text);
  if ("error" in d) return `${d.error}; Istio durations are Go durations such as "500ms", "10s" or "1m"`;
  if (d.nanos < 1e6) return "must be a valid duration greater than 1ms (Istio's CRD rule duration(self) >= duration('1ms'))";
  if (Math.round(d.nanos) % 1e6 !== 0) return "only durations to ms precision are supported";
  return undefined;
}

const PROMETHEUS_DURATION = /^(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?$/;

/** Prometheus durations: ServiceMonitor interval, PrometheusRule `for`. */
export function prometheusDurationProblem(text: string): string | undefined {
  if (text === "0") return undefined;
  if (text === "" || !PROMETHEUS_DURATION.test(text))
    return 'not a Prometheus duration; write whole units largest first from y, w, d, h, m, s, ms, e.g. "30s", "1m30s" or "5m"';
  return undefined;
}
