/**
 * The OpenTelemetry Collector add-on: the OTLP endpoint tenant apps export traces to
 * (`platform.otlp`, fleet/constants.ts PLATFORM_SERVICES.otlp). One Deployment in
 * `monitoring` receiving OTLP over gRPC and HTTP; traces are batched and written by the
 * `debug` exporter to the collector's log until a tracing backend is chosen, so they land
 * somewhere reviewable instead of failing at the client. Chart values follow
 * open-telemetry/opentelemetry-helm-charts charts/opentelemetry-collector/values.yaml.
 */
import { PLATFORM, PLATFORM_SERVICES, WAVES } from "../../fleet/constants.js";
import { type Addon, always, defineAddon, replicas } from "../addon.js";

const OTLP = PLATFORM_SERVICES.otlp;
const OTLP_HTTP_PORT = 4318;

/** open-telemetry/opentelemetry-collector (the subset of values we set). */
export interface OtelCollectorValues {
  mode: "deployment";
  fullnameOverride: string;
  image: { repository: string };
  replicaCount: number;
  /** Pod Security "restricted": non-root, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp. */
  podSecurityContext: { runAsNonRoot: true; runAsUser: number; seccompProfile: { type: "RuntimeDefault" } };
  securityContext: {
    allowPrivilegeEscalation: false;
    readOnlyRootFilesystem: true;
    capabilities: { drop: readonly ["ALL"] };
    runAsNonRoot: true;
  };
  resources: { requests: { cpu: string; memory: string }; limits: { memory: string } };
  ports: Record<string, { enabled: boolean; containerPort?: number; servicePort?: number; protocol?: "TCP" }>;
  config: {
    receivers: { otlp: { protocols: { grpc: { endpoint: string }; http: { endpoint: string } } } };
    processors: {
      batch: Record<string, never>;
      memory_limiter: { check_interval: string; limit_percentage: number; spike_limit_percentage: number };
    };
    exporters: { debug: { verbosity: "basic" } };
    service: {
      pipelines: {
        traces: { receivers: readonly string[]; processors: readonly string[]; exporters: readonly string[] };
      };
    };
  };
}

export const otelCollector: Addon = defineAddon<OtelCollectorValues>({
  name: "otel-collector",
  repoURL: "https://open-telemetry.github.io/opentelemetry-helm-charts",
  chart: "opentelemetry-collector",
  version: "0.158.3",
  kubernetes: {
    source:
      "open-telemetry/opentelemetry-helm-charts charts/opentelemetry-collector/Chart.yaml: kubeVersion not read offline, so no bound is declared",
  },
  releaseName: "otel-collector",
  namespace: PLATFORM.monitoringNamespace,
  wave: WAVES.addons,
  serverSideApply: false,
  needs: always,
  values: (ctx) => ({
    mode: "deployment",
    // The Service name tenant apps dial: PLATFORM_SERVICES.otlp.service.
    fullnameOverride: OTLP.service,
    // The chart requires an explicit image since 0.89 (UPGRADING.md); the k8s distribution carries the OTLP receiver.
    image: { repository: "otel/opentelemetry-collector-k8s" },
    replicaCount: replicas(ctx, 2),
    podSecurityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] }, runAsNonRoot: true },
    resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
    // OTLP only: the chart's Jaeger and Zipkin receivers are not used by any tenant.
    ports: {
      otlp: { enabled: true, containerPort: OTLP.port, servicePort: OTLP.port, protocol: "TCP" },
      "otlp-http": { enabled: true, containerPort: OTLP_HTTP_PORT, servicePort: OTLP_HTTP_PORT, protocol: "TCP" },
      "jaeger-compact": { enabled: false },
      "jaeger-thrift": { enabled: false },
      "jaeger-grpc": { enabled: false },
      zipkin: { enabled: false },
    },
    config: {
      receivers: {
        otlp: { protocols: { grpc: { endpoint: `0.0.0.0:${OTLP.port}` }, http: { endpoint: `0.0.0.0:${OTLP_HTTP_PORT}` } } },
      },
      processors: { batch: {}, memory_limiter: { check_interval: "5s", limit_percentage: 80, spike_limit_percentage: 25 } },
      exporters: { debug: { verbosity: "basic" } },
      service: { pipelines: { traces: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: ["debug"] } } },
    },
  }),
  model: (v) => ({
    provides: { services: [{ name: v.fullnameOverride ?? OTLP.service, namespace: PLATFORM.monitoringNamespace }] },
    objects: [],
  }),
});
