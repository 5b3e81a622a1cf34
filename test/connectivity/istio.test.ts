/**
 * Istio security semantics (generators/check/connectivity/istio.ts), from upstream cases: each
 * block names the istio/istio file or doc page its cases come from.
 */
import { describe, expect, it } from "vitest";
import {
  authorize,
  effectiveMtls,
  injected,
  type IstioObject,
  type MeshWorkload,
  type Request,
} from "../../generators/check/connectivity/istio.js";

const pa = (namespace: string, name: string, spec: Record<string, unknown>): IstioObject => ({ namespace, name, spec });
const server: MeshWorkload = { namespace: "foo", labels: { app: "httpbin", version: "v1" }, meshed: true };
const sel = { selector: { matchLabels: { app: "httpbin" } } };

// istio/istio pilot/pkg/security/authn/policy_applier_test.go TestComposePeerAuthentication
describe("PeerAuthentication composition (ComposePeerAuthentication)", () => {
  it.each([
    { name: "no policy: PERMISSIVE", pas: [], port: 80, mode: "PERMISSIVE" },
    { name: "mesh only: STRICT", pas: [pa("istio-system", "default", { mtls: { mode: "STRICT" } })], port: 80, mode: "STRICT" },
    {
      name: "namespace overrides mesh",
      pas: [pa("istio-system", "default", { mtls: { mode: "STRICT" } }), pa("foo", "default", { mtls: { mode: "PERMISSIVE" } })],
      port: 80,
      mode: "PERMISSIVE",
    },
    {
      name: "namespace UNSET inherits the mesh",
      pas: [pa("istio-system", "default", { mtls: { mode: "STRICT" } }), pa("foo", "default", { mtls: { mode: "UNSET" } })],
      port: 80,
      mode: "STRICT",
    },
    {
      name: "workload overrides namespace",
      pas: [pa("foo", "default", { mtls: { mode: "STRICT" } }), pa("foo", "wl", { ...sel, mtls: { mode: "DISABLE" } })],
      port: 80,
      mode: "DISABLE",
    },
    {
      name: "workload without mtls inherits the namespace",
      pas: [pa("foo", "default", { mtls: { mode: "STRICT" } }), pa("foo", "wl", { ...sel })],
      port: 80,
      mode: "STRICT",
    },
    {
      name: "port-level mode applies to its port",
      pas: [
        pa("foo", "default", { mtls: { mode: "STRICT" } }),
        pa("foo", "wl", { ...sel, portLevelMtls: { "9090": { mode: "PERMISSIVE" } } }),
      ],
      port: 9090,
      mode: "PERMISSIVE",
    },
    {
      name: "port-level mode does not apply to other ports",
      pas: [
        pa("foo", "default", { mtls: { mode: "STRICT" } }),
        pa("foo", "wl", { ...sel, portLevelMtls: { "9090": { mode: "PERMISSIVE" } } }),
      ],
      port: 8080,
      mode: "STRICT",
    },
    {
      name: "port-level UNSET inherits the workload level",
      pas: [pa("foo", "wl", { ...sel, mtls: { mode: "DISABLE" }, portLevelMtls: { "9090": { mode: "UNSET" } } })],
      port: 9090,
      mode: "DISABLE",
    },
    {
      name: "a selector policy in the root namespace is not a workload policy",
      pas: [pa("istio-system", "wl", { ...sel, mtls: { mode: "STRICT" } })],
      port: 80,
      mode: "PERMISSIVE",
    },
    {
      name: "another namespace's policy does not apply",
      pas: [pa("bar", "default", { mtls: { mode: "STRICT" } })],
      port: 80,
      mode: "PERMISSIVE",
    },
  ])("$name", ({ pas, port, mode }) => {
    expect(effectiveMtls(pas, server, port).mode).toBe(mode);
  });
});

// istio manifests/charts/istio-control/istio-discovery templates/mutatingwebhook.yaml (namespace and object selectors)
describe("sidecar injection", () => {
  it.each<{ ns: Record<string, string>; pod: Record<string, string>; meshed: boolean }>([
    { ns: { "istio-injection": "enabled" }, pod: {}, meshed: true },
    { ns: {}, pod: {}, meshed: false },
    { ns: { "istio-injection": "enabled" }, pod: { "sidecar.istio.io/inject": "false" }, meshed: false },
    { ns: {}, pod: { "sidecar.istio.io/inject": "true" }, meshed: true },
    { ns: { "istio-injection": "disabled" }, pod: {}, meshed: false },
  ])("namespace $ns, pod $pod: meshed $meshed", ({ ns, pod, meshed }) => {
    expect(injected(ns, pod)).toBe(meshed);
  });
});

const mtlsFrom = (namespace: string, serviceAccount: string, port = 8000, http = false): Request => ({
  client: { meshed: true, namespace, serviceAccount },
  mtls: true,
  port,
  http,
});
const plaintext = (port = 8000): Request => ({
  client: { meshed: false, namespace: "legacy", serviceAccount: "default" },
  mtls: false,
  port,
  http: false,
});
const ap = (name: string, spec: Record<string, unknown>, namespace = "foo"): IstioObject => ({ namespace, name, spec });

// istio docs concepts/security "Authorization policies" (evaluation order, implicit enablement) and
// istio/istio pilot/pkg/security/authz/model/model.go, generator.go (mTLS-only source fields, HTTP-only fields on TCP)
describe("AuthorizationPolicy evaluation", () => {
  it.each([
    { name: "no policy allows", aps: [], req: plaintext(), allowed: true },
    {
      name: "an ALLOW policy with no rules denies everything",
      aps: [ap("deny-all", { ...sel })],
      req: mtlsFrom("foo", "sleep"),
      allowed: false,
    },
    { name: "an ALLOW rule {} allows everything", aps: [ap("allow-all", { ...sel, rules: [{}] })], req: plaintext(), allowed: true },
    {
      name: "ALLOW by principal admits that identity",
      aps: [ap("p", { ...sel, rules: [{ from: [{ source: { principals: ["cluster.local/ns/foo/sa/sleep"] } }] }] })],
      req: mtlsFrom("foo", "sleep"),
      allowed: true,
    },
    {
      name: "an ALLOW policy denies a caller no rule names",
      aps: [ap("p", { ...sel, rules: [{ from: [{ source: { principals: ["cluster.local/ns/foo/sa/sleep"] } }] }] })],
      req: mtlsFrom("foo", "other"),
      allowed: false,
    },
    {
      name: "principals never match plaintext",
      aps: [ap("p", { ...sel, rules: [{ from: [{ source: { principals: ["*"] } }] }] })],
      req: plaintext(),
      allowed: false,
    },
    {
      name: "namespaces match the mTLS identity's namespace",
      aps: [ap("p", { ...sel, rules: [{ from: [{ source: { namespaces: ["ingress-nginx"] } }] }] })],
      req: mtlsFrom("ingress-nginx", "ingress-nginx"),
      allowed: true,
    },
    {
      name: "namespaces never match plaintext",
      aps: [ap("p", { ...sel, rules: [{ from: [{ source: { namespaces: ["legacy"] } }] }] })],
      req: plaintext(),
      allowed: false,
    },
    {
      name: "principal prefix wildcard",
      aps: [ap("p", { ...sel, rules: [{ from: [{ source: { principals: ["cluster.local/ns/foo/*"] } }] }] })],
      req: mtlsFrom("foo", "anything"),
      allowed: true,
    },
    {
      name: "ALLOW to ports admits that port",
      aps: [ap("p", { ...sel, rules: [{ to: [{ operation: { ports: ["9090"] } }] }] })],
      req: plaintext(9090),
      allowed: true,
    },
    {
      name: "ALLOW to ports denies another port",
      aps: [ap("p", { ...sel, rules: [{ to: [{ operation: { ports: ["9090"] } }] }] })],
      req: plaintext(8000),
      allowed: false,
    },
    {
      name: "DENY wins over ALLOW",
      aps: [
        ap("allow", { ...sel, rules: [{}] }),
        ap("deny", { ...sel, action: "DENY", rules: [{ from: [{ source: { namespaces: ["foo"] } }] }] }),
      ],
      req: mtlsFrom("foo", "sleep"),
      allowed: false,
    },
    {
      name: "DENY notPrincipals ['*'] denies a plaintext client (require mTLS)",
      aps: [ap("deny", { ...sel, action: "DENY", rules: [{ from: [{ source: { notPrincipals: ["*"] } }] }] })],
      req: plaintext(),
      allowed: false,
    },
    {
      name: "DENY notPrincipals ['*'] lets an mTLS client through",
      aps: [ap("deny", { ...sel, action: "DENY", rules: [{ from: [{ source: { notPrincipals: ["*"] } }] }] })],
      req: mtlsFrom("foo", "sleep"),
      allowed: true,
    },
    {
      name: "an ALLOW rule with methods matches nothing on a TCP port",
      aps: [ap("p", { ...sel, rules: [{ to: [{ operation: { methods: ["GET"] } }] }] })],
      req: mtlsFrom("foo", "sleep", 6379, false),
      allowed: false,
    },
    {
      name: "an ALLOW rule with methods admits some requests on an HTTP port",
      aps: [ap("p", { ...sel, rules: [{ to: [{ operation: { methods: ["GET"] } }] }] })],
      req: mtlsFrom("foo", "sleep", 8000, true),
      allowed: true,
    },
    {
      name: "a DENY rule with methods denies a whole TCP connection (the HTTP field is dropped)",
      aps: [ap("p", { ...sel, action: "DENY", rules: [{ to: [{ operation: { methods: ["GET"] } }] }] })],
      req: mtlsFrom("foo", "sleep", 6379, false),
      allowed: false,
    },
    {
      name: "a root-namespace policy without selector applies mesh-wide",
      aps: [ap("mesh-deny", { action: "DENY", rules: [{ to: [{ operation: { ports: ["8000"] } }] }] }, "istio-system")],
      req: mtlsFrom("foo", "sleep"),
      allowed: false,
    },
    {
      name: "a policy selecting other pods does not apply",
      aps: [ap("p", { selector: { matchLabels: { app: "other" } } })],
      req: mtlsFrom("foo", "sleep"),
      allowed: true,
    },
  ])("$name", ({ aps, req, allowed }) => {
    expect(authorize(aps, server, req).allowed).toBe(allowed);
  });

  it("names the ALLOW policy and the caller it misses", () => {
    const v = authorize(
      [ap("api", { ...sel, rules: [{ from: [{ source: { principals: ["cluster.local/ns/foo/sa/web"] } }] }] })],
      server,
      mtlsFrom("foo", "batch"),
    );
    expect(v.reason).toBe("no rule of AuthorizationPolicy foo/api (ALLOW) admits cluster.local/ns/foo/sa/batch on port 8000");
  });
});
