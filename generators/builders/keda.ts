/**
 * KEDA: event-driven scaling. One ScaledObject per environment (bounds differ per env,
 * like HPAs), and one TriggerAuthentication per trigger that names credentials, which
 * reads a tenant secret that an ExternalSecret keeps in sync. KEDA creates and owns the
 * HPA of a ScaledObject, so an app never has both (one `scaling` field).
 */
import { ScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";
import { TriggerAuthentication } from "@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication";
import type { IScaleTriggers } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaleTriggers";
import { PLATFORM } from "../fleet/constants.js";
import type { Env } from "../fleet/fleet.js";
import type { AppSpec, EventScaling, KedaTrigger, TenantSpec, TriggerAuthSpec } from "../api/tenant.js";
import { forEnv } from "../api/per-env.js";
import type { KubeObject } from "./object.js";
import { appLabels, tenantNamespace } from "./labels.js";
import { scaleTargetRef, stabilizationBehavior } from "./scaling.js";

/** The platform Prometheus (kube-prometheus-stack), the default server of Prometheus triggers. */
export const DEFAULT_PROMETHEUS_URL = `http://kube-prometheus-stack-prometheus.${PLATFORM.monitoringNamespace}.svc:9090`;

export function isKedaScaled(app: AppSpec): app is AppSpec & { scaling: EventScaling } {
  return app.scaling.keda !== undefined;
}

/** The trigger's name (cpu and memory triggers are named after their resource). */
export function triggerName(t: KedaTrigger): string {
  if (t.kafka !== undefined) return t.kafka.name;
  if (t.prometheus !== undefined) return t.prometheus.name;
  if (t.cpu !== undefined) return "cpu";
  return "memory";
}

function triggerAuth(t: KedaTrigger): TriggerAuthSpec | undefined {
  if (t.kafka !== undefined) return t.kafka.auth;
  if (t.prometheus !== undefined) return t.prometheus.auth;
  return undefined;
}

export function triggerAuthenticationName(app: AppSpec, t: KedaTrigger): string {
  return `${app.name}-${triggerName(t)}`;
}

function trigger(app: AppSpec, t: KedaTrigger): IScaleTriggers {
  const auth = triggerAuth(t) ? { authenticationRef: { name: triggerAuthenticationName(app, t), kind: "TriggerAuthentication" } } : {};
  if (t.kafka !== undefined) {
    const k = t.kafka;
    const metadata: Record<string, string> = {
      bootstrapServers: k.bootstrapServers,
      topic: k.topic,
      consumerGroup: k.consumerGroup,
      lagThreshold: String(k.lagThreshold),
      offsetResetPolicy: k.offsetResetPolicy ?? "latest",
    };
    if ((k.sasl ?? "none") !== "none") metadata.sasl = k.sasl ?? "none";
    return { type: "kafka", name: k.name, metadata, ...auth };
  }
  if (t.prometheus !== undefined) {
    const p = t.prometheus;
    return {
      type: "prometheus",
      name: p.name,
      metadata: { serverAddress: p.serverAddress ?? DEFAULT_PROMETHEUS_URL, query: p.query, threshold: p.threshold },
      ...auth,
    };
  }
  if (t.cpu !== undefined) return { type: "cpu", name: "cpu", metricType: "Utilization", metadata: { value: String(t.cpu.utilization) } };
  return { type: "memory", name: "memory", metricType: "Utilization", metadata: { value: String(t.memory.utilization) } };
}

/** The environment's ScaledObject; emitted in the env overlay next to HPAs and PDBs. */
export function buildScaledObject(tenant: TenantSpec, app: AppSpec, env: Env): KubeObject[] {
  if (!isKedaScaled(app)) return [];
  const k = app.scaling.keda;
  const behavior = stabilizationBehavior(k.stabilization);
  return [
    new ScaledObject({
      metadata: { name: app.name, namespace: tenantNamespace(tenant), labels: appLabels(tenant, app) },
      spec: {
        scaleTargetRef: scaleTargetRef(app),
        minReplicaCount: forEnv(k.min, env),
        maxReplicaCount: forEnv(k.max, env),
        ...(k.pollingInterval !== undefined ? { pollingInterval: k.pollingInterval } : {}),
        ...(behavior ? { advanced: { horizontalPodAutoscalerConfig: behavior } } : {}),
        triggers: k.triggers.map((t) => trigger(app, t)),
      },
    }),
  ];
}

/** TriggerAuthentications: env-independent (the ExternalSecret behind the secret is per env), so they live in base/. */
export function buildTriggerAuthentications(tenant: TenantSpec, app: AppSpec): KubeObject[] {
  if (!isKedaScaled(app)) return [];
  return app.scaling.keda.triggers.flatMap((t) => {
    const auth = triggerAuth(t);
    if (!auth) return [];
    return [
      new TriggerAuthentication({
        metadata: { name: triggerAuthenticationName(app, t), namespace: tenantNamespace(tenant), labels: appLabels(tenant, app) },
        spec: {
          secretTargetRef: Object.entries(auth.parameters)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([parameter, key]) => ({ parameter, name: auth.secret, key })),
        },
      }),
    ];
  });
}
