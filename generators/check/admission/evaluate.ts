/**
 * A ValidatingAdmissionPolicy and its binding applied to one request, as the API server
 * does it (k8s.io/apiserver/pkg/admission/plugin/policy/validating/: dispatcher.go,
 * validator.go, policy_decision.go; KEP-3488; https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/):
 *
 * 1. the binding names the policy; the policy's matchConstraints and the binding's
 *    matchResources both select the request;
 * 2. matchConditions in order: any false skips the policy; an error (with none false)
 *    is a failure;
 * 3. variables are evaluated in order, each seeing the ones before (`variables.<name>`);
 * 4. validations: false is a violation with its message (or messageExpression, or
 *    "failed expression: <expression>"); an error is a failure;
 * 5. a failure under failurePolicy Ignore is dropped; under Fail (the default) it counts
 *    as a violation;
 * 6. violations are enforced by the binding's validationActions: Deny rejects the
 *    request, Warn returns a warning, Audit records an annotation.
 *
 * paramKind is not supported (the fleet's policies bake their values in); a policy
 * that sets it is reported as a failure, so nothing passes unevaluated.
 */
import type { CelInput } from "@bufbuild/cel";
import { evaluate, toCel } from "./cel.js";
import { memoByIdentity } from "../memo.js";
import { isClusterScopedKind, matches, resourceOf, type Json, type MatchResources, type RequestAttributes } from "./match.js";

export interface UserInfo {
  username: string;
  groups: string[];
}

export interface AdmissionRequest {
  operation: RequestAttributes["operation"];
  /** The object being admitted; null for DELETE. */
  object: Json | null;
  /** The stored object for UPDATE and DELETE. */
  oldObject: Json | null;
  /** The Namespace object the request is in; null for cluster-scoped requests. */
  namespaceObject: Json | null;
  userInfo: UserInfo;
}

export interface ValidatingAdmissionPolicy {
  metadata: { name: string };
  spec: {
    failurePolicy?: "Fail" | "Ignore";
    paramKind?: unknown;
    matchConstraints?: MatchResources;
    matchConditions?: { name: string; expression: string }[];
    variables?: { name: string; expression: string }[];
    validations?: { expression: string; message?: string; messageExpression?: string; reason?: string }[];
  };
}

export interface ValidatingAdmissionPolicyBinding {
  metadata: { name: string };
  spec: { policyName: string; validationActions: ("Deny" | "Warn" | "Audit")[]; matchResources?: MatchResources; paramRef?: unknown };
}

export interface Violation {
  policy: string;
  binding: string;
  message: string;
  /** A CEL error under failurePolicy Fail, rather than a validation that returned false. */
  failure: boolean;
}

export interface PolicyOutcome {
  /** Did matchConstraints, matchResources and matchConditions select the request? */
  applies: boolean;
  /** Violations the binding denies with. */
  denied: Violation[];
  warnings: Violation[];
  audited: Violation[];
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");

function labels(o: Json | null): Record<string, string> {
  const l = ((o?.metadata as Json | undefined)?.labels ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(l).filter(([, v]) => typeof v === "string")) as Record<string, string>;
}

/** What the matchers see of a request; once per request (every binding of a cluster meets it). */
export const attributesOf: (req: AdmissionRequest) => RequestAttributes = memoByIdentity(readAttributes);

function readAttributes(req: AdmissionRequest): RequestAttributes {
  const o = req.object ?? req.oldObject;
  if (!o) throw new Error("admission: a request needs an object or an old object");
  const apiVersion = str(o.apiVersion);
  const slash = apiVersion.indexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const kind = str(o.kind);
  const meta = (o.metadata ?? {}) as Json;
  const clusterScoped = isClusterScopedKind(group, kind);
  return {
    operation: req.operation,
    group,
    version,
    resource: resourceOf(kind),
    kind,
    name: str(meta.name),
    namespace: clusterScoped ? "" : str(meta.namespace),
    clusterScoped,
    objectLabels: labels(req.object),
    oldObjectLabels: req.oldObject ? labels(req.oldObject) : undefined,
    namespaceLabels: req.namespaceObject ? labels(req.namespaceObject) : undefined,
  };
}

/** The `request` variable: the fields of admission.k8s.io/v1 AdmissionRequest a policy may read. */
function requestVar(req: AdmissionRequest, a: RequestAttributes): Json {
  return {
    kind: { group: a.group, version: a.version, kind: a.kind },
    resource: { group: a.group, version: a.version, resource: a.resource },
    name: a.name,
    namespace: a.namespace,
    operation: a.operation,
    userInfo: { username: req.userInfo.username, groups: req.userInfo.groups },
    dryRun: false,
  };
}

/** The `request` variable as CEL, once per request (a request meets every binding). */
const requestCel = memoByIdentity((req: AdmissionRequest): CelInput => toCel(requestVar(req, attributesOf(req))));

/** Applies one policy through one binding to one request. Requests are not changed once made: their attributes are memoized. */
export function admit(policy: ValidatingAdmissionPolicy, binding: ValidatingAdmissionPolicyBinding, req: AdmissionRequest): PolicyOutcome {
  const out: PolicyOutcome = { applies: false, denied: [], warnings: [], audited: [] };
  if (binding.spec.policyName !== policy.metadata.name) return out;
  const a = attributesOf(req);
  if (!policy.spec.matchConstraints || !matches(policy.spec.matchConstraints, a, true)) return out;
  if (binding.spec.matchResources && !matches(binding.spec.matchResources, a, false)) return out;

  const failurePolicy = policy.spec.failurePolicy ?? "Fail";
  const violations: Violation[] = [];
  const fail = (message: string): void => {
    if (failurePolicy === "Fail") violations.push({ policy: policy.metadata.name, binding: binding.metadata.name, message, failure: true });
  };
  const bindings: Record<string, CelInput> = {
    object: toCel(req.object),
    oldObject: toCel(req.oldObject),
    request: requestCel(req),
    namespaceObject: toCel(req.namespaceObject),
    params: null,
  };

  if (policy.spec.paramKind !== undefined || binding.spec.paramRef !== undefined) {
    out.applies = true;
    fail("paramKind and paramRef are not supported by this evaluator");
    return enforce(out, binding, violations);
  }

  let conditionError: string | undefined;
  for (const c of policy.spec.matchConditions ?? []) {
    const r = evaluate(c.expression, bindings);
    if (r.ok && r.value === false) return out;
    if (!r.ok) conditionError ??= `matchCondition ${c.name}: ${r.error}`;
    else if (r.value !== true) conditionError ??= `matchCondition ${c.name}: not a bool`;
  }
  out.applies = true;
  if (conditionError !== undefined) {
    fail(conditionError);
    return enforce(out, binding, violations);
  }

  // Variables are lazy in the API server: an error surfaces only where one is used. A
  // variable that fails here is left unbound, so reading it fails the expression that does.
  const variables = new Map<string, CelInput>();
  for (const v of policy.spec.variables ?? []) {
    const r = evaluate(v.expression, { ...bindings, variables: new Map(variables) });
    if (r.ok) variables.set(v.name, r.value as CelInput);
  }
  bindings.variables = new Map(variables);

  for (const v of policy.spec.validations ?? []) {
    const r = evaluate(v.expression, bindings);
    if (!r.ok) fail(`expression ${JSON.stringify(v.expression)}: ${r.error}`);
    else if (r.value !== true) {
      let message = v.message ?? `failed expression: ${v.expression}`;
      if (v.messageExpression) {
        const m = evaluate(v.messageExpression, bindings);
        if (m.ok && typeof m.value === "string" && m.value.trim() !== "") message = m.value;
      }
      violations.push({ policy: policy.metadata.name, binding: binding.metadata.name, message, failure: false });
    }
  }
  return enforce(out, binding, violations);
}

function enforce(out: PolicyOutcome, binding: ValidatingAdmissionPolicyBinding, violations: Violation[]): PolicyOutcome {
  for (const action of binding.spec.validationActions) {
    if (action === "Deny") out.denied.push(...violations);
    else if (action === "Warn") out.warnings.push(...violations);
    else if (action === "Audit") out.audited.push(...violations);
  }
  return out;
}

/** Every binding of every policy applied to a request: the request is rejected when any denies. */
export function admitAll(
  policies: readonly ValidatingAdmissionPolicy[],
  bindings: readonly ValidatingAdmissionPolicyBinding[],
  req: AdmissionRequest,
): Violation[] {
  return bindings.flatMap((b) => {
    const p = policies.find((x) => x.metadata.name === b.spec.policyName);
    // A binding to a missing policy is ignored by the API server (nothing to evaluate).
    return p ? admit(p, b, req).denied : [];
  });
}
