/**
 * The admission guardrails for what controllers do with a tenant's objects: the scheduler
 * (PriorityClasses) and KEDA (whose identity a scaler runs with). Assembled with the others by builders/admission.ts.
 */
import { PRIORITY_CLASSES, admissionPolicyName } from "../fleet/constants.js";
import type { ClusterSpec } from "../fleet/fleet.js";
import { POD_RULES, POD_SPEC_VARS, TENANT_VAR, celList, celString, type PolicySpec } from "./admission-cel.js";
import { kedaTenantRolePrefix } from "./keda-identity.js";

/**
 * Pods in tenant namespaces name no PriorityClass, or one of the fleet's (fleet/constants.ts
 * PRIORITY_CLASSES). `system-node-critical` and `system-cluster-critical` are usable in every
 * namespace since Kubernetes 1.17 (kubernetes/kubernetes#76310) and preempt everything below;
 * the per-tenant ResourceQuota scoped to them (builders/quota.ts) is the second lock.
 */
export function priorityClassPolicy(): PolicySpec {
  return {
    name: admissionPolicyName("priority-classes"),
    rules: POD_RULES,
    variables: [{ name: "allowed", expression: celList(Object.values(PRIORITY_CLASSES).map((c) => c.name)) }, ...POD_SPEC_VARS],
    validations: [
      {
        expression: "!has(variables.podSpec.priorityClassName) || variables.podSpec.priorityClassName in variables.allowed",
        messageExpression:
          "'priorityClassName ' + variables.podSpec.priorityClassName + ' is not one of the fleet classes: ' + variables.allowed.join(', ')",
        reason: "Forbidden",
      },
      {
        // The Priority admission plugin fills spec.priority from the class; a pod may not bring its own.
        expression: "object.kind != 'Pod' || !has(object.spec.priority) || has(object.spec.priorityClassName)",
        message: "pods in tenant namespaces get their priority from a PriorityClass, not spec.priority",
        reason: "Forbidden",
      },
    ],
  };
}

/**
 * KEDA's credentials. Without `roleArn`, a TriggerAuthentication with `podIdentity.provider: aws`
 * runs the scaler with the KEDA operator's own role, and a trigger's `identityOwner: operator`
 * or `awsRoleArn` does the same or names any role (keda.sh/docs/2.18/authentication-providers/aws,
 * scalers/aws-sqs-queue); a ClusterTriggerAuthentication is shared by every namespace. Tenants get
 * their own role (builders/keda-identity.ts) and nothing else; secret-based credentials stay
 * within the namespace's Secrets.
 */
export function kedaAuthPolicy(cluster: ClusterSpec): PolicySpec {
  const external = ["awsSecretManager", "azureKeyVault", "gcpSecretManager", "hashiCorpVault"];
  return {
    name: admissionPolicyName("keda-auth"),
    rules: [{ apiGroups: ["keda.sh"], apiVersions: ["*"], resources: ["triggerauthentications", "scaledobjects", "scaledjobs"] }],
    variables: [TENANT_VAR, { name: "ownRole", expression: `${celString(kedaTenantRolePrefix(cluster))} + variables.tenant` }],
    validations: [
      {
        expression:
          "object.kind != 'TriggerAuthentication' || !has(object.spec.podIdentity) || object.spec.podIdentity.provider == 'none' || " +
          "(object.spec.podIdentity.provider == 'aws' && has(object.spec.podIdentity.roleArn) && object.spec.podIdentity.roleArn == variables.ownRole)",
        messageExpression:
          "'TriggerAuthentications in this namespace use AWS pod identity only with roleArn ' + variables.ownRole + ', the tenant KEDA role'",
        reason: "Forbidden",
      },
      {
        expression: `object.kind != 'TriggerAuthentication' || ${external.map((f) => `!has(object.spec.${f})`).join(" && ")}`,
        message: `TriggerAuthentications in tenant namespaces read credentials from the namespace's Secrets, not from ${external.join(", ")}`,
        reason: "Forbidden",
      },
      {
        expression:
          "object.kind == 'TriggerAuthentication' || object.spec.triggers.all(t, (!has(t.authenticationRef) || !has(t.authenticationRef.kind) || t.authenticationRef.kind == 'TriggerAuthentication') " +
          "&& (!has(t.metadata) || (!('awsRoleArn' in t.metadata) && !('identityOwner' in t.metadata))))",
        message:
          "KEDA triggers in tenant namespaces authenticate through a TriggerAuthentication of the namespace; awsRoleArn and identityOwner would borrow the operator's identity",
        reason: "Forbidden",
      },
    ],
  };
}
