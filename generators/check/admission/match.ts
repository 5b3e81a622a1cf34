/**
 * Which requests a ValidatingAdmissionPolicy (matchConstraints) and its binding
 * (matchResources) apply to, as the API server decides it:
 *
 * - resourceRules / excludeResourceRules: k8s.io/apiserver/pkg/admission/plugin/webhook/predicates/rules/rules.go
 *   (operations, apiGroups, apiVersions, resources with `*` and `res/sub` forms, scope, resourceNames);
 * - namespaceSelector: .../predicates/namespace/matcher.go. A cluster-scoped object other than a
 *   Namespace always matches; a Namespace is matched by its own labels;
 * - objectSelector: .../predicates/object/matcher.go, the object's (or old object's) labels;
 * - used by k8s.io/apiserver/pkg/admission/plugin/policy/matching/matching.go for both the
 *   policy's constraints and the binding's resources.
 */
import { isClusterScoped } from "../../argo/scope.js";
import { selectorMatches } from "../policy/util.js";

export type Json = Record<string, unknown>;

export interface RuleWithOperations {
  operations?: string[];
  apiGroups?: string[];
  apiVersions?: string[];
  resources?: string[];
  scope?: "*" | "Cluster" | "Namespaced";
  resourceNames?: string[];
}

export interface MatchResources {
  namespaceSelector?: Json;
  objectSelector?: Json;
  resourceRules?: RuleWithOperations[];
  excludeResourceRules?: RuleWithOperations[];
}

/** The attributes of one admission request the matchers look at. */
export interface RequestAttributes {
  operation: "CREATE" | "UPDATE" | "DELETE" | "CONNECT";
  group: string;
  version: string;
  resource: string;
  kind: string;
  name: string;
  namespace: string;
  clusterScoped: boolean;
  objectLabels: Record<string, string>;
  oldObjectLabels: Record<string, string> | undefined;
  /** Labels of the request's namespace; undefined for cluster-scoped requests. */
  namespaceLabels: Record<string, string> | undefined;
}

/**
 * Kind to resource: the lower-case English plural, which is what every built-in and CRD
 * kind of the fleet registers (`spec.names.plural`). This is the REST mapper's guess
 * (apimachinery pkg/api/meta/restmapper.go, UnsafeGuessKindToResource) except for a
 * vowel before a final `y`: Istio registers Gateway as `gateways`, not `gatewaies`.
 */
export function resourceOf(kind: string): string {
  const k = kind.toLowerCase();
  if (k.endsWith("s")) return `${k}es`;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

export function isClusterScopedKind(group: string, kind: string): boolean {
  return isClusterScoped({ group, kind });
}

const has = (list: readonly string[] | undefined, v: string): boolean => (list ?? []).some((x) => x === "*" || x === v);

function resourceMatches(patterns: readonly string[] | undefined, resource: string): boolean {
  return (patterns ?? []).some((p) => {
    if (p === "*" || p === resource) return true;
    // Subresources are never requested here: `res/*` and `*/*` forms match only subresources.
    return false;
  });
}

export function ruleMatches(rule: RuleWithOperations, a: RequestAttributes): boolean {
  if (!has(rule.operations, a.operation)) return false;
  if (!has(rule.apiGroups, a.group) || !has(rule.apiVersions, a.version)) return false;
  if (!resourceMatches(rule.resources, a.resource)) return false;
  const scope = rule.scope ?? "*";
  if (scope === "Cluster" && !a.clusterScoped) return false;
  if (scope === "Namespaced" && a.clusterScoped) return false;
  if (rule.resourceNames && rule.resourceNames.length > 0 && !rule.resourceNames.includes(a.name)) return false;
  return true;
}

function namespaceSelected(selector: Json | undefined, a: RequestAttributes): boolean {
  if (a.clusterScoped && a.resource !== "namespaces") return true;
  const labels = a.resource === "namespaces" ? a.objectLabels : a.namespaceLabels;
  if (labels === undefined) return false;
  return selectorMatches(selector ?? {}, labels);
}

function objectSelected(selector: Json | undefined, a: RequestAttributes): boolean {
  const sel = selector ?? {};
  return selectorMatches(sel, a.objectLabels) || (a.oldObjectLabels !== undefined && selectorMatches(sel, a.oldObjectLabels));
}

/**
 * Whether a policy's matchConstraints or a binding's matchResources select the request.
 * A policy must name its resources; on a binding, unset resourceRules do not constrain
 * (ValidatingAdmissionPolicyBindingSpec.matchResources, k8s.io/api/admissionregistration/v1/types.go).
 */
export function matches(m: MatchResources, a: RequestAttributes, rulesRequired: boolean): boolean {
  if (!namespaceSelected(m.namespaceSelector, a) || !objectSelected(m.objectSelector, a)) return false;
  const rules = m.resourceRules ?? [];
  if ((rulesRequired || rules.length > 0) && !rules.some((r) => ruleMatches(r, a))) return false;
  return !(m.excludeResourceRules ?? []).some((r) => ruleMatches(r, a));
}
