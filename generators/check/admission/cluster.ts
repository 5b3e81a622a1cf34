/**
 * Admission over a rendered cluster: the cluster's own ValidatingAdmissionPolicies and
 * bindings (from the platform folder) applied to an object, as a create by Argo CD's
 * application controller, with the object's Namespace as the API server would load it.
 */
import { LABELS, PLATFORM_TENANT } from "../../fleet/constants.js";
import type { Json } from "./match.js";
import { memoByIdentity } from "../memo.js";
import {
  admitAll,
  type AdmissionRequest,
  type UserInfo,
  type ValidatingAdmissionPolicy,
  type ValidatingAdmissionPolicyBinding,
  type Violation,
} from "./evaluate.js";

/** Argo CD's application controller: it applies every manifest and is not exempt from any policy. */
export const ARGOCD_CONTROLLER: UserInfo = {
  username: "system:serviceaccount:argocd:argocd-application-controller",
  groups: ["system:serviceaccounts", "system:serviceaccounts:argocd", "system:authenticated"],
};

export interface ClusterAdmission {
  policies: ValidatingAdmissionPolicy[];
  bindings: ValidatingAdmissionPolicyBinding[];
  namespaces: Map<string, Json>;
}

const meta = (o: Json): Json => (o.metadata ?? {}) as Json;

/** The last object of each kind and name: what the cluster holds when several folders claim it. */
function byName(objects: readonly Json[], kind: string): Map<string, Json> {
  return new Map(objects.filter((o) => o.kind === kind).map((o) => [String(meta(o).name), o]));
}

/**
 * The admission configuration of a cluster: its policies, bindings and namespaces. When two
 * objects claim the same name, the later wins: callers pass the platform's objects last, so a
 * Namespace or policy planted in a tenant folder cannot stand in for the platform's.
 */
export function clusterAdmission(objects: readonly Json[]): ClusterAdmission {
  return {
    policies: [...byName(objects, "ValidatingAdmissionPolicy").values()] as unknown as ValidatingAdmissionPolicy[],
    bindings: [...byName(objects, "ValidatingAdmissionPolicyBinding").values()] as unknown as ValidatingAdmissionPolicyBinding[],
    namespaces: byName(objects, "Namespace"),
  };
}

/**
 * A create request for a manifest, from Argo CD's controller. The controller's request for
 * an object is made once per cluster, so every guardrail rule evaluates the same request.
 */
export function createRequest(c: ClusterAdmission, object: Json, user: UserInfo = ARGOCD_CONTROLLER): AdmissionRequest {
  if (user !== ARGOCD_CONTROLLER) return newCreateRequest(c, object, user);
  const made = controllerRequests(c);
  let req = made.get(object);
  if (!req) {
    req = newCreateRequest(c, object, user);
    made.set(object, req);
  }
  return req;
}

const controllerRequests = memoByIdentity((_: ClusterAdmission) => new WeakMap<Json, AdmissionRequest>());

function newCreateRequest(c: ClusterAdmission, object: Json, user: UserInfo): AdmissionRequest {
  const ns = typeof meta(object).namespace === "string" ? (meta(object).namespace as string) : "";
  return { operation: "CREATE", object, oldObject: null, namespaceObject: ns ? (c.namespaces.get(ns) ?? null) : null, userInfo: user };
}

/** The violations that deny the request, optionally through one policy only. */
export function denials(c: ClusterAdmission, req: AdmissionRequest, policyName?: string): Violation[] {
  return admitAll(c.policies, policyName === undefined ? c.bindings : c.bindings.filter((b) => b.spec.policyName === policyName), req);
}

/** Namespaces of application tenants (the platform's own is not one). */
export function tenantNamespaces(c: ClusterAdmission): Json[] {
  return [...c.namespaces.values()].filter((n) => {
    const t = ((meta(n).labels ?? {}) as Record<string, string>)[LABELS.tenant];
    return t !== undefined && t !== PLATFORM_TENANT;
  });
}
