/**
 * Secrets never live in git: each is an ExternalSecret that External Secrets Operator
 * fills from AWS Secrets Manager through the cluster's regional ClusterSecretStore.
 */
import { ExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret";
import { PLATFORM } from "../fleet/constants.js";
import type { Env } from "../fleet/fleet.js";
import type { SecretSpec, TenantSpec } from "../api/tenant.js";
import type { KubeObject } from "./object.js";
import { tenantLabels, tenantNamespace } from "./labels.js";

/** The Secrets Manager key. Environments never share credentials, so the key starts with the env. */
export function remoteKey(env: Env, tenant: TenantSpec, s: SecretSpec): string {
  return `${env}/${tenant.name}/${s.remoteKey}`;
}

export function buildExternalSecrets(tenant: TenantSpec, env: Env): KubeObject[] {
  return (tenant.secrets ?? []).map(
    (s) =>
      new ExternalSecret({
        metadata: { name: s.name, namespace: tenantNamespace(tenant), labels: tenantLabels(tenant) },
        spec: {
          refreshInterval: s.refreshInterval ?? "1h",
          secretStoreRef: { kind: "ClusterSecretStore", name: PLATFORM.clusterSecretStore },
          target: { name: s.name, creationPolicy: "Owner", deletionPolicy: "Retain" },
          data: [...s.properties].sort().map((property) => ({
            secretKey: property,
            remoteRef: { key: remoteKey(env, tenant, s), property },
          })),
        },
      }),
  );
}
