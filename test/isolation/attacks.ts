/**
 * A hostile tenant's moves: what a team that can merge into its own folder might plant
 * there, and the in-cluster mechanism that must stop each one. Shared by the escape
 * suite (pure evaluation on every cluster) and the check test (planted in a real folder).
 */
import type { Guardrail } from "../../generators/fleet/constants.js";
import type { ClusterSpec } from "../../generators/fleet/fleet.js";
import type { TenantSpec } from "../../generators/api/tenant.js";
import { tenantNamespace } from "../../generators/builders/labels.js";
import { BASE_DOMAIN } from "../../generators/fleet/constants.js";

export type Obj = Record<string, any>;

/** What blocks an attack in the cluster: Argo CD's AppProject, Pod Security admission, or one of the platform's ValidatingAdmissionPolicies. */
export type Mechanism = "project" | "pod-security" | `admission:${Guardrail}`;

export interface AttackContext {
  cluster: ClusterSpec;
  attacker: TenantSpec;
  victim: TenantSpec;
}

export interface Attack {
  /** What the hostile tenant tries, in plain words. */
  name: string;
  blockedBy: Mechanism;
  /** The `npm run check` rule that names it when planted in a folder. */
  checkRule: string;
  object(ctx: AttackContext, name: string): Obj;
}

const ns = (ctx: AttackContext): string => tenantNamespace(ctx.attacker);
const victimNs = (ctx: AttackContext): string => tenantNamespace(ctx.victim);
const image = (ctx: AttackContext): string => {
  const i = ctx.attacker.apps[0]!.image;
  return `${i.repository}:${i.tag}`;
};
export const meta = (ctx: AttackContext, name: string, namespace = ns(ctx)) => ({
  name,
  namespace,
  labels: { "app.kubernetes.io/name": name },
});

/** A restricted-profile Deployment, so only the attacked property is wrong. */
export function deployment(
  ctx: AttackContext,
  name: string,
  patch: { image?: string; namespace?: string; pod?: Obj; container?: Obj } = {},
): Obj {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: meta(ctx, name, patch.namespace),
    spec: {
      replicas: 1,
      selector: { matchLabels: { "app.kubernetes.io/name": name } },
      template: {
        metadata: { labels: { "app.kubernetes.io/name": name } },
        spec: {
          serviceAccountName: name,
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "main",
              image: patch.image ?? image(ctx),
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
              resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "16Mi" } },
              ...patch.container,
            },
          ],
          ...patch.pod,
        },
      },
    },
  };
}

const victimHost = (ctx: AttackContext): string => `api.${ctx.victim.name}.${ctx.cluster.name}.${BASE_DOMAIN}`;

const ownHost = (ctx: AttackContext, name: string): string => `${name}.${ctx.attacker.name}.${ctx.cluster.name}.${BASE_DOMAIN}`;

/** An HTTPRoute that is the tenant's own in every respect but `patch` (builders/edge.ts). */
function httpRoute(ctx: AttackContext, name: string, patch: Obj = {}): Obj {
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: meta(ctx, name),
    spec: {
      parentRefs: [
        { group: "gateway.networking.k8s.io", kind: "Gateway", namespace: "istio-ingress", name: "edge", sectionName: ctx.attacker.name },
      ],
      hostnames: [ownHost(ctx, name)],
      rules: [{ backendRefs: [{ name, port: 80 }] }],
      ...patch,
    },
  };
}

function ingress(ctx: AttackContext, name: string, rule: Obj, extra: Obj = {}): Obj {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: meta(ctx, name),
    spec: {
      ingressClassName: "nginx",
      rules: [{ ...rule, http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name, port: { number: 80 } } } }] } }],
      ...extra,
    },
  };
}

function roleBinding(ctx: AttackContext, name: string, clusterRole: string): Obj {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: meta(ctx, name),
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: clusterRole },
    subjects: [{ kind: "ServiceAccount", name: "default", namespace: ns(ctx) }],
  };
}

function externalSecret(ctx: AttackContext, name: string, spec: Obj): Obj {
  return {
    apiVersion: "external-secrets.io/v1",
    kind: "ExternalSecret",
    metadata: meta(ctx, name),
    spec: { refreshInterval: "1h", target: { name }, ...spec },
  };
}

const store = { kind: "SecretStore", name: "aws-secrets-manager" };

export const ATTACKS: readonly Attack[] = [
  {
    name: "opens its namespace with an allow-all NetworkPolicy",
    blockedBy: "project",
    checkRule: "isolation-project-kinds",
    object: (ctx, name) => ({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: meta(ctx, name),
      spec: { podSelector: {}, ingress: [{}], egress: [{}], policyTypes: ["Ingress", "Egress"] },
    }),
  },
  {
    name: "raises its ResourceQuota",
    blockedBy: "project",
    checkRule: "isolation-project-kinds",
    object: (ctx, name) => ({
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: meta(ctx, name),
      spec: { hard: { "requests.cpu": "10000", "requests.memory": "100Ti" } },
    }),
  },
  {
    name: "lifts its LimitRange",
    blockedBy: "project",
    checkRule: "isolation-project-kinds",
    object: (ctx, name) => ({
      apiVersion: "v1",
      kind: "LimitRange",
      metadata: meta(ctx, name),
      spec: { limits: [{ type: "Container", max: { cpu: "64", memory: "512Gi" } }] },
    }),
  },
  {
    name: "brings its own SecretStore with another role",
    blockedBy: "project",
    checkRule: "isolation-project-kinds",
    object: (ctx, name) => ({
      apiVersion: "external-secrets.io/v1",
      kind: "SecretStore",
      metadata: meta(ctx, name),
      spec: {
        provider: {
          aws: {
            service: "SecretsManager",
            region: ctx.cluster.region,
            role: `arn:aws:iam::111122223333:role/${ctx.cluster.name}-secrets-${ctx.victim.name}`,
          },
        },
      },
    }),
  },
  {
    name: "brings its own cert-manager Issuer",
    blockedBy: "project",
    checkRule: "isolation-project-kinds",
    object: (ctx, name) => ({ apiVersion: "cert-manager.io/v1", kind: "Issuer", metadata: meta(ctx, name), spec: { selfSigned: {} } }),
  },
  {
    name: "relabels a namespace to the privileged Pod Security level",
    blockedBy: "project",
    checkRule: "isolation-project-kinds",
    object: (ctx) => ({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: ns(ctx), labels: { "pod-security.kubernetes.io/enforce": "privileged" } },
    }),
  },
  {
    name: "grants itself cluster-admin with a ClusterRoleBinding",
    blockedBy: "project",
    checkRule: "isolation-project-kinds",
    object: (ctx, name) => ({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
      subjects: [{ kind: "ServiceAccount", name: "default", namespace: ns(ctx) }],
    }),
  },
  {
    name: "deploys into another tenant's namespace",
    blockedBy: "project",
    checkRule: "isolation-project-kinds",
    object: (ctx, name) => deployment(ctx, name, { namespace: victimNs(ctx) }),
  },
  {
    name: "RoleBinds the admin ClusterRole",
    blockedBy: "admission:role-bindings",
    checkRule: "isolation-role-bindings",
    object: (ctx, name) => roleBinding(ctx, name, "admin"),
  },
  {
    name: "RoleBinds the edit ClusterRole",
    blockedBy: "admission:role-bindings",
    checkRule: "isolation-role-bindings",
    object: (ctx, name) => roleBinding(ctx, name, "edit"),
  },
  {
    name: "RoleBinds the cluster-admin ClusterRole",
    blockedBy: "admission:role-bindings",
    checkRule: "isolation-role-bindings",
    object: (ctx, name) => roleBinding(ctx, name, "cluster-admin"),
  },
  {
    name: "claims another tenant's host with an Ingress",
    blockedBy: "admission:hosts",
    checkRule: "isolation-hosts",
    object: (ctx, name) => ingress(ctx, name, { host: victimHost(ctx) }),
  },
  {
    name: "catches every host with an Ingress rule without a host",
    blockedBy: "admission:hosts",
    checkRule: "isolation-hosts",
    object: (ctx, name) => ingress(ctx, name, {}),
  },
  {
    name: "asks for another tenant's certificate through Ingress TLS",
    blockedBy: "admission:hosts",
    checkRule: "isolation-hosts",
    object: (ctx, name) =>
      ingress(
        ctx,
        name,
        { host: `${name}.${ctx.attacker.name}.${ctx.cluster.name}.${BASE_DOMAIN}` },
        { tls: [{ hosts: [victimHost(ctx)], secretName: name }] },
      ),
  },
  {
    name: "claims another tenant's host with an HTTPRoute",
    blockedBy: "admission:hosts",
    checkRule: "isolation-hosts",
    object: (ctx, name) => httpRoute(ctx, name, { hostnames: [victimHost(ctx)] }),
  },
  {
    name: "takes every hostname of a listener with an HTTPRoute without hostnames",
    blockedBy: "admission:hosts",
    checkRule: "isolation-hosts",
    object: (ctx, name) => httpRoute(ctx, name, { hostnames: [] }),
  },
  {
    name: "attaches an HTTPRoute to another tenant's listener of the platform Gateway",
    blockedBy: "admission:hosts",
    checkRule: "isolation-hosts",
    object: (ctx, name) =>
      httpRoute(ctx, name, {
        parentRefs: [
          { group: "gateway.networking.k8s.io", kind: "Gateway", namespace: "istio-ingress", name: "edge", sectionName: ctx.victim.name },
        ],
      }),
  },
  {
    name: "attaches an HTTPRoute to the whole platform Gateway, every listener at once",
    blockedBy: "admission:hosts",
    checkRule: "isolation-hosts",
    object: (ctx, name) => httpRoute(ctx, name, { parentRefs: [{ namespace: "istio-ingress", name: "edge" }] }),
  },
  {
    name: "routes its public host to another tenant's Service",
    blockedBy: "admission:hosts",
    checkRule: "isolation-hosts",
    object: (ctx, name) => httpRoute(ctx, name, { rules: [{ backendRefs: [{ name: "api", namespace: victimNs(ctx), port: 80 }] }] }),
  },
  {
    name: "mirrors its route's traffic into another tenant's namespace",
    blockedBy: "admission:hosts",
    checkRule: "isolation-hosts",
    object: (ctx, name) =>
      httpRoute(ctx, name, {
        rules: [
          {
            backendRefs: [{ name, port: 80 }],
            filters: [{ type: "RequestMirror", requestMirror: { backendRef: { name: "api", namespace: victimNs(ctx), port: 80 } } }],
          },
        ],
      }),
  },
  {
    name: "runs its own Gateway API Gateway (and so its own load balancer) for any host",
    blockedBy: "admission:hosts",
    checkRule: "isolation-hosts",
    object: (ctx, name) => ({
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "Gateway",
      metadata: meta(ctx, name),
      spec: { gatewayClassName: "istio", listeners: [{ name: "http", port: 80, protocol: "HTTP" }] },
    }),
  },
  {
    name: "opens its namespace to every other namespace's routes with a ReferenceGrant",
    blockedBy: "admission:hosts",
    checkRule: "isolation-hosts",
    object: (ctx, name) => ({
      apiVersion: "gateway.networking.k8s.io/v1beta1",
      kind: "ReferenceGrant",
      metadata: meta(ctx, name),
      spec: {
        from: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: victimNs(ctx) }],
        to: [{ group: "", kind: "Service" }],
      },
    }),
  },
  {
    name: "patches the shared gateway's Envoy with its own EnvoyFilter (edge options are the platform's)",
    blockedBy: "admission:hosts",
    checkRule: "isolation-hosts",
    object: (ctx, name) => ({
      apiVersion: "networking.istio.io/v1alpha3",
      kind: "EnvoyFilter",
      metadata: meta(ctx, name),
      spec: {
        configPatches: [
          {
            applyTo: "VIRTUAL_HOST",
            match: { context: "GATEWAY", routeConfiguration: { vhost: { name: `${victimHost(ctx)}:443` } } },
            patch: { operation: "MERGE", value: { typed_per_filter_config: {} } },
          },
        ],
      },
    }),
  },
  {
    name: "claims another tenant's host with an Istio Gateway",
    blockedBy: "admission:hosts",
    checkRule: "isolation-hosts",
    object: (ctx, name) => ({
      apiVersion: "networking.istio.io/v1",
      kind: "Gateway",
      metadata: meta(ctx, name),
      spec: {
        selector: { istio: "ingressgateway" },
        servers: [
          {
            port: { number: 443, name: "https", protocol: "HTTPS" },
            hosts: [`*/${victimHost(ctx)}`],
            tls: { mode: "SIMPLE", credentialName: name },
          },
        ],
      },
    }),
  },
  {
    name: "serves its own host with another tenant's certificate, read from the shared gateway namespace",
    blockedBy: "admission:hosts",
    checkRule: "isolation-hosts",
    object: (ctx, name) => ({
      apiVersion: "networking.istio.io/v1",
      kind: "Gateway",
      metadata: meta(ctx, name),
      spec: {
        selector: { istio: "ingressgateway" },
        servers: [
          {
            port: { number: 443, name: "https", protocol: "HTTPS" },
            hosts: [`${name}.${ctx.attacker.name}.${ctx.cluster.name}.${BASE_DOMAIN}`],
            tls: { mode: "SIMPLE", credentialName: `${ctx.victim.name}.gateway.gateway-tls` },
          },
        ],
      },
    }),
  },
  {
    name: "hijacks another tenant's Service with a VirtualService",
    blockedBy: "admission:hosts",
    checkRule: "isolation-hosts",
    object: (ctx, name) => ({
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      metadata: meta(ctx, name),
      spec: {
        hosts: [`${ctx.victim.apps[0]!.name}.${victimNs(ctx)}.svc.cluster.local`],
        http: [{ route: [{ destination: { host: `${name}.${ns(ctx)}.svc.cluster.local` } }] }],
      },
    }),
  },
  {
    name: `obtains a wildcard certificate for *.${BASE_DOMAIN}`,
    blockedBy: "admission:certificates",
    checkRule: "isolation-certificates",
    object: (ctx, name) => ({
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      metadata: meta(ctx, name),
      spec: { secretName: name, dnsNames: [`*.${BASE_DOMAIN}`], issuerRef: { kind: "ClusterIssuer", name: "letsencrypt-prod" } },
    }),
  },
  {
    name: "obtains a certificate for another tenant's host",
    blockedBy: "admission:certificates",
    checkRule: "isolation-certificates",
    object: (ctx, name) => ({
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      metadata: meta(ctx, name),
      spec: { secretName: name, dnsNames: [victimHost(ctx)], issuerRef: { kind: "ClusterIssuer", name: "letsencrypt-prod" } },
    }),
  },
  {
    name: "reads another tenant's secret by its key",
    blockedBy: "admission:external-secrets",
    checkRule: "isolation-external-secrets",
    object: (ctx, name) =>
      externalSecret(ctx, name, {
        secretStoreRef: store,
        data: [{ secretKey: "url", remoteRef: { key: `${ctx.cluster.env}/${ctx.victim.name}/database`, property: "url" } }],
      }),
  },
  {
    name: "reads another environment's secret",
    blockedBy: "admission:external-secrets",
    checkRule: "isolation-external-secrets",
    object: (ctx, name) =>
      externalSecret(ctx, name, {
        secretStoreRef: store,
        data: [
          {
            secretKey: "url",
            remoteRef: { key: `${ctx.cluster.env === "prod" ? "dev" : "prod"}/${ctx.attacker.name}/database`, property: "url" },
          },
        ],
      }),
  },
  {
    name: "enumerates the store with dataFrom.find",
    blockedBy: "admission:external-secrets",
    checkRule: "isolation-external-secrets",
    object: (ctx, name) => externalSecret(ctx, name, { secretStoreRef: store, dataFrom: [{ find: { name: { regexp: ".*" } } }] }),
  },
  {
    name: "reads through a ClusterSecretStore",
    blockedBy: "admission:external-secrets",
    checkRule: "isolation-external-secrets",
    object: (ctx, name) =>
      externalSecret(ctx, name, {
        secretStoreRef: { kind: "ClusterSecretStore", name: "aws-secrets-manager" },
        data: [{ secretKey: "url", remoteRef: { key: `${ctx.cluster.env}/${ctx.attacker.name}/database`, property: "url" } }],
      }),
  },
  {
    name: "runs an image from a registry outside the allow-list",
    blockedBy: "admission:image-registries",
    checkRule: "isolation-image-registries",
    object: (ctx, name) => deployment(ctx, name, { image: "docker.io/cryptominer/xmrig:6.21.0" }),
  },
  {
    name: "runs an image from a look-alike organisation",
    blockedBy: "admission:image-registries",
    checkRule: "isolation-image-registries",
    object: (ctx, name) =>
      deployment(ctx, name, { image: `${ctx.attacker.apps[0]!.image.repository.replace(/\/[^/]+$/, "")}-mirror/app:1.0.0` }),
  },
  {
    name: "exposes a Service on an undeclared load balancer",
    blockedBy: "admission:service-exposure",
    checkRule: "isolation-service-exposure",
    object: (ctx, name) => ({
      apiVersion: "v1",
      kind: "Service",
      metadata: meta(ctx, name),
      spec: { type: "LoadBalancer", selector: { "app.kubernetes.io/name": name }, ports: [{ name: "http", port: 80, targetPort: 8080 }] },
    }),
  },
  {
    name: "exposes a Service on every node with NodePort",
    blockedBy: "admission:service-exposure",
    checkRule: "isolation-service-exposure",
    object: (ctx, name) => ({
      apiVersion: "v1",
      kind: "Service",
      metadata: meta(ctx, name),
      spec: { type: "NodePort", selector: { "app.kubernetes.io/name": name }, ports: [{ name: "http", port: 80, targetPort: 8080 }] },
    }),
  },
  {
    name: "runs a privileged container",
    blockedBy: "pod-security",
    checkRule: "pss-privileged",
    object: (ctx, name) =>
      deployment(ctx, name, {
        container: {
          securityContext: {
            privileged: true,
            allowPrivilegeEscalation: true,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
          },
        },
      }),
  },
  {
    name: "mounts the node's filesystem with hostPath",
    blockedBy: "pod-security",
    checkRule: "pss-host-path",
    object: (ctx, name) => deployment(ctx, name, { pod: { volumes: [{ name: "root", hostPath: { path: "/" } }] } }),
  },
  {
    name: "joins the node's network namespace",
    blockedBy: "pod-security",
    checkRule: "pss-host-namespaces",
    object: (ctx, name) => deployment(ctx, name, { pod: { hostNetwork: true } }),
  },
];
