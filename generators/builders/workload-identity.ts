/**
 * AWS access for tenant Jobs through workload identity (IRSA) instead of static keys: a
 * Job that declares `s3Write` gets, per environment, the IAM role `<env>-<tenant>-<job>`
 * on its ServiceAccount. The role trusts exactly that ServiceAccount on the environment's
 * clusters (each cluster's OIDC issuer) and may only put objects below the declared
 * prefixes of the environment's backup bucket. The EKS Pod Identity webhook injects the
 * projected token and AWS_ROLE_ARN; the AWS CLI picks them up.
 * https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html
 */
import { BACKUP_BUCKET_PREFIX } from "../fleet/constants.js";
import { iamRoleArn } from "../fleet/aws/identifiers.js";
import type { Env, Fleet } from "../fleet/fleet.js";
import type { JobSpec, TenantSpec } from "../api/tenant.js";
import { tenantNamespace } from "./labels.js";
import { type IamRoleDoc, serviceAccountTrust } from "./iam.js";

/** The environment's backup bucket; the tenant's `backup-s3` secret names the same bucket. */
export function backupBucket(env: Env): string {
  return `${BACKUP_BUCKET_PREFIX}-${env}`;
}

export function jobRoleName(env: Env, tenant: TenantSpec, job: JobSpec): string {
  return `${env}-${tenant.name}-${job.name}`;
}

export function jobRoleArn(env: Env, tenant: TenantSpec, job: JobSpec): string {
  return iamRoleArn(jobRoleName(env, tenant, job));
}

/** Jobs of a tenant that use AWS. */
export function awsJobs(tenant: TenantSpec): JobSpec[] {
  return (tenant.jobs ?? []).filter((j) => (j.s3Write ?? []).length > 0);
}

/** A Job writes only below its own tenant's prefix: `<tenant>/...`, so no tenant can reach another's backups. */
function ownPrefixes(tenant: TenantSpec, job: JobSpec): readonly string[] {
  const prefixes = job.s3Write ?? [];
  for (const p of prefixes) {
    if (!p.startsWith(`${tenant.name}/`) || p.includes("*") || p.split("/").includes("..")) {
      throw new Error(
        `generators/tenants/${tenant.name}.ts: jobs[${job.name}].s3Write: "${p}": must be a path below "${tenant.name}/" without wildcards; write the tenant's own backups only`,
      );
    }
  }
  return prefixes;
}

/** The roles of every AWS-using Job in one environment. */
export function jobRoles(fleet: Fleet, env: Env, tenants: readonly TenantSpec[]): IamRoleDoc[] {
  const clusters = fleet.clusters.filter((c) => c.env === env);
  return tenants.flatMap((t) =>
    awsJobs(t).map((job) => ({
      roleName: jobRoleName(env, t, job),
      trustPolicy: {
        Version: "2012-10-17" as const,
        Statement: clusters.map((c) =>
          serviceAccountTrust(c, tenantNamespace(t), job.name, `JobServiceAccountOn${c.name.replace(/[^A-Za-z0-9]/g, "")}`),
        ),
      },
      permissionsPolicy: {
        Version: "2012-10-17" as const,
        Statement: [
          {
            Sid: "WriteOwnBackupsOnly",
            Effect: "Allow" as const,
            Action: ["s3:PutObject"],
            Resource: ownPrefixes(t, job).map((p) => `arn:aws:s3:::${backupBucket(env)}/${p}/*`),
          },
        ],
      },
    })),
  );
}
