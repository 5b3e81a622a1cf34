/**
 * The HTTP service preset: a stateless Deployment with a named `http` port (and an
 * optional `metrics` port Prometheus scrapes), HTTP readiness, liveness and startup
 * probes, and an HPA on CPU and memory. Everything else is an ordinary AppSpec field,
 * passed through; a field given explicitly wins over the preset's.
 */
import type { AppSpec, ProbesSpec } from "../tenant.js";
import type { PerEnv } from "../tenant.js";

export interface HttpServiceOptions extends Omit<AppSpec, "ports" | "probes" | "scaling"> {
  /** Container port of `http`. */
  port: number;
  /** Service port of `http`. @default port */
  servicePort?: number;
  /** Container port of `metrics`, scraped at /metrics. @default none: no metrics port, no scraping */
  metricsPort?: number;
  /** Health endpoints on `http`. @default readiness "/ready", liveness "/health" */
  health?: { readiness?: string; liveness?: string; startupFailures?: number };
  /** HPA bounds at 70% CPU and 80% memory. Give this or `scaling`. @default none */
  replicas?: { min: PerEnv<number>; max: PerEnv<number> };
  /** Overrides the preset's HPA. @default autoscale between `replicas` on 70% CPU, 80% memory */
  scaling?: AppSpec["scaling"];
  /** Overrides the preset's probes. @default HTTP probes on `health` */
  probes?: ProbesSpec;
}

export function httpService(o: HttpServiceOptions): AppSpec {
  const { port, servicePort, metricsPort, health, replicas, scaling, probes, ...rest } = o;
  const autoscale =
    scaling ?? (replicas && { autoscale: { min: replicas.min, max: replicas.max, cpuUtilization: 70, memoryUtilization: 80 } });
  if (!autoscale) throw new Error(`httpService ${o.name}: give \`replicas\` (HPA bounds) or \`scaling\``);
  const ready = health?.readiness ?? "/ready";
  const live = health?.liveness ?? "/health";
  return {
    ports: [
      { name: "http", containerPort: port, ...(servicePort !== undefined ? { servicePort } : {}) },
      ...(metricsPort !== undefined ? [{ name: "metrics", containerPort: metricsPort }] : []),
    ],
    probes: probes ?? {
      readiness: { http: { path: ready, port: "http" }, periodSeconds: 5 },
      liveness: { http: { path: live, port: "http" }, initialDelaySeconds: 15 },
      startup: { http: { path: live, port: "http" }, periodSeconds: 5, failureThreshold: health?.startupFailures ?? 30 },
    },
    scaling: autoscale,
    ...(metricsPort !== undefined ? { monitoring: { port: "metrics" } } : {}),
    ...rest,
  };
}
