/**
 * Cluster add-ons: third-party Helm charts every cluster (or every cluster that needs
 * it) runs before the platform tenant and the tenants. One ApplicationSet per add-on;
 * its list generator has one element per cluster that needs the add-on, and the
 * element carries that cluster's complete, typed Helm values.
 */
import { Application } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import { ApplicationSet } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet";
import { stringify } from "yaml";
import { ADDONS_PROJECT, ANNOTATIONS, ARGOCD_NAMESPACE, IN_CLUSTER, LABELS, MANAGED_BY, WAVES } from "../fleet/constants.js";
import type { Fleet } from "../fleet/fleet.js";
import {
  ADDON_CLUSTER_KINDS,
  ADDONS,
  addonClusters,
  addonContext,
  addonValues,
  type Addon,
  type RemovalPolicy,
} from "../addons/catalogue.js";
import { ARGOCD_CHART, argoCdValues } from "../addons/argocd-values.js";
import type { ArgoCdScale } from "../addons/argocd-scale.js";
import { BUILT_IN_NAMESPACES } from "../addons/eks.js";
import { RESOURCES_FINALIZER } from "../argo/expand.js";
import type { KubeObject } from "./object.js";

const addonLabels = { [LABELS.managedBy]: MANAGED_BY, [LABELS.component]: "addon" };

/**
 * Template metadata and ApplicationSet syncPolicy for a removal policy. "keep": no
 * finalizer in the template and preserveResourcesOnDeletion, so the controller adds none
 * and deleting an Application (or the ApplicationSet) leaves its resources. "delete": the
 * finalizer, and an annotation the bootstrap check reads as the explicit opt-in.
 */
export function removalTemplate(policy: RemovalPolicy = "keep"): {
  finalizers?: string[];
  annotations: Record<string, string>;
  syncPolicy: { preserveResourcesOnDeletion: boolean };
} {
  return policy === "delete"
    ? {
        finalizers: [RESOURCES_FINALIZER],
        annotations: { [ANNOTATIONS.onRemoval]: "delete-resources" },
        syncPolicy: { preserveResourcesOnDeletion: false },
      }
    : { annotations: {}, syncPolicy: { preserveResourcesOnDeletion: true } };
}

/**
 * Whether an add-on's Application creates its namespace (CreateNamespace with
 * managedNamespaceMetadata): only the first add-on of the catalog in that namespace, so no
 * two Applications fight over one Namespace's metadata; never a namespace EKS creates. The
 * others rely on it being there, which the bootstrap check's namespace rule proves.
 */
export function createsNamespace(addon: Addon): boolean {
  if (BUILT_IN_NAMESPACES.includes(addon.namespace)) return false;
  return ADDONS.find((a) => a.namespace === addon.namespace)?.name === addon.name;
}

/** ignoreDifferences for the fields an add-on's controllers rewrite (the same on every cluster). */
export function addonIgnoreDifferences(
  fleet: Fleet,
  addon: Addon,
): { group: string; kind: string; name: string; jqPathExpressions: string[] }[] {
  const cluster = addonClusters(fleet, addon)[0];
  if (!cluster) return [];
  const model = addon.model(addon.values(addonContext(fleet, cluster)), cluster);
  // Render-time random values and the fields paired with them: neither is re-applied after creation.
  const fields = [...(model.rewrites ?? []), ...(model.renderRandom ?? []).flatMap((r) => [r, { ...r.pairedWith }])].map((r) => ({
    group: r.group,
    kind: r.kind,
    name: r.name,
    jqPathExpressions: [r.jqPathExpression],
  }));
  return fields.filter((f, i) => fields.findIndex((g) => JSON.stringify(g) === JSON.stringify(f)) === i);
}

export function buildAddonApplicationSet(fleet: Fleet, addon: Addon): KubeObject | undefined {
  const clusters = addonClusters(fleet, addon);
  if (clusters.length === 0) return undefined;
  const wave = String(addon.wave);
  const removal = removalTemplate(addon.onRemoval);
  const ignore = addonIgnoreDifferences(fleet, addon);
  const creates = createsNamespace(addon);
  return new ApplicationSet({
    metadata: {
      name: `addon-${addon.name}`,
      namespace: ARGOCD_NAMESPACE,
      labels: { ...addonLabels, [LABELS.name]: addon.name },
      annotations: { [ANNOTATIONS.argoSyncWave]: wave },
    },
    spec: {
      goTemplate: true,
      goTemplateOptions: ["missingkey=error"],
      generators: [
        {
          list: {
            elements: clusters.map((c) => ({
              cluster: c.name,
              env: c.env,
              region: c.region,
              // A directory source has no Helm values.
              ...(addon.path ? {} : { values: addonValues(fleet, addon, c) }),
            })),
          },
        },
      ],
      template: {
        metadata: {
          name: `{{.cluster}}-${addon.name}`,
          labels: {
            ...addonLabels,
            [LABELS.name]: addon.name,
            [LABELS.env]: "{{.env}}",
            [LABELS.region]: "{{.region}}",
            [LABELS.cluster]: "{{.cluster}}",
          },
          annotations: { [ANNOTATIONS.argoSyncWave]: wave, ...removal.annotations },
          ...(removal.finalizers ? { finalizers: removal.finalizers } : {}),
        },
        spec: {
          project: ADDONS_PROJECT,
          source: addon.path
            ? { repoURL: addon.repoURL, path: addon.path, targetRevision: addon.version }
            : {
                repoURL: addon.repoURL,
                chart: addon.chart,
                targetRevision: addon.version,
                helm: { releaseName: addon.releaseName, values: "{{.values}}" },
              },
          destination: { name: "{{.cluster}}", namespace: addon.namespace },
          syncPolicy: {
            automated: { prune: true, selfHeal: true },
            syncOptions: [
              ...(creates ? ["CreateNamespace=true"] : []),
              ...(addon.serverSideApply ? ["ServerSideApply=true"] : []),
              "PruneLast=true",
              ...(ignore.length > 0 ? ["RespectIgnoreDifferences=true"] : []),
            ],
            ...(creates
              ? { managedNamespaceMetadata: { labels: { [LABELS.managedBy]: MANAGED_BY, ...(addon.namespaceLabels ?? {}) } } }
              : {}),
            retry: { limit: 10, backoff: { duration: "10s", factor: 2, maxDuration: "5m" } },
          },
          ...(ignore.length > 0 ? { ignoreDifferences: ignore } : {}),
        },
      },
      syncPolicy: removal.syncPolicy,
    },
  });
}

/** The Helm values Argo CD is installed with and then syncs itself from (generators/addons/argocd-values.ts), sized for its load. */
export function argoCdHelmValues(scale: ArgoCdScale): string {
  const oci = [...new Set(ADDONS.filter((a) => !a.repoURL.includes("://")).map((a) => a.repoURL))].sort();
  return stringify(
    argoCdValues(
      oci.map((url) => ({ name: url.slice(url.lastIndexOf("/") + 1), url })),
      scale,
    ),
    { lineWidth: 0 },
  );
}

/**
 * Argo CD manages its own configuration: the argo-cd chart on the cluster it runs on,
 * in the first wave after the projects. No finalizer: deleting this Application must
 * never uninstall Argo CD.
 */
export function buildArgoCdApplication(scale: ArgoCdScale): KubeObject {
  return new Application({
    metadata: {
      name: "argocd",
      namespace: ARGOCD_NAMESPACE,
      labels: { ...addonLabels, [LABELS.name]: "argocd" },
      annotations: { [ANNOTATIONS.argoSyncWave]: String(WAVES.argocd) },
    },
    spec: {
      project: ADDONS_PROJECT,
      source: {
        repoURL: ARGOCD_CHART.repoURL,
        chart: ARGOCD_CHART.chart,
        targetRevision: ARGOCD_CHART.version,
        helm: { releaseName: ARGOCD_CHART.releaseName, values: argoCdHelmValues(scale) },
      },
      destination: { name: IN_CLUSTER, namespace: ARGOCD_NAMESPACE },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ["ServerSideApply=true", "PruneLast=true"] },
    },
  });
}

/** The add-ons project: exactly the chart repositories, and each add-on's namespace on the clusters that run it. */
export function addonProjectSpec(fleet: Fleet) {
  const destinations = ADDONS.flatMap((a) =>
    addonClusters(fleet, a).flatMap((c) => [a.namespace, ...(a.extraNamespaces ?? [])].map((namespace) => ({ name: c.name, namespace }))),
  );
  destinations.push({ name: IN_CLUSTER, namespace: ARGOCD_NAMESPACE });
  const unique = [...new Map(destinations.map((d) => [`${d.name}/${d.namespace}`, d])).values()];
  return {
    description:
      "Cluster add-ons: pinned third-party Helm charts, installed before the platform tenant and the tenants; and Argo CD itself.",
    sourceRepos: [...new Set([...ADDONS.map((a) => a.repoURL), ARGOCD_CHART.repoURL])].sort(),
    destinations: unique,
    clusterResourceWhitelist: ADDON_CLUSTER_KINDS.map((k) => ({ ...k })),
    orphanedResources: { warn: false },
  };
}
