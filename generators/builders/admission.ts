/**
 * In-cluster guardrails for tenant namespaces: native ValidatingAdmissionPolicies
 * (admissionregistration.k8s.io/v1, GA in Kubernetes 1.30) and their bindings, owned by
 * the platform tenant and built per cluster (hosts and secret paths name the cluster and
 * its environment). They hold whoever writes the object, Argo CD's application controller
 * included: no policy has a matchCondition on the requesting user.
 *
 * Each policy reads the tenant from its namespace's `ai-platform.io/tenant` label, which
 * only the platform (owner of every Namespace) sets, and bakes in the fleet's values:
 * the domain rule (generators/fleet/domains.ts), the image registry allow-list
 * (generators/fleet/fleet.ts), each tenant's declared load balancers.
 * Semantics: https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/
 * The evaluator that tests them: generators/check/admission/.
 */
import { ValidatingAdmissionPolicy } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy";
import { ValidatingAdmissionPolicyBinding } from "kubernetes-models/admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding";
import {
  admissionPolicyName,
  BASE_DOMAIN,
  EDGE,
  GATEWAY_API_GROUP,
  LABELS,
  MANAGED_BY,
  PLATFORM,
  PLATFORM_TENANT,
  PRIVILEGED_CLUSTER_ROLES,
} from "../fleet/constants.js";
import type { ClusterSpec, Fleet } from "../fleet/fleet.js";
import { DEFAULT_IMAGE_REGISTRIES, envSpec } from "../fleet/fleet.js";
import type { TenantSpec } from "../api/tenant.js";
import type { KubeObject } from "./object.js";
import { loadBalancerPorts } from "./service.js";
import { POD_RULES, POD_SPEC_VARS, TENANT_VAR, celList, celString, literal, type PolicySpec } from "./admission-cel.js";
import { kedaAuthPolicy, priorityClassPolicy } from "./admission-controllers.js";

const labels = { [LABELS.partOf]: PLATFORM_TENANT, [LABELS.managedBy]: MANAGED_BY, [LABELS.tenant]: PLATFORM_TENANT };

/**
 * The domain rule as a regular expression over the tenant variable: `<app>.<tenant>.<cluster>.<zone>`,
 * and on production clusters also `<app>.<tenant>.<zone>`.
 */
function ownedHostVar(fleet: Fleet, cluster: ClusterSpec): { name: string; expression: string } {
  const clusterPart = envSpec(fleet, cluster.env).production ? `([.]${literal(cluster.name)})?` : `[.]${literal(cluster.name)}`;
  return {
    name: "ownedHost",
    expression: `'^[a-z0-9]([-a-z0-9]*[a-z0-9])?[.]' + variables.tenant + ${celString(`${clusterPart}[.]${literal(BASE_DOMAIN)}$`)}`,
  };
}

/**
 * The Gateway API's attachment model, held in the cluster (gateway-api
 * site-src/concepts/security-model.md): a tenant writes only HTTPRoutes and GRPCRoutes (a Gateway
 * of its own would get its own load balancer, a ReferenceGrant would open its namespace), for its
 * own hosts, attached only to its own listeners of the platform Gateway, to Services of its own
 * namespace only, mirrors included (apis/v1/shared_types.go BackendObjectReference: a reference to
 * another namespace needs that namespace's ReferenceGrant, which only the platform writes).
 */
function routeValidations(fleet: Fleet, cluster: ClusterSpec, owned: string): PolicySpec["validations"] {
  const isGatewayApi = `object.apiVersion.startsWith('${GATEWAY_API_GROUP}/')`;
  const listeners = `[variables.tenant${envSpec(fleet, cluster.env).production ? ", variables.tenant + '-global'" : ""}]`;
  const sameNamespace = (ref: string): string =>
    `(!has(${ref}.namespace) || ${ref}.namespace == namespaceObject.metadata.name) && (!has(${ref}.kind) || ${ref}.kind == 'Service') && (!has(${ref}.group) || ${ref}.group == '')`;
  const mirrors = (filters: string): string =>
    `!has(${filters}) || ${filters}.all(f, !has(f.requestMirror) || (${sameNamespace("f.requestMirror.backendRef")}))`;
  return [
    {
      expression: `!${isGatewayApi} || object.kind in ['HTTPRoute', 'GRPCRoute']`,
      messageExpression: `'tenant ' + variables.tenant + ' may write HTTPRoutes and GRPCRoutes; ' + object.kind + 's are the platform's (docs/edge.md)'`,
      reason: "Forbidden",
    },
    {
      // Without hostnames a route takes every hostname of the listener; with them, each must be the tenant's.
      expression: `!${isGatewayApi} || (has(object.spec.hostnames) && size(object.spec.hostnames) > 0 && object.spec.hostnames.all(h, h.${owned}))`,
      messageExpression: `'route hostnames must be <app>.' + variables.tenant + '.${cluster.name}.${BASE_DOMAIN}, and at least one is required'`,
      reason: "Forbidden",
    },
    {
      expression:
        `!${isGatewayApi} || (has(object.spec.parentRefs) && object.spec.parentRefs.all(p, ` +
        `(!has(p.group) || p.group == '${GATEWAY_API_GROUP}') && (!has(p.kind) || p.kind == 'Gateway') && ` +
        `has(p.namespace) && p.namespace == '${EDGE.namespace}' && p.name == '${EDGE.gatewayName}' && ` +
        `has(p.sectionName) && p.sectionName in ${listeners}))`,
      messageExpression: `'routes of tenant ' + variables.tenant + ' attach to the platform Gateway ${EDGE.namespace}/${EDGE.gatewayName}, on the listeners ' + variables.tenant + '${envSpec(fleet, cluster.env).production ? " or ' + variables.tenant + '-global" : ""}'`,
      reason: "Forbidden",
    },
    {
      expression:
        `!${isGatewayApi} || !has(object.spec.rules) || object.spec.rules.all(r, ` +
        `(!has(r.backendRefs) || r.backendRefs.all(b, ${sameNamespace("b")} && (${mirrors("b.filters")}))) && (${mirrors("r.filters")}))`,
      messageExpression: `'route backends (and mirrors) must be Services of namespace ' + namespaceObject.metadata.name`,
      reason: "Forbidden",
    },
  ];
}

function hostPolicy(fleet: Fleet, cluster: ClusterSpec): PolicySpec {
  const owned = "matches(variables.ownedHost)";
  const global = envSpec(fleet, cluster.env).production ? ` or <app>.' + variables.tenant + '.${BASE_DOMAIN}` : "";
  return {
    name: admissionPolicyName("hosts"),
    rules: [
      { apiGroups: ["networking.k8s.io"], apiVersions: ["*"], resources: ["ingresses"] },
      // EnvoyFilters: the edge options are the platform's (builders/edge-filters.ts); one in a tenant
      // namespace could patch any proxy that namespace's workloads or the shared gateway run.
      { apiGroups: ["networking.istio.io"], apiVersions: ["*"], resources: ["gateways", "virtualservices", "envoyfilters"] },
      // Every Gateway API kind: tenants write routes; Gateways and ReferenceGrants are the platform's.
      { apiGroups: [GATEWAY_API_GROUP], apiVersions: ["*"], resources: ["*"] },
    ],
    variables: [TENANT_VAR, ownedHostVar(fleet, cluster)],
    validations: [
      {
        // A rule without a host, or a default backend, catches every host the controller serves.
        expression: `object.kind != 'Ingress' || (!has(object.spec.defaultBackend) && has(object.spec.rules) && object.spec.rules.all(r, has(r.host) && r.host.${owned}))`,
        messageExpression: `'Ingress hosts must be <app>.' + variables.tenant + '.${cluster.name}.${BASE_DOMAIN}${global}, every rule needs a host, and there is no default backend'`,
        reason: "Forbidden",
      },
      {
        expression: `object.kind != 'Ingress' || !has(object.spec.tls) || object.spec.tls.all(t, !has(t.hosts) || t.hosts.all(h, h.${owned}))`,
        messageExpression: `'Ingress TLS hosts must belong to tenant ' + variables.tenant + ' on this cluster'`,
        reason: "Forbidden",
      },
      ...routeValidations(fleet, cluster, owned),
      {
        expression: "object.kind != 'EnvoyFilter'",
        messageExpression: `'tenant ' + variables.tenant + ' may not write EnvoyFilters: rate limits, CORS and body sizes are exposure.ingress options the platform renders (docs/edge.md)'`,
        reason: "Forbidden",
      },
      {
        // Istio Gateway hosts may carry a `<namespace>/` prefix.
        expression: `!object.apiVersion.startsWith('networking.istio.io/') || object.kind != 'Gateway' || object.spec.servers.all(s, s.hosts.all(h, (h.contains('/') ? h.substring(h.indexOf('/') + 1) : h).${owned}))`,
        messageExpression: `'Gateway hosts must belong to tenant ' + variables.tenant + ' on this cluster'`,
        reason: "Forbidden",
      },
      {
        // Istio reads credentialName from the gateway workload's namespace, shared by every tenant:
        // a tenant's Gateway may name only the certificates the platform issues for it there.
        expression: `!object.apiVersion.startsWith('networking.istio.io/') || object.kind != 'Gateway' || object.spec.servers.all(s, !has(s.tls) || !has(s.tls.credentialName) || s.tls.credentialName.startsWith(variables.tenant + '.'))`,
        messageExpression: `'Gateway TLS credentials of tenant ' + variables.tenant + ' must be its own: ' + variables.tenant + '.<app>.gateway-tls, issued by the platform'`,
        reason: "Forbidden",
      },
      {
        // Mesh-internal hosts are short names or services of the VirtualService's own namespace (`<svc>.<ns>[.svc[.cluster.local]]`).
        expression:
          `object.kind != 'VirtualService' || object.spec.hosts.all(h, h.${owned} || h.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$') ` +
          `|| h.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?[.]' + namespaceObject.metadata.name + '([.]svc([.]cluster[.]local)?)?$'))`,
        messageExpression: `'VirtualService hosts must belong to tenant ' + variables.tenant + ' or be services of namespace ' + namespaceObject.metadata.name`,
        reason: "Forbidden",
      },
    ],
  };
}

function certificatePolicy(fleet: Fleet, cluster: ClusterSpec): PolicySpec {
  return {
    name: admissionPolicyName("certificates"),
    rules: [{ apiGroups: ["cert-manager.io"], apiVersions: ["*"], resources: ["certificates"] }],
    variables: [TENANT_VAR, ownedHostVar(fleet, cluster)],
    validations: [
      {
        expression:
          "has(object.spec.dnsNames) && object.spec.dnsNames.all(h, h.matches(variables.ownedHost)) && (!has(object.spec.commonName) || object.spec.commonName.matches(variables.ownedHost))",
        messageExpression: `'Certificates in this namespace may name only hosts of tenant ' + variables.tenant + ' on this cluster'`,
        reason: "Forbidden",
      },
      {
        expression: "!has(object.spec.ipAddresses) && !has(object.spec.uris) && !has(object.spec.emailAddresses)",
        message: "Certificates in tenant namespaces carry DNS names only",
        reason: "Forbidden",
      },
    ],
  };
}

function imagePolicy(fleet: Fleet): PolicySpec {
  const allowed = fleet.imageRegistries ?? DEFAULT_IMAGE_REGISTRIES;
  const bad = "variables.containers.filter(c, !variables.registries.exists(r, c.image.startsWith(r)))";
  return {
    name: admissionPolicyName("image-registries"),
    rules: POD_RULES,
    variables: [
      { name: "registries", expression: celList(allowed) },
      ...POD_SPEC_VARS,
      {
        name: "containers",
        expression:
          "(has(variables.podSpec.initContainers) ? variables.podSpec.initContainers : []) + variables.podSpec.containers + (has(variables.podSpec.ephemeralContainers) ? variables.podSpec.ephemeralContainers : [])",
      },
    ],
    validations: [
      {
        expression: `${bad}.size() == 0`,
        messageExpression: `'images outside the fleet registry allow-list (generators/fleet/fleet.ts): ' + ${bad}.map(c, c.image).join(', ')`,
        reason: "Forbidden",
      },
    ],
  };
}

function roleBindingPolicy(): PolicySpec {
  return {
    name: admissionPolicyName("role-bindings"),
    rules: [{ apiGroups: ["rbac.authorization.k8s.io"], apiVersions: ["v1"], resources: ["rolebindings"] }],
    variables: [{ name: "privileged", expression: celList(PRIVILEGED_CLUSTER_ROLES) }],
    validations: [
      {
        expression: "!(object.roleRef.kind == 'ClusterRole' && object.roleRef.name in variables.privileged)",
        messageExpression: "'RoleBindings in tenant namespaces may not grant ClusterRole ' + object.roleRef.name",
        reason: "Forbidden",
      },
      {
        // Every aggregated or future ClusterRole could widen: tenants bind their own Roles only.
        expression: "object.roleRef.kind == 'Role'",
        messageExpression:
          "'RoleBindings in tenant namespaces reference a Role of the namespace, not ' + object.roleRef.kind + ' ' + object.roleRef.name",
        reason: "Forbidden",
      },
    ],
  };
}

/** Per tenant: the load-balanced Services its spec declares, with their allowed ports. */
function declaredLoadBalancers(tenants: readonly TenantSpec[]): string {
  const entries = tenants.map((t) => {
    const services = t.apps
      .filter((a) => a.exposure?.serviceType === "LoadBalancer")
      .map(
        (a) =>
          `${celString(a.name)}: [${loadBalancerPorts(a)
            .map((p) => String(p))
            .join(", ")}]`,
      );
    return `${celString(t.name)}: {${services.join(", ")}}`;
  });
  return `{${entries.join(", ")}}`;
}

/**
 * Services: what reaches beyond the tenant's namespace. kubernetes/kubernetes
 * pkg/apis/core/types.go ServiceSpec; the fields judged and what each exposes:
 *
 * - `externalIPs`, on every type (CVE-2020-8554, kubernetes/kubernetes#97076): kube-proxy
 *   captures traffic to those IPs from every pod and node, so a tenant could intercept any address;
 * - `type` NodePort and LoadBalancer open a port on every node or a cloud load balancer:
 *   only the load balancers the tenant spec declares, with their declared ports;
 * - `type` ExternalName is a cluster DNS CNAME to any name, another namespace's Services included;
 * - `loadBalancerSourceRanges`, `loadBalancerIP`, `externalTrafficPolicy: Local` and
 *   `allocateLoadBalancerNodePorts` are the platform's choice for its NLBs, never the tenant's;
 * - `spec.clusterIP` may not be set to a chosen address (it could squat the DNS or API address).
 */
function servicePolicy(tenants: readonly TenantSpec[]): PolicySpec {
  return {
    name: admissionPolicyName("service-exposure"),
    rules: [{ apiGroups: [""], apiVersions: ["v1"], resources: ["services"] }],
    variables: [
      TENANT_VAR,
      {
        name: "declared",
        expression: `${declaredLoadBalancers(tenants)}[variables.tenant]`,
      },
      { name: "type", expression: "has(object.spec.type) ? object.spec.type : 'ClusterIP'" },
    ],
    validations: [
      {
        expression: "!has(object.spec.externalIPs) || object.spec.externalIPs.size() == 0",
        messageExpression:
          "'Service ' + object.metadata.name + ' sets externalIPs, which would capture traffic to those addresses cluster-wide (CVE-2020-8554)'",
        reason: "Forbidden",
      },
      {
        expression: "variables.type == 'ClusterIP' || (variables.type == 'LoadBalancer' && object.metadata.name in variables.declared)",
        messageExpression:
          "'Service ' + object.metadata.name + ' of type ' + variables.type + ' is not declared by tenant ' + variables.tenant + \" (exposure.serviceType: LoadBalancer in its spec; NodePort and ExternalName are never allowed)\"",
        reason: "Forbidden",
      },
      {
        // Metrics and other undeclared ports never ride a load balancer.
        expression:
          "!(object.metadata.name in variables.declared) || object.spec.ports.all(p, p.port in variables.declared[object.metadata.name])",
        messageExpression: "'load balancer ' + object.metadata.name + ' exposes a port its tenant spec does not declare'",
        reason: "Forbidden",
      },
      {
        expression:
          "!has(object.spec.loadBalancerSourceRanges) && !has(object.spec.loadBalancerIP) && !has(object.spec.allocateLoadBalancerNodePorts) && (!has(object.spec.externalTrafficPolicy) || object.spec.externalTrafficPolicy == 'Cluster')",
        messageExpression:
          "'Service ' + object.metadata.name + ' sets load balancer fields the platform owns (source ranges, IP, node ports, traffic policy)'",
        reason: "Forbidden",
      },
      {
        expression: "!has(object.spec.clusterIP) || object.spec.clusterIP == 'None' || object.spec.clusterIP == ''",
        messageExpression:
          "'Service ' + object.metadata.name + ' chooses its cluster IP ' + object.spec.clusterIP + '; let the API server allocate it'",
        reason: "Forbidden",
      },
    ],
  };
}

function externalSecretPolicy(cluster: ClusterSpec): PolicySpec {
  const storeOk = `(!has(ref.kind) || ref.kind == 'SecretStore') && ref.name == ${celString(PLATFORM.secretStore)}`;
  return {
    name: admissionPolicyName("external-secrets"),
    rules: [{ apiGroups: ["external-secrets.io"], apiVersions: ["*"], resources: ["externalsecrets"] }],
    variables: [TENANT_VAR, { name: "prefix", expression: `${celString(`${cluster.env}/`)} + variables.tenant + '/'` }],
    validations: [
      {
        expression: `has(object.spec.secretStoreRef) && [object.spec.secretStoreRef].all(ref, ${storeOk})`,
        message: `ExternalSecrets in tenant namespaces read through the namespace's SecretStore ${PLATFORM.secretStore}`,
        reason: "Forbidden",
      },
      {
        expression: "!has(object.spec.data) || object.spec.data.all(d, !has(d.sourceRef) && d.remoteRef.key.startsWith(variables.prefix))",
        messageExpression: "'ExternalSecret keys must start with ' + variables.prefix",
        reason: "Forbidden",
      },
      {
        // `find` enumerates the store and generators mint credentials: neither is a key under the tenant's path.
        expression:
          "!has(object.spec.dataFrom) || object.spec.dataFrom.all(d, has(d.extract) && !has(d.find) && !has(d.sourceRef) && d.extract.key.startsWith(variables.prefix))",
        messageExpression: "'ExternalSecret dataFrom may only extract keys under ' + variables.prefix",
        reason: "Forbidden",
      },
    ],
  };
}

/** Every policy of a cluster, in a fixed order. */
function policies(fleet: Fleet, cluster: ClusterSpec, tenants: readonly TenantSpec[]): PolicySpec[] {
  return [
    hostPolicy(fleet, cluster),
    certificatePolicy(fleet, cluster),
    imagePolicy(fleet),
    roleBindingPolicy(),
    servicePolicy(tenants),
    externalSecretPolicy(cluster),
    priorityClassPolicy(),
    kedaAuthPolicy(cluster),
  ];
}

/** The policies and one Deny binding each, selecting the namespaces of the given application tenants. */
export function buildAdmissionPolicies(fleet: Fleet, cluster: ClusterSpec, tenants: readonly TenantSpec[]): KubeObject[] {
  const tenantNames = tenants.map((t) => t.name).filter((n) => n !== PLATFORM_TENANT);
  const tenantNamespaces = { matchExpressions: [{ key: LABELS.tenant, operator: "Exists" }] };
  return policies(fleet, cluster, tenants).flatMap((p) => [
    new ValidatingAdmissionPolicy({
      metadata: { name: p.name, labels },
      spec: {
        failurePolicy: "Fail",
        matchConstraints: {
          namespaceSelector: tenantNamespaces,
          resourceRules: p.rules.map((r) => ({ ...r, operations: ["CREATE", "UPDATE"] })),
        },
        ...(p.matchConditions ? { matchConditions: p.matchConditions } : {}),
        variables: p.variables,
        validations: p.validations,
      },
    }),
    new ValidatingAdmissionPolicyBinding({
      metadata: { name: p.name, labels },
      spec: {
        policyName: p.name,
        validationActions: ["Deny"],
        matchResources: { namespaceSelector: { matchExpressions: [{ key: LABELS.tenant, operator: "In", values: tenantNames }] } },
      },
    }),
  ]);
}
