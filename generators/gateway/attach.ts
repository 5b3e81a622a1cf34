/**
 * The Gateway API's route attachment and reference rules, the one model the check and the
 * tests use (like argo/ for Argo CD). Sources, kubernetes-sigs/gateway-api at v1.4.1:
 * - apis/v1/httproute_types.go `Hostnames`: listener/route hostname intersection;
 * - apis/v1/shared_types.go `ParentReference.SectionName`: an empty sectionName references
 *   every listener, and the route is attached when at least one listener accepts it;
 * - apis/v1/gateway_types.go `AllowedRoutes` (namespaces From Same by default, All, Selector)
 *   and `RouteGroupKind` (kinds default from the listener protocol: istio
 *   pilot/pkg/config/kube/gateway/conversion.go gives HTTPRoute and GRPCRoute to HTTP/HTTPS);
 * - apis/v1beta1/referencegrant_types.go: a reference to another namespace (a backendRef, a
 *   listener's certificateRef) needs a ReferenceGrant in the target namespace;
 * - the conformance tests httproute-hostname-intersection, httproute-listener-hostname-matching,
 *   httproute-invalid-cross-namespace-parent-ref, httproute-invalid-cross-namespace-backend-ref,
 *   httproute-reference-grant and gateway-secret-missing-reference-grant.
 * Imports nothing else from generators/.
 */

export interface LabelSelector {
  matchLabels?: Readonly<Record<string, string>>;
  matchExpressions?: readonly { key: string; operator: "In" | "NotIn" | "Exists" | "DoesNotExist"; values?: readonly string[] }[];
}

export interface Listener {
  name: string;
  port: number;
  protocol: string;
  hostname?: string;
  allowedRoutes?: {
    namespaces?: { from?: "All" | "Same" | "Selector"; selector?: LabelSelector };
    kinds?: readonly { group?: string; kind: string }[];
  };
}

export interface GatewayView {
  namespace: string;
  name: string;
  listeners: readonly Listener[];
}

export interface ParentRef {
  group?: string;
  kind?: string;
  namespace?: string;
  name: string;
  sectionName?: string;
  port?: number;
}

export interface RouteView {
  kind: string;
  namespace: string;
  hostnames?: readonly string[];
}

export interface ReferenceGrantView {
  /** The namespace the grant lives in: the target's. */
  namespace: string;
  from: readonly { group: string; kind: string; namespace: string }[];
  to: readonly { group: string; kind: string; name?: string }[];
}

export const GROUP = "gateway.networking.k8s.io";

/** Why a listener refuses a route; the reasons are the RouteParentStatus reasons of apis/v1/shared_types.go. */
export type Refusal = "NoMatchingParent" | "NotAllowedByListeners" | "NoMatchingListenerHostname";

/** Whether `host` matches `pattern` (one of them may be a `*.` wildcard, matching any number of labels but not the bare suffix). */
function matches(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  if (pattern.startsWith("*.")) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
  return false;
}

/**
 * The route hostnames a listener serves: all of the route's that intersect the listener's
 * hostname (either side's wildcard may cover the other), the listener's own when the route
 * names none, and every hostname when neither names one ("*").
 */
export function effectiveHostnames(listenerHostname: string | undefined, routeHostnames: readonly string[] = []): string[] {
  if (routeHostnames.length === 0) return [listenerHostname ?? "*"];
  if (listenerHostname === undefined) return [...routeHostnames];
  // A route wildcard that covers a precise listener hostname serves exactly that hostname.
  return routeHostnames.flatMap((h) => (matches(listenerHostname, h) ? [h] : matches(h, listenerHostname) ? [listenerHostname] : []));
}

export function selects(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const value = labels[e.key];
    const inValues = value !== undefined && (e.values ?? []).includes(value);
    if (e.operator === "In" && !inValues) return false;
    if (e.operator === "NotIn" && inValues) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}

function defaultKinds(protocol: string): string[] {
  return protocol === "HTTP" || protocol === "HTTPS" ? ["HTTPRoute", "GRPCRoute"] : [];
}

/** Why `listener` of `gateway` refuses `route`, or undefined when it accepts it. */
export function listenerRefusal(
  gateway: GatewayView,
  listener: Listener,
  route: RouteView,
  namespaceLabels: Readonly<Record<string, string>>,
): Refusal | undefined {
  const from = listener.allowedRoutes?.namespaces?.from ?? "Same";
  const namespaceOk =
    from === "All" ||
    (from === "Same" && route.namespace === gateway.namespace) ||
    (from === "Selector" && selects(listener.allowedRoutes?.namespaces?.selector ?? {}, namespaceLabels));
  const kinds = listener.allowedRoutes?.kinds ?? [];
  const kindOk =
    kinds.length === 0
      ? defaultKinds(listener.protocol).includes(route.kind)
      : kinds.some((k) => (k.group ?? GROUP) === GROUP && k.kind === route.kind);
  if (!namespaceOk || !kindOk) return "NotAllowedByListeners";
  if (effectiveHostnames(listener.hostname, route.hostnames).length === 0) return "NoMatchingListenerHostname";
  return undefined;
}

export interface Attachment {
  accepted: boolean;
  /** The listeners that accept the route (its effective hostnames on each). */
  listeners: { name: string; hostnames: string[] }[];
  /** Set when not accepted: the reason the route's status would carry. */
  reason?: Refusal;
}

/**
 * Whether `route` attaches to `gateway` through `ref`. A parentRef defaults to a Gateway in the
 * route's own namespace; a sectionName (and port) narrows it to that listener.
 */
export function attach(
  gateway: GatewayView,
  ref: ParentRef,
  route: RouteView,
  namespaceLabels: Readonly<Record<string, string>>,
): Attachment {
  const refersToGateway =
    (ref.group ?? GROUP) === GROUP &&
    (ref.kind ?? "Gateway") === "Gateway" &&
    ref.name === gateway.name &&
    (ref.namespace ?? route.namespace) === gateway.namespace;
  const candidates = gateway.listeners.filter(
    (l) => (ref.sectionName === undefined || l.name === ref.sectionName) && (ref.port === undefined || l.port === ref.port),
  );
  if (!refersToGateway || candidates.length === 0) return { accepted: false, listeners: [], reason: "NoMatchingParent" };
  const verdicts = candidates.map((l) => ({ l, refusal: listenerRefusal(gateway, l, route, namespaceLabels) }));
  const accepting = verdicts.filter((v) => v.refusal === undefined);
  if (accepting.length > 0) {
    return {
      accepted: true,
      listeners: accepting.map(({ l }) => ({ name: l.name, hostnames: effectiveHostnames(l.hostname, route.hostnames) })),
    };
  }
  // Hostname mismatch is reported only when some listener admitted the namespace and kind.
  const reason = verdicts.some((v) => v.refusal === "NoMatchingListenerHostname") ? "NoMatchingListenerHostname" : "NotAllowedByListeners";
  return { accepted: false, listeners: [], reason };
}

/**
 * Whether an object in `fromNamespace` of kind `from` may reference `to` in `toNamespace`: always
 * within a namespace; across namespaces only through a ReferenceGrant in the target namespace
 * that names the source's group, kind and namespace and the target's group, kind (and name, if given).
 */
export function referencePermitted(
  from: { group: string; kind: string; namespace: string },
  to: { group: string; kind: string; name: string; namespace: string },
  grants: readonly ReferenceGrantView[],
): boolean {
  if (from.namespace === to.namespace) return true;
  return grants.some(
    (g) =>
      g.namespace === to.namespace &&
      g.from.some((f) => f.group === from.group && f.kind === from.kind && f.namespace === from.namespace) &&
      g.to.some((t) => t.group === to.group && t.kind === to.kind && (t.name === undefined || t.name === to.name)),
  );
}
