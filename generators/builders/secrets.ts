/**
 * Secrets never live in git: each is an ExternalSecret that External Secrets Operator
 * fills from AWS Secrets Manager. Every tenant namespace gets its own SecretStore whose
 * IAM role (IRSA, through the namespace's `secret-store` ServiceAccount) may read only
 * `<env>/<tenant>/*`, and whose trust policy admits only that ServiceAccount of that
 * cluster. So a tenant cannot read another tenant's secrets even by naming their keys:
 * AWS refuses, whatever the manifests say. The platform owns the stores, the
 * ServiceAccounts and the role documents (iam/<cluster>.yaml, applied by Terraform).
 * ESO's AWS provider with `auth.jwt.serviceAccountRef`:
 * https://external-secrets.io/latest/provider/aws-secrets-manager/#eks-service-account-credentials
 * IRSA trust policy: https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
 */
import { ExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret";
import { SecretStore } from "@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { IRSA_ROLE_ANNOTATION, LABELS, MANAGED_BY, PLATFORM, PLATFORM_TENANT } from "../fleet/constants.js";
import { iamRoleArn } from "../fleet/aws/identifiers.js";
import type { ClusterSpec, Env } from "../fleet/fleet.js";
import type { SecretSpec, TenantSpec } from "../api/tenant.js";
import type { KubeObject } from "./object.js";
import { tenantLabels, tenantNamespace } from "./labels.js";
import { AWS_ACCOUNT_ID } from "../fleet/constants.js";
import { type IamRoleDoc, serviceAccountTrustPolicy } from "./iam.js";

/** The Secrets Manager key. Environments never share credentials, so the key starts with the env. */
export function remoteKey(env: Env, tenant: TenantSpec, s: SecretSpec): string {
  return `${env}/${tenant.name}/${s.remoteKey}`;
}

export function buildExternalSecrets(tenant: TenantSpec, env: Env): KubeObject[] {
  return (tenant.secrets ?? []).map((s) => externalSecret(tenant, tenantNamespace(tenant), env, s));
}

function externalSecret(tenant: TenantSpec, namespace: string, env: Env, s: SecretSpec): KubeObject {
  return new ExternalSecret({
    metadata: { name: s.name, namespace, labels: tenantLabels(tenant) },
    spec: {
      refreshInterval: s.refreshInterval ?? "1h",
      secretStoreRef: { kind: "SecretStore", name: PLATFORM.secretStore },
      target: { name: s.name, creationPolicy: "Owner", deletionPolicy: "Retain" },
      data: [...s.properties].sort().map((property) => ({
        secretKey: property,
        remoteRef: { key: remoteKey(env, tenant, s), property },
      })),
    },
  });
}

/** Who reads secrets through a store: a tenant in its namespace, or the platform in an add-on namespace. */
export interface SecretReader {
  /** The `<tenant>` of `<env>/<tenant>/*`. */
  tenant: string;
  namespace: string;
}

/** Every store of a cluster: one per tenant namespace, plus the platform's in the monitoring namespace (Grafana). */
export function secretReaders(tenants: readonly TenantSpec[]): SecretReader[] {
  return [
    ...tenants.filter((t) => t.name !== PLATFORM_TENANT).map((t) => ({ tenant: t.name, namespace: tenantNamespace(t) })),
    { tenant: PLATFORM_TENANT, namespace: PLATFORM.monitoringNamespace },
  ];
}

/** IAM role of one reader's store on one cluster (IRSA roles are per cluster: each cluster has its own OIDC issuer). */
export function secretRoleName(cluster: ClusterSpec, r: SecretReader): string {
  return `${cluster.name}-secrets-${r.tenant}`;
}

const storeLabels = (r: SecretReader) => ({ [LABELS.partOf]: PLATFORM_TENANT, [LABELS.managedBy]: MANAGED_BY, [LABELS.tenant]: r.tenant });

/** The ServiceAccount (carrying the role) and the SecretStore of every reader on a cluster. */
export function buildSecretStores(cluster: ClusterSpec, tenants: readonly TenantSpec[]): KubeObject[] {
  return secretReaders(tenants).flatMap((r) => [
    new ServiceAccount({
      metadata: {
        name: PLATFORM.secretStoreServiceAccount,
        namespace: r.namespace,
        labels: storeLabels(r),
        annotations: { [IRSA_ROLE_ANNOTATION]: iamRoleArn(secretRoleName(cluster, r)) },
      },
      // Only ESO requests tokens for it (TokenRequest); no pod runs as it.
      automountServiceAccountToken: false,
    }),
    new SecretStore({
      metadata: { name: PLATFORM.secretStore, namespace: r.namespace, labels: storeLabels(r) },
      spec: {
        provider: {
          aws: {
            service: "SecretsManager",
            region: cluster.region,
            auth: { jwt: { serviceAccountRef: { name: PLATFORM.secretStoreServiceAccount } } },
          },
        },
      },
    }),
  ]);
}

/** Secret ARN pattern of a reader's path; Secrets Manager appends `-XXXXXX` to names, which `*` covers. */
export function secretArnPattern(cluster: ClusterSpec, r: SecretReader): string {
  return `arn:aws:secretsmanager:${cluster.region}:${AWS_ACCOUNT_ID}:secret:${cluster.env}/${r.tenant}/*`;
}

/** The roles the cluster's SecretStores assume: trust one ServiceAccount, read one path. */
export function secretStoreRoles(cluster: ClusterSpec, tenants: readonly TenantSpec[]): IamRoleDoc[] {
  return secretReaders(tenants).map((r) => ({
    roleName: secretRoleName(cluster, r),
    trustPolicy: serviceAccountTrustPolicy(cluster, r.namespace, PLATFORM.secretStoreServiceAccount, "SecretStoreServiceAccountOnly"),
    permissionsPolicy: {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ReadOwnSecretsOnly",
          Effect: "Allow",
          Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
          Resource: [secretArnPattern(cluster, r)],
        },
      ],
    },
  }));
}

/** Grafana's admin login, read by kube-prometheus-stack through `grafana.admin.existingSecret`. */
export const GRAFANA_ADMIN_SECRET: SecretSpec = {
  name: PLATFORM.grafanaAdminSecret,
  remoteKey: "grafana-admin",
  properties: ["admin-password", "admin-user"],
};

/** The platform's ExternalSecrets in add-on namespaces: Grafana's admin credentials. */
export function buildPlatformExternalSecrets(env: Env, platform: TenantSpec): KubeObject[] {
  return [externalSecret(platform, PLATFORM.monitoringNamespace, env, GRAFANA_ADMIN_SECRET)];
}
