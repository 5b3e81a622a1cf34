/**
 * Pod Security of the add-ons' namespaces: an add-on whose ApplicationSet labels the namespace it
 * creates (`managedNamespaceMetadata`) with an enforced level below "restricted" runs pods the
 * tenants' namespaces would refuse. That is allowed only as a typed, expiring exception
 * (check/exceptions.ts addonPodSecurityExceptions: today Velero's namespace at "baseline", for its
 * data mover pods, catalogue/velero.ts), so it is listed, warned about before it expires and fails
 * after. Levels: kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/api/constants.go
 * (privileged, baseline, restricted); label: pod-security.kubernetes.io/enforce.
 */
import { LABELS } from "../../fleet/constants.js";
import type { AppsRule, Hit } from "./types.js";
import { idOf, kindOf, labelsOf, nameOf, obj, strMap } from "./util.js";

const ENFORCE = "pod-security.kubernetes.io/enforce";

export const ADDON_POD_SECURITY_RULES: readonly AppsRule[] = [
  {
    id: "addon-pod-security",
    scope: "apps",
    description:
      'No add-on labels the namespace it creates with a Pod Security level below "restricted" (pod-security.kubernetes.io/enforce in managedNamespaceMetadata) without a typed, expiring exception.',
    fix: 'Run the add-on\'s pods "restricted" through its Helm values and drop the label, or declare the exception with its reason and expiry in generators/check/exceptions.ts.',
    check: (ctx) =>
      ctx.apps
        .filter((a) => kindOf(a) === "ApplicationSet")
        .flatMap((set): Hit[] => {
          const labels = strMap(obj(obj(obj(obj(obj(set.spec).template).spec).syncPolicy).managedNamespaceMetadata).labels);
          const level = labels[ENFORCE];
          if (level === undefined || level === "restricted") return [];
          return [
            {
              object: idOf(set),
              tenant: labelsOf(set)[LABELS.tenant] ?? "",
              path: "spec.template.spec.syncPolicy.managedNamespaceMetadata.labels",
              message: `${nameOf(set)} enforces Pod Security "${level}" on its namespace, below "restricted"`,
              cluster: "",
            },
          ];
        }),
  },
];
