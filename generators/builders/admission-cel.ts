/** CEL building blocks shared by the admission guardrails (builders/admission.ts, admission-controllers.ts). */
import { LABELS } from "../fleet/constants.js";

/** A CEL string literal: single-quoted, with backslash and quote escaped. */
export function celString(s: string): string {
  return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

export function celList(items: readonly string[]): string {
  return `[${items.map(celString).join(", ")}]`;
}

/**
 * A regular expression matching a DNS name literally. Cluster names and zones are DNS names
 * (letters, digits, `-`, `.`), so only the dot needs escaping; `[.]` rather than `\\.` keeps
 * the CEL free of backslashes.
 */
export function literal(dnsName: string): string {
  if (!/^[a-z0-9.-]+$/.test(dnsName)) throw new Error(`internal: ${dnsName} is not a DNS name`);
  return dnsName.replace(/[.]/g, "[.]");
}

export type Rule = { apiGroups: string[]; apiVersions: string[]; resources: string[] };

export interface PolicySpec {
  name: string;
  rules: Rule[];
  matchConditions?: { name: string; expression: string }[];
  variables: { name: string; expression: string }[];
  validations: { expression: string; message?: string; messageExpression?: string; reason?: string }[];
}

/** The tenant of the request's namespace; the bindings select only labelled tenant namespaces. */
export const TENANT_VAR = { name: "tenant", expression: `namespaceObject.metadata.labels[${celString(LABELS.tenant)}]` };

/** Every kind that carries a pod template. */
export const POD_RULES: Rule[] = [
  { apiGroups: [""], apiVersions: ["v1"], resources: ["pods"] },
  { apiGroups: ["apps"], apiVersions: ["v1"], resources: ["deployments", "statefulsets", "daemonsets", "replicasets"] },
  { apiGroups: ["batch"], apiVersions: ["v1"], resources: ["jobs", "cronjobs"] },
];

export const POD_SPEC_VARS = [
  {
    name: "podSpec",
    expression:
      "object.kind == 'Pod' ? object.spec : object.kind == 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.spec.template.spec",
  },
];
