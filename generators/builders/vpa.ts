/** VerticalPodAutoscalers: recommendations by default, never fighting an HPA over CPU or memory. */
import { VerticalPodAutoscaler } from "@kubernetes-models/autoscaler/autoscaling.k8s.io/v1/VerticalPodAutoscaler";
import type { AppSpec, TenantSpec } from "../api/tenant.js";
import type { KubeObject } from "./object.js";
import { appLabels, tenantNamespace } from "./labels.js";
import { scaleTargetRef } from "./scaling.js";

export function buildVpa(tenant: TenantSpec, app: AppSpec): KubeObject[] {
  if (!app.vpa) return [];
  const policy: Record<string, unknown> = { containerName: app.name, controlledResources: ["cpu", "memory"] };
  if (app.vpa.minAllowed) policy.minAllowed = { ...app.vpa.minAllowed };
  if (app.vpa.maxAllowed) policy.maxAllowed = { ...app.vpa.maxAllowed };
  return [
    new VerticalPodAutoscaler({
      metadata: { name: app.name, namespace: tenantNamespace(tenant), labels: appLabels(tenant, app) },
      spec: {
        targetRef: scaleTargetRef(app),
        updatePolicy: { updateMode: app.vpa.mode ?? "Off" },
        resourcePolicy: { containerPolicies: [policy] },
      },
    }),
  ];
}
