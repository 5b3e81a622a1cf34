/**
 * The EKS version calendar: when each Kubernetes minor was released on EKS, when its
 * standard support ends, when its extended support ends, and the EKS managed add-on
 * versions EKS lists for it. Data, cited; renovate.json keeps the add-on versions current.
 *
 * Dates: AWS "Amazon EKS Kubernetes release calendar"
 * (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html), as recorded by
 * endoflife.date (endoflife-date/endoflife.date products/amazon-eks.md: releaseDate, eol = end of
 * standard support, eoes = end of extended support). Standard support is 14 months from the EKS
 * release, extended support 12 more; after it EKS upgrades the control plane itself.
 *
 * Fees: https://aws.amazon.com/eks/pricing/ — $0.10 per cluster-hour in standard support,
 * $0.60 per cluster-hour in extended support.
 */

export type EksManagedAddonName = "vpc-cni" | "coredns" | "kube-proxy";

/** The version of each EKS managed add-on EKS lists for one Kubernetes minor. */
export type EksAddonVersions = Readonly<Record<EksManagedAddonName, string>>;

export interface EksMinor {
  /** "1.35". */
  minor: string;
  /** Day EKS made it available, YYYY-MM-DD. */
  released: string;
  /** Last day of standard support, YYYY-MM-DD. */
  endOfStandardSupport: string;
  /** Last day of extended support, YYYY-MM-DD; afterwards EKS no longer offers the minor. */
  endOfExtendedSupport: string;
  /** EKS managed add-on versions for clusters of this minor. */
  addons: EksAddonVersions;
  /** Where the add-on versions were read. */
  addonSource: string;
}

/** The tables "<add-on> versions" of the EKS user guide (managing-vpc-cni, managing-coredns, managing-kube-proxy). */
const EKS_GUIDE_TABLES =
  "docs.aws.amazon.com/eks/latest/userguide managing-vpc-cni.html, managing-coredns.html, managing-kube-proxy.html (latest version per Kubernetes version)";

/**
 * Every minor from 1.28. Add-on versions for 1.28–1.34 are the EKS user guide's tables; the
 * stored guide predates 1.35, whose versions are those public EKS 1.35 Terraform configurations
 * pin (vpc-cni v1.21.1-eksbuild.3, kube-proxy v1.35.0-eksbuild.2, coredns v1.13.2-eksbuild.1):
 * `aws eks describe-addon-versions --kubernetes-version 1.35 --addon-name <name>` confirms them.
 */
export const EKS_CALENDAR: readonly EksMinor[] = [
  {
    minor: "1.28",
    released: "2023-09-26",
    endOfStandardSupport: "2024-11-26",
    endOfExtendedSupport: "2025-11-26",
    addons: { "vpc-cni": "v1.20.4-eksbuild.1", coredns: "v1.10.1-eksbuild.38", "kube-proxy": "v1.28.15-eksbuild.31" },
    addonSource: EKS_GUIDE_TABLES,
  },
  {
    minor: "1.29",
    released: "2024-01-23",
    endOfStandardSupport: "2025-03-23",
    endOfExtendedSupport: "2026-03-23",
    addons: { "vpc-cni": "v1.20.4-eksbuild.1", coredns: "v1.11.4-eksbuild.24", "kube-proxy": "v1.29.15-eksbuild.16" },
    addonSource: EKS_GUIDE_TABLES,
  },
  {
    minor: "1.30",
    released: "2024-05-23",
    endOfStandardSupport: "2025-07-23",
    endOfExtendedSupport: "2026-07-23",
    addons: { "vpc-cni": "v1.20.4-eksbuild.1", coredns: "v1.11.4-eksbuild.24", "kube-proxy": "v1.30.14-eksbuild.8" },
    addonSource: EKS_GUIDE_TABLES,
  },
  {
    minor: "1.31",
    released: "2024-09-26",
    endOfStandardSupport: "2025-11-26",
    endOfExtendedSupport: "2026-11-26",
    addons: { "vpc-cni": "v1.20.4-eksbuild.1", coredns: "v1.11.4-eksbuild.24", "kube-proxy": "v1.31.13-eksbuild.2" },
    addonSource: EKS_GUIDE_TABLES,
  },
  {
    minor: "1.32",
    released: "2025-01-25",
    endOfStandardSupport: "2026-03-23",
    endOfExtendedSupport: "2027-03-23",
    addons: { "vpc-cni": "v1.20.4-eksbuild.1", coredns: "v1.11.4-eksbuild.24", "kube-proxy": "v1.32.9-eksbuild.2" },
    addonSource: EKS_GUIDE_TABLES,
  },
  {
    minor: "1.33",
    released: "2025-05-28",
    endOfStandardSupport: "2026-07-29",
    endOfExtendedSupport: "2027-07-29",
    addons: { "vpc-cni": "v1.20.4-eksbuild.1", coredns: "v1.12.4-eksbuild.1", "kube-proxy": "v1.33.5-eksbuild.2" },
    addonSource: EKS_GUIDE_TABLES,
  },
  {
    minor: "1.34",
    released: "2025-10-06",
    endOfStandardSupport: "2026-12-02",
    endOfExtendedSupport: "2027-12-02",
    addons: { "vpc-cni": "v1.20.4-eksbuild.1", coredns: "v1.12.4-eksbuild.1", "kube-proxy": "v1.34.1-eksbuild.2" },
    addonSource: EKS_GUIDE_TABLES,
  },
  {
    minor: "1.35",
    released: "2026-01-28",
    endOfStandardSupport: "2027-03-27",
    endOfExtendedSupport: "2028-03-27",
    addons: { "vpc-cni": "v1.21.1-eksbuild.3", coredns: "v1.13.2-eksbuild.1", "kube-proxy": "v1.35.0-eksbuild.2" },
    addonSource: "public EKS 1.35 configurations; verify: aws eks describe-addon-versions --kubernetes-version 1.35",
  },
];

/** The control-plane fee per cluster-hour (https://aws.amazon.com/eks/pricing/). */
export const CONTROL_PLANE_USD_PER_HOUR = { standard: 0.1, extended: 0.6 } as const;

/** How long before the end of standard support the check warns. */
export const STANDARD_SUPPORT_WARNING_DAYS = 60;

/**
 * Where a minor stands on a day: "standard" or "extended" support, "unreleased" (before EKS
 * offers it), "ended" (past extended support: EKS no longer offers it), or "unknown" (not in
 * the calendar).
 */
export type SupportPhase = "standard" | "extended" | "unreleased" | "ended" | "unknown";

export interface SupportStatus {
  minor: string;
  phase: SupportPhase;
  entry: EksMinor | undefined;
  /** Whole days from the day to the end of standard support (negative once past it). */
  daysOfStandardLeft: number | undefined;
  /** The control-plane fee per hour in this phase, or undefined when EKS offers no such cluster. */
  usdPerHour: number | undefined;
}

/** YYYY-MM-DD of a Date in UTC. */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export function calendarEntry(minor: string, calendar: readonly EksMinor[] = EKS_CALENDAR): EksMinor | undefined {
  return calendar.find((e) => e.minor === minor);
}

/** The support phase of a Kubernetes minor on `today` (support runs through its last day). */
export function supportOn(minor: string, today: Date, calendar: readonly EksMinor[] = EKS_CALENDAR): SupportStatus {
  const entry = calendarEntry(minor, calendar);
  if (!entry) return { minor, phase: "unknown", entry, daysOfStandardLeft: undefined, usdPerHour: undefined };
  const day = isoDay(today);
  const daysOfStandardLeft = daysBetween(day, entry.endOfStandardSupport);
  const phase: SupportPhase =
    day < entry.released
      ? "unreleased"
      : day <= entry.endOfStandardSupport
        ? "standard"
        : day <= entry.endOfExtendedSupport
          ? "extended"
          : "ended";
  const usdPerHour = phase === "standard" || phase === "extended" ? CONTROL_PLANE_USD_PER_HOUR[phase] : undefined;
  return { minor, phase, entry, daysOfStandardLeft, usdPerHour };
}

/** The minors EKS offers on `today` (standard or extended support), oldest first. */
export function offeredMinors(today: Date, calendar: readonly EksMinor[] = EKS_CALENDAR): string[] {
  return calendar.filter((e) => ["standard", "extended"].includes(supportOn(e.minor, today, calendar).phase)).map((e) => e.minor);
}

/** The EKS managed add-on version for a cluster of this minor, or undefined when the calendar has no such minor. */
export function eksAddonVersion(
  name: EksManagedAddonName,
  minor: string,
  calendar: readonly EksMinor[] = EKS_CALENDAR,
): string | undefined {
  return calendarEntry(minor, calendar)?.addons[name];
}

/** The calendar as docs/upgrading.md shows it, newest minor first (`npm run docs` writes it). */
export function calendarTableMarkdown(calendar: readonly EksMinor[] = EKS_CALENDAR): string {
  return [
    "| Minor | Released | End of standard support | End of extended support | vpc-cni | coredns | kube-proxy |",
    "|---|---|---|---|---|---|---|",
    ...[...calendar]
      .reverse()
      .map(
        (e) =>
          `| ${e.minor} | ${e.released} | ${e.endOfStandardSupport} | ${e.endOfExtendedSupport} | ${e.addons["vpc-cni"]} | ${e.addons.coredns} | ${e.addons["kube-proxy"]} |`,
      ),
  ].join("\n");
}
