/**
 * The Argo CD mechanics the wave plan depends on: what makes a root wave wait (and what
 * refreshes the health it waits on), finalizers against preserve policies, and
 * ignoreDifferences for fields controllers rewrite. Sources in docs/policy.md.
 */
import { ANNOTATIONS } from "../../fleet/constants.js";
import {
  ARGOCD_CHART,
  ARGOCD_CM_KEYS,
  PROGRESSIVE_SYNCS_PARAM,
  argoCdSettings,
  scaleSettings,
  type ArgoCdSettings,
} from "../../addons/argocd-values.js";
import { argoCdScale } from "../../addons/argocd-scale.js";
import { applicationsPerCluster, expandAll, RESOURCES_FINALIZER } from "../../argo/expand.js";
import { arr, idOf, kindOf, nameOf, obj, objs, str, type Obj } from "../policy/util.js";
import { isRoot, rootApplications, waveOf, type ClusterPlan } from "./plan.js";
import type { BootstrapHit } from "./rules.js";

export interface AppsRule {
  id: string;
  description: string;
  fix: string;
  check(apps: readonly Obj[]): BootstrapHit[];
}

export interface PlanRule {
  id: string;
  description: string;
  fix: string;
  check(plan: ClusterPlan, apps: readonly Obj[]): BootstrapHit[];
}

/** The `argocd` Application (the argo-cd chart) among the root's children: Argo CD's own configuration. */
export function argoCdApplication(apps: readonly Obj[]): Obj | undefined {
  return apps.find((o) => kindOf(o) === "Application" && str(obj(obj(o.spec).source).chart) === ARGOCD_CHART.chart);
}

function settings(apps: readonly Obj[]): ArgoCdSettings {
  const app = argoCdApplication(apps);
  return argoCdSettings(app ? str(obj(obj(obj(app.spec).source).helm).values) : undefined);
}

const appHit = (o: Obj, path: string, message: string): BootstrapHit => ({ part: nameOf(o), object: idOf(o), path, message });

const waveGating: AppsRule = {
  id: "argo-wave-gating",
  description:
    "Each root sync wave waits for the previous one to be Healthy: ApplicationSets need a health check over status.resources and progressive syncs on (the only way the ApplicationSet controller requeues on an Application's health change); Applications need the Application health check.",
  fix: "Manage argocd-cm and argocd-cmd-params-cm through the `argocd` Application (generators/addons/argocd-values.ts).",
  check: (apps) => {
    const children = apps.filter((o) => !isRoot(o) && (kindOf(o) === "ApplicationSet" || kindOf(o) === "Application"));
    const waves = [...new Set(children.map(waveOf))].sort((a, b) => a - b);
    const last = waves[waves.length - 1];
    const gating = children.filter((o) => waveOf(o) !== last);
    if (gating.length === 0) return [];
    const argocd = argoCdApplication(apps);
    const { cm, params } = settings(apps);
    const hits: BootstrapHit[] = [];
    const rootish = argocd ?? gating[0]!;
    if (!argocd)
      hits.push(
        appHit(
          rootish,
          "",
          "no `argocd` Application manages Argo CD's configuration: the health checks and controller flags the waves rely on are manual",
        ),
      );
    if (gating.some((o) => kindOf(o) === "ApplicationSet")) {
      const check = cm[ARGOCD_CM_KEYS.appSetHealth] ?? "";
      if (!check.includes("status.resources"))
        hits.push(
          appHit(
            rootish,
            `configs.cm["${ARGOCD_CM_KEYS.appSetHealth}"]`,
            "no ApplicationSet health check reads status.resources: an ApplicationSet is Healthy once generated, so a wave does not wait for its Applications",
          ),
        );
      if (params[PROGRESSIVE_SYNCS_PARAM] !== "true")
        hits.push(
          appHit(
            rootish,
            `configs.params["${PROGRESSIVE_SYNCS_PARAM}"]`,
            "progressive syncs are off: the ApplicationSet controller does not requeue on an Application's health change (shouldRequeueForApplication), status.resources keeps the health of creation time, and the root waits forever",
          ),
        );
    }
    if (gating.some((o) => kindOf(o) === "Application") && !(cm[ARGOCD_CM_KEYS.appHealth] ?? "").includes("obj.status.health"))
      hits.push(
        appHit(
          rootish,
          `configs.cm["${ARGOCD_CM_KEYS.appHealth}"]`,
          "no Application health check: since Argo CD 1.8 a parent does not wait for a child Application's health",
        ),
      );
    return hits;
  },
};

const finalizerPreserve: AppsRule = {
  id: "argo-finalizer-preserve",
  description:
    "An ApplicationSet that preserves resources on deletion sets no cascade finalizer in its template (the controller leaves it off only when the template has none).",
  fix: 'Drop finalizers from the template; opt in to cascade deletion with onRemoval: "delete" instead.',
  check: (apps) =>
    apps
      .filter((o) => kindOf(o) === "ApplicationSet" && obj(obj(o.spec).syncPolicy).preserveResourcesOnDeletion === true)
      .filter((o) => arr(obj(obj(obj(o.spec).template).metadata).finalizers).includes(RESOURCES_FINALIZER))
      .map((o) =>
        appHit(
          o,
          "spec.template.metadata.finalizers",
          `${RESOURCES_FINALIZER} in the template defeats preserveResourcesOnDeletion: removing an element deletes the Application's namespaces, PVCs and CRDs`,
        ),
      ),
};

const removalCascade: AppsRule = {
  id: "argo-removal-cascade",
  description: `No Application (literal or generated, after the controller's finalizer defaulting) cascades deletion into its resources without the explicit opt-in annotation ${ANNOTATIONS.onRemoval}=delete-resources.`,
  fix: 'Remove the finalizer (templates: set preserveResourcesOnDeletion and no finalizers), or opt in with onRemoval: "delete".',
  check: (apps) =>
    rootApplications(apps)
      .map((r) => r.app)
      .concat(apps.filter(isRoot))
      .filter(
        (a) =>
          arr(obj(a.metadata).finalizers).includes(RESOURCES_FINALIZER) &&
          obj(obj(a.metadata).annotations)[ANNOTATIONS.onRemoval] !== "delete-resources",
      )
      .map((a) =>
        appHit(
          a,
          "metadata.finalizers",
          `carries ${RESOURCES_FINALIZER} without opting in: deleting it (removing a tenant, cluster or add-on) deletes every resource it synced`,
        ),
      ),
};

const namespacePrune: PlanRule = {
  id: "argo-removal-prune",
  description:
    "Namespaces the platform tenant syncs carry argocd.argoproj.io/sync-options: Prune=false, so removing a tenant does not delete its namespace and PVCs.",
  fix: "Annotate the Namespace with argocd.argoproj.io/sync-options: Prune=false (generators/builders/platform.ts).",
  check: (plan) =>
    plan.parts.flatMap((p) =>
      p.objects
        .filter((o) => kindOf(o as Obj) === "Namespace")
        .filter(
          (o) => !(str(obj(obj((o as Obj).metadata).annotations)[ANNOTATIONS.argoSyncOptions]) ?? "").split(",").includes("Prune=false"),
        )
        .map((o) => ({
          part: p.name,
          object: idOf(o as Obj),
          path: `metadata.annotations["${ANNOTATIONS.argoSyncOptions}"]`,
          message: "removing the tenant would prune this Namespace and every PVC in it",
        })),
    ),
};

/** Whether ignoreDifferences entries (Application or argocd-cm) cover a rewritten field. */
function covers(entries: readonly Obj[], group: string, kind: string, name: string, expr: string): boolean {
  return entries.some(
    (e) =>
      (str(e.group) ?? "") === group &&
      str(e.kind) === kind &&
      (e.name === undefined || str(e.name) === name) &&
      arr(e.jqPathExpressions).includes(expr),
  );
}

const ignoreRewrites: PlanRule = {
  id: "argo-ignore-rewrites",
  description:
    "Fields an add-on's controllers rewrite at run time are in its Application's ignoreDifferences (with RespectIgnoreDifferences) or in argocd-cm's resource.customizations.ignoreDifferences.",
  fix: "List the field in the add-on model's rewrites; the ApplicationSet template then ignores it.",
  check: (plan, apps) => {
    const cm = settings(apps).cm;
    return plan.parts.flatMap((p) =>
      (p.model?.rewrites ?? []).flatMap((r) => {
        const spec = obj(p.app?.spec);
        const opts = arr(obj(spec.syncPolicy).syncOptions);
        const inApp =
          covers(objs(spec.ignoreDifferences), r.group, r.kind, r.name, r.jqPathExpression) &&
          opts.includes("RespectIgnoreDifferences=true");
        const inCm = (cm[`resource.customizations.ignoreDifferences.${r.group}_${r.kind}`] ?? "").includes(r.jqPathExpression);
        if (inApp || inCm) return [];
        return [
          {
            part: p.name,
            object: `Application/${p.name}`,
            path: "spec.ignoreDifferences",
            message: `${r.kind}/${r.name} ${r.jqPathExpression} is rewritten by its controller (${r.source}) and not ignored: the Application stays OutOfSync and selfHeal fights the controller`,
          },
        ];
      }),
    );
  },
};

const argoScale: AppsRule = {
  id: "argo-scale",
  description:
    "Argo CD is sized for the Applications apps/ expands to: controller shards (one per 1000 Applications, at most one per cluster, round-robin), status/operation processors (50/25 per 1000 per shard), repo-servers and their parallelism limit (generators/addons/argocd-scale.ts, after Argo CD's high-availability guide).",
  fix: "Run `npm run generate`: the `argocd` Application's values follow the fleet; change the sizing rules in generators/addons/argocd-scale.ts, not the values.",
  check: (apps) => {
    const argocd = argoCdApplication(apps);
    if (!argocd) return []; // argo-wave-gating reports a missing `argocd` Application
    const load = applicationsPerCluster(expandAll(apps));
    const scale = argoCdScale({ applicationsPerCluster: load });
    const have = settings(apps);
    return scaleSettings(scale)
      .filter((s) => s.read(have) !== s.want)
      .map((s) =>
        appHit(
          argocd,
          `spec.source.helm.values: ${s.path}`,
          `is ${JSON.stringify(s.read(have)) ?? "unset"}, but ${scale.applications} Applications on ${scale.clusters} clusters need ${JSON.stringify(s.want) ?? "unset (the chart's default)"}`,
        ),
      );
  },
};

export const APPS_RULES: readonly AppsRule[] = [waveGating, finalizerPreserve, removalCascade, argoScale];
export const PLAN_RULES: readonly PlanRule[] = [namespacePrune, ignoreRewrites];
