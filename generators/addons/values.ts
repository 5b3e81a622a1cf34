/**
 * Typed Helm values for the cluster add-ons: only the keys we set, spelled as each
 * chart's values.yaml spells them. A typo in a key is a compile error here instead of
 * a silently ignored value in the cluster.
 */
import type { AdapterRule } from "./metrics.js";

export interface Toleration {
  key: string;
  operator: "Equal" | "Exists";
  value?: string;
  effect: "NoSchedule" | "NoExecute" | "PreferNoSchedule";
}

export interface ServiceAccountValues {
  create?: boolean;
  name?: string;
  annotations?: Record<string, string>;
}

export interface ResourceValues {
  requests?: { cpu?: string; memory?: string };
  limits?: { cpu?: string; memory?: string };
}

/** jetstack/cert-manager */
export interface CertManagerValues {
  crds: { enabled: boolean; keep: boolean };
  replicaCount: number;
  serviceAccount: ServiceAccountValues;
  /** Route53 DNS-01 needs the pod's IRSA identity readable by the token volume. */
  securityContext: { fsGroup: number };
  ingressShim: { defaultIssuerName: string; defaultIssuerKind: "ClusterIssuer"; defaultIssuerGroup: "cert-manager.io" };
  prometheus: { enabled: boolean; servicemonitor: { enabled: boolean; labels: Record<string, string> } };
  webhook: { replicaCount: number };
  cainjector: { replicaCount: number };
}

/** external-secrets/external-secrets */
export interface ExternalSecretsValues {
  installCRDs: boolean;
  replicaCount: number;
  serviceAccount: ServiceAccountValues;
  serviceMonitor: { enabled: boolean; additionalLabels: Record<string, string> };
  webhook: { replicaCount: number };
}

/** karpenter (oci://public.ecr.aws/karpenter/karpenter) */
export interface KarpenterValues {
  settings: { clusterName: string; interruptionQueue: string; featureGates?: { spotToSpotConsolidation?: boolean } };
  serviceAccount: ServiceAccountValues;
  replicas: number;
  controller: { resources: ResourceValues };
  serviceMonitor: { enabled: boolean; additionalLabels: Record<string, string> };
}

/** kedacore/keda */
export interface KedaValues {
  operator: { replicaCount: number };
  prometheus: { operator: { enabled: boolean; serviceMonitor: { enabled: boolean; additionalLabels: Record<string, string> } } };
  podIdentity: { aws: { irsa: { enabled: boolean; roleArn: string } } };
}

/** prometheus-community/kube-prometheus-stack */
/** prometheus-community/prometheus-operator-crds */
export interface PrometheusOperatorCrdsValues {
  crds: { annotations: Record<string, string> };
}

export interface KubePrometheusStackValues {
  fullnameOverride: string;
  crds: { enabled: boolean };
  kubeControllerManager: { enabled: boolean };
  kubeScheduler: { enabled: boolean };
  kubeEtcd: { enabled: boolean };
  prometheus: {
    prometheusSpec: {
      replicas: number;
      retention: string;
      externalLabels: Record<string, string>;
      serviceMonitorSelectorNilUsesHelmValues: boolean;
      serviceMonitorSelector: { matchLabels: Record<string, string> };
      ruleSelector: { matchLabels: Record<string, string> };
      arbitraryFSAccessThroughSMs: { deny: boolean };
      enforcedNamespaceLabel: string;
      excludedFromEnforcement: { group: string; resource: string; namespace: string; name?: string }[];
      storageSpec: {
        volumeClaimTemplate: { spec: { storageClassName?: string; accessModes: string[]; resources: { requests: { storage: string } } } };
      };
    };
  };
  alertmanager: {
    alertmanagerSpec: { replicas: number; alertmanagerConfigMatcherStrategy: { type: "OnNamespace" | "None" } };
    /** Alertmanager's configuration; the chart merges it over its defaults (route, receivers). */
    config: { inhibit_rules: { source_matchers?: string[]; target_matchers: string[]; equal?: string[] }[] };
  };
  grafana: {
    enabled: boolean;
    /** The admin login from an existing Secret (grafana chart `admin.existingSecret`), never the chart's default password. */
    admin: { existingSecret: string; userKey: string; passwordKey: string };
    /** `searchNamespace`: the namespaces whose labelled ConfigMaps become dashboards; "ALL" would let any tenant add one. */
    sidecar: { dashboards: { enabled: boolean; label: string; searchNamespace: string } };
  };
}

/** istio/base */
export interface IstioBaseValues {
  defaultRevision: string;
}

/** istio/istiod */
export interface IstiodValues {
  global: { meshID: string; multiCluster: { clusterName: string }; network: string };
  meshConfig: { accessLogFile: string; enableTracing: boolean };
  /** `cni.enabled`: injected pods get the istio-validation init container instead of the privileged istio-init. */
  pilot: { autoscaleMin: number; autoscaleMax: number; cni: { enabled: boolean } };
}

/** istio/cni: the node agent that sets up traffic redirection, so injected pods need no NET_ADMIN/NET_RAW. */
export interface IstioCniValues {
  /** EKS runs the VPC CNI: istio-cni chains onto it. */
  cni: { chained: boolean };
}

/** istio/gateway: an ingress gateway Deployment and its LoadBalancer Service. */
export interface IstioGatewayValues {
  /** Pod labels; Istio Gateways select the deployment by them. */
  labels: Record<string, string>;
  service: { type: "LoadBalancer"; annotations: Record<string, string> };
  autoscaling: { minReplicas: number; maxReplicas: number };
}

/** fairwinds-stable/vpa */
export interface VpaValues {
  recommender: { enabled: boolean; extraArgs: Record<string, string> };
  updater: { enabled: boolean };
  admissionController: { enabled: boolean };
}

/** eks/aws-load-balancer-controller */
export interface AwsLoadBalancerControllerValues {
  clusterName: string;
  region: string;
  /** Finds the VPC by tag instead of instance metadata (nodes allow one IMDS hop). */
  vpcTags: Record<string, string>;
  replicaCount: number;
  serviceAccount: ServiceAccountValues;
  /** The service mutator makes the controller the default for every new Service of type LoadBalancer. */
  enableServiceMutatorWebhook: boolean;
  /** cert-manager issues the webhook certificate instead of the chart's render-time genCA. */
  enableCertManager: boolean;
}

/** aws-ebs-csi-driver */
export interface AwsEbsCsiDriverValues {
  controller: { replicaCount: number; serviceAccount: ServiceAccountValues };
  /** The csi-snapshotter sidecar, which the chart deploys only when the snapshot API exists at render time (templates/controller.yaml). */
  sidecars: { snapshotter: { forceEnable: boolean } };
  /** StorageClasses the chart creates; exactly one of the fleet's classes is the default. */
  storageClasses: {
    name: string;
    annotations: Record<string, string>;
    volumeBindingMode: "WaitForFirstConsumer" | "Immediate";
    reclaimPolicy: "Retain" | "Delete";
    allowVolumeExpansion: boolean;
    parameters: Record<string, string>;
  }[];
}

/** aws-efs-csi-driver */
export interface AwsEfsCsiDriverValues {
  controller: { serviceAccount: ServiceAccountValues };
}

/** metrics-server (kubernetes-sigs) */
export interface MetricsServerValues {
  replicas: number;
}

/** prometheus-community/prometheus-adapter */
export interface PrometheusAdapterValues {
  prometheus: { url: string; port: number };
  replicas: number;
  /**
   * `default`: the chart's generic rules (they serve `<name>_total` as `<name>` and keep an
   * exporter's own pod labels); off: only `custom`, generated from generators/addons/metrics.ts.
   */
  rules: { default: boolean; custom: readonly AdapterRule[] };
}

/** argo/argo-cd: the settings the fleet's bootstrap depends on. */
export interface ArgoCdValues {
  crds: { keep: boolean };
  /** application-controller replicas (the chart sets ARGOCD_CONTROLLER_REPLICAS from it). */
  controller: { replicas: number };
  repoServer: { replicas: number };
  configs: {
    /** argocd-cm: health checks, ignoreDifferences defaults, resource exclusions. */
    cm: Record<string, string>;
    /** argocd-cmd-params-cm: controller, repo-server and ApplicationSet controller flags. */
    params: Record<string, string>;
    /** Repositories as Secrets the chart creates (OCI chart registries need registering). */
    repositories: Record<string, { name: string; type: "helm"; url: string; enableOCI: string }>;
  };
}

/** external-dns/external-dns (kubernetes-sigs) */
export interface ExternalDnsValues {
  provider: { name: "aws" };
  env: { name: string; value: string }[];
  domainFilters: string[];
  txtOwnerId: string;
  policy: "sync" | "upsert-only";
  sources: string[];
  serviceAccount: ServiceAccountValues;
  extraArgs: string[];
}

/** nvidia/gpu-operator */
export interface GpuOperatorValues {
  /** EKS GPU AMIs ship the driver and container toolkit; the operator runs the rest. */
  driver: { enabled: boolean };
  toolkit: { enabled: boolean };
  devicePlugin: { enabled: boolean };
  dcgmExporter: { enabled: boolean; serviceMonitor: { enabled: boolean; additionalLabels: Record<string, string> } };
  daemonsets: { tolerations: Toleration[] };
  nfd: { enabled: boolean };
}
