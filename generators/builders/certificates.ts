/**
 * Certificates that can be issued: one cluster orders each name. Every cluster orders through
 * the same ClusterIssuer, whose only solver is Route 53 DNS-01 on the base zone, and cert-manager's
 * Route 53 provider UPSERTs the challenge record `_acme-challenge.<name>` with a single TXT value
 * (cert-manager pkg/issuer/acme/dns/route53/route53.go Present/changeRecord/newTXTRecordSet).
 * Inside one cluster the challenge scheduler runs one challenge per name at a time
 * (pkg/controller/acmechallenges/scheduler/scheduler.go); across clusters nothing does, so two
 * clusters ordering one name overwrite each other's TXT value and neither validates.
 *
 * - A cluster name (`*.<tenant>.<cluster>.<base>`, `<label>.<tenant>.<cluster>.<base>`) is ordered
 *   by its cluster, as before.
 * - A global name (`<label>.<tenant>.<base>`) is covered by the tenant's wildcard
 *   `*.<tenant>.<base>`, ordered only by the environment's `globalCertificateIssuer`
 *   (fleet/certificates.ts) in the gateway namespace and published by a `PushSecret` to AWS Secrets
 *   Manager in every region of the environment, under `<env>/platform/certificates/<tenant>-global-tls`
 *   (no tenant's store reads the platform's path).
 *   Every other cluster reads it with an `ExternalSecret` into the same Secret name in the gateway
 *   namespace, where the Gateway's global listener reads it.
 * ESO PushSecret (external-secrets apis/externalsecrets/v1alpha1/pushsecret_types.go) and the AWS
 * provider's push (providers/v1/aws/secretsmanager/secretsmanager.go PushSecret: CreateSecret,
 * PutSecretValue, DescribeSecret, GetSecretValue, TagResource).
 */
import { Certificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate";
import { ExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret";
import { SecretStore } from "@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore";
import { PushSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1alpha1/PushSecret";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import {
  ANNOTATIONS,
  AWS_ACCOUNT_ID,
  EDGE,
  GLOBAL_TLS,
  IRSA_ROLE_ANNOTATION,
  LABELS,
  MANAGED_BY,
  PLATFORM,
  PLATFORM_TENANT,
} from "../fleet/constants.js";
import { iamRoleArn } from "../fleet/aws/identifiers.js";
import { environmentRegions, globalCertificateIssuer, issuesGlobalNames } from "../fleet/certificates.js";
import { clusterHost, globalHost } from "../fleet/domains.js";
import { type ClusterSpec, type Env, envSpec, type Fleet } from "../fleet/fleet.js";
import type { TenantSpec } from "../api/tenant.js";
import type { KubeObject } from "./object.js";
import { type IamRoleDoc, serviceAccountTrustPolicy } from "./iam.js";

/** The Secret in the gateway namespace holding a tenant's global wildcard (an edge listener's certificateRef). */
export function globalTlsSecret(tenant: string): string {
  return `${tenant}.edge-global-tls`;
}

/** The Secrets Manager key of a tenant's global wildcard: under the platform's path, out of every tenant store's reach. */
export function globalTlsKey(env: Env, tenant: string): string {
  return `${env}/${PLATFORM_TENANT}/${GLOBAL_TLS.remoteKey}/${tenant}-global-tls`;
}

/** Whether the cluster's environment serves global names (production). */
function servesGlobalNames(fleet: Fleet, cluster: ClusterSpec): boolean {
  return envSpec(fleet, cluster.env).production;
}

/** Tenants with a global name on a production cluster: an exposed app (Ingress, HTTPRoute) or a mesh gateway. */
export function tenantsWithGlobalNames(tenants: readonly TenantSpec[]): TenantSpec[] {
  return tenants.filter((t) => t.apps.some((a) => a.exposure?.ingress !== undefined || (t.mesh !== undefined && a.traffic?.gateway)));
}

/** A Certificate from the platform's ClusterIssuer. */
function certificate(name: string, namespace: string, labels: Record<string, string>, dnsNames: string[]): KubeObject {
  return new Certificate({
    metadata: { name, namespace, labels },
    spec: { secretName: name, dnsNames, issuerRef: { kind: "ClusterIssuer", name: PLATFORM.clusterIssuer } },
  });
}

/**
 * The Certificates of the edge Gateway's listeners on one cluster: the cluster wildcard is ordered
 * here; the global wildcard's Secret comes from buildGlobalCertificates (ordered once per environment).
 */
export function buildListenerCertificates(
  tenant: string,
  listeners: readonly { hostname: string; secretName: string }[],
  labels: Record<string, string>,
): KubeObject[] {
  return listeners.flatMap((l) => {
    if (l.hostname !== globalHost("*", tenant)) return [certificate(l.secretName, EDGE.namespace, labels, [l.hostname])];
    if (l.secretName !== globalTlsSecret(tenant))
      throw new Error(
        `generators/builders/edge.ts: tenantListeners(${tenant}).secretName: ${l.secretName}: the global listener must name ${globalTlsSecret(tenant)}, the Secret buildGlobalCertificates provides`,
      );
    return [];
  });
}

/**
 * The DNS names a mesh gateway's Certificate orders on its cluster: the cluster host only; its
 * global host is served with the tenant's global wildcard (globalTlsSecret).
 */
export function gatewayCertificateNames(host: string, tenant: string, cluster: ClusterSpec): string[] {
  return [clusterHost(host, tenant, cluster)];
}

const platformLabels = (tenant: string): Record<string, string> => ({
  [LABELS.partOf]: PLATFORM_TENANT,
  [LABELS.managedBy]: MANAGED_BY,
  [LABELS.tenant]: tenant,
  [LABELS.component]: "global-certificates",
});

const publishStore = (region: string): string => `${GLOBAL_TLS.store}-${region}`;

function store(name: string, region: string, serviceAccount: string): KubeObject {
  return new SecretStore({
    metadata: { name, namespace: EDGE.namespace, labels: platformLabels(PLATFORM_TENANT) },
    spec: { provider: { aws: { service: "SecretsManager", region, auth: { jwt: { serviceAccountRef: { name: serviceAccount } } } } } },
  });
}

function serviceAccount(cluster: ClusterSpec, name: string): KubeObject {
  return new ServiceAccount({
    metadata: {
      name,
      namespace: EDGE.namespace,
      labels: platformLabels(PLATFORM_TENANT),
      annotations: { [IRSA_ROLE_ANNOTATION]: iamRoleArn(roleName(cluster, name)) },
    },
    // Only ESO requests tokens for it (TokenRequest); no pod runs as it.
    automountServiceAccountToken: false,
  });
}

function roleName(cluster: ClusterSpec, serviceAccountName: string): string {
  return `${cluster.name}-${serviceAccountName}`;
}

/** The ExternalSecret that reads a tenant's global wildcard into a kubernetes.io/tls Secret. */
function readGlobalTls(
  fleet: Fleet,
  cluster: ClusterSpec,
  tenant: string,
  namespace: string,
  name: string,
  storeName: string,
  labels: Record<string, string>,
): KubeObject {
  const key = globalTlsKey(cluster.env, tenant);
  const issuer = globalCertificateIssuer(fleet, cluster.env);
  return new ExternalSecret({
    metadata: {
      name,
      namespace,
      labels,
      // Read by the health model: this Secret exists only once the issuing cluster has published it.
      annotations: { [ANNOTATIONS.publishedBy]: `${issuer?.name ?? ""}/${EDGE.namespace}/PushSecret/${globalTlsSecret(tenant)}` },
    },
    spec: {
      refreshInterval: "1h",
      secretStoreRef: { kind: "SecretStore", name: storeName },
      target: {
        name,
        creationPolicy: "Owner",
        deletionPolicy: "Retain",
        // The annotation cert-manager writes on the Secrets it issues: the check reads the names from it.
        template: { type: "kubernetes.io/tls", metadata: { annotations: { "cert-manager.io/alt-names": globalHost("*", tenant) } } },
      },
      data: ["tls.crt", "tls.key"].map((k) => ({ secretKey: k, remoteRef: { key, property: k } })),
    },
  });
}

/**
 * The gateway namespace's global wildcards of one production cluster. The issuing cluster orders
 * each tenant's `*.<tenant>.<base>` and publishes it to every region of the environment; the
 * others read it into the same Secret name. Nothing outside production.
 */
export function buildGlobalCertificates(fleet: Fleet, cluster: ClusterSpec, tenants: readonly TenantSpec[]): KubeObject[] {
  if (!servesGlobalNames(fleet, cluster)) return [];
  const owners = tenantsWithGlobalNames(tenants);
  if (owners.length === 0) return [];
  if (issuesGlobalNames(fleet, cluster)) {
    const regions = environmentRegions(fleet, cluster.env);
    return [
      serviceAccount(cluster, GLOBAL_TLS.publisherServiceAccount),
      ...regions.map((r) => store(publishStore(r), r, GLOBAL_TLS.publisherServiceAccount)),
      ...owners.flatMap((t) => {
        const name = globalTlsSecret(t.name);
        const labels = platformLabels(t.name);
        return [
          certificate(name, EDGE.namespace, labels, [globalHost("*", t.name)]),
          new PushSecret({
            metadata: { name, namespace: EDGE.namespace, labels },
            spec: {
              refreshInterval: "1h",
              // The published copy outlives this cluster's Secret: the other clusters serve it.
              deletionPolicy: "None",
              updatePolicy: "Replace",
              secretStoreRefs: regions.map((r) => ({ kind: "SecretStore" as const, name: publishStore(r) })),
              selector: { secret: { name } },
              data: ["tls.crt", "tls.key"].map((k) => ({
                match: { secretKey: k, remoteRef: { remoteKey: globalTlsKey(cluster.env, t.name), property: k } },
              })),
            },
          }),
        ];
      }),
    ];
  }
  return [
    serviceAccount(cluster, GLOBAL_TLS.readerServiceAccount),
    store(GLOBAL_TLS.store, cluster.region, GLOBAL_TLS.readerServiceAccount),
    ...owners.map((t) =>
      readGlobalTls(fleet, cluster, t.name, EDGE.namespace, globalTlsSecret(t.name), GLOBAL_TLS.store, platformLabels(t.name)),
    ),
  ];
}

/** Secret ARN pattern of one key; Secrets Manager appends `-XXXXXX` to names. */
const keyArn = (region: string, key: string): string => `arn:aws:secretsmanager:${region}:${AWS_ACCOUNT_ID}:secret:${key}-??????`;

/**
 * The IAM roles of a production cluster's global-certificate stores: the issuing cluster's may
 * write only the global wildcards' keys (in every region of the environment); a reader's may only
 * read them in its own region. The tenants' own store roles already read `<env>/<tenant>/*`.
 */
export function globalCertificateRoles(fleet: Fleet, cluster: ClusterSpec, tenants: readonly TenantSpec[]): IamRoleDoc[] {
  if (!servesGlobalNames(fleet, cluster)) return [];
  const keys = tenantsWithGlobalNames(tenants).map((t) => globalTlsKey(cluster.env, t.name));
  if (keys.length === 0) return [];
  if (issuesGlobalNames(fleet, cluster))
    return [
      {
        roleName: roleName(cluster, GLOBAL_TLS.publisherServiceAccount),
        trustPolicy: serviceAccountTrustPolicy(
          cluster,
          EDGE.namespace,
          GLOBAL_TLS.publisherServiceAccount,
          "GlobalCertificateStoreServiceAccountOnly",
        ),
        permissionsPolicy: {
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "PublishGlobalCertificatesOnly",
              Effect: "Allow",
              Action: [
                "secretsmanager:CreateSecret",
                "secretsmanager:DescribeSecret",
                "secretsmanager:GetSecretValue",
                "secretsmanager:PutSecretValue",
                "secretsmanager:TagResource",
              ],
              Resource: environmentRegions(fleet, cluster.env).flatMap((r) => keys.map((k) => keyArn(r, k))),
            },
          ],
        },
      },
    ];
  return [
    {
      roleName: roleName(cluster, GLOBAL_TLS.readerServiceAccount),
      trustPolicy: serviceAccountTrustPolicy(
        cluster,
        EDGE.namespace,
        GLOBAL_TLS.readerServiceAccount,
        "GlobalCertificateStoreServiceAccountOnly",
      ),
      permissionsPolicy: {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "ReadGlobalCertificatesOnly",
            Effect: "Allow",
            Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
            Resource: keys.map((k) => keyArn(cluster.region, k)),
          },
        ],
      },
    },
  ];
}
