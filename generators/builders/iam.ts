/**
 * The IAM roles the fleet declares for Terraform (iam/), and the trust they share: EKS IAM roles
 * for service accounts (IRSA) let exactly one ServiceAccount of one cluster assume a role, through
 * the cluster's OIDC provider (https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html:
 * the `:sub` and `:aud` conditions). Every role the fleet writes for a pod trusts this way.
 */
import { AWS_ACCOUNT_ID } from "../fleet/constants.js";
import type { ClusterSpec } from "../fleet/fleet.js";

/** An IAM policy document (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html). */
export interface IamPolicyDocument {
  Version: "2012-10-17";
  Statement: {
    Sid: string;
    Effect: "Allow" | "Deny";
    Principal?: Record<string, string>;
    Action: string[];
    Resource?: string[];
    Condition?: Record<string, Record<string, string>>;
  }[];
}

export interface IamRoleDoc {
  roleName: string;
  trustPolicy: IamPolicyDocument;
  permissionsPolicy: IamPolicyDocument;
}

type Statement = IamPolicyDocument["Statement"][number];

/** The cluster's OIDC issuer host and path; its ID is a Terraform output in fleet.ts. */
function oidcIssuer(cluster: ClusterSpec): string {
  if (!cluster.oidcIssuerId)
    throw new Error(
      `generators/fleet/fleet.ts: clusters[${cluster.name}].oidcIssuerId: missing; set it to the ID of the cluster's EKS OIDC issuer (a Terraform output)`,
    );
  return `oidc.eks.${cluster.region}.amazonaws.com/id/${cluster.oidcIssuerId}`;
}

/** One statement: `namespace/serviceAccount` on `cluster` may assume the role, and nothing else. */
export function serviceAccountTrust(cluster: ClusterSpec, namespace: string, serviceAccount: string, sid: string): Statement {
  const issuer = oidcIssuer(cluster);
  return {
    Sid: sid,
    Effect: "Allow",
    Principal: { Federated: `arn:aws:iam::${AWS_ACCOUNT_ID}:oidc-provider/${issuer}` },
    Action: ["sts:AssumeRoleWithWebIdentity"],
    Condition: {
      StringEquals: {
        [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
        [`${issuer}:aud`]: "sts.amazonaws.com",
      },
    },
  };
}

/** A trust policy of that one statement. */
export function serviceAccountTrustPolicy(cluster: ClusterSpec, namespace: string, serviceAccount: string, sid: string): IamPolicyDocument {
  return { Version: "2012-10-17", Statement: [serviceAccountTrust(cluster, namespace, serviceAccount, sid)] };
}
