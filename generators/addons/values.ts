/**
 * Typed Helm values for the cluster add-ons: only the keys we set, spelled as each
 * chart's values.yaml spells them. A typo in a key is a compile error here instead of
 * a silently ignored value in the cluster.
 */

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
      storageSpec: { volumeClaimTemplate: { spec: { storageClassName?: string; accessModes: string[]; resources: { requests: { storage: string } } } } };
    };
  };
  alertmanager: { alertmanagerSpec: { replicas: number } };
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
  pilot: { autoscaleMin: number; autoscaleMax: number };
}

/** fairwinds-stable/vpa */
export interface VpaValues {
  recommender: { enabled: boolean; extraArgs: Record<string, string> };
  updater: { enabled: boolean };
  admissionController: { enabled: boolean };
}

/** ingress-nginx/ingress-nginx */
export interface IngressNginxValues {
  controller: {
    replicaCount: number;
    ingressClassResource: { name: string; default: boolean };
    ingressClass: string;
    service: { annotations: Record<string, string> };
    metrics: { enabled: boolean; serviceMonitor: { enabled: boolean; additionalLabels: Record<string, string> } };
    config: Record<string, string>;
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
