/**
 * Which resources each API group serves, for namespaced RBAC rules: a Role rule grants
 * only resources of its own apiGroups, so `{ apiGroups: ["apps"], resources: ["pods"] }`
 * grants nothing (the authorizer matches group and resource together:
 * kubernetes/kubernetes plugin/pkg/auth/authorizer/rbac/rbac.go RuleAllows, and
 * pkg/apis/rbac/validation/validation.go ValidatePolicyRule: apiGroups required for
 * resource rules, verbs required). The table lists the namespaced resources of the
 * built-in groups (`kubectl api-resources --namespaced=true` on Kubernetes 1.33) and of
 * the controllers the fleet installs.
 */
export const NAMESPACED_RESOURCES: Readonly<Record<string, readonly string[]>> = {
  "": [
    "bindings",
    "configmaps",
    "endpoints",
    "events",
    "limitranges",
    "persistentvolumeclaims",
    "pods",
    "pods/log",
    "pods/exec",
    "pods/portforward",
    "pods/status",
    "pods/eviction",
    "podtemplates",
    "replicationcontrollers",
    "resourcequotas",
    "secrets",
    "serviceaccounts",
    "serviceaccounts/token",
    "services",
    "services/proxy",
  ],
  apps: ["controllerrevisions", "daemonsets", "deployments", "deployments/scale", "replicasets", "statefulsets", "statefulsets/scale"],
  autoscaling: ["horizontalpodautoscalers"],
  batch: ["cronjobs", "jobs"],
  "coordination.k8s.io": ["leases"],
  "discovery.k8s.io": ["endpointslices"],
  "events.k8s.io": ["events"],
  "networking.k8s.io": ["ingresses", "networkpolicies"],
  policy: ["poddisruptionbudgets"],
  "rbac.authorization.k8s.io": ["rolebindings", "roles"],
  "authorization.k8s.io": ["localsubjectaccessreviews"],
  "storage.k8s.io": ["csistoragecapacities"],
  "keda.sh": ["scaledobjects", "scaledjobs", "triggerauthentications"],
  "external-secrets.io": ["externalsecrets", "secretstores"],
  "monitoring.coreos.com": ["servicemonitors", "podmonitors", "prometheusrules"],
  "networking.istio.io": ["virtualservices", "destinationrules", "gateways", "serviceentries", "sidecars"],
  "security.istio.io": ["authorizationpolicies", "peerauthentications", "requestauthentications"],
  "cert-manager.io": ["certificates", "issuers", "certificaterequests"],
};

export const RBAC_VERBS: readonly string[] = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "*"];

/** Problems of one Role rule: a verb that does not exist, and each resource none of its groups serves. */
export function policyRuleProblems(rule: { apiGroups: readonly string[]; resources: readonly string[]; verbs: readonly string[] }): {
  field: "apiGroups" | "resources" | "verbs";
  value: unknown;
  message: string;
}[] {
  const out: { field: "apiGroups" | "resources" | "verbs"; value: unknown; message: string }[] = [];
  if (rule.apiGroups.length === 0)
    out.push({ field: "apiGroups", value: [], message: "resource rules must supply at least one api group" });
  if (rule.verbs.length === 0) out.push({ field: "verbs", value: [], message: "verbs must contain at least one value" });
  for (const v of rule.verbs)
    if (!RBAC_VERBS.includes(v))
      out.push({ field: "verbs", value: v, message: `not a Kubernetes API verb; use ${RBAC_VERBS.slice(0, -1).join(", ")}` });
  if (rule.apiGroups.includes("*") || rule.resources.includes("*")) return out;
  for (const g of rule.apiGroups)
    if (!(g in NAMESPACED_RESOURCES))
      out.push({
        field: "apiGroups",
        value: g,
        message: `no namespaced API group of that name; known: ${Object.keys(NAMESPACED_RESOURCES)
          .map((x) => `"${x}"`)
          .join(", ")}`,
      });
  for (const r of rule.resources) {
    if (rule.apiGroups.some((g) => NAMESPACED_RESOURCES[g]?.includes(r))) continue;
    const home = Object.entries(NAMESPACED_RESOURCES)
      .filter(([, rs]) => rs.includes(r))
      .map(([g]) => `"${g}"`);
    out.push({
      field: "resources",
      value: r,
      message:
        home.length > 0
          ? `is not served by apiGroups ${JSON.stringify(rule.apiGroups)}, so the rule grants nothing; it belongs to api group ${home.join(" or ")}`
          : 'no namespaced resource of that name in any known API group; the rule grants nothing (names are lower-case plurals, e.g. "configmaps")',
    });
  }
  return out;
}

/** A YYYY-MM-DD date that exists in the calendar (no 2027-02-30), or why not. */
export function calendarDateProblem(text: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return "write a date as YYYY-MM-DD";
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d)
    return `no such day in the calendar (${mo >= 1 && mo <= 12 ? `month ${mo} of ${y} has ${new Date(Date.UTC(y, mo, 0)).getUTCDate()} days` : "months run 01-12"})`;
  return undefined;
}
