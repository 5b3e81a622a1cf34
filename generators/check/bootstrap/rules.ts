/**
 * Bootstrap-closure rules: over one cluster's plan, every object whose prerequisite is
 * not provided strictly earlier (by EKS, or by an Application of an earlier root wave).
 * Each rule's upstream source is in docs/policy.md § Bootstrap closure.
 */
import { ANNOTATIONS, LABELS } from "../../fleet/constants.js";
import type { Provides, StorageClassSpec, WebhookSpec } from "../../addons/provides.js";
import { BUILT_IN_GROUPS } from "../../addons/eks.js";
import { groupOf, kindOf, labelsOf, mapSelectorMatches, nameOf, namespaceOf, obj, objs, str, type Obj } from "../policy/util.js";
import { before, namespaceLabels, objectNamespace, podTemplate, type ClusterPlan, type Part } from "./plan.js";
import { hit, laterProviders, located, provided, type BootstrapHit, type BootstrapRule } from "./hits.js";
import { MESH_RULES } from "./mesh-rules.js";
import { RUNTIME_RULES } from "./runtime-rules.js";

export type { BootstrapHit, BootstrapRule } from "./hits.js";

const hasCrd =
  (group: string, kind: string) =>
  (p: Provides): boolean =>
    (p.crds ?? []).some((c) => c.group === group && c.kinds.includes(kind));

const crdRule: BootstrapRule = {
  id: "bootstrap-crd",
  description: "Every object's kind is built into the API server or its CRD is installed by a part of a strictly earlier wave.",
  fix: "Move the object to a later wave, or install the add-on that defines its CRD in an earlier one.",
  check: (plan) => {
    const hits: BootstrapHit[] = [];
    const need = (part: Part, o: Obj | undefined, group: string, kind: string, path: string): void => {
      if (BUILT_IN_GROUPS.includes(group)) return;
      if (before(plan, part.wave).some((p) => hasCrd(group, kind)(p.provides))) return;
      const subject = o ?? { kind: "Application", metadata: { name: part.name } };
      hits.push(
        hit(
          part,
          subject,
          path,
          `no CRD for ${group}/${kind} before wave ${part.wave}: ${laterProviders(plan, part.wave, hasCrd(group, kind))}`,
        ),
      );
    };
    for (const { part, o } of located(plan)) need(part, o, groupOf(str(o.apiVersion) ?? ""), kindOf(o), "apiVersion");
    for (const part of plan.parts)
      for (const gk of part.model?.requiresCrds ?? []) need(part, undefined, gk.group, gk.kind, "requiresCrds");
    return hits;
  },
};

function webhookMatches(w: WebhookSpec, o: Obj, plan: ClusterPlan): boolean {
  const group = groupOf(str(o.apiVersion) ?? "");
  const kind = kindOf(o);
  const template = podTemplate(o);
  return w.rules.some((r) => {
    if (r.group === "" && r.kind === "Pod") {
      if (!template) return false;
      const podLabels = labelsOf(template);
      if (podLabels[LABELS.istioInject] === "false") return false;
      const nsLabels = namespaceLabels(plan, namespaceOf(o));
      const byNs = (w.namespaceLabels ?? []).some((sel) => mapSelectorMatches(sel, nsLabels));
      const byPod = (w.podLabels ?? []).some((sel) => mapSelectorMatches(sel, podLabels));
      return byNs || byPod;
    }
    if (r.group !== group || (r.kind !== "*" && r.kind !== kind)) return false;
    return !w.loadBalancerServicesOnly || str(obj(o.spec).type) === "LoadBalancer";
  });
}

const webhookRule: BootstrapRule = {
  id: "bootstrap-webhook",
  description: "An object an admission webhook intercepts is applied only after the part that runs the webhook (strictly earlier wave).",
  fix: "Install the webhook's add-on in an earlier wave than the objects it intercepts.",
  check: (plan) => {
    const webhookParts = plan.parts.filter((q) => (q.provides.webhooks ?? []).length > 0);
    return located(plan).flatMap(({ part, o }) =>
      webhookParts
        .filter((q) => q !== part && q.wave >= part.wave)
        .flatMap((q) =>
          (q.provides.webhooks ?? [])
            .filter((w) => webhookMatches(w, o, plan))
            .map((w) =>
              hit(
                part,
                o,
                "metadata",
                `${w.type} webhook ${w.name} (failurePolicy ${w.failurePolicy}) of ${q.name} intercepts it, but ${q.name} installs at wave ${q.wave}, not before wave ${part.wave}${w.failurePolicy === "Fail" ? ": the API server rejects it" : w.type === "mutating" ? ": it is admitted unmutated" : ": it is admitted unvalidated"}`,
              ),
            ),
        ),
    );
  },
};

const namespaceRule: BootstrapRule = {
  id: "bootstrap-namespace",
  description:
    "A namespaced object's namespace exists: created by its own Application (CreateNamespace, or a Namespace it applies) or provided strictly earlier.",
  fix: "Create the namespace in the platform tenant (an earlier wave), or let the Application create it.",
  check: (plan) => {
    const ownNamespaces = new Map(
      plan.parts.map((p) => [p, new Set(p.objects.filter((x) => kindOf(x as Obj) === "Namespace").map((x) => nameOf(x as Obj)))]),
    );
    return located(plan).flatMap(({ part, o }) => {
      const ns = objectNamespace(o);
      if (ns === undefined) return [];
      if (part.createdNamespace?.name === ns) return [];
      if (ownNamespaces.get(part)?.has(ns)) return [];
      if (before(plan, part.wave).some((p) => (p.provides.namespaces ?? []).includes(ns))) return [];
      return [
        hit(
          part,
          o,
          "metadata.namespace",
          `namespace ${ns} does not exist before wave ${part.wave}: ${laterProviders(plan, part.wave, (p) => (p.namespaces ?? []).includes(ns))}`,
        ),
      ];
    });
  },
};

/** In-tree provisioners are served by their CSI driver (CSI migration, on by default since Kubernetes 1.23 for AWS EBS). */
const CSI_MIGRATED: Readonly<Record<string, string>> = { "kubernetes.io/aws-ebs": "ebs.csi.aws.com" };

/** Claims: PVCs and StatefulSet volumeClaimTemplates. */
function claims(o: Obj): { path: string; className: string | undefined }[] {
  if (kindOf(o) === "PersistentVolumeClaim") return [{ path: "spec.storageClassName", className: str(obj(o.spec).storageClassName) }];
  if (kindOf(o) === "StatefulSet")
    return objs(obj(o.spec).volumeClaimTemplates).map((t, i) => ({
      path: `spec.volumeClaimTemplates[${i}].spec.storageClassName`,
      className: str(obj(t.spec).storageClassName),
    }));
  return [];
}

const storageRule: BootstrapRule = {
  id: "bootstrap-storage",
  description:
    "A claim's StorageClass (or, naming none, exactly one default class) and its provisioner's CSI driver are provided strictly earlier.",
  fix: "Name a StorageClass an earlier wave provides, mark exactly one class default, and install its CSI driver earlier.",
  check: (plan) =>
    located(plan).flatMap(({ part, o }) =>
      claims(o).flatMap((c) => {
        const earlier = before(plan, part.wave);
        const classes = provided(earlier, (p) => p.storageClasses).map((x) => x.item);
        let sc: StorageClassSpec | undefined;
        if (c.className === undefined) {
          const defaults = classes.filter((x) => x.default);
          sc = defaults.length === 1 ? defaults[0] : undefined;
          if (!sc)
            return [
              hit(
                part,
                o,
                c.path,
                `names no StorageClass and ${defaults.length === 0 ? "no" : `${defaults.length} (${defaults.map((d) => d.name).join(", ")})`} default class exists before wave ${part.wave}: the claim stays Pending`,
              ),
            ];
        } else {
          sc = classes.find((x) => x.name === c.className);
          if (!sc)
            return [
              hit(
                part,
                o,
                c.path,
                `StorageClass ${c.className} does not exist before wave ${part.wave}: ${laterProviders(plan, part.wave, (p) => (p.storageClasses ?? []).some((x) => x.name === c.className))}`,
              ),
            ];
        }
        const driver = CSI_MIGRATED[sc.provisioner] ?? sc.provisioner;
        if (earlier.some((p) => (p.provides.csiDrivers ?? []).includes(driver))) return [];
        return [
          hit(
            part,
            o,
            c.path,
            `StorageClass ${sc.name} needs the CSI driver ${driver}, which is not installed before wave ${part.wave}: ${laterProviders(plan, part.wave, (p) => (p.csiDrivers ?? []).includes(driver))}`,
          ),
        ];
      }),
    ),
};

const loadBalancerRule: BootstrapRule = {
  id: "bootstrap-load-balancer",
  description:
    "A Service of type LoadBalancer has a controller for its aws-load-balancer-type annotation (or loadBalancerClass), installed strictly earlier.",
  fix: "Install the AWS Load Balancer Controller in an earlier wave, or drop the annotation the in-tree provider does not handle.",
  check: (plan) =>
    located(plan).flatMap(({ part, o }) => {
      if (kindOf(o) !== "Service" || str(obj(o.spec).type) !== "LoadBalancer") return [];
      const type = obj(obj(o.metadata).annotations)[ANNOTATIONS.awsLoadBalancerType];
      const cls = str(obj(o.spec).loadBalancerClass);
      const serves = (p: Provides): boolean =>
        (p.loadBalancers ?? []).some((l) =>
          cls !== undefined ? l.classes.includes(cls) : l.types.includes(typeof type === "string" ? type : ""),
        );
      if (before(plan, part.wave).some((p) => serves(p.provides))) return [];
      const what =
        cls !== undefined
          ? `loadBalancerClass ${cls}`
          : `${ANNOTATIONS.awsLoadBalancerType}: ${typeof type === "string" ? type : "(none)"}`;
      return [
        hit(
          part,
          o,
          "metadata.annotations",
          `no controller handles ${what} before wave ${part.wave} (${laterProviders(plan, part.wave, serves)}): the Service never gets a load balancer and stays Progressing`,
        ),
      ];
    }),
};

const ingressClassRule: BootstrapRule = {
  id: "bootstrap-ingress-class",
  description: "An Ingress's class (or the default IngressClass) is served by a controller installed strictly earlier.",
  fix: "Install the ingress controller for the class in an earlier wave, or use a class one serves.",
  check: (plan) =>
    located(plan).flatMap(({ part, o }) => {
      if (kindOf(o) !== "Ingress") return [];
      const name = str(obj(o.spec).ingressClassName);
      const classes = provided(before(plan, part.wave), (p) => p.ingressClasses).map((x) => x.item);
      const ok = name !== undefined ? classes.some((c) => c.name === name) : classes.filter((c) => c.default).length === 1;
      return ok
        ? []
        : [hit(part, o, "spec.ingressClassName", `no controller serves IngressClass ${name ?? "(default)"} before wave ${part.wave}`)];
    }),
};

export const CLUSTER_RULES: readonly BootstrapRule[] = [
  crdRule,
  webhookRule,
  namespaceRule,
  storageRule,
  loadBalancerRule,
  ingressClassRule,
  ...MESH_RULES,
  ...RUNTIME_RULES,
];
