/**
 * "Stays Synced": differences Argo CD would find again after every sync, for the sync
 * options the fleet uses (ServerSideApply without server-side diff, RespectIgnoreDifferences,
 * the ignoreDifferences it sets), and the root's retry. An Application that never stays
 * Synced re-applies forever under selfHeal, and a root wave that fails once must retry.
 */
import { ARGOCD_CHART, argoCdSettings } from "../../addons/argocd-values.js";
import { arr, idOf, kindOf, nameOf, namespaceOf, num, obj, objs, str, type Obj } from "../policy/util.js";
import { isRoot, type ClusterPlan, type Part } from "../bootstrap/plan.js";
import type { BootstrapHit } from "../bootstrap/rules.js";

export interface SyncRule {
  id: string;
  description: string;
  fix: string;
  check(plan: ClusterPlan, apps: readonly Obj[]): BootstrapHit[];
}

export interface SyncAppsRule {
  id: string;
  description: string;
  fix: string;
  check(apps: readonly Obj[]): BootstrapHit[];
}

function syncOptions(app: Obj | undefined): string[] {
  return arr(obj(obj(app?.spec).syncPolicy).syncOptions).filter((x): x is string => typeof x === "string");
}

/** argocd.argoproj.io/compare-options on the Application (ServerSideDiff=true turns on server-side diff for it). */
function serverSideDiff(app: Obj | undefined): boolean {
  const v = str(obj(obj(app?.metadata).annotations)["argocd.argoproj.io/compare-options"]) ?? "";
  return v
    .split(",")
    .map((x) => x.trim())
    .includes("ServerSideDiff=true");
}

const vctType: SyncRule = {
  id: "sync-vct-type",
  description:
    "Under ServerSideApply without server-side diff, every StatefulSet volumeClaimTemplate carries apiVersion v1 and kind PersistentVolumeClaim: the API server stores them, and Argo CD's structured-merge diff of an atomic list never matches a template without them.",
  fix: "Emit apiVersion: v1 and kind: PersistentVolumeClaim in each volumeClaimTemplate (generators/builders/workload.ts), or set compare-options ServerSideDiff=true on the Application.",
  check: (plan) =>
    plan.parts.flatMap((part) => {
      if (!syncOptions(part.app).includes("ServerSideApply=true") || serverSideDiff(part.app)) return [];
      return (part.objects as Obj[])
        .filter((o) => kindOf(o) === "StatefulSet")
        .flatMap((o) =>
          objs(obj(o.spec).volumeClaimTemplates)
            .map((t, i) => ({ t, i }))
            .filter(({ t }) => t.apiVersion !== "v1" || t.kind !== "PersistentVolumeClaim")
            .map(({ t, i }) => ({
              part: part.name,
              object: idOf(o),
              path: `spec.volumeClaimTemplates[${i}]`,
              message: `volumeClaimTemplate ${str(obj(t.metadata).name) ?? i} has no apiVersion/kind; the live StatefulSet has them, so under ServerSideApply without server-side diff ${part.name} stays OutOfSync (argoproj/argo-cd#11143, #16707, #18568; gitops-engine pkg/diff/diff.go structuredMergeDiff)`,
            })),
        );
    }),
};

function argoCm(apps: readonly Obj[]): Record<string, string> {
  const app = apps.find((o) => kindOf(o) === "Application" && str(obj(obj(o.spec).source).chart) === ARGOCD_CHART.chart);
  return argoCdSettings(app ? str(obj(obj(obj(app.spec).source).helm).values) : undefined).cm;
}

/** Whether the Application (with RespectIgnoreDifferences) or argocd-cm ignores a field, so a sync neither diffs nor re-applies it. */
function ignored(
  part: Part,
  cm: Record<string, string>,
  f: { group: string; kind: string; name: string; jqPathExpression: string },
): boolean {
  const inApp =
    syncOptions(part.app).includes("RespectIgnoreDifferences=true") &&
    objs(obj(part.app?.spec).ignoreDifferences).some(
      (e) =>
        (str(e.group) ?? "") === f.group &&
        str(e.kind) === f.kind &&
        (e.name === undefined || str(e.name) === f.name) &&
        arr(e.jqPathExpressions).includes(f.jqPathExpression),
    );
  // argocd-cm resource.customizations.ignoreDifferences.<group>_<kind> (docs/user-guide/diffing.md); the core group is spelled without a prefix.
  const key = `resource.customizations.ignoreDifferences.${f.group === "" ? "" : `${f.group}_`}${f.kind}`;
  return inApp || (cm[key] ?? "").includes(f.jqPathExpression);
}

const renderRandom: SyncRule = {
  id: "sync-render-random",
  description:
    "A value a chart generates at render time (helm genCA under `helm template`, where `lookup` finds nothing) and the field paired with it are both ignored and not re-applied; otherwise each regeneration re-applies one half without the other.",
  fix: "Ignore both fields in the add-on model (renderRandom: the Application gets ignoreDifferences with RespectIgnoreDifferences), or let cert-manager issue the certificate.",
  check: (plan, apps) => {
    const cm = argoCm(apps);
    return plan.parts.flatMap((part) =>
      (part.model?.renderRandom ?? []).flatMap((r) => {
        const a = ignored(part, cm, r);
        const b = ignored(part, cm, r.pairedWith);
        if (a && b) return [];
        const what =
          !a && b
            ? `every regeneration re-applies a new ${r.kind}/${r.name} while ${r.pairedWith.kind}/${r.pairedWith.name} keeps the old ${r.pairedWith.jqPathExpression}: the webhook's TLS fails and the API server rejects what it intercepts`
            : a && !b
              ? `every regeneration re-applies ${r.pairedWith.kind}/${r.pairedWith.name} ${r.pairedWith.jqPathExpression} for a ${r.kind}/${r.name} that is never re-applied: the webhook's TLS fails`
              : `${r.kind}/${r.name} ${r.jqPathExpression} changes at every regeneration: ${part.name} goes OutOfSync after each commit and re-issues its CA`;
        return [{ part: part.name, object: `${r.kind}/${r.name}`, path: r.jqPathExpression, message: `${what} (${r.source})` }];
      }),
    );
  },
};

/** Whether an autoscaler of the part targets a workload. */
function autoscaled(part: Part, w: Obj): boolean {
  return (part.objects as Obj[]).some((a) => {
    const ref =
      kindOf(a) === "HorizontalPodAutoscaler"
        ? obj(obj(a.spec).scaleTargetRef)
        : kindOf(a) === "ScaledObject"
          ? obj(obj(a.spec).scaleTargetRef)
          : undefined;
    return (
      ref !== undefined && namespaceOf(a) === namespaceOf(w) && str(ref.name) === nameOf(w) && (str(ref.kind) ?? "Deployment") === kindOf(w)
    );
  });
}

const autoscaledReplicas: SyncRule = {
  id: "sync-autoscaled-replicas",
  description:
    "A workload an HPA or ScaledObject scales sets no spec.replicas, or its Application ignores /spec/replicas: otherwise every scale is a difference selfHeal reverts.",
  fix: "Leave spec.replicas out of autoscaled workloads (generators/builders/workload.ts) and ignore /spec/replicas (generators/builders/argocd-apps.ts).",
  check: (plan) =>
    plan.parts.flatMap((part) =>
      (part.objects as Obj[])
        .filter((o) => ["Deployment", "StatefulSet"].includes(kindOf(o)) && num(obj(o.spec).replicas) !== undefined && autoscaled(part, o))
        .filter(
          (o) =>
            !objs(obj(part.app?.spec).ignoreDifferences).some(
              (e) =>
                str(e.kind) === kindOf(o) &&
                (e.name === undefined || str(e.name) === nameOf(o)) &&
                arr(e.jsonPointers).includes("/spec/replicas"),
            ),
        )
        .map((o) => ({
          part: part.name,
          object: idOf(o),
          path: "spec.replicas",
          message: `an autoscaler owns ${kindOf(o)}/${nameOf(o)}'s replicas, but ${part.name} sets them and does not ignore /spec/replicas: every scale is OutOfSync and selfHeal resets it (argo-cd docs/user-guide/diffing.md)`,
        })),
    ),
};

const rootRetry: SyncAppsRule = {
  id: "argo-root-retry",
  description:
    "The root Application retries a failed sync with backoff: a wave whose Applications are briefly Degraded fails the root's operation, which otherwise stays failed until the next commit.",
  fix: "Give fleet-root syncPolicy.retry with a limit other than 0 and a backoff (generators/builders/argocd-apps.ts ROOT_RETRY).",
  check: (apps) =>
    apps.filter(isRoot).flatMap((root) => {
      const retry = obj(obj(obj(root.spec).syncPolicy).retry);
      const limit = num(retry.limit) ?? 0;
      const backoff = obj(retry.backoff);
      if (limit !== 0 && str(backoff.duration) !== undefined && (num(backoff.factor) ?? 0) > 1) return [];
      return [
        {
          part: nameOf(root),
          object: idOf(root),
          path: "spec.syncPolicy.retry",
          message: `${limit === 0 ? "no retry" : "retry without an exponential backoff"}: a Degraded resource fails the sync operation (gitops-engine pkg/sync/sync_context.go), and an automated sync of the same revision is not attempted again (argo-cd controller/appcontroller.go autoSync: "already attempted")`,
        },
      ];
    }),
};

export const SYNC_RULES: readonly SyncRule[] = [vctType, renderRandom, autoscaledReplicas];
export const SYNC_APPS_RULES: readonly SyncAppsRule[] = [rootRetry];
