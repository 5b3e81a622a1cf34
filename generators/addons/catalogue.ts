/**
 * The add-on catalogue: every cluster add-on as typed data (chart, pinned version,
 * namespace, sync wave, where it is needed, its per-cluster Helm values, and the model of
 * what it provides: CRDs, controllers, webhooks). A source of truth beside the fleet: the
 * builders turn it into ApplicationSets (build/addons.ts), and the bootstrap check reads
 * its models (check/bootstrap/).
 */
import { stringify } from "yaml";
import { ANNOTATIONS, AWS_ACCOUNT_ID, BASE_DOMAIN, GPU_TAINT, ISTIO_INJECTION_LABEL, ISTIO_SYSTEM_NAMESPACE, LABELS, MESH_DEFAULTS, PLATFORM, PROMETHEUS_SELECTOR, WAVES } from "../fleet/constants.js";
import type { ClusterSpec, Fleet } from "../fleet/fleet.js";
import { envSpec, regionSpec } from "../fleet/fleet.js";
import type {
  AwsEbsCsiDriverValues,
  AwsEfsCsiDriverValues,
  AwsLoadBalancerControllerValues,
  CertManagerValues,
  ExternalDnsValues,
  ExternalSecretsValues,
  GpuOperatorValues,
  IngressNginxValues,
  IstioBaseValues,
  IstioCniValues,
  IstiodValues,
  IstioGatewayValues,
  KarpenterValues,
  KedaValues,
  KubePrometheusStackValues,
  MetricsServerValues,
  PrometheusAdapterValues,
  VpaValues,
} from "./values.js";
import { claim, deployment, loadBalancerService, NO_MODEL, serviceMonitor, type CrdGroup, type ModelObject, type PartModel, type RewrittenField } from "./provides.js";

const ISTIO_CHARTS = "https://istio-release.storage.googleapis.com/charts";
const ISTIO_VERSION = "1.28.0";
const LB_TYPE_ANNOTATION = ANNOTATIONS.awsLoadBalancerType;
const DEFAULT_CLASS_ANNOTATION = ANNOTATIONS.defaultStorageClass;
const DEFAULT_STORAGE_CLASS = PLATFORM.clusterDefaultStorageClass;
const KEDA_NAMESPACE = PLATFORM.kedaNamespace;
const PROMETHEUS_SERVICE = PLATFORM.prometheusService;

/** Istio's CRDs (istio manifests/charts/base/files/crd-all.gen.yaml). */
const ISTIO_CRDS: readonly CrdGroup[] = [
  { group: "networking.istio.io", kinds: ["DestinationRule", "EnvoyFilter", "Gateway", "ProxyConfig", "ServiceEntry", "Sidecar", "VirtualService", "WorkloadEntry", "WorkloadGroup"] },
  { group: "security.istio.io", kinds: ["AuthorizationPolicy", "PeerAuthentication", "RequestAuthentication"] },
  { group: "telemetry.istio.io", kinds: ["Telemetry"] },
  { group: "extensions.istio.io", kinds: ["WasmPlugin"] },
];

/** istiod patches its validating webhooks' failurePolicy from Ignore to Fail once it serves them. */
function istioValidatorRewrite(name: string): RewrittenField {
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

export interface Addon<V = unknown> {
  /** Add-on name: the ApplicationSet name is `addon-<name>`, each Application `<cluster>-<name>`. */
  name: string;
  /** Helm repository URL as Argo CD spells it (OCI registries without the oci:// scheme). */
  repoURL: string;
  chart: string;
  version: string;
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

const always = (): boolean => true;
const irsaArn = (cluster: ClusterSpec, addon: string): string => `arn:aws:iam::${AWS_ACCOUNT_ID}:role/${cluster.name}-${addon}`;
const irsa = (cluster: ClusterSpec, addon: string): Record<string, string> => ({ "eks.amazonaws.com/role-arn": irsaArn(cluster, addon) });
const replicas = (ctx: AddonContext, prod: number, other = 1): number => (ctx.production ? prod : other);

/** The typed catalog; `defineAddon` keeps each entry's values and model checked against its interface. */
function defineAddon<V>(addon: Addon<V>): Addon {
  return addon as unknown as Addon;
}

/** AWS Load Balancer Controller annotations: an NLB in IP mode, internet-facing. */
const NLB_ANNOTATIONS = {
  [LB_TYPE_ANNOTATION]: "external",
  "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
  "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
} as const;

/** A chart's ServiceMonitor when its values enable one. */
const monitors = (enabled: boolean | undefined, name: string, namespace: string): ModelObject[] => (enabled === true ? [serviceMonitor(name, namespace)] : []);

export const ADDONS: readonly Addon[] = [
  defineAddon<AwsLoadBalancerControllerValues>({
    name: "aws-load-balancer-controller",
    repoURL: "https://aws.github.io/eks-charts",
    chart: "aws-load-balancer-controller",
    version: "3.5.0",
    releaseName: "aws-load-balancer-controller",
    namespace: "aws-load-balancer-controller",
    wave: WAVES.addonCluster,
    serverSideApply: true,
    needs: always,
    values: (ctx) => ({
      clusterName: ctx.cluster.name,
      region: ctx.cluster.region,
      vpcTags: { [LABELS.karpenterDiscovery]: ctx.cluster.name },
      replicaCount: 2,
      serviceAccount: { annotations: irsa(ctx.cluster, "aws-load-balancer-controller") },
      enableServiceMutatorWebhook: true,
    }),
    // eks-charts stable/aws-load-balancer-controller: values.yaml (serviceMutatorWebhookConfig.failurePolicy Fail), templates/webhook.yaml.
    model: (v) => ({
      provides: {
        crds: [{ group: "elbv2.k8s.aws", kinds: ["TargetGroupBinding", "IngressClassParams"] }],
        loadBalancers: [{ types: ["external", "nlb-ip"], classes: ["service.k8s.aws/nlb"] }],
        ingressClasses: [{ name: "alb", default: false }],
        webhooks: [
          ...(v.enableServiceMutatorWebhook !== false
            ? [{ name: "aws-load-balancer-webhook", type: "mutating" as const, failurePolicy: "Fail" as const, rules: [{ group: "", kind: "Service" }], loadBalancerServicesOnly: true }]
            : []),
          { name: "aws-load-balancer-webhook", type: "validating", failurePolicy: "Fail", rules: [{ group: "elbv2.k8s.aws", kind: "TargetGroupBinding" }, { group: "networking.k8s.io", kind: "IngressClass" }] },
        ],
      },
      objects: [],
    }),
  }),
  defineAddon<AwsEbsCsiDriverValues>({
    name: "aws-ebs-csi-driver",
    repoURL: "https://kubernetes-sigs.github.io/aws-ebs-csi-driver",
    chart: "aws-ebs-csi-driver",
    version: "2.64.0",
    releaseName: "aws-ebs-csi-driver",
    namespace: "kube-system",
    wave: WAVES.addonCluster,
    serverSideApply: true,
    needs: always,
    values: (ctx) => ({
      controller: { replicaCount: 2, serviceAccount: { annotations: irsa(ctx.cluster, "aws-ebs-csi-driver") } },
      // EKS >= 1.30 marks no class default; claims without a class (Prometheus') get this one.
      storageClasses: [
        {
          name: DEFAULT_STORAGE_CLASS,
          annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" },
          volumeBindingMode: "WaitForFirstConsumer",
          reclaimPolicy: "Retain",
          allowVolumeExpansion: true,
          parameters: { type: "gp3", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4" },
        },
      ],
    }),
    model: (v) => ({
      provides: {
        csiDrivers: ["ebs.csi.aws.com"],
        storageClasses: (v.storageClasses ?? []).map((c) => ({ name: c.name, provisioner: "ebs.csi.aws.com", default: c.annotations?.[DEFAULT_CLASS_ANNOTATION] === "true" })),
      },
      objects: [],
    }),
  }),
  defineAddon<AwsEfsCsiDriverValues>({
    name: "aws-efs-csi-driver",
    repoURL: "https://kubernetes-sigs.github.io/aws-efs-csi-driver",
    chart: "aws-efs-csi-driver",
    version: "4.4.1",
    releaseName: "aws-efs-csi-driver",
    namespace: "kube-system",
    wave: WAVES.addonCluster,
    serverSideApply: true,
    needs: always,
    values: (ctx) => ({ controller: { serviceAccount: { annotations: irsa(ctx.cluster, "aws-efs-csi-driver") } } }),
    model: () => ({ provides: { csiDrivers: ["efs.csi.aws.com"] }, objects: [] }),
  }),
  defineAddon<MetricsServerValues>({
    name: "metrics-server",
    repoURL: "https://kubernetes-sigs.github.io/metrics-server",
    chart: "metrics-server",
    version: "3.13.1",
    releaseName: "metrics-server",
    namespace: "kube-system",
    wave: WAVES.addonCluster,
    serverSideApply: false,
    needs: always,
    values: (ctx) => ({ replicas: replicas(ctx, 2) }),
    // Serves the resource metrics API HPAs read for Resource and ContainerResource metrics.
    model: () => ({ provides: { metricsApis: ["metrics.k8s.io"] }, objects: [] }),
  }),
  defineAddon<IstioBaseValues>({
    name: "istio-base",
    repoURL: ISTIO_CHARTS,
    chart: "base",
    version: ISTIO_VERSION,
    releaseName: "istio-base",
    namespace: ISTIO_SYSTEM_NAMESPACE,
    wave: WAVES.addonCluster,
    serverSideApply: true,
    needs: always,
    values: () => ({ defaultRevision: "default" }),
    // istio manifests/charts/base: the CRDs, and the default-revision validator istiod flips to Fail once ready.
    model: () => ({ provides: { crds: ISTIO_CRDS }, objects: [], rewrites: [istioValidatorRewrite("istiod-default-validator")] }),
  }),
  defineAddon<IstioCniValues>({
    name: "istio-cni",
    repoURL: ISTIO_CHARTS,
    chart: "cni",
    version: ISTIO_VERSION,
    releaseName: "istio-cni",
    // A node agent: kube-system, where node-critical DaemonSets live (Istio's sidecar-mode CNI install).
    namespace: "kube-system",
    wave: WAVES.addonCluster,
    serverSideApply: false,
    needs: always,
    values: () => ({ cni: { chained: true } }),
    model: () => ({ provides: { istioCni: true }, objects: [] }),
  }),
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
              // No storageClassName: the default class, which the EBS CSI driver's add-on creates a wave earlier.
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
    model: (v) => ({
      provides: {
        crds: [
          { group: "monitoring.coreos.com", kinds: ["Alertmanager", "AlertmanagerConfig", "PodMonitor", "Probe", "Prometheus", "PrometheusAgent", "PrometheusRule", "ScrapeConfig", "ServiceMonitor", "ThanosRuler"] },
        ],
        services: [{ name: PROMETHEUS_SERVICE, namespace: PLATFORM.monitoringNamespace }],
      },
      // The operator creates the Prometheus StatefulSet's claims from the volumeClaimTemplate.
      objects: [claim("prometheus-kube-prometheus-stack-prometheus-db", PLATFORM.monitoringNamespace, v.prometheus?.prometheusSpec?.storageSpec?.volumeClaimTemplate?.spec?.storageClassName)],
    }),
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
    model: (v) => ({
      provides: {
        crds: [
          { group: "cert-manager.io", kinds: ["Certificate", "CertificateRequest", "ClusterIssuer", "Issuer"] },
          { group: "acme.cert-manager.io", kinds: ["Challenge", "Order"] },
        ],
        webhooks: [{ name: "cert-manager-webhook", type: "validating", failurePolicy: "Fail", rules: [{ group: "cert-manager.io", kind: "*" }, { group: "acme.cert-manager.io", kind: "*" }] }],
      },
      objects: monitors(v.prometheus?.servicemonitor?.enabled, "cert-manager", "cert-manager"),
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
    model: (v) => ({
      provides: {
        crds: [
          { group: "external-secrets.io", kinds: ["ClusterExternalSecret", "ClusterPushSecret", "ClusterSecretStore", "ExternalSecret", "PushSecret", "SecretStore"] },
          { group: "generators.external-secrets.io", kinds: ["ClusterGenerator", "ECRAuthorizationToken", "Password", "STSSessionToken"] },
        ],
        webhooks: [
          { name: "externalsecret-validate", type: "validating", failurePolicy: "Fail", rules: [{ group: "external-secrets.io", kind: "ExternalSecret" }] },
          { name: "secretstore-validate", type: "validating", failurePolicy: "Fail", rules: [{ group: "external-secrets.io", kind: "SecretStore" }, { group: "external-secrets.io", kind: "ClusterSecretStore" }] },
        ],
      },
      objects: monitors(v.serviceMonitor?.enabled, "external-secrets", "external-secrets"),
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
    model: (v) => ({
      provides: {
        crds: [
          { group: "karpenter.sh", kinds: ["NodeClaim", "NodePool"] },
          { group: "karpenter.k8s.aws", kinds: ["EC2NodeClass"] },
        ],
      },
      objects: monitors(v.serviceMonitor?.enabled, "karpenter", "karpenter"),
    }),
  }),
  defineAddon<KedaValues>({
    name: "keda",
    repoURL: "https://kedacore.github.io/charts",
    chart: "keda",
    version: "2.18.1",
    releaseName: "keda",
    namespace: KEDA_NAMESPACE,
    // The metrics server's RoleBinding to extension-apiserver-authentication-reader is in kube-system.
    extraNamespaces: ["kube-system"],
    wave: WAVES.addons,
    serverSideApply: true,
    needs: always,
    values: (ctx) => ({
      operator: { replicaCount: replicas(ctx, 2) },
      prometheus: { operator: { enabled: true, serviceMonitor: { enabled: true, additionalLabels: { ...PROMETHEUS_SELECTOR } } } },
      podIdentity: { aws: { irsa: { enabled: true, roleArn: irsaArn(ctx.cluster, "keda") } } },
    }),
    model: (v) => ({
      provides: {
        crds: [
          { group: "keda.sh", kinds: ["ClusterTriggerAuthentication", "ScaledJob", "ScaledObject", "TriggerAuthentication"] },
          { group: "eventing.keda.sh", kinds: ["CloudEventSource", "ClusterCloudEventSource"] },
        ],
        webhooks: [{ name: "keda-admission", type: "validating", failurePolicy: "Ignore", rules: [{ group: "keda.sh", kind: "ScaledObject" }, { group: "keda.sh", kind: "TriggerAuthentication" }] }],
        metricsApis: ["external.metrics.k8s.io"],
        // Scalers run in the operator: a trigger's address resolves from this namespace (kedacore/keda#978).
        scalerNamespace: KEDA_NAMESPACE,
      },
      objects: monitors(v.prometheus?.operator?.serviceMonitor?.enabled, "keda-operator", KEDA_NAMESPACE),
    }),
  }),
  defineAddon<PrometheusAdapterValues>({
    name: "prometheus-adapter",
    repoURL: "https://prometheus-community.github.io/helm-charts",
    chart: "prometheus-adapter",
    version: "5.3.0",
    releaseName: "prometheus-adapter",
    namespace: PLATFORM.monitoringNamespace,
    wave: WAVES.addons,
    serverSideApply: false,
    needs: always,
    values: (ctx) => ({
      prometheus: { url: `http://${PROMETHEUS_SERVICE}.${PLATFORM.monitoringNamespace}.svc`, port: 9090 },
      replicas: replicas(ctx, 2),
      rules: { default: true },
    }),
    // Serves custom.metrics.k8s.io: HPA Pods and Object metrics (http_requests_per_second from http_requests_total).
    model: (v) => ({
      provides: { metricsApis: v.rules?.default === true ? ["custom.metrics.k8s.io"] : [] },
      objects: [],
    }),
  }),
  defineAddon<IstiodValues>({
    name: "istiod",
    repoURL: ISTIO_CHARTS,
    chart: "istiod",
    version: ISTIO_VERSION,
    releaseName: "istiod",
    namespace: ISTIO_SYSTEM_NAMESPACE,
    wave: WAVES.addons,
    serverSideApply: false,
    needs: always,
    values: (ctx) => ({
      global: { meshID: `mesh-${ctx.cluster.env}`, multiCluster: { clusterName: ctx.cluster.name }, network: `${ctx.cluster.name}-network` },
      meshConfig: { accessLogFile: ctx.production ? "" : "/dev/stdout", enableTracing: !ctx.production },
      // Injected pods in "restricted" namespaces cannot run istio-init (NET_ADMIN, NET_RAW): the CNI node agent redirects instead.
      pilot: { autoscaleMin: replicas(ctx, 2), autoscaleMax: replicas(ctx, 5, 2), cni: { enabled: true } },
    }),
    // istio manifests/charts/istio-control/istio-discovery: templates/mutatingwebhook.yaml (namespace and object selectors),
    // templates/validatingwebhookconfiguration.yaml (failurePolicy Ignore until istiod patches it to Fail, istio/istio#57643).
    model: (v) => ({
      provides: {
        sidecarInjection: { cni: v.pilot?.cni?.enabled === true },
        webhooks: [
          {
            name: "istio-sidecar-injector",
            type: "mutating",
            failurePolicy: "Fail",
            rules: [{ group: "", kind: "Pod" }],
            namespaceLabels: [{ [ISTIO_INJECTION_LABEL]: "enabled" }],
            podLabels: [{ [LABELS.istioInject]: "true" }],
          },
          { name: "istio-validator-istio-system", type: "validating", failurePolicy: "Fail", rules: ISTIO_CRDS.map((g) => ({ group: g.group, kind: "*" })) },
        ],
      },
      objects: [],
      requiresCrds: [{ group: "networking.istio.io", kind: "VirtualService" }, { group: "security.istio.io", kind: "PeerAuthentication" }],
      rewrites: [istioValidatorRewrite("istio-validator-istio-system")],
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
      recommender: { enabled: true, extraArgs: { "prometheus-address": `http://${PROMETHEUS_SERVICE}.${PLATFORM.monitoringNamespace}.svc:9090`, storage: "prometheus" } },
      // Tenants' VPAs run in recommendation mode; the updater only evicts outside prod.
      updater: { enabled: !ctx.production },
      admissionController: { enabled: true },
    }),
    model: () => ({ provides: { crds: [{ group: "autoscaling.k8s.io", kinds: ["VerticalPodAutoscaler", "VerticalPodAutoscalerCheckpoint"] }] }, objects: [] }),
  }),
  defineAddon<IngressNginxValues>({
    name: "ingress-nginx",
    repoURL: "https://kubernetes.github.io/ingress-nginx",
    chart: "ingress-nginx",
    version: "4.14.0",
    releaseName: "ingress-nginx",
    namespace: PLATFORM.ingressNamespace,
    // Meshed: the controller gets a sidecar, hence a mesh identity STRICT tenants' AuthorizationPolicies can admit.
    namespaceLabels: { [ISTIO_INJECTION_LABEL]: "enabled" },
    wave: WAVES.addonEdge,
    serverSideApply: false,
    needs: always,
    values: (ctx) => ({
      controller: {
        replicaCount: replicas(ctx, 3, 2),
        ingressClassResource: { name: PLATFORM.ingressClass, default: true },
        ingressClass: PLATFORM.ingressClass,
        service: { annotations: { ...NLB_ANNOTATIONS } },
        metrics: { enabled: true, serviceMonitor: { enabled: true, additionalLabels: { ...PROMETHEUS_SELECTOR } } },
        config: { "use-proxy-protocol": "false", "enable-real-ip": "true" },
        // Istio's ingress-nginx integration: the sidecar handles only outbound calls (mTLS to the
        // upstream Service); traffic from the NLB reaches nginx directly.
        podAnnotations: { "traffic.sidecar.istio.io/includeInboundPorts": "", "traffic.sidecar.istio.io/excludeInboundPorts": "80,443,8443" },
        // The certgen Jobs must complete: no sidecar for them.
        admissionWebhooks: { patch: { labels: { [LABELS.istioInject]: "false" } } },
      },
    }),
    // kubernetes/ingress-nginx charts/ingress-nginx: controller-ingressclass.yaml, admission-webhooks/validating-webhook.yaml (failurePolicy Fail).
    model: (v) => {
      const ns = PLATFORM.ingressNamespace;
      const c = v.controller;
      return {
        provides: {
          ingressClasses: [{ name: c?.ingressClassResource?.name ?? PLATFORM.ingressClass, default: c?.ingressClassResource?.default === true }],
          // Meshed through its namespace's istio-injection label (namespaceLabels), which the bootstrap pass reads from the Application.
          webhooks: [{ name: "ingress-nginx-admission", type: "validating", failurePolicy: "Fail", rules: [{ group: "networking.k8s.io", kind: "Ingress" }] }],
        },
        objects: [
          loadBalancerService("ingress-nginx-controller", ns, c?.service?.annotations ?? {}),
          deployment("ingress-nginx-controller", ns),
          ...monitors(c?.metrics?.serviceMonitor?.enabled, "ingress-nginx-controller", ns),
        ],
      };
    },
  }),
  defineAddon<IstioGatewayValues>({
    name: "istio-ingressgateway",
    repoURL: ISTIO_CHARTS,
    chart: "gateway",
    version: ISTIO_VERSION,
    // The chart labels its pods `istio: <release name without "istio-">` and names the ServiceAccount after the release.
    releaseName: MESH_DEFAULTS.gatewayServiceAccount,
    namespace: MESH_DEFAULTS.gatewayNamespace,
    wave: WAVES.addonEdge,
    serverSideApply: false,
    // Every cluster runs mlcf, whose gateway routes (traffic.gateway) select this workload.
    needs: always,
    values: (ctx) => ({
      labels: { ...MESH_DEFAULTS.gatewaySelector },
      service: { type: "LoadBalancer", annotations: { ...NLB_ANNOTATIONS } },
      autoscaling: { minReplicas: replicas(ctx, 3, 1), maxReplicas: replicas(ctx, 10, 2) },
    }),
    // istio manifests/charts/gateway: the Deployment carries `sidecar.istio.io/inject: "true"` and the gateway injection template.
    model: (v) => {
      const ns = MESH_DEFAULTS.gatewayNamespace;
      const labels = { app: MESH_DEFAULTS.gatewayServiceAccount, istio: "ingressgateway", ...(v.labels ?? {}) };
      return {
        provides: { gatewayWorkloads: [{ namespace: ns, labels, serviceAccount: MESH_DEFAULTS.gatewayServiceAccount }], meshedNamespaces: [ns] },
        objects: [loadBalancerService(MESH_DEFAULTS.gatewayServiceAccount, ns, v.service?.annotations ?? {}), deployment(MESH_DEFAULTS.gatewayServiceAccount, ns, { ...labels, [LABELS.istioInject]: "true" })],
      };
    },
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
      // istio-gateway: the Istio Gateways' hosts are published too.
      sources: ["ingress", "service", "istio-gateway"],
      serviceAccount: { annotations: irsa(ctx.cluster, "external-dns") },
      extraArgs: ["--aws-zone-type=public", "--aws-prefer-cname"],
    }),
    model: () => NO_MODEL,
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
    model: (v) => ({
      provides: {
        crds: [
          { group: "nvidia.com", kinds: ["ClusterPolicy", "NVIDIADriver"] },
          { group: "nfd.k8s-sigs.io", kinds: ["NodeFeature", "NodeFeatureGroup", "NodeFeatureRule"] },
        ],
      },
      objects: monitors(v.dcgmExporter?.serviceMonitor?.enabled, "nvidia-dcgm-exporter", "gpu-operator"),
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
  { group: "elbv2.k8s.aws", kind: "IngressClassParams" },
  { group: "storage.k8s.io", kind: "StorageClass" },
  { group: "storage.k8s.io", kind: "CSIDriver" },
  { group: "node.k8s.io", kind: "RuntimeClass" },
  { group: "nvidia.com", kind: "ClusterPolicy" },
  { group: "nfd.k8s-sigs.io", kind: "NodeFeatureRule" },
];

