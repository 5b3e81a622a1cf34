/**
 * The advisory gate: a typed, cited table of security advisories for what the platform
 * pins (Helm charts of the add-on catalogue, container images of the tenants and their
 * release pins), checked at generate. A pin inside an affected range fails generation with
 * the advisory named and its fixed versions, unless a typed exception below says why and
 * until when; an expired exception, or one that matches no pin, fails too.
 *
 * Ranges are half-open, `[introduced, fixed)`, over dotted numeric versions (a leading `v` is
 * ignored; a pre-release sorts before its release), as in OSV's "ECOSYSTEM" ranges
 * (ossf.github.io/osv-schema, affected[].ranges). ingress-nginx chart 4.N.P ships controller
 * v1.N.P (kubernetes/ingress-nginx charts/ingress-nginx/Chart.yaml appVersion, and each release
 * PR "Release controller v1.14.0 ... & chart v4.14.0"), so its advisories, written for the
 * controller, are stated in chart versions.
 */

/** What an advisory is about: a chart from a Helm repository, or an image repository. */
export type AdvisoryComponent = { kind: "chart"; repoURL: string; chart: string } | { kind: "image"; repository: string };

/** Affected versions: from `introduced` (inclusive; unset: every earlier version) up to `fixed` (exclusive; unset: no fix). */
export interface AffectedRange {
  introduced?: string;
  fixed?: string;
}

export interface Advisory {
  /** CVE or GHSA id. */
  id: string;
  /** The upstream advisory. */
  url: string;
  summary: string;
  component: AdvisoryComponent;
  affected: readonly AffectedRange[];
}

/** A reviewed decision to run an affected pin anyway. */
export interface AdvisoryException {
  advisory: string;
  /** Chart name or image repository, as in the pin. */
  component: string;
  version: string;
  reason: string;
  /** Last day the exception applies, YYYY-MM-DD. Required: an advisory is never waived for good. */
  expires: string;
}

/** One thing the platform pins, as the gate sees it. */
export interface PinnedArtifact {
  kind: "chart" | "image";
  /** Chart name or image repository. */
  name: string;
  /** Chart repository URL; unset for images. */
  repoURL?: string;
  version: string;
  /** Where it is pinned, for the problem's file and field. */
  file: string;
  field: string;
}

/** A problem as generation reports it (api/problem.ts SpecProblem, structurally). */
export interface AdvisoryProblem {
  file: string;
  field: string;
  value: unknown;
  message: string;
}

const INGRESS_NGINX = { kind: "chart", repoURL: "https://kubernetes.github.io/ingress-nginx", chart: "ingress-nginx" } as const;

export const ADVISORIES: readonly Advisory[] = [
  {
    id: "CVE-2025-1097",
    url: "https://github.com/kubernetes/kubernetes/issues/131007",
    summary: "ingress-nginx: configuration injection through the auth-tls-match-cn annotation",
    component: INGRESS_NGINX,
    affected: [{ fixed: "4.11.5" }, { introduced: "4.12.0", fixed: "4.12.1" }],
  },
  {
    id: "CVE-2026-24512",
    url: "https://github.com/kubernetes/kubernetes/issues/136678",
    summary: "ingress-nginx: nginx configuration injection through rules.http.paths.path",
    component: INGRESS_NGINX,
    affected: [{ fixed: "4.13.7" }, { introduced: "4.14.0", fixed: "4.14.3" }],
  },
  {
    // Fixed in v1.14.4 and v1.15.0; no 1.13 fix is named, so every earlier version counts as affected.
    id: "CVE-2026-3288",
    url: "https://github.com/kubernetes/kubernetes/issues/137560",
    summary: "ingress-nginx: nginx configuration injection through the rewrite-target annotation",
    component: INGRESS_NGINX,
    affected: [{ fixed: "4.14.4" }],
  },
  {
    id: "CVE-2026-4342",
    url: "https://github.com/kubernetes/kubernetes/issues/137893",
    summary: "ingress-nginx: comment-based nginx configuration injection through a combination of annotations",
    component: INGRESS_NGINX,
    affected: [{ fixed: "4.13.9" }, { introduced: "4.14.0", fixed: "4.14.5" }, { introduced: "4.15.0", fixed: "4.15.1" }],
  },
];

/** No pin of the platform is inside an affected range today. */
export const ADVISORY_EXCEPTIONS: readonly AdvisoryException[] = [];

/** Dotted numeric core and pre-release of a version; undefined when it is not one. */
function parse(v: string): { core: number[]; pre: string } | undefined {
  const m = /^v?(\d+(?:\.\d+)*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(v);
  return m ? { core: (m[1] ?? "").split(".").map(Number), pre: m[2] ?? "" } : undefined;
}

/** Negative, zero or positive as a < b, a = b, a > b; undefined when either is not a version. */
export function compareVersions(a: string, b: string): number | undefined {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < Math.max(x.core.length, y.core.length); i++) {
    const d = (x.core[i] ?? 0) - (y.core[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === "") return 1;
  if (y.pre === "") return -1;
  return x.pre < y.pre ? -1 : 1;
}

/** Whether the version is inside the range; undefined when it cannot be compared. */
export function inRange(version: string, r: AffectedRange): boolean | undefined {
  const lo = r.introduced === undefined ? 1 : compareVersions(version, r.introduced);
  const hi = r.fixed === undefined ? -1 : compareVersions(version, r.fixed);
  if (lo === undefined || hi === undefined) return undefined;
  return lo >= 0 && hi < 0;
}

function concerns(a: Advisory, p: PinnedArtifact): boolean {
  const c = a.component;
  if (c.kind !== p.kind) return false;
  return c.kind === "chart" ? c.chart === p.name && c.repoURL === p.repoURL : c.repository === p.name;
}

const fixedIn = (a: Advisory): string => {
  const fixes = a.affected.flatMap((r) => (r.fixed ? [r.fixed] : []));
  return fixes.length > 0 ? `fixed in ${fixes.join(", ")}` : "no fixed version";
};

/**
 * Every pin inside an advisory's affected range without a live exception, every expired
 * exception and every unused one. `today` is YYYY-MM-DD.
 */
export function advisoryProblems(
  pins: readonly PinnedArtifact[],
  today: string,
  advisories: readonly Advisory[] = ADVISORIES,
  exceptions: readonly AdvisoryException[] = ADVISORY_EXCEPTIONS,
): AdvisoryProblem[] {
  const where = "generators/addons/advisories.ts";
  const problems: AdvisoryProblem[] = [];
  const used = new Set<AdvisoryException>();
  for (const p of pins) {
    for (const a of advisories.filter((x) => concerns(x, p))) {
      const verdicts = a.affected.map((r) => inRange(p.version, r));
      if (verdicts.includes(undefined)) {
        problems.push({
          file: p.file,
          field: p.field,
          value: p.version,
          message: `not a version the advisory ${a.id} (${a.url}) can be compared with; pin a release version`,
        });
        continue;
      }
      if (!verdicts.includes(true)) continue;
      const e = exceptions.find((x) => x.advisory === a.id && x.component === p.name && x.version === p.version);
      if (e) used.add(e);
      if (e && e.expires >= today) continue;
      problems.push({
        file: p.file,
        field: p.field,
        value: p.version,
        message: e
          ? `affected by ${a.id} (${a.summary}, ${a.url}); its exception expired on ${e.expires}: upgrade (${fixedIn(a)}) or renew the exception in ${where}`
          : `affected by ${a.id} (${a.summary}, ${a.url}): upgrade (${fixedIn(a)}), or add a typed, expiring exception to ${where} saying why`,
      });
    }
  }
  for (const e of exceptions) {
    if (!used.has(e))
      problems.push({
        file: where,
        field: `ADVISORY_EXCEPTIONS[${e.advisory} ${e.component}@${e.version}]`,
        value: e.version,
        message: "matches no affected pin: remove the exception",
      });
  }
  return problems;
}
