/**
 * Cluster add-ons: third-party Helm charts every cluster (or every cluster that needs
 * it) runs before the platform tenant and the tenants. One ApplicationSet per add-on;
 * its list generator has one element per cluster that needs the add-on, and the
 * element carries that cluster's complete, typed Helm values.
 */
import { ApplicationSet } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet";
import { stringify } from "yaml";
import { ANNOTATIONS, ARGOCD_NAMESPACE, BASE_DOMAIN, GPU_TAINT, LABELS, MANAGED_BY, PLATFORM, PROMETHEUS_SELECTOR } from "../fleet/constants.js";
import type { ClusterSpec, Fleet } from "../fleet/fleet.js";
import { envSpec, regionSpec } from "../fleet/fleet.js";
import type {
  CertManagerValues,
  ExternalDnsValues,
  ExternalSecretsValues,
  GpuOperatorValues,
  IngressNginxValues,
  IstioBaseValues,
  IstiodValues,
  KarpenterValues,
  KedaValues,
  KubePrometheusStackValues,
  VpaValues,
} from "../addons/values.js";
import type { KubeObject } from "./object.js";

/** AWS account the fleet's clusters run in; IRSA role ARNs are built from it. */
export const AWS_ACCOUNT_ID = "111122223333";
/** The Argo CD project every add-on Application belongs to. */
export const ADDONS_PROJECT = "addons";

/** Root app-of-apps sync waves: add-ons first, then the platform tenant, then tenants. */
export const WAVES = {
  projects: -30,
  /** Add-ons other add-ons depend on: Prometheus Operator CRDs (ServiceMonitor), Istio CRDs. */
  addonFoundations: -20,
  addons: -15,
  platform: -10,
  tenants: 0,
} as const;

/** What an add-on's values may depend on. */
export interface AddonContext {
  fleet: Fleet;
  cluster: ClusterSpec;
  production: boolean;
}

export interface Addon<V = unknown> {
  /** Add-on name: the ApplicationSet name is `addon-<name>`, each Application `<cluster>-<name>`. */
  name: string;
  /** Helm repository URL as Argo CD spells it (OCI registries without the oci:// scheme). */
  repoURL: string;
  chart: string;
  version: string;
  releaseName: string;
  namespace: string;
  /** Other namespaces the chart writes into (leader-election Roles, kube-system Services); the project must admit them. */
  extraNamespaces?: readonly string[];
  wave: number;
  /** Large CRDs exceed the 256 KiB last-applied annotation of client-side apply. */
  serverSideApply: boolean;
  /** Whether the cluster runs this add-on. */
  needs: (ctx: AddonContext) => boolean;
  values: (ctx: AddonContext) => V;
}

const always = (): boolean => true;
const irsa = (cluster: ClusterSpec, addon: string): Record<string, string> => ({
  "eks.amazonaws.com/role-arn": `arn:aws:iam::${AWS_ACCOUNT_ID}:role/${cluster.name}-${addon}`,
});
const replicas = (ctx: AddonContext, prod: number, other = 1): number => (ctx.production ? prod : other);

/** The typed catalog; `defineAddon` keeps each entry's values function checked against its interface. */
function defineAddon<V>(addon: Addon<V>): Addon<V> {
  return addon;
}

export const ADDONS: readonly Addon[] = [
  defineAddon<KubePrometheusStackValues>({
    name: "kube-prometheus-stack",
    repoURL: "https://prometheus-community.github.io/helm-charts",
    chart: "kube-prometheus-stack",
    version: "79.5.0",
    // The release name is the `release` label ServiceMonitors and PrometheusRules carry.
    releaseName: PROMETHEUS_SELECTOR.release,
    namespace: PLATFORM.monitoringNamespace,
    // The CoreDNS scrape Service lands in kube-system.
    extraNamespaces: ["kube-system"],
    wave: WAVES.addonFoundations,
    serverSideApply: true,
    needs: always,
    values: (ctx) => ({
      fullnameOverride: "kube-prometheus-stack",
      crds: { enabled: true },
      // EKS runs the control plane: there is no scheduler, controller-manager or etcd to scrape.
      kubeControllerManager: { enabled: false },
      kubeScheduler: { enabled: false },
      kubeEtcd: { enabled: false },
      prometheus: {
        prometheusSpec: {
          replicas: replicas(ctx, 2),
          retention: ctx.production ? "15d" : "3d",
          externalLabels: { cluster: ctx.cluster.name, env: ctx.cluster.env, region: ctx.cluster.region },
          serviceMonitorSelectorNilUsesHelmValues: false,
          serviceMonitorSelector: { matchLabels: { ...PROMETHEUS_SELECTOR } },
          ruleSelector: { matchLabels: { ...PROMETHEUS_SELECTOR } },
          storageSpec: {
            volumeClaimTemplate: {
              // No storageClassName: the platform tenant's StorageClasses sync after the add-ons, so
              // Prometheus uses the cluster's default class instead of waiting on a later wave.
              spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: ctx.production ? "200Gi" : "50Gi" } } },
            },
          },
        },
      },
      alertmanager: { alertmanagerSpec: { replicas: replicas(ctx, 3) } },
      // Admin login from the platform's ExternalSecret; dashboards only from the monitoring namespace (build/secrets.ts, emit/tree.ts).
      grafana: {
        enabled: true,
        admin: { existingSecret: PLATFORM.grafanaAdminSecret, userKey: "admin-user", passwordKey: "admin-password" },
        sidecar: { dashboards: { enabled: true, label: LABELS.grafanaDashboard, searchNamespace: PLATFORM.monitoringNamespace } },
      },
    }),
  }),
  defineAddon<IstioBaseValues>({
    name: "istio-base",
    repoURL: "https://istio-release.storage.googleapis.com/charts",
    chart: "base",
    version: "1.28.0",
    releaseName: "istio-base",
    namespace: "istio-system",
    wave: WAVES.addonFoundations,
    serverSideApply: true,
    needs: always,
    values: () => ({ defaultRevision: "default" }),
  }),
  defineAddon<CertManagerValues>({
    name: "cert-manager",
    repoURL: "https://charts.jetstack.io",
    chart: "cert-manager",
    version: "v1.19.1",
    releaseName: "cert-manager",
    namespace: "cert-manager",
    // Leader-election Roles live in kube-system (global.leaderElection.namespace).
    extraNamespaces: ["kube-system"],
    wave: WAVES.addons,
    serverSideApply: true,
    needs: always,
    values: (ctx) => ({
      crds: { enabled: true, keep: true },
      replicaCount: replicas(ctx, 2),
      serviceAccount: { annotations: irsa(ctx.cluster, "cert-manager") },
      securityContext: { fsGroup: 1001 },
      ingressShim: { defaultIssuerName: PLATFORM.clusterIssuer, defaultIssuerKind: "ClusterIssuer", defaultIssuerGroup: "cert-manager.io" },
      prometheus: { enabled: true, servicemonitor: { enabled: true, labels: { ...PROMETHEUS_SELECTOR } } },
      webhook: { replicaCount: replicas(ctx, 2) },
      cainjector: { replicaCount: replicas(ctx, 2) },
    }),
  }),
  defineAddon<ExternalSecretsValues>({
    name: "external-secrets",
    repoURL: "https://charts.external-secrets.io",
    chart: "external-secrets",
    version: "0.20.4",
    releaseName: "external-secrets",
    namespace: "external-secrets",
    wave: WAVES.addons,
    serverSideApply: true,
    needs: always,
    values: (ctx) => ({
      installCRDs: true,
      replicaCount: replicas(ctx, 2),
      serviceAccount: { annotations: irsa(ctx.cluster, "external-secrets") },
      serviceMonitor: { enabled: true, additionalLabels: { ...PROMETHEUS_SELECTOR } },
      webhook: { replicaCount: replicas(ctx, 2) },
    }),
  }),
  defineAddon<KarpenterValues>({
    name: "karpenter",
    // OCI registry: Argo CD wants the host/path without oci:// and a repository registered with enableOCI.
    repoURL: "public.ecr.aws/karpenter",
    chart: "karpenter",
    version: "1.8.2",
    releaseName: "karpenter",
    namespace: "karpenter",
    wave: WAVES.addons,
    serverSideApply: true,
    needs: always,
    values: (ctx) => ({
      settings: {
        clusterName: ctx.cluster.name,
        // The SQS queue the cluster's Terraform creates for spot interruption and rebalance events.
        interruptionQueue: `Karpenter-${ctx.cluster.name}`,
        featureGates: { spotToSpotConsolidation: !ctx.production },
      },
      serviceAccount: { annotations: irsa(ctx.cluster, "karpenter") },
      replicas: replicas(ctx, 2),
      controller: { resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { memory: "1Gi" } } },
      serviceMonitor: { enabled: true, additionalLabels: { ...PROMETHEUS_SELECTOR } },
    }),
  }),
  defineAddon<KedaValues>({
    name: "keda",
    repoURL: "https://kedacore.github.io/charts",
    chart: "keda",
    version: "2.18.1",
    releaseName: "keda",
    namespace: "keda",
    // The metrics server's RoleBinding to extension-apiserver-authentication-reader is in kube-system.
    extraNamespaces: ["kube-system"],
    wave: WAVES.addons,
    serverSideApply: true,
    needs: always,
    values: (ctx) => ({
      operator: { replicaCount: replicas(ctx, 2) },
      prometheus: { operator: { enabled: true, serviceMonitor: { enabled: true, additionalLabels: { ...PROMETHEUS_SELECTOR } } } },
      podIdentity: { aws: { irsa: { enabled: true, roleArn: irsa(ctx.cluster, "keda")["eks.amazonaws.com/role-arn"]! } } },
    }),
  }),
  defineAddon<IstiodValues>({
    name: "istiod",
    repoURL: "https://istio-release.storage.googleapis.com/charts",
    chart: "istiod",
    version: "1.28.0",
    releaseName: "istiod",
    namespace: "istio-system",
    wave: WAVES.addons,
    serverSideApply: false,
    needs: always,
    values: (ctx) => ({
      global: { meshID: `mesh-${ctx.cluster.env}`, multiCluster: { clusterName: ctx.cluster.name }, network: `${ctx.cluster.name}-network` },
      meshConfig: { accessLogFile: ctx.production ? "" : "/dev/stdout", enableTracing: !ctx.production },
      pilot: { autoscaleMin: replicas(ctx, 2), autoscaleMax: replicas(ctx, 5, 2) },
    }),
  }),
  defineAddon<VpaValues>({
    name: "vpa",
    repoURL: "https://charts.fairwinds.com/stable",
    chart: "vpa",
    version: "4.8.0",
    releaseName: "vpa",
    namespace: "vpa",
    wave: WAVES.addons,
    serverSideApply: true,
    needs: always,
    values: (ctx) => ({
      recommender: { enabled: true, extraArgs: { "prometheus-address": `http://kube-prometheus-stack-prometheus.${PLATFORM.monitoringNamespace}.svc:9090`, storage: "prometheus" } },
      // Tenants' VPAs run in recommendation mode; the updater only evicts outside prod.
      updater: { enabled: !ctx.production },
      admissionController: { enabled: true },
    }),
  }),
  defineAddon<IngressNginxValues>({
    name: "ingress-nginx",
    repoURL: "https://kubernetes.github.io/ingress-nginx",
    chart: "ingress-nginx",
    version: "4.14.0",
    releaseName: "ingress-nginx",
    namespace: PLATFORM.ingressNamespace,
    wave: WAVES.addons,
    serverSideApply: false,
    needs: always,
    values: (ctx) => ({
      controller: {
        replicaCount: replicas(ctx, 3, 2),
        ingressClassResource: { name: PLATFORM.ingressClass, default: true },
        ingressClass: PLATFORM.ingressClass,
        service: {
          annotations: {
            "service.beta.kubernetes.io/aws-load-balancer-type": "external",
            "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
            "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
          },
        },
        metrics: { enabled: true, serviceMonitor: { enabled: true, additionalLabels: { ...PROMETHEUS_SELECTOR } } },
        config: { "use-proxy-protocol": "false", "enable-real-ip": "true" },
      },
    }),
  }),
  defineAddon<ExternalDnsValues>({
    name: "external-dns",
    repoURL: "https://kubernetes-sigs.github.io/external-dns",
    chart: "external-dns",
    version: "1.19.0",
    releaseName: "external-dns",
    namespace: "external-dns",
    wave: WAVES.addons,
    serverSideApply: false,
    needs: always,
    values: (ctx) => ({
      provider: { name: "aws" },
      env: [{ name: "AWS_DEFAULT_REGION", value: ctx.cluster.region }],
      // A cluster owns its own zone; prod clusters also publish the global latency records.
      domainFilters: ctx.production ? [`${ctx.cluster.name}.${BASE_DOMAIN}`, BASE_DOMAIN] : [`${ctx.cluster.name}.${BASE_DOMAIN}`],
      // Unique per cluster: every cluster only ever deletes the records it created.
      txtOwnerId: ctx.cluster.name,
      policy: ctx.production ? "upsert-only" : "sync",
      sources: ["ingress", "service"],
      serviceAccount: { annotations: irsa(ctx.cluster, "external-dns") },
      extraArgs: ["--aws-zone-type=public", "--aws-prefer-cname"],
    }),
  }),
  defineAddon<GpuOperatorValues>({
    name: "gpu-operator",
    repoURL: "https://helm.ngc.nvidia.com/nvidia",
    chart: "gpu-operator",
    version: "v25.10.0",
    releaseName: "gpu-operator",
    namespace: "gpu-operator",
    wave: WAVES.addons,
    serverSideApply: true,
    // Only where the region has a GPU pool: elsewhere no node could ever run its daemonsets.
    needs: (ctx) => regionSpec(ctx.fleet, ctx.cluster.region).gpuPool !== undefined,
    values: () => ({
      driver: { enabled: false },
      toolkit: { enabled: false },
      devicePlugin: { enabled: true },
      dcgmExporter: { enabled: true, serviceMonitor: { enabled: true, additionalLabels: { ...PROMETHEUS_SELECTOR } } },
      daemonsets: { tolerations: [{ key: GPU_TAINT.key, operator: "Equal", value: GPU_TAINT.value, effect: GPU_TAINT.effect }] },
      nfd: { enabled: true },
    }),
  }),
];

export function addonContext(fleet: Fleet, cluster: ClusterSpec): AddonContext {
  return { fleet, cluster, production: envSpec(fleet, cluster.env).production };
}

/** The clusters that run an add-on, in fleet order. */
export function addonClusters(fleet: Fleet, addon: Addon): ClusterSpec[] {
  return fleet.clusters.filter((c) => addon.needs(addonContext(fleet, c)));
}

/** The Helm values an add-on gets on a cluster, as the YAML string its Application carries. */
export function addonValues(fleet: Fleet, addon: Addon, cluster: ClusterSpec): string {
  return stringify(addon.values(addonContext(fleet, cluster)), { lineWidth: 0 });
}

/** Cluster-scoped kinds the add-on charts create. Adding a chart that needs another kind fails its sync until it is listed here. */
export const ADDON_CLUSTER_KINDS: readonly { group: string; kind: string }[] = [
  { group: "", kind: "Namespace" },
  { group: "apiextensions.k8s.io", kind: "CustomResourceDefinition" },
  { group: "rbac.authorization.k8s.io", kind: "ClusterRole" },
  { group: "rbac.authorization.k8s.io", kind: "ClusterRoleBinding" },
  { group: "admissionregistration.k8s.io", kind: "MutatingWebhookConfiguration" },
  { group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration" },
  { group: "admissionregistration.k8s.io", kind: "ValidatingAdmissionPolicy" },
  { group: "admissionregistration.k8s.io", kind: "ValidatingAdmissionPolicyBinding" },
  { group: "apiregistration.k8s.io", kind: "APIService" },
  { group: "scheduling.k8s.io", kind: "PriorityClass" },
  { group: "networking.k8s.io", kind: "IngressClass" },
  { group: "node.k8s.io", kind: "RuntimeClass" },
  { group: "nvidia.com", kind: "ClusterPolicy" },
  { group: "nfd.k8s-sigs.io", kind: "NodeFeatureRule" },
];

const addonLabels = { [LABELS.managedBy]: MANAGED_BY, [LABELS.component]: "addon" };

export function buildAddonApplicationSet(fleet: Fleet, addon: Addon): KubeObject | undefined {
  const clusters = addonClusters(fleet, addon);
  if (clusters.length === 0) return undefined;
  const wave = String(addon.wave);
  return new ApplicationSet({
    metadata: {
      name: `addon-${addon.name}`,
      namespace: ARGOCD_NAMESPACE,
      labels: { ...addonLabels, [LABELS.name]: addon.name },
      annotations: { [ANNOTATIONS.argoSyncWave]: wave },
    },
    spec: {
      goTemplate: true,
      goTemplateOptions: ["missingkey=error"],
      generators: [
        { list: { elements: clusters.map((c) => ({ cluster: c.name, env: c.env, region: c.region, values: addonValues(fleet, addon, c) })) } },
      ],
      template: {
        metadata: {
          name: `{{.cluster}}-${addon.name}`,
          labels: {
            ...addonLabels,
            [LABELS.name]: addon.name,
            [LABELS.env]: "{{.env}}",
            [LABELS.region]: "{{.region}}",
            [LABELS.cluster]: "{{.cluster}}",
          },
          annotations: { [ANNOTATIONS.argoSyncWave]: wave },
          finalizers: ["resources-finalizer.argocd.argoproj.io"],
        },
        spec: {
          project: ADDONS_PROJECT,
          source: { repoURL: addon.repoURL, chart: addon.chart, targetRevision: addon.version, helm: { releaseName: addon.releaseName, values: "{{.values}}" } },
          destination: { name: "{{.cluster}}", namespace: addon.namespace },
          syncPolicy: {
            automated: { prune: true, selfHeal: true },
            syncOptions: ["CreateNamespace=true", ...(addon.serverSideApply ? ["ServerSideApply=true"] : []), "PruneLast=true"],
            managedNamespaceMetadata: { labels: { [LABELS.managedBy]: MANAGED_BY } },
            retry: { limit: 10, backoff: { duration: "10s", factor: 2, maxDuration: "5m" } },
          },
        },
      },
      syncPolicy: { preserveResourcesOnDeletion: true },
    },
  });
}

/** The add-ons project: exactly the chart repositories, and each add-on's namespace on the clusters that run it. */
export function addonProjectSpec(fleet: Fleet) {
  const destinations = ADDONS.flatMap((a) =>
    addonClusters(fleet, a).flatMap((c) => [a.namespace, ...(a.extraNamespaces ?? [])].map((namespace) => ({ name: c.name, namespace }))),
  );
  const unique = [...new Map(destinations.map((d) => [`${d.name}/${d.namespace}`, d])).values()];
  return {
    description: "Cluster add-ons: pinned third-party Helm charts, installed before the platform tenant and the tenants.",
    sourceRepos: [...new Set(ADDONS.map((a) => a.repoURL))].sort(),
    destinations: unique,
    clusterResourceWhitelist: ADDON_CLUSTER_KINDS.map((k) => ({ ...k })),
    orphanedResources: { warn: false },
  };
}
