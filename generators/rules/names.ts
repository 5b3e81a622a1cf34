/**
 * Object and field names as the Kubernetes API server validates them.
 *
 * Reference: kubernetes/apimachinery pkg/util/validation/validation.go (IsDNS1123Label,
 * IsDNS1123Subdomain, IsDNS1035Label, IsValidPortName) and pkg/api/validate/content/kube.go
 * (IsLabelKey, IsLabelValue). Each function returns the API server's complaints; an empty
 * list means the value is valid.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_KEY_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** DNS1123LabelMaxLength, DNS1035LabelMaxLength and LabelValueMaxLength upstream. */
export const DNS_LABEL_MAX = 63;
/** DNS1123SubdomainMaxLength upstream. */
export const DNS_SUBDOMAIN_MAX = 253;

const maxLen = (n: number): string => `must be no more than ${n} characters`;

/** IsDNS1123Label: namespaces, container, volume and port-less object names. */
export function dns1123Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS_LABEL_MAX) errs.push(maxLen(DNS_LABEL_MAX));
  if (!DNS1123_LABEL.test(value))
    errs.push(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
    );
  return errs;
}

/** IsDNS1123Subdomain: the name of most objects (ConfigMap, Deployment, Ingress, ...). */
export function dns1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS_SUBDOMAIN_MAX) errs.push(maxLen(DNS_SUBDOMAIN_MAX));
  if (!DNS1123_SUBDOMAIN.test(value))
    errs.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
    );
  return errs;
}

/** IsDNS1035Label: Service names (they become DNS labels and environment variable prefixes). */
export function dns1035Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS_LABEL_MAX) errs.push(maxLen(DNS_LABEL_MAX));
  if (!DNS1035_LABEL.test(value))
    errs.push(
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
    );
  return errs;
}

/** IsValidPortName: IANA_SVC_NAME (RFC 6335), lower case only. */
export function portName(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 15) errs.push(maxLen(15));
  if (!/^[-a-z0-9]+$/.test(value)) errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (!/[a-z]/.test(value)) errs.push("must contain at least one letter (a-z)");
  if (value.includes("--")) errs.push("must not contain consecutive hyphens");
  if (value.startsWith("-") || value.endsWith("-")) errs.push("must not begin or end with a hyphen");
  return errs;
}

/** IsLabelKey (formerly IsQualifiedName): label keys and, lower-cased, annotation keys. */
export function labelKey(value: string): string[] {
  const parts = value.split("/");
  if (parts.length > 2) return ["a valid label key is a name with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
  const errs: string[] = [];
  const name = parts.length === 2 ? (parts[1] ?? "") : (parts[0] ?? "");
  if (parts.length === 2) {
    const prefix = parts[0] ?? "";
    if (prefix === "") errs.push("prefix part must be non-empty");
    else errs.push(...dns1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  }
  if (name === "") errs.push("name part must be non-empty");
  else if (name.length > DNS_LABEL_MAX) errs.push(`name part ${maxLen(DNS_LABEL_MAX)}`);
  if (!LABEL_KEY_NAME.test(name))
    errs.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
  return errs;
}

/** IsLabelValue: empty, or at most 63 alphanumerics, '-', '_', '.', alphanumeric at both ends. */
export function labelValue(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS_LABEL_MAX) errs.push(maxLen(DNS_LABEL_MAX));
  if (!LABEL_VALUE.test(value))
    errs.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    );
  return errs;
}

/** Which name rule the API server applies to an object's metadata.name. */
export type NameRule = "dns1123-label" | "dns1123-subdomain" | "dns1035-label";

/**
 * The name rule per kind. Services use ValidateServiceName (DNS-1035), Namespaces
 * ValidateNamespaceName (DNS-1123 label); most other kinds NameIsDNSSubdomain
 * (kubernetes/kubernetes pkg/apis/core/validation/validation.go, pkg/apis/apps/validation).
 */
export function nameRuleFor(kind: string): NameRule {
  if (kind === "Service") return "dns1035-label";
  if (kind === "Namespace") return "dns1123-label";
  return "dns1123-subdomain";
}

export function nameProblems(rule: NameRule, value: string): string[] {
  if (rule === "dns1035-label") return dns1035Label(value);
  if (rule === "dns1123-label") return dns1123Label(value);
  return dns1123Subdomain(value);
}

/**
 * The longest names the controllers can derive from: a CronJob's Jobs are
 * `<name>-<11 chars>` and must stay within 63 (pkg/apis/batch/validation: "must be no
 * more than 52 characters"); a StatefulSet's pods carry the label
 * controller-revision-hash=`<name>-<up to 10 chars>`, a label value of at most 63.
 */
export const CRONJOB_NAME_MAX = DNS_LABEL_MAX - 11;
export const STATEFULSET_NAME_MAX = DNS_LABEL_MAX - 11;

/** Names a controller derives from an object's name, each with the rule it must meet. */
export function derivedNameProblems(
  kind: string,
  name: string,
  replicas: number,
  claimNames: readonly string[],
): { what: string; value: string; problems: string[] }[] {
  const out: { what: string; value: string; problems: string[] }[] = [];
  if (kind === "CronJob" && name.length > CRONJOB_NAME_MAX) {
    out.push({
      what: "CronJob name",
      value: name,
      problems: [`must be no more than ${CRONJOB_NAME_MAX} characters (its Jobs are named <name>-<11-character timestamp>)`],
    });
  }
  if (kind === "Job" && name.length > DNS_LABEL_MAX) {
    out.push({
      what: "Job name",
      value: name,
      problems: [`must be no more than ${DNS_LABEL_MAX} characters (pods carry it in the batch.kubernetes.io/job-name label)`],
    });
  }
  if (kind === "StatefulSet") {
    if (name.length > STATEFULSET_NAME_MAX) {
      out.push({
        what: "StatefulSet name",
        value: name,
        problems: [
          `must be no more than ${STATEFULSET_NAME_MAX} characters (pods carry controller-revision-hash=<name>-<hash>, a label value of at most 63)`,
        ],
      });
    }
    const pod = `${name}-${Math.max(replicas - 1, 0)}`;
    const podProblems = dns1123Label(pod);
    if (podProblems.length > 0) out.push({ what: "StatefulSet pod name (also its hostname)", value: pod, problems: podProblems });
    for (const claim of claimNames) {
      const pvc = `${claim}-${pod}`;
      const pvcProblems = dns1123Subdomain(pvc);
      if (pvcProblems.length > 0) out.push({ what: "PersistentVolumeClaim name", value: pvc, problems: pvcProblems });
    }
  }
  return out;
}

/** Namespaces a tenant may not use: the system's own and Argo CD's. */
export function reservedNamespace(ns: string, argocdNamespace: string): string | undefined {
  if (ns.startsWith("kube-")) return "kube-* namespaces belong to Kubernetes itself";
  if (ns === "default") return "the default namespace is shared by everything that forgets to set one";
  if (ns === argocdNamespace) return "Argo CD's namespace; an Application there could reconfigure Argo CD";
  return undefined;
}

/** Levenshtein distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] ?? 0;
      prev[j] = Math.min(up + 1, (prev[j - 1] ?? 0) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length] ?? 0;
}

/** The closest candidate, when it is close enough to be a likely typo. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}
