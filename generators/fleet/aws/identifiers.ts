/**
 * Formats of the AWS identifiers the fleet and tenants write down.
 *
 * - EFS file system IDs: `fs-` and 8 or 17 lowercase hex digits (EFS API reference,
 *   FileSystemId pattern `^(arn:aws[-a-z]*:elasticfilesystem:[0-9a-z-:]+:file-system/fs-[0-9a-f]{8,40}|fs-[0-9a-f]{8,40})$`;
 *   IDs issued today are 17 digits).
 * - EKS OIDC issuer IDs: the last segment of `https://oidc.eks.<region>.amazonaws.com/id/<ID>`,
 *   32 uppercase hex digits (`aws eks describe-cluster --query cluster.identity.oidc.issuer`).
 * - ARNs: `arn:<partition>:<service>:<region>:<account>:<resource>` (IAM User Guide, "ARN format").
 * - Secrets Manager names: 1-512 characters of letters, digits and / _ + = . @ -
 *   (Secrets Manager API reference, CreateSecret Name).
 */

import { AWS_ACCOUNT_ID } from "../constants.js";

/** The ARN of a role (or, given a name prefix, of the roles it starts) in the fleet's account. */
export function iamRoleArn(roleName: string): string {
  return `arn:aws:iam::${AWS_ACCOUNT_ID}:role/${roleName}`;
}

const EFS_ID = /^fs-([0-9a-f]{8}|[0-9a-f]{17})$/;
const OIDC_ID = /^[0-9A-F]{32}$/;
const ARN = /^arn:aws(-cn|-us-gov)?:[a-z0-9-]+:([a-z]{2}(-gov)?-[a-z]+-[0-9])?:([0-9]{12})?:.+$/;
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

export function efsFileSystemIdProblem(id: string): string | undefined {
  return EFS_ID.test(id)
    ? undefined
    : 'not an EFS file system ID: "fs-" and 17 lowercase hex digits (e.g. "fs-0123456789abcdef0"); copy it from `aws efs describe-file-systems`';
}

export function oidcIssuerIdProblem(id: string): string | undefined {
  if (id.startsWith("https://") || id.includes("/"))
    return "write only the ID (the last segment of the issuer URL oidc.eks.<region>.amazonaws.com/id/<ID>)";
  return OIDC_ID.test(id)
    ? undefined
    : "not an EKS OIDC issuer ID: 32 uppercase hex digits, from `aws eks describe-cluster --query cluster.identity.oidc.issuer`";
}

export function arnProblem(arn: string): string | undefined {
  return ARN.test(arn) ? undefined : "not an ARN: arn:<partition>:<service>:<region>:<12-digit account>:<resource>";
}

export function secretsManagerNameProblem(name: string): string | undefined {
  if (!SECRET_NAME.test(name)) return "a Secrets Manager secret name has 1-512 characters: letters, digits and / _ + = . @ -";
  if (name.includes("//") || name.endsWith("/")) return "has an empty path segment; remove the extra '/'";
  return undefined;
}

/** Key prefixes in S3 below which an IAM policy grants writes: no leading or trailing '/', no wildcard. */
export function s3PrefixProblem(prefix: string): string | undefined {
  if (prefix === "" || prefix.startsWith("/") || prefix.endsWith("/") || /[*?]/.test(prefix) || prefix.includes("//"))
    return 'write a key prefix like "tenant/app": no leading or trailing "/", no wildcards';
  return undefined;
}
