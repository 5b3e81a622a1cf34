/**
 * Gateway API routes (HTTPRoute, GRPCRoute): the pods behind each parent Gateway call every
 * backendRef. Which pods serve a Gateway of class `istio` (istio docs tasks/traffic-management/
 * ingress/gateway-api, "Manual deployment"): with a Hostname address naming an existing
 * gateway Service, that Service's pods (here the istio-ingressgateway add-on, role
 * "mesh-gateway"); otherwise the deployment istiod creates in the Gateway's namespace, whose
 * pods carry `gateway.networking.k8s.io/gateway-name: <gateway>` and run as `<gateway>-istio`.
 */
import { SERVICE_DOMAIN } from "../../fleet/constants.js";
import { MESH_DEFAULTS } from "../../fleet/constants.js";
import type { Located } from "../policy/types.js";
import { kindOf, namespaceOf, nameOf, obj, objs, str } from "../policy/util.js";
import type { ClusterModel, Service, ServicePort, Workload } from "./cluster.js";
import type { Flow } from "./flow.js";

const GATEWAY_API_GROUP = "gateway.networking.k8s.io";
const GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name";

/** The pods that serve a Gateway API Gateway. */
export function gatewayPods(model: ClusterModel, gw: Located): Workload[] {
  const ns = namespaceOf(gw.obj);
  const name = nameOf(gw.obj);
  const hostnames = objs(obj(gw.obj.spec).addresses)
    .filter((a) => (str(a.type) ?? "IPAddress") === "Hostname")
    .map((a) => str(a.value) ?? "");
  const existing = `${MESH_DEFAULTS.gatewayServiceAccount}.${MESH_DEFAULTS.gatewayNamespace}.${SERVICE_DOMAIN}`;
  if (hostnames.includes(existing)) return model.workloads.filter((w) => w.role === "mesh-gateway");
  const deployed = model.workloads.filter((w) => w.namespace === ns && w.labels[GATEWAY_NAME_LABEL] === name);
  if (deployed.length > 0) return deployed;
  // istiod's automated deployment: not rendered by any folder, so model it.
  return [
    {
      id: `platform/gateway/${ns}/${name}`,
      display: `Gateway ${ns}/${name} (istio)`,
      tenant: "",
      namespace: ns,
      labels: { [GATEWAY_NAME_LABEL]: name },
      namespaceLabels: model.namespaces.get(ns) ?? {},
      ports: [],
      addresses: model.workloads[0]?.addresses ?? [],
      serviceAccount: `${name}-istio`,
      meshed: true,
      uncaptured: () => false,
      role: "mesh-gateway",
    },
  ];
}

/** Flows from each route's parent Gateways' pods to its backends (a Service of the route's namespace unless it names one). */
export function routeNeeds(model: ClusterModel, findService: (ns: string, name: string) => Service | undefined): Flow[] {
  const out: Flow[] = [];
  const gateways = new Map<string, Located>();
  for (const l of model.objects)
    if (kindOf(l.obj) === "Gateway" && str(l.obj.apiVersion)?.startsWith(`${GATEWAY_API_GROUP}/`))
      gateways.set(`${namespaceOf(l.obj)}/${nameOf(l.obj)}`, l);
  for (const l of model.objects) {
    const kind = kindOf(l.obj);
    if (kind !== "HTTPRoute" && kind !== "GRPCRoute") continue;
    const ns = namespaceOf(l.obj);
    const spec = obj(l.obj.spec);
    const proxies = objs(spec.parentRefs).flatMap((p) => {
      if ((str(p.kind) ?? "Gateway") !== "Gateway") return [];
      const gw = gateways.get(`${str(p.namespace) ?? ns}/${str(p.name) ?? ""}`);
      return gw ? gatewayPods(model, gw) : [];
    });
    for (const [i, r] of objs(spec.rules).entries()) {
      objs(r.backendRefs).forEach((b, j) => {
        if ((str(b.kind) ?? "Service") !== "Service" || (str(b.group) ?? "") !== "") return;
        const svc = findService(str(b.namespace) ?? ns, str(b.name) ?? "");
        const port: ServicePort | undefined =
          svc?.ports.find((p) => p.port === b.port) ?? (svc?.ports.length === 1 ? svc.ports[0] : undefined);
        // A dangling backend is edge-route-backends' finding, not a flow.
        if (!svc || !port) return;
        for (const gw of new Set(proxies))
          out.push({
            source: gw,
            target: { kind: "service", service: svc, port },
            protocol: port.protocol,
            evidence: `${kind} ${ns}/${nameOf(l.obj)}`,
            object: `${kind}/${ns}/${nameOf(l.obj)}`,
            tenant: l.tenant,
            path: `spec.rules[${i}].backendRefs[${j}]`,
            direct: true,
            structured: true,
          });
      });
    }
  }
  return out;
}
