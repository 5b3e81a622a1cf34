/**
 * Istio 1.28 security on the server side of a connection: PeerAuthentication (does the
 * server's sidecar accept plaintext?) and AuthorizationPolicy (does it let this caller in?).
 * Sidecar mode only: the fleet does not use ambient.
 *
 * - istio/istio pilot/pkg/security/authn/policy_applier.go ComposePeerAuthentication: the
 *   narrowest scope wins (workload over namespace over mesh, the mesh's being a policy
 *   without selector in the root namespace istio-system); UNSET inherits from the parent,
 *   port-level UNSET from the workload; with no policy the mode is PERMISSIVE; of several
 *   at one scope the oldest wins (rendered objects have no timestamps: the first declared).
 *   portLevelMtls keys are the workload's (container) ports.
 * - istio docs concepts/security "Authorization policies" and pilot/pkg/security/authz/builder:
 *   CUSTOM, then DENY, then ALLOW; a workload with no ALLOW policy allows; with one, a request
 *   no ALLOW rule matches is denied; an ALLOW policy with no rules matches nothing (deny all);
 *   a rule `{}` matches everything.
 * - pilot/pkg/security/authz/model/model.go (New, Generate, checkError) and generator.go:
 *   the sources of a rule are ORed, the fields of one source ANDed; principals and namespaces
 *   match only the mTLS peer identity, so plaintext never matches them and always matches their
 *   `not` forms;
 *   on a TCP port the HTTP-only fields (methods, paths, hosts, requestPrincipals) make an
 *   ALLOW rule match nothing and are dropped from a DENY rule (a wider deny).
 */
import { ISTIO_INJECTION_LABEL, ISTIO_SYSTEM_NAMESPACE, LABELS } from "../../fleet/constants.js";
import { arr, obj, objs, selectorMatches, str, strMap, type Obj } from "../policy/util.js";

export type MtlsMode = "STRICT" | "PERMISSIVE" | "DISABLE";

/** The server side of a connection, as Istio sees it. */
export interface MeshWorkload {
  namespace: string;
  labels: Readonly<Record<string, string>>;
  /** Does the pod run a sidecar (namespace istio-injection=enabled, or the pod's own inject label)? */
  meshed: boolean;
  /** Inbound ports the sidecar does not capture (traffic.sidecar.istio.io annotations). */
  uncaptured?: (port: number) => boolean;
}

/** The client side: its SPIFFE identity when it runs a sidecar (mTLS), none when plaintext. */
export interface MeshClient {
  meshed: boolean;
  namespace: string;
  serviceAccount: string;
}

export interface IstioObject {
  namespace: string;
  name: string;
  spec: Obj;
}

export const TRUST_DOMAIN = "cluster.local";

/** Istio's injection decision (istio manifests/charts/istio-control/istio-discovery templates/mutatingwebhook.yaml):
 * a pod label sidecar.istio.io/inject wins, else the namespace label istio-injection=enabled. */
export function injected(namespaceLabels: Readonly<Record<string, string>>, podLabels: Readonly<Record<string, string>>): boolean {
  const pod = podLabels[LABELS.istioInject];
  if (pod === "false") return false;
  if (pod === "true") return true;
  return namespaceLabels[ISTIO_INJECTION_LABEL] === "enabled";
}

function modeOf(v: unknown): MtlsMode | undefined {
  const m = str(obj(v).mode);
  return m === "STRICT" || m === "PERMISSIVE" || m === "DISABLE" ? m : undefined;
}

function hasSelector(pa: IstioObject): boolean {
  return Object.keys(strMap(obj(pa.spec.selector).matchLabels)).length > 0;
}

export interface EffectiveMtls {
  mode: MtlsMode;
  /** The policy that decided it ("namespace/name"), or "default" when none applies. */
  by: string;
}

/** ComposePeerAuthentication for one workload and one of its ports. */
export function effectiveMtls(pas: readonly IstioObject[], w: MeshWorkload, port: number): EffectiveMtls {
  const mesh = pas.find((p) => p.namespace === ISTIO_SYSTEM_NAMESPACE && !hasSelector(p));
  const ns = w.namespace === ISTIO_SYSTEM_NAMESPACE ? undefined : pas.find((p) => p.namespace === w.namespace && !hasSelector(p));
  const wl =
    w.namespace === ISTIO_SYSTEM_NAMESPACE
      ? undefined
      : pas.find(
          (p) =>
            p.namespace === w.namespace &&
            hasSelector(p) &&
            selectorMatches({ matchLabels: strMap(obj(p.spec.selector).matchLabels) }, w.labels),
        );
  let out: EffectiveMtls = { mode: "PERMISSIVE", by: "default" };
  for (const p of [mesh, ns, wl]) {
    const m = p ? modeOf(p.spec.mtls) : undefined;
    if (p && m) out = { mode: m, by: `${p.namespace}/${p.name}` };
  }
  if (wl) {
    const portLevel = obj(wl.spec.portLevelMtls)[String(port)];
    if (portLevel !== undefined) {
      const m = modeOf(portLevel);
      if (m) out = { mode: m, by: `${wl.namespace}/${wl.name} port ${port}` };
    }
  }
  return out;
}

/** Istio's string match: exact, "*", prefix "x*" or suffix "*x" (authz/model/matcher/string.go). */
function strMatch(pattern: string, value: string): boolean {
  if (pattern === "*") return true;
  if (pattern.endsWith("*")) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith("*")) return value.endsWith(pattern.slice(1));
  return pattern === value;
}

function strings(v: unknown): string[] {
  return arr(v).filter((x): x is string => typeof x === "string");
}

export interface Request {
  client: MeshClient;
  /** Did the connection arrive over mTLS (client meshed and the server's sidecar captures the port)? */
  mtls: boolean;
  /** Destination (container) port. */
  port: number;
  /** Is the port's traffic HTTP to Istio (protocol selection by Service port name or appProtocol)? */
  http: boolean;
}

const HTTP_ONLY_OPERATION = ["methods", "notMethods", "paths", "notPaths", "hosts", "notHosts"] as const;
const HTTP_ONLY_SOURCE = ["requestPrincipals", "notRequestPrincipals"] as const;

function principalOf(r: Request): string | undefined {
  return r.mtls ? `${TRUST_DOMAIN}/ns/${r.client.namespace}/sa/${r.client.serviceAccount}` : undefined;
}

/** One `from.source` against the request: its fields ANDed. */
function sourceMatches(s: Obj, r: Request, action: string): boolean {
  const principal = principalOf(r);
  const ns = r.mtls ? r.client.namespace : undefined;
  const check = (values: string[], nots: string[], value: string | undefined): boolean => {
    // Without mTLS there is no identity: a positive list never matches it, a `not` list always
    // does (istio docs ops/best-practices/security: DENY with notPrincipals ["*"] refuses plaintext).
    if (value === undefined) return values.length === 0;
    return (values.length === 0 || values.some((v) => strMatch(v, value))) && !nots.some((v) => strMatch(v, value));
  };
  if (!check(strings(s.principals), strings(s.notPrincipals), principal)) return false;
  if (!check(strings(s.namespaces), strings(s.notNamespaces), ns)) return false;
  // Source IPs are not known before run time: an ALLOW on them is counted on, a DENY is not
  // counted as denying every request.
  if (["ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks"].some((k) => s[k] !== undefined) && action === "DENY") return false;
  // Request principals are HTTP-only (model.go checkError): void in an ALLOW on TCP, dropped from a DENY on TCP;
  // on HTTP they admit some requests (ALLOW) and deny only some (DENY).
  if (HTTP_ONLY_SOURCE.some((k) => s[k] !== undefined)) {
    if (action === "ALLOW" && !r.http) return false;
    if (action === "DENY" && r.http) return false;
  }
  return true;
}

function operationMatches(o: Obj, r: Request, action: string): boolean {
  const ports = strings(o.ports);
  const notPorts = strings(o.notPorts);
  if (ports.length > 0 && !ports.includes(String(r.port))) return false;
  if (notPorts.includes(String(r.port))) return false;
  const httpOnly = HTTP_ONLY_OPERATION.some((k) => o[k] !== undefined);
  // model.go checkError: on TCP an HTTP-only field voids an ALLOW rule and is dropped from a DENY rule.
  // On HTTP, a method or path condition admits some requests (ALLOW) and denies only some (DENY).
  if (httpOnly) return action === "ALLOW" ? r.http : !r.http;
  return true;
}

/** Does a rule match every request of this connection (DENY), or some (ALLOW)? */
function ruleMatches(rule: Obj, r: Request, action: string): boolean {
  const from = objs(rule.from);
  const to = objs(rule.to);
  if (objs(rule.when).length > 0 && action === "DENY") return false; // conditions narrow a deny to some requests
  const fromOk = from.length === 0 || from.some((f) => sourceMatches(obj(f.source), r, action));
  const toOk = to.length === 0 || to.some((t) => operationMatches(obj(t.operation), r, action));
  return fromOk && toOk;
}

/** Policies that apply to a workload: the root namespace's without selector, its namespace's, and those selecting it. */
export function applicable(aps: readonly IstioObject[], w: MeshWorkload): IstioObject[] {
  return aps.filter((p) => {
    const sel = obj(p.spec.selector);
    const selects =
      Object.keys(strMap(sel.matchLabels)).length === 0 || selectorMatches({ matchLabels: strMap(sel.matchLabels) }, w.labels);
    if (p.spec.targetRef !== undefined || p.spec.targetRefs !== undefined) return false; // waypoint/gateway-attached: not sidecars
    return (
      (p.namespace === ISTIO_SYSTEM_NAMESPACE && Object.keys(strMap(sel.matchLabels)).length === 0) ||
      (p.namespace === w.namespace && selects)
    );
  });
}

export interface AuthzVerdict {
  allowed: boolean;
  /** The deciding policy ("namespace/name") and why. */
  reason: string;
}

/** Evaluates the AuthorizationPolicies of a meshed server for one request. */
export function authorize(aps: readonly IstioObject[], w: MeshWorkload, r: Request): AuthzVerdict {
  const mine = applicable(aps, w);
  const action = (p: IstioObject): string => str(p.spec.action) ?? "ALLOW";
  const id = (p: IstioObject): string => `${p.namespace}/${p.name}`;
  const deny = mine.filter((p) => action(p) === "DENY").find((p) => objs(p.spec.rules).some((rule) => ruleMatches(rule, r, "DENY")));
  if (deny) return { allowed: false, reason: `AuthorizationPolicy ${id(deny)} (DENY) matches` };
  const allows = mine.filter((p) => action(p) === "ALLOW");
  if (allows.length === 0) return { allowed: true, reason: "no ALLOW policy" };
  const allow = allows.find((p) => objs(p.spec.rules).some((rule) => ruleMatches(rule, r, "ALLOW")));
  if (allow) return { allowed: true, reason: `AuthorizationPolicy ${id(allow)} allows` };
  const who = principalOf(r) ?? "a plaintext client (no mTLS identity)";
  return { allowed: false, reason: `no rule of AuthorizationPolicy ${allows.map(id).join(", ")} (ALLOW) admits ${who} on port ${r.port}` };
}
