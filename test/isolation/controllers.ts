/**
 * What controllers do with a tenant's objects after admission, modelled from their documented
 * behaviour (each function cites its source), for the hostile-tenant tests in controllers.test.ts.
 */
import type { Obj } from "./attacks.js";

/** The committed Prometheus spec values of kube-prometheus-stack (prometheus.prometheusSpec). */
export type PrometheusSpec = Obj;

/**
 * prometheus-operator pkg/prometheus/resource_selector.go (SelectServiceMonitors, validateMonitorEndpoint):
 * with `arbitraryFSAccessThroughSMs.deny`, a ServiceMonitor endpoint that names a file of the
 * Prometheus container (bearerTokenFile, tlsConfig caFile/certFile/keyFile) is rejected and not scraped.
 */
export function monitorRejection(spec: PrometheusSpec, sm: Obj): string | undefined {
  if (spec.arbitraryFSAccessThroughSMs?.deny !== true) return undefined;
  for (const e of sm.spec?.endpoints ?? []) {
    if (e.bearerTokenFile) return "it accesses file system via bearer token file which Prometheus specification prohibits";
    const tls = e.tlsConfig ?? {};
    if (tls.caFile || tls.certFile || tls.keyFile) return "it accesses file system via tls config which Prometheus specification prohibits";
  }
  return undefined;
}

/** Whether the object is exempt from enforcement (Documentation/api.md excludedFromEnforcement: empty name means every object). */
function exempt(spec: PrometheusSpec, resource: string, namespace: string, name: string): boolean {
  return (spec.excludedFromEnforcement ?? []).some(
    (r: Obj) => r.resource === resource && r.namespace === namespace && (r.name === undefined || r.name === name),
  );
}

/**
 * The labels a series scraped through a monitor is stored with (Documentation/api.md
 * enforcedNamespaceLabel: the operator appends a relabeling that sets the label to the monitor's
 * namespace, after the monitor's own, so neither the target nor honorLabels can set it).
 */
export function storedSeriesLabels(spec: PrometheusSpec, sm: Obj, scraped: Record<string, string>): Record<string, string> {
  const label = spec.enforcedNamespaceLabel;
  if (!label || exempt(spec, "servicemonitors", sm.metadata.namespace, sm.metadata.name)) return scraped;
  return { ...scraped, [label]: sm.metadata.namespace };
}

/**
 * The labels of an alert a PrometheusRule fires (pkg/prometheus/operator.go generateContent: with
 * enforcedNamespaceLabel each rule gets the label set to the rule's namespace, and its expression's
 * selectors are restricted to it).
 */
export function alertLabels(spec: PrometheusSpec, rule: Obj, alert: Record<string, string>): Record<string, string> {
  const label = spec.enforcedNamespaceLabel;
  if (!label || exempt(spec, "prometheusrules", rule.metadata.namespace, rule.metadata.name)) return alert;
  return { ...alert, [label]: rule.metadata.namespace };
}

/** A matcher string as Alertmanager parses it (`label = value`, `label != value`, `label =~ re`, `label !~ re`). */
function matches(matcher: string, labels: Record<string, string>): boolean {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"?(.*?)"?\s*$/.exec(matcher);
  if (!m) throw new Error(`bad matcher ${matcher}`);
  const v = labels[m[1]!] ?? "";
  const re = new RegExp(`^(?:${m[3]})$`);
  switch (m[2]) {
    case "=":
      return v === m[3];
    case "!=":
      return v !== m[3];
    case "=~":
      return re.test(v);
    default:
      return !re.test(v);
  }
}

/**
 * alertmanager inhibit/inhibit.go (Inhibitor.Mutes): the target is muted when an inhibit rule's
 * target matchers match it and a firing alert, other than the target itself, matches its source
 * matchers and has the same value for every `equal` label.
 */
export function inhibited(rules: readonly Obj[], firing: readonly Record<string, string>[], target: Record<string, string>): boolean {
  return rules.some(
    (r) =>
      (r.target_matchers ?? []).every((m: string) => matches(m, target)) &&
      firing.some(
        (s) =>
          s !== target &&
          (r.source_matchers ?? []).length > 0 &&
          (r.source_matchers as string[]).every((m) => matches(m, s)) &&
          (r.equal ?? []).every((l: string) => (s[l] ?? "") === (target[l] ?? "")),
      ),
  );
}

/**
 * ResourceQuota admission (kubernetes/kubernetes plugin/pkg/admission/resourcequota/controller.go
 * with pkg/quota/v1/evaluator/core/pods.go): a pod is refused when, for some quota whose scopes
 * select it, its usage added to what is used exceeds `hard`. Scope PriorityClass In [...] selects
 * pods whose priorityClassName is listed; `pods` counts one per pod.
 */
export function quotaRefusal(quotas: readonly Obj[], used: Record<string, number>, pod: Obj): string | undefined {
  const spec = pod.spec ?? {};
  const requests: Record<string, number> = { pods: 1 };
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])])
    for (const [k, v] of Object.entries(c.resources?.requests ?? {}))
      requests[`requests.${k}`] = (requests[`requests.${k}`] ?? 0) + Number(v);
  for (const q of quotas) {
    const scopes = q.spec.scopeSelector?.matchExpressions ?? [];
    const selected = scopes.every(
      (s: Obj) => s.scopeName === "PriorityClass" && s.operator === "In" && s.values.includes(spec.priorityClassName),
    );
    if (!selected) continue;
    for (const [k, hard] of Object.entries(q.spec.hard as Record<string, string>)) {
      const want = requests[k];
      if (want !== undefined && (used[k] ?? 0) + want > Number(hard))
        return `exceeded quota: ${q.metadata.name}, requested: ${k}=${want}, limited: ${k}=${hard}`;
    }
  }
  return undefined;
}
