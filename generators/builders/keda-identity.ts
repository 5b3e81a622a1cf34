/**
 * KEDA's AWS access, one identity per tenant, all of it in iam/<cluster>.yaml:
 *
 * - the operator's own IRSA role `<cluster>-keda` (addons/catalogue/keda.ts
 *   podIdentity.aws.irsa.roleArn) may do one thing: assume the tenants' KEDA roles of its cluster;
 * - each application tenant gets `<cluster>-keda-<tenant>`, trusted by the operator role only,
 *   and a TriggerAuthentication `keda-aws` in its namespace (the platform's, so the tenant
 *   cannot change it) with `podIdentity: {provider: aws, roleArn: <that role>}`. No trigger
 *   of the tenant API reads AWS today, so the role's permissions deny everything: what a
 *   tenant's scaler can reach in AWS is decided here, not by the operator's role.
 *
 * KEDA semantics (keda.sh/docs/2.18/authentication-providers/aws): with `roleArn` set KEDA
 * assumes that role from the operator's identity; without it the operator's own role is used,
 * which is why the keda-auth guardrail (builders/admission.ts) requires a tenant's own roleArn.
 */
import { TriggerAuthentication } from "@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication";
import { PLATFORM } from "../fleet/constants.js";
import { iamRoleArn } from "../fleet/aws/identifiers.js";
import type { ClusterSpec } from "../fleet/fleet.js";
import type { TenantSpec } from "../api/tenant.js";
import type { KubeObject } from "./object.js";
import { tenantLabels, tenantNamespace } from "./labels.js";
import { type IamRoleDoc, serviceAccountTrustPolicy } from "./iam.js";

/** The KEDA operator's ServiceAccount (kedacore/charts keda values operator.name). */
const KEDA_OPERATOR_SERVICE_ACCOUNT = "keda-operator";

export const kedaOperatorRoleName = (cluster: ClusterSpec): string => `${cluster.name}-keda`;
/** The tenant's KEDA role on the cluster; the keda-auth guardrail builds the same ARN from the namespace's tenant label. */
export const kedaTenantRolePrefix = (cluster: ClusterSpec): string => iamRoleArn(`${cluster.name}-keda-`);
export const kedaTenantRoleArn = (cluster: ClusterSpec, tenant: string): string => `${kedaTenantRolePrefix(cluster)}${tenant}`;

/** The operator role and one role per application tenant. */
export function kedaRoles(cluster: ClusterSpec, tenants: readonly TenantSpec[]): IamRoleDoc[] {
  const operatorArn = iamRoleArn(kedaOperatorRoleName(cluster));
  const operator: IamRoleDoc = {
    roleName: kedaOperatorRoleName(cluster),
    trustPolicy: serviceAccountTrustPolicy(cluster, PLATFORM.kedaNamespace, KEDA_OPERATOR_SERVICE_ACCOUNT, "KedaOperatorOnly"),
    permissionsPolicy: {
      Version: "2012-10-17",
      Statement: [
        { Sid: "AssumeTenantKedaRolesOnly", Effect: "Allow", Action: ["sts:AssumeRole"], Resource: [`${kedaTenantRolePrefix(cluster)}*`] },
      ],
    },
  };
  const perTenant = tenants.map(
    (t): IamRoleDoc => ({
      roleName: `${kedaOperatorRoleName(cluster)}-${t.name}`,
      trustPolicy: {
        Version: "2012-10-17",
        Statement: [{ Sid: "KedaOperatorRoleOnly", Effect: "Allow", Principal: { AWS: operatorArn }, Action: ["sts:AssumeRole"] }],
      },
      permissionsPolicy: {
        Version: "2012-10-17",
        // Widen only with the tenant's declared AWS triggers (none in the tenant API yet).
        Statement: [{ Sid: "NoAwsTriggersDeclared", Effect: "Deny", Action: ["*"], Resource: ["*"] }],
      },
    }),
  );
  return [operator, ...perTenant];
}

/** Each application tenant's `keda-aws` TriggerAuthentication, naming its own role. */
export function buildKedaTriggerAuthentications(cluster: ClusterSpec, tenants: readonly TenantSpec[]): KubeObject[] {
  return tenants.map(
    (t) =>
      new TriggerAuthentication({
        metadata: { name: PLATFORM.kedaAwsAuthentication, namespace: tenantNamespace(t), labels: tenantLabels(t) },
        spec: { podIdentity: { provider: "aws", roleArn: kedaTenantRoleArn(cluster, t.name) } },
      }),
  );
}
