/**
 * What an add-on is (Addon, AddonContext) and the helpers and constants several add-ons
 * share. Each add-on is one file under catalogue/; catalogue.ts lists them in order.
 */
import { ANNOTATIONS, IRSA_ROLE_ANNOTATION, PLATFORM } from "../fleet/constants.js";
import { iamRoleArn } from "../fleet/aws/identifiers.js";
import type { ClusterSpec, Fleet } from "../fleet/fleet.js";
import { serviceMonitor, type CrdGroup, type ModelObject, type PartModel, type RewrittenField } from "./provides.js";

export const ISTIO_CHARTS = "https://istio-release.storage.googleapis.com/charts";
// renovate: datasource=helm depName=istiod registryUrl=https://istio-release.storage.googleapis.com/charts
export const ISTIO_VERSION = "1.29.0";
/**
 * Istio's supported Kubernetes versions per minor (istio.io/latest/docs/releases/supported-releases,
 * as endoflife-date/endoflife.date products/istio.md records them: 1.28 → 1.30–1.34, 1.29 → 1.31–1.35).
 */
export const ISTIO_KUBERNETES: KubernetesRange = {
  min: "1.31",
  max: "1.35",
  source: "istio.io supported-releases (endoflife-date/endoflife.date products/istio.md, 1.29: 1.31 - 1.35)",
};
export const LB_TYPE_ANNOTATION = ANNOTATIONS.awsLoadBalancerType;
export const DEFAULT_CLASS_ANNOTATION = ANNOTATIONS.defaultStorageClass;
export const DEFAULT_STORAGE_CLASS = PLATFORM.clusterDefaultStorageClass;
export const KEDA_NAMESPACE = PLATFORM.kedaNamespace;
export const PROMETHEUS_SERVICE = PLATFORM.prometheusService;

/** Istio's CRDs (istio manifests/charts/base/files/crd-all.gen.yaml). */
export const ISTIO_CRDS: readonly CrdGroup[] = [
  {
    group: "networking.istio.io",
    kinds: [
      "DestinationRule",
      "EnvoyFilter",
      "Gateway",
      "ProxyConfig",
      "ServiceEntry",
      "Sidecar",
      "VirtualService",
      "WorkloadEntry",
      "WorkloadGroup",
    ],
  },
  { group: "security.istio.io", kinds: ["AuthorizationPolicy", "PeerAuthentication", "RequestAuthentication"] },
  { group: "telemetry.istio.io", kinds: ["Telemetry"] },
  { group: "extensions.istio.io", kinds: ["WasmPlugin"] },
];

/** istiod patches its validating webhooks' failurePolicy from Ignore to Fail once it serves them. */
export function istioValidatorRewrite(name: string): RewrittenField {
  return {
    group: "admissionregistration.k8s.io",
    kind: "ValidatingWebhookConfiguration",
    name,
    jqPathExpression: ".webhooks[]?.failurePolicy",
    source: "istio/istio#57643, istio/istio#52785 (istiod sets failurePolicy to Fail once it serves validation)",
  };
}

/** What an add-on's values may depend on. */
export interface AddonContext {
  fleet: Fleet;
  cluster: ClusterSpec;
  production: boolean;
}

/**
 * What happens to an Application's resources when the Application is deleted (a tenant,
 * cluster or add-on removed from the sources): "keep" (the default) deletes the
 * Application only; "delete" cascades into its namespaces, PVCs and CRDs.
 */
export type RemovalPolicy = "keep" | "delete";

/**
 * The Kubernetes minors a chart version runs on, cited: the chart's own `kubeVersion` (Helm
 * refuses to install below it) or the project's compatibility table. Generate refuses a cluster
 * outside it (generate.ts addonCompatibilityProblems).
 */
export interface KubernetesRange {
  /** Oldest minor, e.g. "1.29". @default no lower bound is declared */
  min?: string;
  /** Newest minor the project documents. @default no upper bound is declared */
  max?: string;
  /** Where the range was read (file and repository, or the documentation page). */
  source: string;
  /** Minors past `max` the fleet runs anyway, after review, and why. */
  beyondMax?: { minors: readonly string[]; reason: string };
}

export interface Addon<V = unknown> {
  /** Add-on name: the ApplicationSet name is `addon-<name>`, each Application `<cluster>-<name>`. */
  name: string;
  /** Helm repository URL as Argo CD spells it (OCI registries without the oci:// scheme), or a git repository with `path`. */
  repoURL: string;
  /** The Helm chart; with `path`, the upstream project's name (shown in the report and the diff). */
  chart: string;
  /** The chart version, or the git tag with `path`. */
  version: string;
  /**
   * A folder of plain manifests in the git repository `repoURL` at tag `version`, for projects
   * that ship no Helm chart (the Gateway API CRDs); Argo CD syncs it as a directory source and
   * the add-on has no values.
   */
  path?: string;
  /** The Kubernetes minors this chart version supports (renovate.json bumps `version`; re-check this with it). */
  kubernetes?: KubernetesRange;
  releaseName: string;
  namespace: string;
  /** Labels Argo CD puts on the namespace it creates (CreateNamespace=true). */
  namespaceLabels?: Readonly<Record<string, string>>;
  /** Other namespaces the chart writes into (leader-election Roles, kube-system Services); the project must admit them. */
  extraNamespaces?: readonly string[];
  wave: number;
  /** Large CRDs exceed the 256 KiB last-applied annotation of client-side apply. */
  serverSideApply: boolean;
  /** @default "keep" */
  onRemoval?: RemovalPolicy;
  /** Whether the cluster runs this add-on. */
  needs: (ctx: AddonContext) => boolean;
  values: (ctx: AddonContext) => V;
  /**
   * What the add-on provides and creates, from its values (generators/addons/provides.ts).
   * The bootstrap check calls it with the values parsed back from the Application, so it
   * reads them defensively.
   */
  model: (values: V, cluster: ClusterSpec) => PartModel;
}

export const always = (): boolean => true;
export const irsaArn = (cluster: ClusterSpec, addon: string): string => iamRoleArn(`${cluster.name}-${addon}`);
export const irsa = (cluster: ClusterSpec, addon: string): Record<string, string> => ({
  [IRSA_ROLE_ANNOTATION]: irsaArn(cluster, addon),
});
export const replicas = (ctx: AddonContext, prod: number, other = 1): number => (ctx.production ? prod : other);

/** The typed catalog; `defineAddon` keeps each entry's values and model checked against its interface. */
export function defineAddon<V>(addon: Addon<V>): Addon {
  return addon as unknown as Addon;
}

/** AWS Load Balancer Controller annotations: an NLB in IP mode, internet-facing. */
export const NLB_ANNOTATIONS = {
  [LB_TYPE_ANNOTATION]: "external",
  "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
  "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
} as const;

/** A chart's ServiceMonitor when its values enable one. */
export const monitors = (enabled: boolean | undefined, name: string, namespace: string): ModelObject[] =>
  enabled === true ? [serviceMonitor(name, namespace)] : [];
