/**
 * One rendered cluster as the connectivity check sees it: workloads (every pod template, and
 * the platform's pods that no folder renders), Services, namespaces with the labels the API
 * server gives them, and the NetworkPolicies, PeerAuthentications and AuthorizationPolicies.
 */
import { ANNOTATIONS } from "../../fleet/constants.js";
import { LABELS } from "../../fleet/constants.js";
import type { ClusterContext, Located } from "../policy/types.js";
import {
  containersOf,
  idOf,
  kindOf,
  labelsOf,
  namespaceOf,
  nameOf,
  obj,
  objs,
  podTemplates,
  str,
  strMap,
  type PodTemplate,
} from "../policy/util.js";
import type { Cidr } from "./ip.js";
import { injected, type IstioObject } from "./istio.js";
import { operatorObjects } from "./operators.js";
import { protocolOf, type NetworkPolicy, type NetPod, type PodPort, type Protocol } from "./netpol.js";
import {
  NAMESPACE_NAME_LABEL,
  PLATFORM_PODS,
  PLATFORM_SERVICES,
  MONITORING_SERVICES,
  SERVICE_RANGES,
  platformNamespaceLabels,
  podAddresses,
  type PlatformRole,
} from "./platform.js";

export interface Workload extends NetPod {
  /** kind/namespace/name of the rendered object, or `platform/<role>` for a platform pod. */
  id: string;
  display: string;
  tenant: string;
  serviceAccount: string;
  meshed: boolean;
  /** Inbound ports the sidecar leaves alone (traffic.sidecar.istio.io/include/excludeInboundPorts). */
  uncaptured: (port: number) => boolean;
  template?: PodTemplate | undefined;
  loc?: Located | undefined;
  role?: PlatformRole | undefined;
}

export interface ServicePort {
  name: string;
  port: number;
  targetPort: number | string;
  protocol: Protocol;
  appProtocol?: string | undefined;
}

export interface Service {
  namespace: string;
  name: string;
  selector: Record<string, string>;
  headless: boolean;
  ports: ServicePort[];
  addresses: readonly Cidr[];
  loc?: Located | undefined;
}

export interface ClusterModel {
  name: string;
  namespaces: Map<string, Record<string, string>>;
  workloads: Workload[];
  services: Service[];
  policies: NetworkPolicy[];
  peerAuthentications: IstioObject[];
  authorizationPolicies: IstioObject[];
  objects: readonly Located[];
}

const INCLUDE_INBOUND = ANNOTATIONS.istioIncludeInboundPorts;
const EXCLUDE_INBOUND = ANNOTATIONS.istioExcludeInboundPorts;

function portList(v: string): number[] {
  return v
    .split(",")
    .map((p) => Number(p.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
}

/** istio tools/istio-iptables: includeInboundPorts "" captures nothing, "*" everything; excludes win. */
export function uncapturedBy(annotations: Readonly<Record<string, string>>): (port: number) => boolean {
  const include = annotations[INCLUDE_INBOUND];
  const exclude = portList(annotations[EXCLUDE_INBOUND] ?? "");
  return (port) => {
    if (exclude.includes(port)) return true;
    if (include === undefined || include.trim() === "*") return false;
    return !portList(include).includes(port);
  };
}

function templateAnnotations(t: PodTemplate): Record<string, string> {
  const o = t.loc.obj;
  const spec = obj(o.spec);
  switch (kindOf(o)) {
    case "Pod":
      return strMap(obj(o.metadata).annotations);
    case "CronJob":
      return strMap(obj(obj(obj(obj(spec.jobTemplate).spec).template).metadata).annotations);
    default:
      return strMap(obj(obj(spec.template).metadata).annotations);
  }
}

function containerPorts(t: PodTemplate): PodPort[] {
  return containersOf(t).flatMap((c) =>
    objs(c.c.ports).flatMap((p) =>
      typeof p.containerPort === "number" ? [{ name: str(p.name), port: p.containerPort, protocol: protocolOf(p.protocol) }] : [],
    ),
  );
}

/** The ServiceAccount a pod runs as. */
export function serviceAccountOf(t: PodTemplate): string {
  return str(t.spec.serviceAccountName) ?? str(t.spec.serviceAccount) ?? "default";
}

function namespacesOf(objects: readonly Located[]): Map<string, Record<string, string>> {
  const out = platformNamespaceLabels();
  for (const l of objects)
    if (kindOf(l.obj) === "Namespace") out.set(nameOf(l.obj), { ...labelsOf(l.obj), [NAMESPACE_NAME_LABEL]: nameOf(l.obj) });
  return out;
}

/** Builds the model of one rendered cluster. */
export function clusterModel(ctx: ClusterContext): ClusterModel {
  const namespaces = namespacesOf(ctx.objects);
  const nsLabels = (ns: string): Record<string, string> => namespaces.get(ns) ?? { [NAMESPACE_NAME_LABEL]: ns };
  const addresses = podAddresses(ctx.spec);
  // What operators create after admission joins what the folders render (operators.ts).
  const created = operatorObjects(ctx.objects);
  const all = [...ctx.objects, ...created];
  const workloads: Workload[] = podTemplates(all).map((t) => {
    const ann = templateAnnotations(t);
    const podInject = t.labels[LABELS.istioInject] ?? ann[LABELS.istioInject];
    return {
      id: idOf(t.loc.obj),
      display: `${t.namespace}/${nameOf(t.loc.obj)}`,
      tenant: t.loc.tenant,
      namespace: t.namespace,
      labels: t.labels,
      namespaceLabels: nsLabels(t.namespace),
      ports: containerPorts(t),
      addresses,
      serviceAccount: serviceAccountOf(t),
      meshed: injected(nsLabels(t.namespace), podInject !== undefined ? { [LABELS.istioInject]: podInject } : {}),
      uncaptured: uncapturedBy(ann),
      template: t,
      loc: t.loc,
    };
  });
  for (const p of PLATFORM_PODS) {
    const labels = nsLabels(p.namespace);
    workloads.push({
      id: `platform/${p.role}`,
      display: `${p.display} (${p.namespace})`,
      tenant: "",
      namespace: p.namespace,
      labels: p.labels,
      namespaceLabels: labels,
      ports: p.ports,
      addresses,
      serviceAccount: p.serviceAccount,
      meshed: p.alwaysMeshed === true || injected(labels, {}),
      uncaptured: () => false,
      role: p.role,
    });
  }
  const services: Service[] = all
    .filter((l) => kindOf(l.obj) === "Service")
    .map((l) => {
      const spec = obj(l.obj.spec);
      return {
        namespace: namespaceOf(l.obj),
        name: nameOf(l.obj),
        selector: strMap(spec.selector),
        headless: str(spec.clusterIP) === "None",
        ports: objs(spec.ports).map((p) => ({
          name: str(p.name) ?? "",
          port: typeof p.port === "number" ? p.port : 0,
          targetPort:
            typeof p.targetPort === "number" || typeof p.targetPort === "string" ? p.targetPort : typeof p.port === "number" ? p.port : 0,
          protocol: protocolOf(p.protocol),
          appProtocol: str(p.appProtocol),
        })),
        addresses: SERVICE_RANGES,
        loc: l,
      };
    });
  for (const s of [...PLATFORM_SERVICES, ...MONITORING_SERVICES]) services.push({ ...s, headless: false, addresses: SERVICE_RANGES });
  const of = (kind: string): IstioObject[] =>
    ctx.objects
      .filter((l) => kindOf(l.obj) === kind)
      .map((l) => ({ namespace: namespaceOf(l.obj), name: nameOf(l.obj), spec: obj(l.obj.spec) }));
  return {
    name: ctx.name,
    namespaces,
    workloads,
    services,
    policies: of("NetworkPolicy"),
    peerAuthentications: of("PeerAuthentication"),
    authorizationPolicies: of("AuthorizationPolicy"),
    objects: ctx.objects,
  };
}

/** The workloads a Service selects (an empty selector selects none: its endpoints are managed by hand). */
export function backends(model: ClusterModel, svc: Service): Workload[] {
  const entries = Object.entries(svc.selector);
  if (entries.length === 0) return [];
  return model.workloads.filter((w) => w.namespace === svc.namespace && entries.every(([k, v]) => w.labels[k] === v));
}

/** A Service port's targetPort on one backend: numbers as they are, names resolved on its container ports. */
export function targetPortOn(w: Workload, sp: ServicePort): number | undefined {
  if (typeof sp.targetPort === "number") return sp.targetPort;
  return w.ports.find((p) => p.name === sp.targetPort && p.protocol === sp.protocol)?.port;
}

/** Istio protocol selection (docs ops/configuration/traffic-management/protocol-selection): by appProtocol or port name prefix. */
export function isHttpPort(sp: ServicePort | undefined): boolean {
  if (!sp) return false;
  const p = (sp.appProtocol ?? sp.name.split("-")[0] ?? "").toLowerCase();
  return ["http", "http2", "grpc", "grpc-web", "h2c"].includes(p);
}
