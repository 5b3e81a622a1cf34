/**
 * References inside one rendered cluster (the union of all its tenant folders).
 *
 * Lookups go through per-cluster indexes (by kind, namespace and name; Services by
 * namespace; the hosts Services answer to) built once per cluster context, so no rule
 * scans the whole cluster for every object. Rules whose lookups stay in the object's
 * namespace are marked namespace-local, and the engine runs them per namespace
 * (partition.ts).
 */
import { SERVICE_DOMAIN } from "../../fleet/constants.js";
import { serviceFqdn } from "../../fleet/domains.js";
import { memoByIdentity } from "../memo.js";
import type { ClusterContext, ClusterRule, Hit, Located } from "./types.js";
import { operatorPods } from "./operator-pods.js";
import {
  arr,
  containersOf,
  hitOn,
  kindOf,
  labelsOf,
  mapSelectorMatches,
  nameOf,
  namespaceOf,
  obj,
  objs,
  ofKind,
  podTemplates,
  selectorMatches,
  str,
  strMap,
  type Obj,
  type PodTemplate,
} from "./util.js";

interface ClusterIndex {
  /** First object of each kind/namespace/name, as a scan in object order would find it. */
  byId: Map<string, Located>;
  podTemplates: PodTemplate[];
  /** Pod templates and objects of a kind, per namespace, in object order. */
  templatesByNs: Map<string, PodTemplate[]>;
  byKindNs: Map<string, Located[]>;
  /** Secret names each namespace has: Secrets, plus those ExternalSecrets create. */
  secretsByNs: Map<string, Set<string>>;
  /** Hosts any namespace reaches a Service by (<svc>.<ns>[.svc[.cluster.local]]), and short names per namespace. */
  qualifiedHosts: Set<string>;
  shortHostsByNs: Map<string, Set<string>>;
  services: Located[];
  /** Label sets of the pods operators create from custom resources (operator-pods.ts), per namespace. */
  operatorPodsByNs: Map<string, Record<string, string>[]>;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** The indexes of a cluster context, built once in one pass over its objects. */
const indexOf = memoByIdentity((ctx: ClusterContext): ClusterIndex => {
  const ix: ClusterIndex = {
    byId: new Map(),
    podTemplates: podTemplates(ctx.objects),
    templatesByNs: new Map(),
    byKindNs: new Map(),
    secretsByNs: new Map(),
    qualifiedHosts: new Set(),
    shortHostsByNs: new Map(),
    services: [],
    operatorPodsByNs: new Map(),
  };
  for (const p of operatorPods(ctx.objects)) push(ix.operatorPodsByNs, p.namespace, p.labels);
  for (const t of ix.podTemplates) push(ix.templatesByNs, t.namespace, t);
  for (const l of ctx.objects) {
    const kind = kindOf(l.obj);
    const ns = namespaceOf(l.obj);
    const name = nameOf(l.obj);
    const id = `${kind}/${ns}/${name}`;
    if (!ix.byId.has(id)) ix.byId.set(id, l);
    push(ix.byKindNs, `${kind}/${ns}`, l);
    if (kind === "Secret" || kind === "ExternalSecret") {
      const secrets = ix.secretsByNs.get(ns) ?? new Set<string>();
      secrets.add(kind === "Secret" ? name : (str(obj(obj(l.obj.spec).target).name) ?? name));
      ix.secretsByNs.set(ns, secrets);
    }
    if (kind === "Service") {
      ix.services.push(l);
      ix.qualifiedHosts.add(serviceFqdn(name, ns));
      ix.qualifiedHosts.add(`${name}.${ns}.svc`);
      ix.qualifiedHosts.add(`${name}.${ns}`);
      const short = ix.shortHostsByNs.get(ns) ?? new Set<string>();
      short.add(name);
      ix.shortHostsByNs.set(ns, short);
    }
  }
  return ix;
});

function find(ctx: ClusterContext, kind: string, ns: string, name: string): Located | undefined {
  return indexOf(ctx).byId.get(`${kind}/${ns}/${name}`);
}

function ofKindIn(ctx: ClusterContext, kind: string, ns: string): Located[] {
  return indexOf(ctx).byKindNs.get(`${kind}/${ns}`) ?? [];
}

function templatesIn(ctx: ClusterContext, ns: string): PodTemplate[] {
  return indexOf(ctx).templatesByNs.get(ns) ?? [];
}

function podsSelectedBy(ctx: ClusterContext, svc: Located): PodTemplate[] {
  const sel = strMap(obj(svc.obj.spec).selector);
  return templatesIn(ctx, namespaceOf(svc.obj)).filter((t) => mapSelectorMatches(sel, t.labels));
}

/** Secret names that exist in a namespace: Secrets, plus those ExternalSecrets create. */
function secretNames(ctx: ClusterContext, ns: string): Set<string> {
  return indexOf(ctx).secretsByNs.get(ns) ?? new Set<string>();
}

interface PodRef {
  kind: "ConfigMap" | "Secret" | "PersistentVolumeClaim";
  name: string;
  path: string;
}

/** Every ConfigMap, Secret and PVC a pod template references, except optional ones. */
function podRefs(t: PodTemplate): PodRef[] {
  const refs: PodRef[] = [];
  objs(t.spec.volumes).forEach((v, i) => {
    const base = `${t.specPath}.volumes[${i}]`;
    const cm = obj(v.configMap);
    if (v.configMap !== undefined && cm.optional !== true)
      refs.push({ kind: "ConfigMap", name: str(cm.name) ?? "", path: `${base}.configMap.name` });
    const sec = obj(v.secret);
    if (v.secret !== undefined && sec.optional !== true)
      refs.push({ kind: "Secret", name: str(sec.secretName) ?? "", path: `${base}.secret.secretName` });
    if (v.persistentVolumeClaim !== undefined)
      refs.push({
        kind: "PersistentVolumeClaim",
        name: str(obj(v.persistentVolumeClaim).claimName) ?? "",
        path: `${base}.persistentVolumeClaim.claimName`,
      });
    objs(obj(v.projected).sources).forEach((s, j) => {
      const pcm = obj(s.configMap);
      if (s.configMap !== undefined && pcm.optional !== true)
        refs.push({ kind: "ConfigMap", name: str(pcm.name) ?? "", path: `${base}.projected.sources[${j}].configMap.name` });
      const ps = obj(s.secret);
      if (s.secret !== undefined && ps.optional !== true)
        refs.push({ kind: "Secret", name: str(ps.name) ?? "", path: `${base}.projected.sources[${j}].secret.name` });
    });
  });
  for (const { c, path } of containersOf(t)) {
    objs(c.env).forEach((e, i) => {
      const vf = obj(e.valueFrom);
      const cm = obj(vf.configMapKeyRef);
      if (vf.configMapKeyRef !== undefined && cm.optional !== true)
        refs.push({ kind: "ConfigMap", name: str(cm.name) ?? "", path: `${path}.env[${i}].valueFrom.configMapKeyRef.name` });
      const sk = obj(vf.secretKeyRef);
      if (vf.secretKeyRef !== undefined && sk.optional !== true)
        refs.push({ kind: "Secret", name: str(sk.name) ?? "", path: `${path}.env[${i}].valueFrom.secretKeyRef.name` });
    });
    objs(c.envFrom).forEach((e, i) => {
      const cm = obj(e.configMapRef);
      if (e.configMapRef !== undefined && cm.optional !== true)
        refs.push({ kind: "ConfigMap", name: str(cm.name) ?? "", path: `${path}.envFrom[${i}].configMapRef.name` });
      const s = obj(e.secretRef);
      if (e.secretRef !== undefined && s.optional !== true)
        refs.push({ kind: "Secret", name: str(s.name) ?? "", path: `${path}.envFrom[${i}].secretRef.name` });
    });
  }
  objs(t.spec.imagePullSecrets).forEach((s, i) => {
    refs.push({ kind: "Secret", name: str(s.name) ?? "", path: `${t.specPath}.imagePullSecrets[${i}].name` });
  });
  return refs;
}

function refRule(id: string, kind: PodRef["kind"], fix: string): ClusterRule {
  return {
    id,
    scope: "cluster",
    description: `Every ${kind} a pod references (volumes, env, envFrom${kind === "Secret" ? ", imagePullSecrets" : ""}) exists in the cluster${
      kind === "Secret"
        ? " (created by a Secret or an ExternalSecret)"
        : kind === "PersistentVolumeClaim"
          ? " (or a StatefulSet volumeClaimTemplate)"
          : ""
    }.`,
    fix,
    locality: "namespace",
    check: (ctx) =>
      indexOf(ctx).podTemplates.flatMap((t) => {
        const vct = new Set(
          kindOf(t.loc.obj) === "StatefulSet"
            ? objs(obj(t.loc.obj.spec).volumeClaimTemplates).map((v) => str(obj(v.metadata).name) ?? "")
            : [],
        );
        const secrets = kind === "Secret" ? secretNames(ctx, t.namespace) : new Set<string>();
        return podRefs(t)
          .filter((r) => r.kind === kind)
          .filter((r) => {
            if (kind === "Secret") return !secrets.has(r.name);
            if (kind === "PersistentVolumeClaim" && vct.has(r.name)) return false;
            return find(ctx, kind, t.namespace, r.name) === undefined;
          })
          .map((r) => hitOn(t.loc, r.path, `${kind} ${t.namespace}/${r.name} does not exist in the cluster`));
      }),
  };
}

function portMatches(ports: Obj[], port: Obj): boolean {
  if (typeof port.number === "number") return ports.some((p) => p.port === port.number);
  if (typeof port.name === "string") return ports.some((p) => p.name === port.name);
  return false;
}

/** Whether a host names a Service from inside the mesh, seen from namespace `fromNs`. */
function isServiceHost(ctx: ClusterContext, fromNs: string, host: string): boolean {
  const ix = indexOf(ctx);
  return ix.qualifiedHosts.has(host) || (ix.shortHostsByNs.get(fromNs)?.has(host) ?? false);
}

export const REFERENCE_RULES: readonly ClusterRule[] = [
  {
    id: "ref-service-selector",
    scope: "cluster",
    locality: "namespace",
    description: "Every Service with a selector matches a pod template in its namespace.",
    fix: "Make the Service selector equal the workload's pod template labels.",
    check: (ctx) =>
      ofKind(ctx.objects, "Service")
        .filter((s) => Object.keys(strMap(obj(s.obj.spec).selector)).length > 0)
        .flatMap((s) =>
          podsSelectedBy(ctx, s).length === 0 ? [hitOn(s, "spec.selector", "the selector matches no pod template in the namespace")] : [],
        ),
  },
  {
    id: "ref-service-target-port",
    scope: "cluster",
    locality: "namespace",
    description: "A Service's named targetPorts exist on the pods it selects.",
    fix: "Name the container port like the Service's targetPort, or use the port number.",
    check: (ctx) =>
      ofKind(ctx.objects, "Service").flatMap((s) => {
        const pods = podsSelectedBy(ctx, s);
        if (pods.length === 0) return [];
        return objs(obj(s.obj.spec).ports).flatMap((p, i) => {
          const tp = p.targetPort;
          if (typeof tp !== "string") return [];
          const ok = pods.every((t) => containersOf(t, ["containers"]).some(({ c }) => objs(c.ports).some((cp) => cp.name === tp)));
          return ok ? [] : [hitOn(s, `spec.ports[${i}].targetPort`, `targetPort ${tp} is not a named port of every selected pod`)];
        });
      }),
  },
  {
    id: "ref-scale-target",
    scope: "cluster",
    locality: "namespace",
    description: "Every HPA, VPA and KEDA ScaledObject targets a workload that exists.",
    fix: "Point scaleTargetRef/targetRef at an existing Deployment or StatefulSet (kind and name).",
    check: (ctx) =>
      ofKind(ctx.objects, "HorizontalPodAutoscaler", "VerticalPodAutoscaler", "ScaledObject").flatMap((a) => {
        const k = kindOf(a.obj);
        const field = k === "VerticalPodAutoscaler" ? "targetRef" : "scaleTargetRef";
        const ref = obj(obj(a.obj.spec)[field]);
        const kind = str(ref.kind) ?? (k === "ScaledObject" ? "Deployment" : "");
        const name = str(ref.name) ?? "";
        return find(ctx, kind, namespaceOf(a.obj), name)
          ? []
          : [hitOn(a, `spec.${field}`, `target ${kind}/${name} does not exist in namespace ${namespaceOf(a.obj)}`)];
      }),
  },
  {
    id: "ref-pdb-target",
    scope: "cluster",
    locality: "namespace",
    description: "Every PodDisruptionBudget selects at least one pod template in its namespace.",
    fix: "Make the PDB selector match the workload's pod labels, or delete the PDB.",
    check: (ctx) =>
      ofKind(ctx.objects, "PodDisruptionBudget").flatMap((p) =>
        templatesIn(ctx, namespaceOf(p.obj)).some((t) => selectorMatches(obj(p.obj.spec).selector, t.labels))
          ? []
          : [hitOn(p, "spec.selector", "the selector matches no pod template in the namespace")],
      ),
  },
  {
    id: "ref-ingress-backend",
    scope: "cluster",
    locality: "namespace",
    description: "Every Ingress backend names a Service that exists and one of its ports (number or name).",
    fix: "Point the backend at an existing Service and one of its ports.",
    check: (ctx) =>
      ofKind(ctx.objects, "Ingress").flatMap((ing) => {
        const spec = obj(ing.obj.spec);
        const backends: { b: Obj; path: string }[] = [];
        if (spec.defaultBackend !== undefined) backends.push({ b: obj(spec.defaultBackend), path: "spec.defaultBackend" });
        objs(spec.rules).forEach((r, i) => {
          objs(obj(r.http).paths).forEach((p, j) => {
            backends.push({ b: obj(p.backend), path: `spec.rules[${i}].http.paths[${j}].backend` });
          });
        });
        return backends.flatMap(({ b, path }): Hit[] => {
          if (b.service === undefined) return [];
          const svcRef = obj(b.service);
          const name = str(svcRef.name) ?? "";
          const svc = find(ctx, "Service", namespaceOf(ing.obj), name);
          if (!svc) return [hitOn(ing, `${path}.service.name`, `Service ${name} does not exist`)];
          const port = obj(svcRef.port);
          return portMatches(objs(obj(svc.obj.spec).ports), port)
            ? []
            : [hitOn(ing, `${path}.service.port`, `Service ${name} has no port ${String(port.number ?? port.name)}`)];
        });
      }),
  },
  {
    id: "ref-servicemonitor",
    scope: "cluster",
    // namespaceSelector may reach other namespaces.
    locality: "cluster",
    description: "Every ServiceMonitor selects a Service that has a port named like each endpoint's port.",
    fix: "Label the Service like the ServiceMonitor selector and name its metrics port like the endpoint port.",
    check: (ctx) =>
      ofKind(ctx.objects, "ServiceMonitor").flatMap((sm) => {
        const spec = obj(sm.obj.spec);
        const nsSel = obj(spec.namespaceSelector);
        // Services of the namespaces the selector reaches: any, a list, or the ServiceMonitor's own.
        const candidates =
          nsSel.any === true
            ? indexOf(ctx).services
            : Array.isArray(nsSel.matchNames)
              ? [...new Set(arr(nsSel.matchNames).filter((n): n is string => typeof n === "string"))].flatMap((n) =>
                  ofKindIn(ctx, "Service", n),
                )
              : ofKindIn(ctx, "Service", namespaceOf(sm.obj));
        const svcs = candidates.filter((s) => selectorMatches(spec.selector, labelsOf(s.obj)));
        if (svcs.length === 0) return [hitOn(sm, "spec.selector", "the selector matches no Service")];
        return objs(spec.endpoints).flatMap((e, i) => {
          const port = str(e.port);
          if (port === undefined) return [];
          return svcs.some((s) => objs(obj(s.obj.spec).ports).some((p) => p.name === port))
            ? []
            : [hitOn(sm, `spec.endpoints[${i}].port`, `no selected Service has a port named ${port}`)];
        });
      }),
  },
  refRule("ref-configmap", "ConfigMap", "Create the ConfigMap in the pod's namespace or fix the name."),
  refRule("ref-secret", "Secret", "Add an ExternalSecret that creates the Secret, or fix the name."),
  refRule("ref-pvc", "PersistentVolumeClaim", "Create the PersistentVolumeClaim (or a volumeClaimTemplate) or fix claimName."),
  {
    id: "ref-service-account",
    scope: "cluster",
    locality: "namespace",
    description: "The ServiceAccount a pod runs as exists in its namespace (`default` always exists).",
    fix: "Create the ServiceAccount in the pod's namespace or fix serviceAccountName.",
    check: (ctx) =>
      indexOf(ctx).podTemplates.flatMap((t) => {
        const sa = str(t.spec.serviceAccountName) ?? str(t.spec.serviceAccount);
        if (sa === undefined || sa === "default") return [];
        return find(ctx, "ServiceAccount", t.namespace, sa)
          ? []
          : [hitOn(t.loc, `${t.specPath}.serviceAccountName`, `ServiceAccount ${t.namespace}/${sa} does not exist`)];
      }),
  },
  {
    id: "ref-networkpolicy-selects",
    scope: "cluster",
    locality: "namespace",
    description: "Every NetworkPolicy selects at least one pod template in its namespace.",
    fix: "Make podSelector match the workload's pod labels, or delete the NetworkPolicy.",
    check: (ctx) =>
      ofKind(ctx.objects, "NetworkPolicy").flatMap((np) =>
        templatesIn(ctx, namespaceOf(np.obj)).some((t) => selectorMatches(obj(np.obj.spec).podSelector, t.labels)) ||
        (indexOf(ctx).operatorPodsByNs.get(namespaceOf(np.obj)) ?? []).some((labels) =>
          selectorMatches(obj(np.obj.spec).podSelector, labels),
        )
          ? []
          : [hitOn(np, "spec.podSelector", "the podSelector matches no pod template in the namespace")],
      ),
  },
  {
    id: "ref-pod-networkpolicy",
    scope: "cluster",
    locality: "namespace",
    description: "Every pod template is selected by at least one NetworkPolicy in its namespace.",
    fix: "Add a NetworkPolicy (or a namespace default-deny) that selects the pods.",
    check: (ctx) =>
      indexOf(ctx).podTemplates.flatMap((t) =>
        ofKindIn(ctx, "NetworkPolicy", t.namespace).some((np) => selectorMatches(obj(np.obj.spec).podSelector, t.labels))
          ? []
          : [hitOn(t.loc, `${t.specPath.replace(/\.spec$/, "")}.metadata.labels`, "no NetworkPolicy selects these pods")],
      ),
  },
  {
    id: "ref-istio-hosts",
    scope: "cluster",
    // A host may name a Service of any namespace.
    locality: "cluster",
    description: `Istio VirtualService hosts (for mesh-internal VirtualServices) and route destination hosts resolve to Services (short name in the namespace, or <svc>.<ns>.${SERVICE_DOMAIN}).`,
    fix: `Use the name of an existing Service (or its FQDN <svc>.<ns>.${SERVICE_DOMAIN}).`,
    check: (ctx) =>
      ofKind(ctx.objects, "VirtualService").flatMap((vs) => {
        const spec = obj(vs.obj.spec);
        const isHost = (h: string): boolean => isServiceHost(ctx, namespaceOf(vs.obj), h);
        const hits: Hit[] = [];
        const gateways = arr(spec.gateways);
        const meshOnly = gateways.length === 0 || gateways.every((g) => g === "mesh");
        if (meshOnly)
          arr(spec.hosts).forEach((h, i) => {
            if (typeof h === "string" && !isHost(h)) hits.push(hitOn(vs, `spec.hosts[${i}]`, `host ${h} is not a Service`));
          });
        for (const proto of ["http", "tcp", "tls"])
          objs(spec[proto]).forEach((route, i) => {
            objs(route.route).forEach((r, j) => {
              const h = str(obj(r.destination).host);
              if (h !== undefined && !isHost(h))
                hits.push(hitOn(vs, `spec.${proto}[${i}].route[${j}].destination.host`, `destination host ${h} is not a Service`));
            });
          });
        return hits;
      }),
  },
];
