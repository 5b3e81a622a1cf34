/**
 * One source for the metrics autoscalers read. Each handle declares a Prometheus series as
 * scraped (its name, and which of its labels name the namespace and pod of the workload it
 * measures) and the name the custom metrics API serves it under. The prometheus-adapter
 * rules are generated from these handles (`adapterRules`), HPA `podMetrics` may name only a
 * served handle (`PodMetricName`), KEDA Prometheus queries select handles' series
 * (`selectSeries`), and the check simulates the adapter over the same declarations
 * (`servedMetrics`), so an HPA cannot ask for a metric no rule serves.
 *
 * The rule semantics follow kubernetes-sigs/prometheus-adapter docs/config.md (discovery
 * by seriesQuery and seriesFilters, association by resources overrides or template, naming
 * by name.matches/as, querying by metricsQuery) and pkg/naming/metric_namer.go.
 */

/** A series as Prometheus stores it after scraping. */
export interface SeriesSpec {
  name: string;
  /** Labels every sample carries (target labels included). */
  labels: readonly string[];
  /**
   * The labels naming the namespace and pod of the workload the series is about. An
   * exporter scraping on behalf of other pods (DCGM) carries its own pod in `pod` and the
   * measured pod in `exported_pod` (Prometheus renames clashing labels, honor_labels false).
   */
  workload: { namespace: string; pod: string };
  /** "counter" series are served as a per-second rate, "gauge" as they are. */
  type: "counter" | "gauge";
  /** Where the series comes from. */
  source: string;
}

export interface MetricHandle {
  /** The name HPAs ask custom.metrics.k8s.io for. */
  served: string;
  series: SeriesSpec;
  /** Aggregation over the pods' series: sum for counts and rates, avg for ratios such as utilisation. */
  aggregate: "sum" | "avg";
}

/** A prometheus-adapter discovery rule (docs/config.md). */
export interface AdapterRule {
  seriesQuery: string;
  seriesFilters?: readonly { is?: string; isNot?: string }[];
  resources: { overrides?: Readonly<Record<string, { resource: string }>>; template?: string };
  name: { matches: string; as: string };
  metricsQuery: string;
}

const appSeries = (name: string, type: SeriesSpec["type"], source: string): SeriesSpec => ({
  name,
  // A ServiceMonitor's target labels: namespace, pod, service, container, endpoint, job, instance.
  labels: ["namespace", "pod", "service", "container", "endpoint", "job", "instance"],
  workload: { namespace: "namespace", pod: "pod" },
  type,
  source,
});

/** Every metric an autoscaler of the fleet reads. */
export const METRICS = {
  httpRequestsPerSecond: {
    served: "http_requests_per_second",
    series: appSeries("http_requests_total", "counter", "the app's own /metrics (prometheus client HTTP middleware)"),
    aggregate: "sum",
  },
  queueLength: { served: "queue_length", series: appSeries("queue_length", "gauge", "agentguard-api /metrics"), aggregate: "sum" },
  inferenceQueueLength: {
    served: "inference_queue_length",
    series: appSeries("inference_queue_length", "gauge", "uiota offline-ai /metrics"),
    aggregate: "sum",
  },
  guardianActiveSessions: {
    served: "guardian_active_sessions",
    series: appSeries("guardian_active_sessions", "gauge", "uiota guardian-api /metrics"),
    aggregate: "sum",
  },
  inferenceRequestsSecondsCount: {
    served: "inference_requests_per_second",
    series: appSeries("inference_requests_seconds_count", "counter", "autonomous-op ml-service /metrics (histogram count)"),
    aggregate: "sum",
  },
  httpServerRequestsSecondsCount: {
    served: "http_server_requests_per_second",
    series: appSeries("http_server_requests_seconds_count", "counter", "Spring Boot Actuator (Micrometer) /actuator/prometheus"),
    aggregate: "sum",
  },
  gpuUtilization: {
    served: "DCGM_FI_DEV_GPU_UTIL",
    series: {
      name: "DCGM_FI_DEV_GPU_UTIL",
      // NVIDIA/dcgm-exporter: with Kubernetes pod mapping each GPU's series names the pod using
      // it in namespace/pod/container, which the ServiceMonitor's own target labels displace to
      // exported_* (prometheus/prometheus config: honor_labels false).
      labels: [
        "namespace",
        "pod",
        "service",
        "container",
        "endpoint",
        "job",
        "instance",
        "gpu",
        "UUID",
        "modelName",
        "Hostname",
        "exported_namespace",
        "exported_pod",
        "exported_container",
      ],
      workload: { namespace: "exported_namespace", pod: "exported_pod" },
      type: "gauge",
      source: "gpu-operator's dcgm-exporter ServiceMonitor",
    },
    aggregate: "avg",
  },
} as const satisfies Record<string, MetricHandle>;

export type MetricKey = keyof typeof METRICS;
/** A metric an HPA may ask for per pod: exactly the served names of the handles. */
export type PodMetricName = (typeof METRICS)[MetricKey]["served"];

export const METRIC_HANDLES: readonly MetricHandle[] = Object.values(METRICS);

/** The handle serving `name`, if any. */
export function metricHandle(name: string): MetricHandle | undefined {
  return METRIC_HANDLES.find((m) => m.served === name);
}

/**
 * A series selector for a KEDA query, with the workload's namespace (and other labels)
 * matched on the labels that name it: `selectSeries(METRICS.gpuUtilization, { namespace: "x" })`
 * is `DCGM_FI_DEV_GPU_UTIL{exported_namespace="x"}`.
 */
export function selectSeries(handle: MetricHandle, match: { namespace: string; [label: string]: string }): string {
  const { namespace, ...rest } = match;
  // An exporter's series name the measured workload in its exported_* labels.
  const label = (l: string): string => (handle.series.labels.includes(`exported_${l}`) ? `exported_${l}` : l);
  const pairs = [`${handle.series.workload.namespace}="${namespace}"`, ...Object.entries(rest).map(([k, v]) => `${label(k)}="${v}"`)];
  return `${handle.series.name}{${pairs.join(",")}}`;
}

/** The prometheus-adapter rule that serves one handle, per pod and namespace. */
export function adapterRule(handle: MetricHandle): AdapterRule {
  const { series } = handle;
  const w = series.workload;
  const selector = `${series.name}{${w.namespace}!="",${w.pod}!=""}`;
  const inner = series.type === "counter" ? "rate(<<.Series>>{<<.LabelMatchers>>}[2m])" : "<<.Series>>{<<.LabelMatchers>>}";
  return {
    seriesQuery: selector,
    resources: { overrides: { [w.namespace]: { resource: "namespace" }, [w.pod]: { resource: "pod" } } },
    name: { matches: `^${series.name}$`, as: handle.served },
    metricsQuery: `${handle.aggregate}(${inner}) by (<<.GroupBy>>)`,
  };
}

/** The adapter's custom rules: one per handle, in declaration order. */
export function adapterRules(): AdapterRule[] {
  return METRIC_HANDLES.map(adapterRule);
}

/**
 * The prometheus-adapter chart's `rules.default: true` rules (prometheus-community/helm-charts
 * charts/prometheus-adapter/templates/configmap.yaml, chart 5.3.0), as data.
 */
export const CHART_DEFAULT_RULES: readonly AdapterRule[] = [
  {
    seriesQuery: '{__name__=~"^container_.*",container!="POD",namespace!="",pod!=""}',
    resources: { overrides: { namespace: { resource: "namespace" }, pod: { resource: "pod" } } },
    name: { matches: "^container_(.*)_seconds_total$", as: "" },
    metricsQuery: 'sum(rate(<<.Series>>{<<.LabelMatchers>>,container!="POD"}[5m])) by (<<.GroupBy>>)',
  },
  {
    seriesQuery: '{__name__=~"^container_.*",container!="POD",namespace!="",pod!=""}',
    seriesFilters: [{ isNot: "^container_.*_seconds_total$" }],
    resources: { overrides: { namespace: { resource: "namespace" }, pod: { resource: "pod" } } },
    name: { matches: "^container_(.*)_total$", as: "" },
    metricsQuery: 'sum(rate(<<.Series>>{<<.LabelMatchers>>,container!="POD"}[5m])) by (<<.GroupBy>>)',
  },
  {
    seriesQuery: '{__name__=~"^container_.*",container!="POD",namespace!="",pod!=""}',
    seriesFilters: [{ isNot: "^container_.*_total$" }],
    resources: { overrides: { namespace: { resource: "namespace" }, pod: { resource: "pod" } } },
    name: { matches: "^container_(.*)$", as: "" },
    metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>,container!="POD"}) by (<<.GroupBy>>)',
  },
  {
    seriesQuery: '{namespace!="",__name__!~"^container_.*"}',
    seriesFilters: [{ isNot: ".*_total$" }],
    resources: { template: "<<.Resource>>" },
    name: { matches: "", as: "" },
    metricsQuery: "sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)",
  },
  {
    seriesQuery: '{namespace!="",__name__!~"^container_.*"}',
    seriesFilters: [{ isNot: ".*_seconds_total" }],
    resources: { template: "<<.Resource>>" },
    name: { matches: "^(.*)_total$", as: "" },
    metricsQuery: "sum(rate(<<.Series>>{<<.LabelMatchers>>}[5m])) by (<<.GroupBy>>)",
  },
  {
    seriesQuery: '{namespace!="",__name__!~"^container_.*"}',
    resources: { template: "<<.Resource>>" },
    name: { matches: "^(.*)_seconds_total$", as: "" },
    metricsQuery: "sum(rate(<<.Series>>{<<.LabelMatchers>>}[5m])) by (<<.GroupBy>>)",
  },
];

interface Matcher {
  label: string;
  op: "=" | "!=" | "=~" | "!~";
  value: string;
}

/** A series selector `name{l op "v", ...}` or `{...}`, as prometheus-adapter passes it to Prometheus' /api/v1/series. */
export function parseSelector(query: string): Matcher[] {
  const m = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*(?:\{(.*)\})?\s*$/.exec(query);
  if (!m) throw new Error(`not a series selector: ${query}`);
  const out: Matcher[] = m[1] ? [{ label: "__name__", op: "=", value: m[1] }] : [];
  const body = m[2] ?? "";
  const re = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*,?/gy;
  for (let x = re.exec(body); x !== null; x = re.exec(body)) out.push({ label: x[1]!, op: x[2] as Matcher["op"], value: x[3]! });
  return out;
}

/** Prometheus matches label regexes fully anchored (prometheus/prometheus model/labels/matcher.go). */
function fullMatch(re: string, s: string): boolean {
  return new RegExp(`^(?:${re})$`).test(s);
}

/** Whether Prometheus' series endpoint returns `series` for the selector (an absent label is ""). */
function selects(matchers: readonly Matcher[], series: SeriesSpec): boolean {
  // A present label has some non-empty value; we only know which labels exist, so `l="v"` and
  // `l=~"re"` (re not matching "") hold when l exists, `l!=""` when it exists.
  return matchers.every((mt) => {
    const value = mt.label === "__name__" ? series.name : undefined;
    const present = mt.label === "__name__" || series.labels.includes(mt.label);
    if (value !== undefined) {
      if (mt.op === "=") return value === mt.value;
      if (mt.op === "!=") return value !== mt.value;
      if (mt.op === "=~") return fullMatch(mt.value, value);
      return !fullMatch(mt.value, value);
    }
    if (mt.op === "!=") return mt.value === "" ? present : true;
    if (mt.op === "=") return mt.value === "" ? !present : present;
    if (mt.op === "=~") return present || fullMatch(mt.value, "");
    return present || !fullMatch(mt.value, "");
  });
}

/** The name a rule gives a series (docs/config.md "Naming": `as` defaults to $1 with one capture group, else $0). */
function servedName(rule: AdapterRule, name: string): string | undefined {
  const re = new RegExp(rule.name.matches === "" ? ".*" : rule.name.matches);
  const m = re.exec(name);
  if (!m) return undefined;
  const as = rule.name.as !== "" ? rule.name.as : m.length > 1 ? "$1" : "$0";
  // Go's regexp.Expand: $0 (or ${0}) is the whole match, $n the nth group.
  return as.replace(/\$\{?(\d)\}?/g, (_, d: string) => m[Number(d)] ?? "");
}

/** The label a rule associates with a Kubernetes resource (overrides first, else the template). */
function labelFor(rule: AdapterRule, resource: string): string | undefined {
  const o = Object.entries(rule.resources.overrides ?? {}).find(([, v]) => v.resource === resource);
  if (o) return o[0];
  return rule.resources.template?.replace(/<<\.Resource>>/g, resource);
}

/** One metric the adapter serves per pod: its name, the series, and whether it describes the workload's own pods. */
export interface ServedMetric {
  name: string;
  series: string;
  /** The namespace and pod labels the rule maps, and whether they are the series' workload labels. */
  namespaceLabel: string | undefined;
  podLabel: string | undefined;
  workloadPods: boolean;
}

/**
 * What an adapter configured with `rules` serves for pods, given the series Prometheus has
 * (every handle's series): the simulation of discovery, association and naming.
 */
export function servedMetrics(
  rules: readonly AdapterRule[],
  series: readonly SeriesSpec[] = METRIC_HANDLES.map((h) => h.series),
): ServedMetric[] {
  const out: ServedMetric[] = [];
  for (const rule of rules) {
    let matchers: Matcher[];
    try {
      matchers = parseSelector(rule.seriesQuery);
    } catch {
      continue;
    }
    for (const s of series) {
      if (!selects(matchers, s)) continue;
      const filtered = (rule.seriesFilters ?? []).every(
        (f) => (f.is === undefined || new RegExp(f.is).test(s.name)) && (f.isNot === undefined || !new RegExp(f.isNot).test(s.name)),
      );
      if (!filtered) continue;
      const name = servedName(rule, s.name);
      if (name === undefined) continue;
      const namespaceLabel = labelFor(rule, "namespace");
      const podLabel = labelFor(rule, "pod");
      const mapped =
        namespaceLabel !== undefined && podLabel !== undefined && s.labels.includes(namespaceLabel) && s.labels.includes(podLabel);
      if (!mapped) continue;
      out.push({
        name,
        series: s.name,
        namespaceLabel,
        podLabel,
        workloadPods: namespaceLabel === s.workload.namespace && podLabel === s.workload.pod,
      });
    }
  }
  return out;
}
