/** Deployments, StatefulSets and the PVCs a Deployment mounts. */
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { StatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { ANNOTATIONS, LABELS, PLATFORM } from "../fleet/constants.js";
import type { AppSpec, ResourcesSpec, StorageSpec, TenantSpec } from "../api/tenant.js";
import type { KubeObject } from "./object.js";
import { appLabels, headlessServiceName, pvcName, selectorLabels, tenantNamespace } from "./labels.js";
import { isStatefulSet, podTemplate } from "./pod.js";

function claimSpec(s: StorageSpec): PersistentVolumeClaim["spec"] {
  return {
    accessModes: [s.accessMode ?? "ReadWriteOnce"],
    storageClassName: s.storageClass ?? PLATFORM.defaultStorageClass,
    resources: { requests: { storage: s.size } },
  };
}

/** Why the app's volumes need no backup, when its data can be re-created (AppSpec.durability). */
function recreatable(app: AppSpec): Record<string, string> {
  const reason = app.durability?.recreatable?.reason;
  return reason !== undefined && (app.storage ?? []).length > 0 ? { [ANNOTATIONS.recreatable]: reason } : {};
}

function workloadMetadata(tenant: TenantSpec, app: AppSpec): KubeObject["metadata"] {
  const labels = appLabels(tenant, app);
  // Kustomize patches select GPU workloads by this object label.
  if ((app.gpus ?? 0) > 0) labels[LABELS.gpu] = "true";
  // On the workload, not the volumeClaimTemplates: a StatefulSet's templates are immutable.
  const annotations = { ...(app.description ? { [ANNOTATIONS.description]: app.description } : {}), ...recreatable(app) };
  return {
    name: app.name,
    namespace: tenantNamespace(tenant),
    labels,
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
}

/**
 * The workload without `spec.replicas`: environment overlays set it for fixed scaling,
 * and an HPA owns it otherwise.
 */
export function buildWorkload(tenant: TenantSpec, app: AppSpec, resources: ResourcesSpec): KubeObject {
  const metadata = workloadMetadata(tenant, app);
  const selector = { matchLabels: selectorLabels(tenant, app) };
  const template = podTemplate(tenant, app, resources);
  if (isStatefulSet(app)) {
    return new StatefulSet({
      metadata,
      spec: {
        serviceName: headlessServiceName(app),
        podManagementPolicy: app.rollout?.podManagementPolicy ?? "OrderedReady",
        updateStrategy: { type: "RollingUpdate" },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
        selector,
        template,
        // apiVersion and kind as the API server defaults them: with ServerSideApply and no
        // server-side diff, Argo CD compares the template as written against the live object
        // and never matches without them (argoproj/argo-cd#11143, #16707, #18568).
        volumeClaimTemplates: (app.storage ?? []).map((s) => ({
          apiVersion: "v1",
          kind: "PersistentVolumeClaim",
          metadata: { name: s.name, labels: selectorLabels(tenant, app) },
          spec: claimSpec(s),
        })),
      },
    });
  }
  return new Deployment({
    metadata,
    spec: {
      revisionHistoryLimit: 5,
      strategy: {
        type: "RollingUpdate",
        rollingUpdate: { maxSurge: app.rollout?.maxSurge ?? "25%", maxUnavailable: app.rollout?.maxUnavailable ?? 0 },
      },
      selector,
      template,
    },
  });
}

/** PVCs a Deployment mounts; a StatefulSet gets them from its volumeClaimTemplates. */
export function buildVolumeClaims(tenant: TenantSpec, app: AppSpec): KubeObject[] {
  if (isStatefulSet(app)) return [];
  return (app.storage ?? []).map(
    (s) =>
      new PersistentVolumeClaim({
        metadata: {
          name: pvcName(app, s.name),
          namespace: tenantNamespace(tenant),
          labels: appLabels(tenant, app),
          ...(Object.keys(recreatable(app)).length > 0 ? { annotations: recreatable(app) } : {}),
        },
        spec: claimSpec(s),
      }),
  );
}
