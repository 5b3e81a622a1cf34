/**
 * The pods and Services a tenant connects to or is called by that no cluster folder renders:
 * the add-ons' (installed by Helm from apps/) and EKS's own. Namespaces come from the fleet
 * constants and the add-on catalogue; pod labels, ports and ServiceAccounts are the charts'
 * defaults, cited per entry. Mesh membership follows the namespace labels the catalogue
 * gives each add-on's namespace (istio-injection), exactly as for tenant pods.
 */
import { ADDONS } from "../../addons/catalogue.js";
import { cloudnativePg } from "../../addons/catalogue/cloudnative-pg.js";
import { CNPG, ISTIO_SYSTEM_NAMESPACE, MESH_DEFAULTS, PLATFORM, PLATFORM_SERVICES as SERVICE_HANDLES } from "../../fleet/constants.js";
import type { ClusterSpec } from "../../fleet/fleet.js";
import { parseCidr, type Cidr } from "./ip.js";
import type { PodPort, Protocol } from "./netpol.js";

/** The namespace label the API server sets on every namespace (kubernetes 1.21+, NamespaceDefaultLabelName). */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
export const KUBE_SYSTEM = "kube-system";
export const DEFAULT_NAMESPACE = "default";

export type PlatformRole =
  | "prometheus"
  | "alertmanager"
  | "grafana"
  | "keda-operator"
  | "mesh-gateway"
  | "dns"
  | "otlp-collector"
  | "cnpg-operator";

/** The OpenTelemetry Collector add-on (addons/catalogue/otel-collector.ts): the Service tenants dial is its fullnameOverride. */
const OTLP = SERVICE_HANDLES.otlp;

export interface PlatformPod {
  role: PlatformRole;
  /** How findings name it. */
  display: string;
  namespace: string;
  labels: Record<string, string>;
  serviceAccount: string;
  ports: PodPort[];
  /** A gateway proxy is its own sidecar: it always speaks mTLS with its identity. */
  alwaysMeshed?: boolean;
}

export interface PlatformService {
  namespace: string;
  name: string;
  selector: Record<string, string>;
  ports: { name: string; port: number; targetPort: number; protocol: Protocol }[];
}

/** kube-prometheus-stack's release name, and the names its chart derives from it. */
const KUBE_PROMETHEUS_STACK = "kube-prometheus-stack";
const ALERTMANAGER = `${KUBE_PROMETHEUS_STACK}-alertmanager`;
const GRAFANA = `${KUBE_PROMETHEUS_STACK}-grafana`;

const dnsPorts: PodPort[] = [
  { name: "dns", port: 53, protocol: "UDP" },
  { name: "dns-tcp", port: 53, protocol: "TCP" },
];

export const PLATFORM_PODS: readonly PlatformPod[] = [
  // prometheus-community/helm-charts kube-prometheus-stack: the operator labels Prometheus pods
  // app.kubernetes.io/name=prometheus and prometheus=<name>; templates/prometheus/serviceaccount.yaml.
  {
    role: "prometheus",
    display: "Prometheus",
    namespace: PLATFORM.monitoringNamespace,
    labels: { "app.kubernetes.io/name": "prometheus", prometheus: PLATFORM.prometheusService },
    serviceAccount: PLATFORM.prometheusService,
    ports: [{ name: "http-web", port: 9090, protocol: "TCP" }],
  },
  // The operator labels Alertmanager pods app.kubernetes.io/name=alertmanager and alertmanager=<name>.
  {
    role: "alertmanager",
    display: "Alertmanager",
    namespace: PLATFORM.monitoringNamespace,
    labels: { "app.kubernetes.io/name": "alertmanager", alertmanager: ALERTMANAGER },
    serviceAccount: ALERTMANAGER,
    ports: [{ name: "http-web", port: 9093, protocol: "TCP" }],
  },
  // grafana/helm-charts grafana templates/_helpers.tpl (selectorLabels), container port 3000 "grafana".
  {
    role: "grafana",
    display: "Grafana",
    namespace: PLATFORM.monitoringNamespace,
    labels: { "app.kubernetes.io/name": "grafana", "app.kubernetes.io/instance": KUBE_PROMETHEUS_STACK },
    serviceAccount: GRAFANA,
    ports: [{ name: "grafana", port: 3000, protocol: "TCP" }],
  },
  // kedacore/charts keda templates/manager/deployment.yaml: app=keda-operator, ServiceAccount keda-operator.
  {
    role: "keda-operator",
    display: "KEDA operator",
    namespace: PLATFORM.kedaNamespace,
    labels: { app: "keda-operator", "app.kubernetes.io/name": "keda-operator" },
    serviceAccount: "keda-operator",
    ports: [],
  },
  // istio manifests/charts/gateway: pods carry the Gateway selector labels; the release's ServiceAccount.
  {
    role: "mesh-gateway",
    display: "Istio ingress gateway",
    namespace: MESH_DEFAULTS.gatewayNamespace,
    labels: { ...MESH_DEFAULTS.gatewaySelector, app: MESH_DEFAULTS.gatewayServiceAccount },
    serviceAccount: MESH_DEFAULTS.gatewayServiceAccount,
    ports: [],
    alwaysMeshed: true,
  },
  // open-telemetry/opentelemetry-helm-charts opentelemetry-collector: pods labelled app.kubernetes.io/name=opentelemetry-collector;
  // the ServiceAccount and Service take the fullnameOverride.
  {
    role: "otlp-collector",
    display: "OpenTelemetry Collector",
    namespace: OTLP.namespace,
    labels: { ...OTLP.pods },
    serviceAccount: OTLP.service,
    ports: [{ name: "otlp", port: OTLP.port, protocol: "TCP" }],
  },
  // cloudnative-pg/charts charts/cloudnative-pg templates/_helpers.tpl: selector labels name + instance; the
  // ServiceAccount is the fullname `<release>-<chart>` (the release name does not contain the chart's).
  {
    role: "cnpg-operator",
    display: "CloudNativePG operator",
    namespace: CNPG.namespace,
    labels: { "app.kubernetes.io/name": cloudnativePg.chart, "app.kubernetes.io/instance": cloudnativePg.releaseName },
    serviceAccount: `${cloudnativePg.releaseName}-${cloudnativePg.chart}`,
    ports: [],
  },
  // EKS CoreDNS add-on: Deployment coredns, labels k8s-app=kube-dns, Service kube-dns.
  {
    role: "dns",
    display: "CoreDNS",
    namespace: KUBE_SYSTEM,
    labels: { "k8s-app": "kube-dns" },
    serviceAccount: "coredns",
    ports: dnsPorts,
  },
];

export const PLATFORM_SERVICES: readonly PlatformService[] = [
  {
    namespace: KUBE_SYSTEM,
    name: "kube-dns",
    selector: { "k8s-app": "kube-dns" },
    ports: [
      { name: "dns", port: 53, targetPort: 53, protocol: "UDP" },
      { name: "dns-tcp", port: 53, targetPort: 53, protocol: "TCP" },
    ],
  },
  {
    namespace: OTLP.namespace,
    name: OTLP.service,
    selector: { ...OTLP.pods },
    ports: [{ name: "otlp", port: OTLP.port, targetPort: OTLP.port, protocol: "TCP" }],
  },
  {
    namespace: PLATFORM.monitoringNamespace,
    name: PLATFORM.prometheusService,
    selector: { "app.kubernetes.io/name": "prometheus", prometheus: PLATFORM.prometheusService },
    ports: [{ name: "http-web", port: 9090, targetPort: 9090, protocol: "TCP" }],
  },
];

/** The API server as pods reach it: the `kubernetes` Service in `default` (no selector, endpoints on the control plane). */
// kube-prometheus-stack templates/alertmanager/service.yaml and the grafana subchart's service.yaml.
const ALERTMANAGER_SERVICE: PlatformService = {
  namespace: PLATFORM.monitoringNamespace,
  name: ALERTMANAGER,
  selector: { "app.kubernetes.io/name": "alertmanager", alertmanager: ALERTMANAGER },
  ports: [{ name: "http-web", port: 9093, targetPort: 9093, protocol: "TCP" }],
};
const GRAFANA_SERVICE: PlatformService = {
  namespace: PLATFORM.monitoringNamespace,
  name: GRAFANA,
  selector: { "app.kubernetes.io/name": "grafana", "app.kubernetes.io/instance": KUBE_PROMETHEUS_STACK },
  ports: [{ name: "http-web", port: 80, targetPort: 3000, protocol: "TCP" }],
};
export const MONITORING_SERVICES: readonly PlatformService[] = [ALERTMANAGER_SERVICE, GRAFANA_SERVICE];

export const API_SERVER = { namespace: DEFAULT_NAMESPACE, name: "kubernetes", port: 443 } as const;

/**
 * Where a Service ClusterIP lies: EKS takes the service range from 10.100.0.0/16 or
 * 172.20.0.0/16 when the cluster does not set one (EKS user guide, "Cluster creation",
 * kubernetesNetworkConfig.serviceIpv4Cidr), so a rule must cover both.
 */
export const SERVICE_RANGES: readonly Cidr[] = ["10.100.0.0/16", "172.20.0.0/16"].flatMap((c) => parseCidr(c) ?? []);
/** The `kubernetes` Service's ClusterIP: the first address of the service range. */
export const API_SERVER_ADDRESSES: readonly Cidr[] = ["10.100.0.1", "172.20.0.1"].flatMap((c) => parseCidr(c) ?? []);

/** RFC 1918: where a VPC's pod addresses lie when the fleet does not record the VPC range. */
const PRIVATE_RANGES: readonly Cidr[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].flatMap((c) => parseCidr(c) ?? []);

/**
 * Where a pod's IP lies: the VPC CNI gives pods addresses of the cluster's VPC. When the
 * fleet records the VPC range (`vpcCidr` on the cluster) it is that range; otherwise any
 * private range, so only an ipBlock covering all of RFC 1918 is known to cover a pod.
 */
export function podAddresses(spec: ClusterSpec | undefined): readonly Cidr[] {
  const recorded = spec && "vpcCidr" in spec ? (spec as { vpcCidr?: unknown }).vpcCidr : undefined;
  const vpc = typeof recorded === "string" ? parseCidr(recorded) : undefined;
  return vpc ? [vpc] : PRIVATE_RANGES;
}

/** Labels of the namespaces the add-ons live in (Argo CD creates them with the catalogue's namespaceLabels). */
export function platformNamespaceLabels(): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  const add = (ns: string, labels: Readonly<Record<string, string>> = {}): void => {
    out.set(ns, { ...(out.get(ns) ?? {}), ...labels, [NAMESPACE_NAME_LABEL]: ns });
  };
  for (const ns of [KUBE_SYSTEM, DEFAULT_NAMESPACE, ISTIO_SYSTEM_NAMESPACE]) add(ns);
  for (const a of ADDONS) add(a.namespace, a.namespaceLabels);
  return out;
}
