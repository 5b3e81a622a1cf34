/**
 * The Gateway API's attachment rules (generators/gateway/attach.ts), with cases taken from
 * kubernetes-sigs/gateway-api v1.4.1: each block names the conformance manifest or API doc
 * its Gateways, routes and expectations come from.
 */
import { describe, expect, it } from "vitest";
import {
  attach,
  effectiveHostnames,
  listenerRefusal,
  referencePermitted,
  selects,
  type GatewayView,
  type Listener,
} from "../../generators/gateway/attach.js";

const INFRA = "gateway-conformance-infra";
const http = (name: string, hostname?: string, extra: Partial<Listener> = {}): Listener => ({
  name,
  port: 80,
  protocol: "HTTP",
  ...(hostname ? { hostname } : {}),
  allowedRoutes: { namespaces: { from: "Same" } },
  ...extra,
});
const route = (hostnames: string[], namespace = INFRA) => ({ kind: "HTTPRoute", namespace, hostnames });

describe("hostname intersection (conformance/tests/httproute-hostname-intersection.yaml)", () => {
  const gateway: GatewayView = {
    namespace: INFRA,
    name: "httproute-hostname-intersection",
    listeners: [http("listener-1", "very.specific.com"), http("listener-2", "*.wildcard.io"), http("listener-3", "*.anotherwildcard.io")],
  };
  const ref = { name: gateway.name, namespace: INFRA };
  const served = (hostnames: string[]) => attach(gateway, ref, route(hostnames), {}).listeners;

  it("attaches a specific host to the listener with that host, ignoring the hosts no listener has", () => {
    expect(served(["non.matching.com", "*.nonmatchingwildcard.io", "very.specific.com"])).toEqual([
      { name: "listener-1", hostnames: ["very.specific.com"] },
    ]);
  });

  it("attaches specific hosts under a listener wildcard, any depth, but not the wildcard's bare suffix", () => {
    expect(served(["non.matching.com", "wildcard.io", "foo.wildcard.io", "bar.wildcard.io", "foo.bar.wildcard.io"])).toEqual([
      { name: "listener-2", hostnames: ["foo.wildcard.io", "bar.wildcard.io", "foo.bar.wildcard.io"] },
    ]);
  });

  it("attaches a route wildcard to the specific listener host it covers, serving only that host", () => {
    expect(served(["non.matching.com", "*.specific.com"])).toEqual([{ name: "listener-1", hostnames: ["very.specific.com"] }]);
  });

  it("attaches a route wildcard to an equal or wider listener wildcard", () => {
    expect(served(["*.wildcard.io"])).toEqual([{ name: "listener-2", hostnames: ["*.wildcard.io"] }]);
    expect(served(["*.foo.anotherwildcard.io"])).toEqual([{ name: "listener-3", hostnames: ["*.foo.anotherwildcard.io"] }]);
  });

  it("refuses a route none of whose hosts intersect any listener, with NoMatchingListenerHostname", () => {
    expect(attach(gateway, ref, route(["non.matching.com", "*.nonmatchingwildcard.io"]), {})).toEqual({
      accepted: false,
      listeners: [],
      reason: "NoMatchingListenerHostname",
    });
  });

  it("gives a route without hostnames every listener's own hostname (httproute-hostname-intersection-all: no hostname anywhere is '*')", () => {
    expect(effectiveHostnames("very.specific.com", [])).toEqual(["very.specific.com"]);
    expect(effectiveHostnames(undefined, [])).toEqual(["*"]);
    expect(effectiveHostnames(undefined, ["a.example.com"])).toEqual(["a.example.com"]);
  });
});

describe("listener hostname matching (conformance/tests/httproute-listener-hostname-matching.yaml)", () => {
  const gateway: GatewayView = {
    namespace: INFRA,
    name: "httproute-listener-hostname-matching",
    listeners: [
      http("listener-1", "bar.com"),
      http("listener-2", "foo.bar.com"),
      http("listener-3", "*.bar.com"),
      http("listener-4", "*.foo.com"),
    ],
  };
  const withSection = (sectionName: string) =>
    attach(gateway, { name: gateway.name, sectionName }, { kind: "HTTPRoute", namespace: INFRA }, {});

  it("binds a route without hostnames to exactly the listener its sectionName names", () => {
    expect(withSection("listener-1").listeners).toEqual([{ name: "listener-1", hostnames: ["bar.com"] }]);
    expect(withSection("listener-3").listeners).toEqual([{ name: "listener-3", hostnames: ["*.bar.com"] }]);
  });

  it("binds a route that names no section to every listener that accepts it", () => {
    expect(attach(gateway, { name: gateway.name }, { kind: "HTTPRoute", namespace: INFRA }, {}).listeners.map((l) => l.name)).toEqual([
      "listener-1",
      "listener-2",
      "listener-3",
      "listener-4",
    ]);
  });

  it("reports NoMatchingParent for a sectionName no listener has", () => {
    expect(withSection("listener-9").reason).toBe("NoMatchingParent");
  });

  it("matches a listener port when the parentRef gives one (httproute-listener-port-matching), and refuses another port", () => {
    expect(attach(gateway, { name: gateway.name, port: 80 }, route([]), {}).accepted).toBe(true);
    expect(attach(gateway, { name: gateway.name, port: 81 }, route([]), {}).reason).toBe("NoMatchingParent");
  });
});

describe("namespaces a listener admits (apis/v1/gateway_types.go RouteNamespaces; httproute-invalid-cross-namespace-parent-ref.yaml)", () => {
  const gateway: GatewayView = { namespace: INFRA, name: "same-namespace", listeners: [http("http")] };

  it("defaults to Same: a route from another namespace is NotAllowedByListeners", () => {
    const listener: Listener = { name: "http", port: 80, protocol: "HTTP" };
    expect(listenerRefusal(gateway, listener, route([], INFRA), {})).toBeUndefined();
    expect(attach(gateway, { name: "same-namespace", namespace: INFRA }, route([], "gateway-conformance-web-backend"), {}).reason).toBe(
      "NotAllowedByListeners",
    );
  });

  it("admits every namespace with All, and the selected ones with Selector (matchLabels and matchExpressions)", () => {
    const all = http("all", undefined, { allowedRoutes: { namespaces: { from: "All" } } });
    const selector = http("sel", undefined, {
      allowedRoutes: { namespaces: { from: "Selector", selector: { matchLabels: { "kubernetes.io/metadata.name": "team-a" } } } },
    });
    expect(listenerRefusal(gateway, all, route([], "anywhere"), {})).toBeUndefined();
    expect(listenerRefusal(gateway, selector, route([], "team-a"), { "kubernetes.io/metadata.name": "team-a" })).toBeUndefined();
    expect(listenerRefusal(gateway, selector, route([], "team-b"), { "kubernetes.io/metadata.name": "team-b" })).toBe(
      "NotAllowedByListeners",
    );
    expect(selects({ matchExpressions: [{ key: "tier", operator: "In", values: ["edge"] }] }, { tier: "edge" })).toBe(true);
    expect(selects({ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["edge"] }] }, { tier: "edge" })).toBe(false);
    expect(selects({ matchExpressions: [{ key: "tier", operator: "Exists" }] }, {})).toBe(false);
    expect(selects({ matchExpressions: [{ key: "tier", operator: "DoesNotExist" }] }, {})).toBe(true);
  });

  it("refuses a route kind the listener does not list, and defaults HTTP and HTTPS listeners to HTTPRoute and GRPCRoute", () => {
    const onlyGrpc = http("grpc", undefined, { allowedRoutes: { namespaces: { from: "Same" }, kinds: [{ kind: "GRPCRoute" }] } });
    expect(listenerRefusal(gateway, onlyGrpc, route([]), {})).toBe("NotAllowedByListeners");
    const tcp: Listener = { name: "tcp", port: 9000, protocol: "TCP" };
    expect(listenerRefusal(gateway, tcp, route([]), {})).toBe("NotAllowedByListeners");
    expect(listenerRefusal(gateway, http("h"), { kind: "GRPCRoute", namespace: INFRA }, {})).toBeUndefined();
  });

  it("resolves a parentRef without namespace in the route's own namespace", () => {
    expect(attach(gateway, { name: "same-namespace" }, route([], "elsewhere"), {}).reason).toBe("NoMatchingParent");
  });
});

describe("references across namespaces (apis/v1beta1/referencegrant_types.go)", () => {
  const route = { group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: INFRA };
  const backend = { group: "", kind: "Service", name: "web-backend", namespace: "gateway-conformance-web-backend" };

  it("refuses a backend in another namespace without a ReferenceGrant (httproute-invalid-cross-namespace-backend-ref.yaml)", () => {
    expect(referencePermitted(route, backend, [])).toBe(false);
    expect(referencePermitted(route, { ...backend, namespace: INFRA }, [])).toBe(true);
  });

  it("permits it with a grant in the backend's namespace naming the route's namespace (httproute-reference-grant.yaml)", () => {
    const grant = { namespace: backend.namespace, from: [route], to: [{ group: "", kind: "Service" }] };
    expect(referencePermitted(route, backend, [grant])).toBe(true);
  });

  it("refuses with a grant for another Service name, another source namespace, or placed in the source namespace (httproute-invalid-reference-grant.yaml)", () => {
    expect(
      referencePermitted(route, backend, [
        { namespace: backend.namespace, from: [route], to: [{ group: "", kind: "Service", name: "other" }] },
      ]),
    ).toBe(false);
    expect(
      referencePermitted(route, backend, [
        { namespace: backend.namespace, from: [{ ...route, namespace: "x" }], to: [{ group: "", kind: "Service" }] },
      ]),
    ).toBe(false);
    expect(referencePermitted(route, backend, [{ namespace: INFRA, from: [route], to: [{ group: "", kind: "Service" }] }])).toBe(false);
  });

  it("treats a Gateway's certificateRef to a Secret in another namespace the same way (gateway-secret-missing-reference-grant.yaml)", () => {
    const gateway = { group: "gateway.networking.k8s.io", kind: "Gateway", namespace: INFRA };
    const secret = { group: "", kind: "Secret", name: "certificate", namespace: "gateway-conformance-web-backend" };
    expect(referencePermitted(gateway, secret, [])).toBe(false);
    expect(
      referencePermitted(gateway, secret, [{ namespace: secret.namespace, from: [gateway], to: [{ group: "", kind: "Secret" }] }]),
    ).toBe(true);
  });
});
