/**
 * The flows a rendered cluster needs, read from the objects themselves: addresses in
 * container env and in the ConfigMaps a pod reads, Istio Gateway and Gateway API routes (the
 * gateway calls them), ServiceMonitor and PodMonitor endpoints (Prometheus scrapes them), KEDA triggers (the operator queries them, resolving
 * names from its own namespace), the API server for pods whose ServiceAccount is bound to a
 * role and carries a token, and DNS for every pod.
 */
import { PLATFORM, PROMETHEUS_SELECTOR } from "../../fleet/constants.js";
import { memoByIdentity } from "../memo.js";
import type { Located } from "../policy/types.js";
import { containersOf, kindOf, labelsOf, nameOf, namespaceOf, obj, objs, selectorMatches, str, strMap } from "../policy/util.js";
import { clusterName, hostRefs, namesAnAddress, SCHEME_PORTS, type HostRef, type NameScope } from "./addresses.js";
import { backends, serviceAccountOf, targetPortOn, type ClusterModel, type Service, type ServicePort, type Workload } from "./cluster.js";
import { API_SERVER, KUBE_SYSTEM } from "./platform.js";
import { operatorNeeds } from "./operator-needs.js";
import { routeNeeds } from "./routes.js";
import type { Flow, FlowTarget } from "./flow.js";

export type { Flow, FlowTarget } from "./flow.js";

/** Per-cluster indexes, built once per model: every look-up below is then constant-time. */
interface Index {
  services: Map<string, Service>;
  /** kind/namespace/name of every object. */
  objects: Map<string, Located>;
  /** namespace/name of every ServiceAccount a RoleBinding or ClusterRoleBinding binds. */
  bound: Set<string>;
}

const indexOf = memoByIdentity((model: ClusterModel): Index => {
  const objects = new Map<string, Located>();
  const bound = new Set<string>();
  for (const l of model.objects) {
    objects.set(`${kindOf(l.obj)}/${namespaceOf(l.obj)}/${nameOf(l.obj)}`, l);
    if (kindOf(l.obj) === "RoleBinding" || kindOf(l.obj) === "ClusterRoleBinding")
      for (const s of objs(l.obj.subjects))
        if (str(s.kind) === "ServiceAccount") bound.add(`${str(s.namespace) ?? namespaceOf(l.obj)}/${str(s.name) ?? ""}`);
  }
  return { services: new Map(model.services.map((s) => [`${s.namespace}/${s.name}`, s])), objects, bound };
});

function findService(model: ClusterModel, namespace: string, name: string): Service | undefined {
  return indexOf(model).services.get(`${namespace}/${name}`);
}

/** The Service port a reference names: a number, a port name, or nothing (the only port, the scheme's, or the first). */
function pickPort(svc: Service, ref: { port?: number | string | undefined; scheme?: string | undefined }): ServicePort | undefined {
  if (typeof ref.port === "number") return svc.ports.find((p) => p.port === ref.port);
  if (typeof ref.port === "string") return svc.ports.find((p) => p.name === ref.port);
  if (svc.ports.length === 1) return svc.ports[0];
  const byScheme = ref.scheme !== undefined ? SCHEME_PORTS[ref.scheme] : undefined;
  return svc.ports.find((p) => p.port === byScheme) ?? svc.ports.find((p) => p.name === ref.scheme) ?? svc.ports[0];
}

type Base = Omit<Flow, "target" | "protocol">;

/** A reference by name from `namespace` (where the name resolves) to a flow, if it names something in the cluster. */
function resolveRef(model: ClusterModel, ref: HostRef, namespace: string, base: Base, keyNamesAddress: boolean): Flow | undefined {
  const name = clusterName(ref.host, namespace, scopeOf(model));
  if (!name) return undefined;
  const svc = findService(model, name.namespace, name.service);
  // A bare word is an address only when a Service has that name, and it reads like one.
  const addressLike = name.explicit || ref.port !== undefined || ref.scheme !== undefined || (ref.whole && keyNamesAddress);
  if (!svc) {
    const sure = name.explicit || (name.service !== ref.host && addressLike);
    if (!sure) return undefined;
    const reason = model.namespaces.has(name.namespace)
      ? `no Service ${name.service} in namespace ${name.namespace}`
      : `no namespace ${name.namespace} in the cluster`;
    return { ...base, target: { kind: "missing", host: ref.host, port: ref.port, reason }, protocol: "TCP" };
  }
  if (!addressLike) return undefined;
  const port = pickPort(svc, ref);
  if (!port) {
    const reason = `Service ${svc.namespace}/${svc.name} has no port ${ref.port ?? ""}`;
    return { ...base, target: { kind: "missing", host: ref.host, port: ref.port, reason }, protocol: "TCP" };
  }
  if (name.service === API_SERVER.name && name.namespace === API_SERVER.namespace)
    return { ...base, target: { kind: "api-server", port: API_SERVER.port }, protocol: "TCP" };
  const target: FlowTarget =
    name.pod !== undefined ? { kind: "pod", service: svc, pod: name.pod, port } : { kind: "service", service: svc, port };
  return { ...base, target, protocol: port.protocol, direct: base.direct || svc.headless || name.pod !== undefined };
}

function scopeOf(model: ClusterModel): NameScope {
  return { isNamespace: (ns) => model.namespaces.has(ns), isService: (ns, name) => findService(model, ns, name) !== undefined };
}

/** Flows named in one setting's value; `key` is the setting's name (env var, ConfigMap key, trigger field). */
function refsIn(model: ClusterModel, key: string, text: string, namespace: string, base: Base): Flow[] {
  const out: Flow[] = [];
  for (const ref of hostRefs(text)) {
    const f = resolveRef(model, ref, namespace, base, namesAnAddress(key));
    if (f) out.push(f);
  }
  return out;
}

/** ConfigMaps a pod reads: volumes (projected too), envFrom and env valueFrom. */
function configMapsRead(w: Workload): Set<string> {
  const t = w.template;
  const names = new Set<string>();
  if (!t) return names;
  for (const v of objs(t.spec.volumes)) {
    const cm = str(obj(v.configMap).name);
    if (cm) names.add(cm);
    for (const s of objs(obj(v.projected).sources)) {
      const p = str(obj(s.configMap).name);
      if (p) names.add(p);
    }
  }
  for (const c of containersOf(t)) {
    for (const e of objs(c.c.envFrom)) {
      const n = str(obj(e.configMapRef).name);
      if (n) names.add(n);
    }
    for (const e of objs(c.c.env)) {
      const n = str(obj(obj(e.valueFrom).configMapKeyRef).name);
      if (n) names.add(n);
    }
  }
  return names;
}

function workloadNeeds(model: ClusterModel, w: Workload): Flow[] {
  const t = w.template;
  if (!t || !w.loc) return [];
  const base = (evidence: string, path: string): Base => ({
    source: w,
    evidence,
    object: w.id,
    tenant: w.tenant,
    path,
    direct: w.meshed,
    structured: false,
  });
  const out: Flow[] = [];
  for (const c of containersOf(t))
    objs(c.c.env).forEach((e, i) => {
      const value = str(e.value);
      if (value)
        out.push(...refsIn(model, str(e.name) ?? "", value, w.namespace, base(`env ${str(e.name) ?? i}`, `${c.path}.env[${i}].value`)));
    });
  const read = configMapsRead(w);
  for (const name of [...read].sort()) {
    const l = indexOf(model).objects.get(`ConfigMap/${w.namespace}/${name}`);
    if (!l) continue;
    for (const [key, value] of Object.entries(strMap(l.obj.data)))
      out.push(
        ...refsIn(model, key, value, w.namespace, {
          ...base(`ConfigMap ${nameOf(l.obj)} key ${key}`, `data.${key}`),
          object: `ConfigMap/${w.namespace}/${nameOf(l.obj)}`,
        }),
      );
  }
  // DNS: every pod with the default dnsPolicy asks kube-dns, over UDP and (for long answers) TCP.
  const dns = findService(model, KUBE_SYSTEM, "kube-dns");
  if (dns && (str(t.spec.dnsPolicy) ?? "ClusterFirst") !== "Default")
    for (const port of dns.ports)
      out.push({
        ...base("DNS", `${t.specPath}.dnsPolicy`),
        direct: false,
        target: { kind: "service", service: dns, port },
        protocol: port.protocol,
      });
  if (callsApiServer(model, w))
    out.push({
      ...base("ServiceAccount token bound to a role", `${t.specPath}.serviceAccountName`),
      direct: false,
      target: { kind: "api-server", port: API_SERVER.port },
      protocol: "TCP",
    });
  return out;
}

/** A pod that carries a token of a ServiceAccount that some (Cluster)RoleBinding binds. */
function callsApiServer(model: ClusterModel, w: Workload): boolean {
  const t = w.template;
  if (!t) return false;
  const sa = serviceAccountOf(t);
  const saObj = indexOf(model).objects.get(`ServiceAccount/${w.namespace}/${sa}`)?.obj;
  const mount =
    typeof t.spec.automountServiceAccountToken === "boolean"
      ? t.spec.automountServiceAccountToken
      : saObj?.automountServiceAccountToken !== false;
  return mount && indexOf(model).bound.has(`${w.namespace}/${sa}`);
}

function platform(model: ClusterModel, role: Workload["role"]): Workload | undefined {
  return model.workloads.find((w) => w.role === role);
}

/** VirtualServices bound to a Gateway: the gateway's pods call each route's destination. */
function gatewayNeeds(model: ClusterModel): Flow[] {
  const out: Flow[] = [];
  for (const l of model.objects) {
    if (kindOf(l.obj) !== "VirtualService") continue;
    const ns = namespaceOf(l.obj);
    const spec = obj(l.obj.spec);
    const gateways = (spec.gateways as unknown[] | undefined)?.filter((g): g is string => typeof g === "string" && g !== "mesh") ?? [];
    const proxies = gateways.flatMap((g) => {
      const [gns, gname] = g.includes("/") ? g.split("/") : [ns, g];
      const gw = indexOf(model).objects.get(`Gateway/${gns}/${gname}`);
      if (!gw) return [];
      const sel = strMap(obj(gw.obj.spec).selector);
      return model.workloads.filter((w) => Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => w.labels[k] === v));
    });
    objs(spec.http).forEach((h, i) => {
      const onGateway =
        objs(h.match).length === 0 || objs(h.match).some((m) => (m.gateways as unknown[] | undefined)?.some((g) => g !== "mesh") ?? true);
      if (!onGateway) return;
      objs(h.route).forEach((r, j) => {
        const d = obj(r.destination);
        const host = str(d.host) ?? "";
        const name = clusterName(host, ns, scopeOf(model));
        const svc = name ? findService(model, name.namespace, name.service) : undefined;
        const num = obj(d.port).number;
        const port = svc ? pickPort(svc, { port: typeof num === "number" ? num : undefined }) : undefined;
        for (const gw of proxies) {
          const base: Base = {
            source: gw,
            evidence: `VirtualService ${ns}/${nameOf(l.obj)}`,
            object: `VirtualService/${ns}/${nameOf(l.obj)}`,
            tenant: l.tenant,
            path: `spec.http[${i}].route[${j}].destination`,
            direct: true,
            structured: true,
          };
          out.push(
            svc && port
              ? { ...base, target: { kind: "service", service: svc, port }, protocol: port.protocol }
              : {
                  ...base,
                  target: { kind: "missing", host, port: typeof num === "number" ? num : undefined, reason: `no Service for host ${host}` },
                  protocol: "TCP",
                },
          );
        }
      });
    });
  }
  return out;
}

/** ServiceMonitors and PodMonitors that kube-prometheus-stack selects (by PROMETHEUS_SELECTOR): Prometheus scrapes pod IPs. */
function monitorNeeds(model: ClusterModel): Flow[] {
  const prom = platform(model, "prometheus");
  if (!prom) return [];
  const out: Flow[] = [];
  for (const l of model.objects) {
    const kind = kindOf(l.obj);
    if ((kind !== "ServiceMonitor" && kind !== "PodMonitor") || !selectorMatches({ matchLabels: PROMETHEUS_SELECTOR }, labelsOf(l.obj)))
      continue;
    const ns = namespaceOf(l.obj);
    const spec = obj(l.obj.spec);
    const nsSel = obj(spec.namespaceSelector);
    const inNs = (x: string): boolean => nsSel.any === true || ((nsSel.matchNames as unknown[] | undefined)?.includes(x) ?? x === ns);
    const base = (path: string): Base => ({
      source: prom,
      evidence: `${kind} ${ns}/${nameOf(l.obj)}`,
      object: `${kind}/${ns}/${nameOf(l.obj)}`,
      tenant: l.tenant,
      path,
      direct: true,
      structured: true,
    });
    if (kind === "ServiceMonitor") {
      const svcs = model.services.filter((s) => inNs(s.namespace) && selectorMatches(obj(spec.selector), s.loc ? labelsOf(s.loc.obj) : {}));
      objs(spec.endpoints).forEach((e, i) => {
        for (const svc of svcs) {
          const port =
            typeof e.port === "string" ? svc.ports.find((p) => p.name === e.port) : svc.ports.find((p) => p.targetPort === e.targetPort);
          if (port) out.push({ ...base(`spec.endpoints[${i}]`), target: { kind: "service", service: svc, port }, protocol: "TCP" });
          else
            out.push({
              ...base(`spec.endpoints[${i}]`),
              target: {
                kind: "missing",
                host: svc.name,
                port: undefined,
                reason: `Service ${svc.namespace}/${svc.name} has no port ${String(e.port ?? e.targetPort)}`,
              },
              protocol: "TCP",
            });
        }
      });
    } else {
      const pods = model.workloads.filter((w) => w.template && inNs(w.namespace) && selectorMatches(obj(spec.selector), w.labels));
      objs(spec.podMetricsEndpoints).forEach((e, i) => {
        for (const w of pods) {
          const num = typeof e.portNumber === "number" ? e.portNumber : w.ports.find((p) => p.name === e.port)?.port;
          const svc: Service = {
            namespace: w.namespace,
            name: nameOf(w.loc?.obj ?? {}),
            selector: w.labels,
            headless: true,
            ports: [],
            addresses: [],
          };
          if (num !== undefined)
            out.push({
              ...base(`spec.podMetricsEndpoints[${i}]`),
              target: {
                kind: "pod",
                service: svc,
                pod: w.id,
                port: { name: str(e.port) ?? "", port: num, targetPort: num, protocol: "TCP" },
              },
              protocol: "TCP",
            });
        }
      });
    }
  }
  return out;
}

/** KEDA scalers run in the operator; names in trigger metadata resolve from its namespace (kedacore/keda#978). */
function kedaNeeds(model: ClusterModel): Flow[] {
  const op = platform(model, "keda-operator");
  if (!op) return [];
  const out: Flow[] = [];
  for (const l of model.objects) {
    if (kindOf(l.obj) !== "ScaledObject" && kindOf(l.obj) !== "ScaledJob") continue;
    const ns = namespaceOf(l.obj);
    objs(obj(l.obj.spec).triggers).forEach((t, i) => {
      for (const [key, value] of Object.entries(strMap(t.metadata))) {
        const base: Base = {
          source: op,
          evidence: `${kindOf(l.obj)} ${ns}/${nameOf(l.obj)} trigger ${str(t.type) ?? i} ${key}`,
          object: `${kindOf(l.obj)}/${ns}/${nameOf(l.obj)}`,
          tenant: l.tenant,
          path: `spec.triggers[${i}].metadata.${key}`,
          direct: false,
          structured: false,
        };
        out.push(...refsIn(model, key, value, PLATFORM.kedaNamespace, base));
      }
    });
  }
  return out;
}

/** Every flow the cluster's rendered objects need. */
export function neededFlows(model: ClusterModel): Flow[] {
  return [
    ...routeNeeds(model, (ns, name) => findService(model, ns, name)),
    ...model.workloads.flatMap((w) => workloadNeeds(model, w)),
    ...gatewayNeeds(model),
    ...monitorNeeds(model),
    ...kedaNeeds(model),
    ...operatorNeeds(model, (ns, name) => findService(model, ns, name)),
  ];
}

/** The backends of a flow's target: each selected workload with the port it listens on. */
export function flowBackends(model: ClusterModel, f: Flow): { w: Workload; port: number | undefined }[] {
  const t = f.target;
  if (t.kind === "service") return backends(model, t.service).map((w) => ({ w, port: targetPortOn(w, t.port) }));
  if (t.kind === "pod") {
    const direct = model.workloads.find((w) => w.id === t.pod);
    if (direct) return [{ w: direct, port: t.port.port }];
    // StatefulSet pod `name-N` of the headless Service.
    const owners = backends(model, t.service).filter((w) => new RegExp(`^${nameOf(w.loc?.obj ?? {})}-\\d+$`).test(t.pod));
    return (owners.length > 0 ? owners : backends(model, t.service)).map((w) => ({ w, port: targetPortOn(w, t.port) }));
  }
  return [];
}
