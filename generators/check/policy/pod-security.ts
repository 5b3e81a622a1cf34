/**
 * Pod Security Standards, baseline and restricted, on every pod template of a rendered
 * cluster: one rule per upstream check, each the port in ./pod-security/ (kubernetes/kubernetes
 * staging/src/k8s.io/pod-security-admission/policy/check_*.go). Every tenant namespace
 * enforces `restricted`, which includes baseline.
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
import type { ClusterRule } from "./types.js";
import { hitOn, obj, perTemplate, type PodTemplate } from "./util.js";
import { POD_CHECKS, type Pod, type PodCheck } from "./pod-security/index.js";

/** The template's pod: its metadata (annotations are judged, e.g. AppArmor's) and spec. */
function podOf(t: PodTemplate): { pod: Pod; metadataPath: string } {
  const metadataPath = t.specPath === "spec" ? "metadata" : `${t.specPath.slice(0, -".spec".length)}.metadata`;
  let m: unknown = t.loc.obj;
  for (const k of metadataPath.split(".")) m = obj(m)[k];
  return { pod: { metadata: obj(m), spec: t.spec }, metadataPath };
}

function rule(c: PodCheck): ClusterRule {
  return {
    id: c.rule,
    scope: "cluster",
    description: c.description,
    fix: c.fix,
    check: perTemplate((t) => {
      const { pod, metadataPath } = podOf(t);
      return c
        .check(pod)
        .map((v) =>
          hitOn(
            t.loc,
            v.path.startsWith("metadata")
              ? `${metadataPath}${v.path.slice("metadata".length)}`
              : `${t.specPath}${v.path.slice("spec".length)}`,
            v.message,
          ),
        );
    }),
  };
}

export const POD_SECURITY_RULES: readonly ClusterRule[] = POD_CHECKS.map(rule);
