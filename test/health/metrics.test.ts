/**
 * The prometheus-adapter simulation (generators/addons/metrics.ts) against the rule
 * semantics of kubernetes-sigs/prometheus-adapter docs/config.md, and the rules generated
 * from the metric declarations: each declared metric is served, for the measured pods.
 */
import { describe, expect, it } from "vitest";
import {
  CHART_DEFAULT_RULES,
  METRICS,
  METRIC_HANDLES,
  adapterRules,
  parseSelector,
  selectSeries,
  servedMetrics,
  type AdapterRule,
  type SeriesSpec,
} from "../../generators/addons/metrics.js";

const app = (name: string): SeriesSpec => ({
  name,
  labels: ["namespace", "pod", "service"],
  workload: { namespace: "namespace", pod: "pod" },
  type: "counter",
  source: "test",
});

describe("the adapter's naming and association (docs/config.md)", () => {
  it('names a counter by `matches: "^(.*)_total$"`, `as: "${1}_per_second"` (the docs\' example)', () => {
    const rule: AdapterRule = {
      seriesQuery: '{__name__=~"^.*_total$",namespace!="",pod!=""}',
      resources: { overrides: { namespace: { resource: "namespace" }, pod: { resource: "pod" } } },
      name: { matches: "^(.*)_total$", as: "${1}_per_second" },
      metricsQuery: "sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)",
    };
    expect(servedMetrics([rule], [app("http_requests_total")]).map((m) => m.name)).toEqual(["http_requests_per_second"]);
  });

  it("defaults `as` to $1 with one capture group and to the whole name without one", () => {
    const base = { seriesQuery: '{namespace!=""}', resources: { template: "<<.Resource>>" }, metricsQuery: "" };
    expect(
      servedMetrics([{ ...base, name: { matches: "^(.*)_total$", as: "" } }], [app("http_requests_total")]).map((m) => m.name),
    ).toEqual(["http_requests"]);
    expect(servedMetrics([{ ...base, name: { matches: "", as: "" } }], [app("queue_length")]).map((m) => m.name)).toEqual(["queue_length"]);
  });

  it("discovers only series the seriesQuery and seriesFilters select", () => {
    const rule: AdapterRule = {
      seriesQuery: '{__name__=~"^container_.*",namespace!="",pod!=""}',
      seriesFilters: [{ isNot: "^container_.*_seconds_total$" }],
      resources: { template: "<<.Resource>>" },
      name: { matches: "^container_(.*)_total$", as: "" },
      metricsQuery: "",
    };
    const served = servedMetrics(
      [rule],
      [app("container_network_receive_bytes_total"), app("container_cpu_usage_seconds_total"), app("http_requests_total")],
    );
    expect(served.map((m) => m.name)).toEqual(["network_receive_bytes"]);
  });

  it("parses the selectors Prometheus' series API takes", () => {
    expect(parseSelector('DCGM_FI_DEV_GPU_UTIL{exported_namespace!="",exported_pod!=""}')).toEqual([
      { label: "__name__", op: "=", value: "DCGM_FI_DEV_GPU_UTIL" },
      { label: "exported_namespace", op: "!=", value: "" },
      { label: "exported_pod", op: "!=", value: "" },
    ]);
  });

  it("the chart's default rules serve http_requests_total as http_requests and DCGM by the exporter's own pod", () => {
    const served = servedMetrics(CHART_DEFAULT_RULES);
    expect(served.some((m) => m.name === "http_requests_per_second")).toBe(false);
    expect(served.find((m) => m.name === "http_requests")).toMatchObject({ workloadPods: true });
    expect(served.find((m) => m.name === "DCGM_FI_DEV_GPU_UTIL")).toMatchObject({
      namespaceLabel: "namespace",
      podLabel: "pod",
      workloadPods: false,
    });
  });
});

describe("the generated rules", () => {
  it("serve every declared metric under its name, for the pods it measures, exactly once", () => {
    const served = servedMetrics(adapterRules());
    for (const h of METRIC_HANDLES)
      expect(
        served.filter((m) => m.name === h.served && m.workloadPods),
        h.served,
      ).toHaveLength(1);
    expect(served.every((m) => m.workloadPods)).toBe(true);
  });

  it("map the DCGM exporter's exported_namespace and exported_pod, and select by them in KEDA queries", () => {
    const rule = adapterRules().find((r) => r.name.as === "DCGM_FI_DEV_GPU_UTIL")!;
    expect(rule.resources.overrides).toEqual({ exported_namespace: { resource: "namespace" }, exported_pod: { resource: "pod" } });
    expect(selectSeries(METRICS.gpuUtilization, { namespace: "autonomous-op", container: "ml-service" })).toBe(
      'DCGM_FI_DEV_GPU_UTIL{exported_namespace="autonomous-op",exported_container="ml-service"}',
    );
    expect(selectSeries(METRICS.httpRequestsPerSecond, { namespace: "mlcf" })).toBe('http_requests_total{namespace="mlcf"}');
  });
});
