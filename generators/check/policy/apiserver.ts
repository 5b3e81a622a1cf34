/**
 * What the Kubernetes API server itself would refuse, checked on every rendered object:
 * the same rules the generator applies before writing (generators/rules/objects.ts), so a
 * hand edit or a patch in the generated tree that breaks them fails here, by rule id.
 */
import { ARGOCD_NAMESPACE, LABELS, PLATFORM_TENANT } from "../../fleet/constants.js";
import { objectProblems, type ObjectProblem } from "../../rules/objects.js";
import { reservedNamespace } from "../../rules/names.js";
import type { ClusterRule, Hit, K8sObject } from "./types.js";
import { memoByIdentity } from "../memo.js";
import { hitOn, labelsOf, nameOf, namespaceOf } from "./util.js";

const problemsOf = memoByIdentity((o: K8sObject): ObjectProblem[] => objectProblems(o));

function apiRule(id: string, description: string, fix: string): ClusterRule {
  return {
    id,
    scope: "cluster",
    description,
    fix,
    check: (ctx) =>
      ctx.objects.flatMap((l) =>
        problemsOf(l.obj)
          .filter((p) => p.rule === id)
          .map((p) => hitOn(l, p.path, `${JSON.stringify(p.value)}: ${p.message}`)),
      ),
  };
}

export const APISERVER_RULES: readonly ClusterRule[] = [
  apiRule(
    "kube-name",
    "Object names meet their kind's rule (DNS-1123 subdomain, DNS-1123 label for namespaces, DNS-1035 label for Services), and the names controllers derive from them fit (CronJob at most 52 characters, StatefulSet pod, revision and PVC names); container, volume and port names are DNS-1123 labels or IANA service names.",
    "Rename the object in its tenant source (generators/tenants/<tenant>.ts) and regenerate.",
  ),
  apiRule(
    "kube-label",
    "Label keys are qualified names (optional DNS subdomain prefix, name of at most 63 characters) and values are empty or at most 63 alphanumerics, '-', '_', '.'.",
    "Fix the label in the source that sets it and regenerate.",
  ),
  apiRule(
    "kube-annotation",
    "Annotation keys are qualified names and all annotations of an object total at most 256 KiB.",
    "Fix the annotation in the source that sets it and regenerate.",
  ),
  apiRule(
    "kube-unique",
    "Container, volume and container-port names are unique in a pod, every volume mount names a declared volume, and a Service's ports have unique names and unique port+protocol pairs.",
    "Rename or remove the duplicate in the tenant source and regenerate.",
  ),
  apiRule(
    "kube-image",
    "Every container image is a well-formed reference: registry/path[:tag][@sha256:digest].",
    "Write the image as registry/org/name with a tag or digest in the tenant source or generators/release/pins.json.",
  ),
  apiRule(
    "kube-resources",
    "Requests and limits are valid, non-negative quantities, memory and storage in whole bytes, and every request is at most its limit.",
    "Fix resources in the tenant source: requests <= limits, whole bytes (e.g. 512Mi).",
  ),
  apiRule(
    "kube-env",
    "Environment variable names meet IsEnvVarName (letters, digits, '_', '-', '.', not starting with a digit) and every container's volume mount paths are unique.",
    "Rename the variable or move the mount in the tenant source (env, secretEnv, storage, scratch, configFiles, secretMounts) and regenerate.",
  ),
  apiRule(
    "kube-configmap",
    "ConfigMap keys meet IsConfigMapKey (alphanumerics, '-', '_', '.', not '.' or '..') and a ConfigMap's data totals at most 1 MiB.",
    "Rename the file or split the ConfigMap in the tenant source (configFiles, configMaps, dashboards) and regenerate.",
  ),
  apiRule(
    "kube-workload",
    "Deployment rolling updates (maxSurge/maxUnavailable int or percent, not both 0), Job fields (backoffLimit, activeDeadlineSeconds, ttlSecondsAfterFinished), CronJob schedules (robfig/cron's standard parser and its descriptors), concurrencyPolicy and timeZone, HPA bounds, behavior (stabilization 0-3600 s, policies, selectPolicy) and utilization targets are what the API server admits.",
    "Fix rollout, jobs[].schedule, backoffLimit, activeDeadlineSeconds or scaling in the tenant source and regenerate.",
  ),
  apiRule(
    "kube-network",
    "Ingress hosts are DNS names without a trailing dot; Exact and Prefix paths are absolute without '//', '/./', '/../', '%2f' or a '/.' or '/..' suffix (and only the characters ingress-nginx admits); NetworkPolicy ipBlock CIDRs are valid and each `except` is strictly inside its `cidr`.",
    "Fix exposure.ingress paths or network peers' cidr in the tenant source and regenerate.",
  ),
  {
    id: "kube-namespace",
    scope: "cluster",
    description: "No tenant runs in kube-*, default or argocd, and each namespace belongs to one tenant.",
    fix: "Give the tenant a namespace of its own (TenantSpec.namespace) and regenerate.",
    check: (ctx) => {
      // A namespace belongs to the tenant its platform-created Namespace is labelled with;
      // one the platform does not create goes to the first tenant seen in it.
      const owner = new Map<string, string>();
      for (const l of ctx.objects) {
        const tenant = labelsOf(l.obj)[LABELS.tenant];
        if (l.tenant === PLATFORM_TENANT && l.obj.kind === "Namespace" && tenant !== undefined) owner.set(nameOf(l.obj), tenant);
      }
      const hits: Hit[] = [];
      for (const l of ctx.objects) {
        const ns = namespaceOf(l.obj);
        if (ns === "" || l.tenant === PLATFORM_TENANT) continue;
        const reserved = reservedNamespace(ns, ARGOCD_NAMESPACE);
        if (reserved) hits.push(hitOn(l, "metadata.namespace", `tenant ${l.tenant} puts an object in namespace ${ns}: ${reserved}`));
        const prior = owner.get(ns);
        if (prior === undefined) owner.set(ns, l.tenant);
        else if (prior !== l.tenant)
          hits.push(hitOn(l, "metadata.namespace", `namespace ${ns} already belongs to tenant ${prior}; one tenant per namespace`));
      }
      return hits;
    },
  },
];
