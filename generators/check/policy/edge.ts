/**
 * The edge as the Gateway API's controllers would see a rendered cluster: every route attaches
 * to a listener that serves all its hostnames, every backend it names exists and is reachable
 * without a missing ReferenceGrant, and every listener's certificate is issued where the
 * Gateway reads it. The semantics are generators/gateway/attach.ts (kubernetes-sigs/gateway-api
 * v1.4.1 and its conformance tests).
 */
import {
  attach,
  GROUP,
  referencePermitted,
  type GatewayView,
  type Listener,
  type ParentRef,
  type ReferenceGrantView,
} from "../../gateway/attach.js";
import type { ClusterContext, ClusterRule, Hit, K8sObject, Located } from "./types.js";
import { hitOn, kindOf, labelsOf, nameOf, namespaceOf, obj, objs, str } from "./util.js";
import { tlsSecretOf } from "./tls.js";

const ROUTE_KINDS = ["HTTPRoute", "GRPCRoute"];
const isGatewayApi = (o: K8sObject): boolean => String(o.apiVersion ?? "").startsWith(`${GROUP}/`);

function gatewayView(o: K8sObject): GatewayView {
  return { namespace: namespaceOf(o), name: nameOf(o), listeners: objs(obj(o.spec).listeners) as unknown as Listener[] };
}

function grantView(o: K8sObject): ReferenceGrantView {
  const spec = obj(o.spec);
  return {
    namespace: namespaceOf(o),
    from: objs(spec.from).map((f) => ({ group: str(f.group) ?? "", kind: str(f.kind) ?? "", namespace: str(f.namespace) ?? "" })),
    to: objs(spec.to).map((t) => ({ group: str(t.group) ?? "", kind: str(t.kind) ?? "", ...(str(t.name) ? { name: str(t.name) } : {}) })),
  };
}

interface ClusterEdge {
  gateways: GatewayView[];
  grants: ReferenceGrantView[];
  namespaceLabels: Map<string, Record<string, string>>;
  services: Set<string>;
  routes: Located[];
}

function edgeOf(ctx: ClusterContext): ClusterEdge {
  const e: ClusterEdge = { gateways: [], grants: [], namespaceLabels: new Map(), services: new Set(), routes: [] };
  for (const loc of ctx.objects) {
    const o = loc.obj;
    const kind = kindOf(o);
    if (kind === "Namespace") e.namespaceLabels.set(nameOf(o), { "kubernetes.io/metadata.name": nameOf(o), ...labelsOf(o) });
    else if (kind === "Service") e.services.add(`${namespaceOf(o)}/${nameOf(o)}`);
    else if (isGatewayApi(o) && kind === "Gateway") e.gateways.push(gatewayView(o));
    else if (isGatewayApi(o) && kind === "ReferenceGrant") e.grants.push(grantView(o));
    else if (isGatewayApi(o) && ROUTE_KINDS.includes(kind)) e.routes.push(loc);
  }
  return e;
}

const routeAttached: ClusterRule = {
  scope: "cluster",
  id: "edge-route-attached",
  description:
    "Every HTTPRoute and GRPCRoute attaches to a listener of a Gateway on its cluster, and each of its hostnames is served by an accepting listener (gateway-api apis/v1/shared_types.go ParentReference, httproute_types.go Hostnames).",
  fix: "Attach the route to its tenant's listener of the platform Gateway (builders/edge.ts) with hostnames under that listener's wildcard.",
  check(ctx) {
    const e = edgeOf(ctx);
    const hits: Hit[] = [];
    for (const loc of e.routes) {
      const spec = obj(loc.obj.spec);
      const hostnames = Array.isArray(spec.hostnames) ? spec.hostnames.filter((h): h is string => typeof h === "string") : [];
      const view = { kind: kindOf(loc.obj), namespace: namespaceOf(loc.obj), hostnames };
      const served = new Set<string>();
      const refs = objs(spec.parentRefs);
      if (refs.length === 0) hits.push(hitOn(loc, "spec.parentRefs", "the route names no parent, so no Gateway serves it"));
      refs.forEach((r, i) => {
        const ref = r as unknown as ParentRef;
        const namespace = ref.namespace ?? view.namespace;
        const gateway = e.gateways.find((g) => g.name === ref.name && g.namespace === namespace);
        const labels = e.namespaceLabels.get(view.namespace) ?? { "kubernetes.io/metadata.name": view.namespace };
        const a = gateway ? attach(gateway, ref, view, labels) : { accepted: false, listeners: [], reason: "NoMatchingParent" };
        if (!a.accepted) {
          hits.push(
            hitOn(
              loc,
              `spec.parentRefs[${i}]`,
              `not accepted by Gateway ${namespace}/${ref.name}${ref.sectionName ? ` listener ${ref.sectionName}` : ""}: ${gateway ? a.reason : "no such Gateway on this cluster"}`,
            ),
          );
        }
        for (const l of a.listeners) for (const h of l.hostnames) served.add(h);
      });
      hostnames.forEach((h, i) => {
        if (refs.length > 0 && !served.has(h))
          hits.push(hitOn(loc, `spec.hostnames[${i}]`, `${h} is served by no listener the route attaches to`));
      });
    }
    return hits;
  },
};

const routeBackends: ClusterRule = {
  scope: "cluster",
  id: "edge-route-backends",
  description:
    "Every backend (and mirror) of a route is a Service on the cluster, in the route's namespace or permitted by a ReferenceGrant in its own (gateway-api apis/v1beta1/referencegrant_types.go; conformance httproute-invalid-cross-namespace-backend-ref).",
  fix: "Route to a Service of the route's own namespace that the tenant's folder renders.",
  check(ctx) {
    const e = edgeOf(ctx);
    const hits: Hit[] = [];
    for (const loc of e.routes) {
      const from = { group: GROUP, kind: kindOf(loc.obj), namespace: namespaceOf(loc.obj) };
      const refs: { ref: Record<string, unknown>; path: string }[] = [];
      objs(obj(loc.obj.spec).rules).forEach((rule, i) => {
        objs(rule.backendRefs).forEach((b, j) => {
          refs.push({ ref: b, path: `spec.rules[${i}].backendRefs[${j}]` });
          objs(b.filters).forEach((f, k) => {
            const m = obj(f.requestMirror).backendRef;
            if (m) refs.push({ ref: obj(m), path: `spec.rules[${i}].backendRefs[${j}].filters[${k}].requestMirror.backendRef` });
          });
        });
        objs(rule.filters).forEach((f, k) => {
          const m = obj(f.requestMirror).backendRef;
          if (m) refs.push({ ref: obj(m), path: `spec.rules[${i}].filters[${k}].requestMirror.backendRef` });
        });
      });
      for (const { ref, path } of refs) {
        const to = {
          group: str(ref.group) ?? "",
          kind: str(ref.kind) ?? "Service",
          name: str(ref.name) ?? "",
          namespace: str(ref.namespace) ?? from.namespace,
        };
        if (to.group !== "" || to.kind !== "Service") hits.push(hitOn(loc, path, `backend ${to.kind} ${to.name} is not a Service`));
        else if (!referencePermitted(from, to, e.grants))
          hits.push(
            hitOn(
              loc,
              path,
              `backend ${to.namespace}/${to.name} is in another namespace and no ReferenceGrant there permits it (RefNotPermitted)`,
            ),
          );
        else if (!e.services.has(`${to.namespace}/${to.name}`))
          hits.push(hitOn(loc, path, `backend Service ${to.namespace}/${to.name} is not on this cluster (BackendNotFound)`));
      }
    }
    return hits;
  },
};

const listenerCertificates: ClusterRule = {
  scope: "cluster",
  id: "edge-listener-certificates",
  description:
    "Every TLS listener's certificateRef names a Secret a Certificate issues in the Gateway's namespace (or an ExternalSecret reads there from another cluster's publication, policy/tls.ts), or one a ReferenceGrant lets it read (gateway-api conformance gateway-secret-missing-reference-grant), with dnsNames covering the listener's hostname.",
  fix: "Issue the listener's certificate in the Gateway's namespace (builders/edge.ts buildEdge does, from the tenant's host pattern).",
  check(ctx) {
    const e = edgeOf(ctx);
    const issued = new Map<string, string[]>();
    for (const { obj: o } of ctx.objects) {
      // A Certificate, or an ExternalSecret reading a certificate published by another cluster (policy/tls.ts).
      const tls = tlsSecretOf(o);
      if (tls) issued.set(`${tls.namespace}/${tls.secretName}`, tls.dnsNames);
    }
    const hits: Hit[] = [];
    for (const loc of ctx.objects.filter((l) => isGatewayApi(l.obj) && kindOf(l.obj) === "Gateway")) {
      const g = gatewayView(loc.obj);
      g.listeners.forEach((l, i) => {
        const tls = obj((l as unknown as Record<string, unknown>).tls);
        objs(tls.certificateRefs).forEach((c, j) => {
          const to = {
            group: str(c.group) ?? "",
            kind: str(c.kind) ?? "Secret",
            name: str(c.name) ?? "",
            namespace: str(c.namespace) ?? g.namespace,
          };
          const path = `spec.listeners[${i}].tls.certificateRefs[${j}]`;
          if (!referencePermitted({ group: GROUP, kind: "Gateway", namespace: g.namespace }, to, e.grants)) {
            hits.push(hitOn(loc, path, `certificate ${to.namespace}/${to.name} is in another namespace and no ReferenceGrant permits it`));
            return;
          }
          const dnsNames = issued.get(`${to.namespace}/${to.name}`);
          if (!dnsNames) hits.push(hitOn(loc, path, `no Certificate on this cluster issues Secret ${to.namespace}/${to.name}`));
          else if (l.hostname && !dnsNames.includes(l.hostname))
            hits.push(hitOn(loc, path, `Secret ${to.name}'s certificate does not name the listener's hostname ${l.hostname}`));
        });
      });
    }
    return hits;
  },
};

export const EDGE_RULES: readonly ClusterRule[] = [routeAttached, routeBackends, listenerCertificates];
