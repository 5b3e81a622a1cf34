/**
 * Argo CD's own configuration, as the argo-cd Helm chart's values: the settings the
 * fleet's bootstrap relies on. The same values install Argo CD the first time
 * (docs/bootstrapping.md) and are then synced from this repo by the `argocd`
 * Application, so nothing the root's ordering depends on is a manual step.
 */
import { parseDocument } from "../argo/manifest-yaml.js";
import type { ArgoCdValues } from "./values.js";
import type { ArgoCdScale } from "./argocd-scale.js";

export const ARGOCD_CHART = {
  repoURL: "https://argoproj.github.io/argo-helm",
  chart: "argo-cd",
  version: "10.1.1",
  releaseName: "argocd",
} as const;

/** argocd-cm keys (docs/operator-manual/argocd-cm.yaml, resource_customizations). */
export const ARGOCD_CM_KEYS = {
  appSetHealth: "resource.customizations.health.argoproj.io_ApplicationSet",
  appHealth: "resource.customizations.health.argoproj.io_Application",
  exclusions: "resource.exclusions",
  ignoreMutatingWebhooks: "resource.customizations.ignoreDifferences.admissionregistration.k8s.io_MutatingWebhookConfiguration",
  ignoreValidatingWebhooks: "resource.customizations.ignoreDifferences.admissionregistration.k8s.io_ValidatingWebhookConfiguration",
} as const;

/** argocd-cmd-params-cm key of `argocd-applicationset-controller --enable-progressive-syncs`. */
export const PROGRESSIVE_SYNCS_PARAM = "applicationsetcontroller.enable.progressive.syncs";

/** argocd-cmd-params-cm keys the fleet's size sets (docs/operator-manual/argocd-cmd-params-cm.yaml). */
export const ARGOCD_SCALE_PARAMS = {
  statusProcessors: "controller.status.processors",
  operationProcessors: "controller.operation.processors",
  shardingAlgorithm: "controller.sharding.algorithm",
  repoParallelismLimit: "reposerver.parallelism.limit",
} as const;

/**
 * An ApplicationSet is Healthy when every Application it generated is Healthy. It reads
 * status.resources, which the ApplicationSet controller rewrites on every reconcile
 * (updateResourcesStatus); it reconciles on an Application's health change only with
 * progressive syncs enabled (shouldRequeueForApplication in
 * applicationset/controllers/applicationset_controller.go), hence PROGRESSIVE_SYNCS_PARAM.
 */
const APPSET_HEALTH = `hs = { status = "Progressing", message = "Waiting for generated Applications" }
if obj.status ~= nil then
  if obj.status.conditions ~= nil then
    for _, c in ipairs(obj.status.conditions) do
      if c.type == "ErrorOccurred" and c.status == "True" then
        return { status = "Degraded", message = c.message }
      end
    end
  end
  if obj.status.resources ~= nil and #obj.status.resources > 0 then
    for _, r in ipairs(obj.status.resources) do
      if r.health == nil or r.health.status ~= "Healthy" then
        hs.message = "Application " .. r.name .. " is not Healthy yet"
        return hs
      end
    end
    return { status = "Healthy", message = "All generated Applications are Healthy" }
  end
end
return hs
`;

/** Since Argo CD 1.8 an Application's health is not assessed by its parent; this restores it for the root's direct children (the `argocd` Application). */
const APP_HEALTH = `hs = { status = "Progressing", message = "" }
if obj.status ~= nil and obj.status.health ~= nil then
  hs.status = obj.status.health.status
  if obj.status.health.message ~= nil then
    hs.message = obj.status.health.message
  end
end
return hs
`;

/** Webhook CA bundles are injected by cert-manager's cainjector, istiod and the charts' own cert jobs; never a diff. */
const CA_BUNDLE = `jqPathExpressions:
  - .webhooks[]?.clientConfig.caBundle
`;

/**
 * Kinds Argo CD never watches: high-churn objects no Application declares (the chart's
 * defaults), plus the children Karpenter and cert-manager create.
 */
const EXCLUSIONS = `- apiGroups: ["", "discovery.k8s.io"]
  kinds: [Endpoints, EndpointSlice]
- apiGroups: [coordination.k8s.io]
  kinds: [Lease]
- apiGroups: [authentication.k8s.io, authorization.k8s.io]
  kinds: [SelfSubjectReview, TokenReview, LocalSubjectAccessReview, SelfSubjectAccessReview, SelfSubjectRulesReview, SubjectAccessReview]
- apiGroups: [certificates.k8s.io]
  kinds: [CertificateSigningRequest]
- apiGroups: [cert-manager.io]
  kinds: [CertificateRequest]
- apiGroups: [acme.cert-manager.io]
  kinds: [Order, Challenge]
- apiGroups: [karpenter.sh]
  kinds: [NodeClaim]
`;

export function argoCdValues(ociRepositories: readonly { name: string; url: string }[], scale: ArgoCdScale): ArgoCdValues {
  return {
    // Uninstalling the chart must never delete every Application with its CRD.
    crds: { keep: true },
    controller: { replicas: scale.controllerReplicas },
    repoServer: { replicas: scale.repoServerReplicas },
    configs: {
      cm: {
        [ARGOCD_CM_KEYS.appSetHealth]: APPSET_HEALTH,
        [ARGOCD_CM_KEYS.appHealth]: APP_HEALTH,
        [ARGOCD_CM_KEYS.ignoreMutatingWebhooks]: CA_BUNDLE,
        [ARGOCD_CM_KEYS.ignoreValidatingWebhooks]: CA_BUNDLE,
        [ARGOCD_CM_KEYS.exclusions]: EXCLUSIONS,
      },
      params: {
        [PROGRESSIVE_SYNCS_PARAM]: "true",
        [ARGOCD_SCALE_PARAMS.statusProcessors]: String(scale.statusProcessors),
        [ARGOCD_SCALE_PARAMS.operationProcessors]: String(scale.operationProcessors),
        ...(scale.shardingAlgorithm ? { [ARGOCD_SCALE_PARAMS.shardingAlgorithm]: scale.shardingAlgorithm } : {}),
        [ARGOCD_SCALE_PARAMS.repoParallelismLimit]: String(scale.repoParallelismLimit),
      },
      repositories: Object.fromEntries(
        ociRepositories.map((r) => [r.name, { name: r.name, type: "helm" as const, url: r.url, enableOCI: "true" }]),
      ),
    },
  };
}

export interface ArgoCdSettings {
  cm: Record<string, string>;
  params: Record<string, string>;
  /** The chart's replica counts; undefined when the values leave the chart's default (1). */
  controllerReplicas: unknown;
  repoServerReplicas: unknown;
}

/** The argocd-cm and argocd-cmd-params-cm data and replica counts an `argocd` Application's Helm values produce; empty when absent. */
export function argoCdSettings(helmValues: string | undefined): ArgoCdSettings {
  const v = (helmValues ? parseDocument(helmValues, "argocd Helm values") : {}) as Partial<ArgoCdValues> | undefined;
  return {
    cm: { ...(v?.configs?.cm ?? {}) },
    params: { ...(v?.configs?.params ?? {}) },
    controllerReplicas: v?.controller?.replicas,
    repoServerReplicas: v?.repoServer?.replicas,
  };
}

/** Where each sized setting lives in the chart's values, and the value a scale gives it (undefined: the chart's default). */
export function scaleSettings(scale: ArgoCdScale): { path: string; read: (s: ArgoCdSettings) => unknown; want: unknown }[] {
  const param =
    (key: string) =>
    (s: ArgoCdSettings): unknown =>
      s.params[key];
  return [
    { path: "controller.replicas", read: (s) => s.controllerReplicas, want: scale.controllerReplicas },
    { path: "repoServer.replicas", read: (s) => s.repoServerReplicas, want: scale.repoServerReplicas },
    {
      path: `configs.params["${ARGOCD_SCALE_PARAMS.statusProcessors}"]`,
      read: param(ARGOCD_SCALE_PARAMS.statusProcessors),
      want: String(scale.statusProcessors),
    },
    {
      path: `configs.params["${ARGOCD_SCALE_PARAMS.operationProcessors}"]`,
      read: param(ARGOCD_SCALE_PARAMS.operationProcessors),
      want: String(scale.operationProcessors),
    },
    {
      path: `configs.params["${ARGOCD_SCALE_PARAMS.shardingAlgorithm}"]`,
      read: param(ARGOCD_SCALE_PARAMS.shardingAlgorithm),
      want: scale.shardingAlgorithm,
    },
    {
      path: `configs.params["${ARGOCD_SCALE_PARAMS.repoParallelismLimit}"]`,
      read: param(ARGOCD_SCALE_PARAMS.repoParallelismLimit),
      want: String(scale.repoParallelismLimit),
    },
  ];
}
