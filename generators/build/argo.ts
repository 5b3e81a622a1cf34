/**
 * Argo CD objects: the bootstrap project and root Application, one AppProject per
 * tenant (plus the platform), a locked-down `default` project, and one ApplicationSet
 * per tenant whose list generator yields one Application per clusters/<cluster>/<tenant>.
 */
import { AppProject, Application, ApplicationSet } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import { ANNOTATIONS, ARGOCD_NAMESPACE, LABELS, MANAGED_BY, PATHS, REPO_REVISION, REPO_URL } from "../fleet/constants.js";
import type { ClusterSpec } from "../fleet/fleet.js";
import type { KubeObject } from "./object.js";

/** What the Argo CD builders need to know about one tenant (the platform included). */
export interface ArgoTenant {
  name: string;
  description: string;
  /** Namespace its Applications deploy into. */
  namespace: string;
  /** Clusters it deploys to. */
  clusters: readonly ClusterSpec[];
  /** Cluster-scoped kinds it may create; empty for application tenants. */
  clusterResources: readonly { group: string; kind: string }[];
  /** Workloads whose replicas an autoscaler owns: Argo CD must ignore their spec.replicas. */
  autoscaled: readonly { kind: string; name: string }[];
  /** Folders, relative to the repo root, an Application of this tenant reads (Go-templated). */
  inputs: readonly string[];
}

/** The in-cluster API server, where Argo CD itself runs. */
const IN_CLUSTER = "in-cluster";
export const BOOTSTRAP_PROJECT = "bootstrap";
export const ROOT_APP = "fleet-root";
/** Folder the root Application syncs: projects and ApplicationSets. */
export const FLEET_APPS_PATH = `${PATHS.apps}/fleet`;

const argoLabels = { [LABELS.managedBy]: MANAGED_BY };

/** The two objects `kubectl apply -f apps/root.yaml` creates; everything else follows from them. */
export function buildRoot(): KubeObject[] {
  return [
    new AppProject({
      metadata: { name: BOOTSTRAP_PROJECT, namespace: ARGOCD_NAMESPACE, labels: argoLabels },
      spec: {
        description: "Bootstrap: the root Application that manages projects and ApplicationSets.",
        sourceRepos: [REPO_URL],
        destinations: [{ name: IN_CLUSTER, namespace: ARGOCD_NAMESPACE }],
        clusterResourceWhitelist: [],
        namespaceResourceWhitelist: [
          { group: "argoproj.io", kind: "AppProject" },
          { group: "argoproj.io", kind: "ApplicationSet" },
        ],
      },
    }),
    new Application({
      metadata: { name: ROOT_APP, namespace: ARGOCD_NAMESPACE, labels: argoLabels, finalizers: ["resources-finalizer.argocd.argoproj.io"] },
      spec: {
        project: BOOTSTRAP_PROJECT,
        source: { repoURL: REPO_URL, targetRevision: REPO_REVISION, path: FLEET_APPS_PATH },
        destination: { name: IN_CLUSTER, namespace: ARGOCD_NAMESPACE },
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ["PruneLast=true"] },
      },
    }),
  ];
}

/** Argo CD's `default` project admits every repo and cluster unless locked down like this. */
export function buildDefaultProject(): KubeObject {
  return new AppProject({
    metadata: { name: "default", namespace: ARGOCD_NAMESPACE, labels: argoLabels },
    spec: {
      description: "Locked down: every Application belongs to a tenant project.",
      sourceRepos: [],
      sourceNamespaces: [],
      destinations: [],
      clusterResourceWhitelist: [],
      namespaceResourceBlacklist: [{ group: "*", kind: "*" }],
    },
  });
}

export function buildProject(tenant: ArgoTenant): KubeObject {
  return new AppProject({
    metadata: { name: tenant.name, namespace: ARGOCD_NAMESPACE, labels: { ...argoLabels, [LABELS.tenant]: tenant.name } },
    spec: {
      description: tenant.description,
      sourceRepos: [REPO_URL],
      destinations: tenant.clusters.map((c) => ({ name: c.name, namespace: tenant.namespace })),
      // An empty whitelist forbids every cluster-scoped kind: tenants stay in their namespace.
      clusterResourceWhitelist: tenant.clusterResources.map((r) => ({ ...r })),
      orphanedResources: { warn: true },
    },
  });
}

/** Labels on every generated Application; progressive sync steps select by them. */
export function applicationLabels(tenant: string): Record<string, string> {
  return {
    [LABELS.tenant]: tenant,
    [LABELS.env]: "{{.env}}",
    [LABELS.region]: "{{.region}}",
    [LABELS.cluster]: "{{.cluster}}",
    [LABELS.managedBy]: MANAGED_BY,
  };
}

export function buildApplicationSet(tenant: ArgoTenant): KubeObject {
  return new ApplicationSet({
    metadata: { name: tenant.name, namespace: ARGOCD_NAMESPACE, labels: { ...argoLabels, [LABELS.tenant]: tenant.name } },
    spec: {
      goTemplate: true,
      // A template that names a parameter no element has fails instead of rendering "".
      goTemplateOptions: ["missingkey=error"],
      generators: [{ list: { elements: tenant.clusters.map((c) => ({ cluster: c.name, env: c.env, region: c.region })) } }],
      template: {
        metadata: {
          name: `{{.cluster}}-${tenant.name}`,
          labels: applicationLabels(tenant.name),
          annotations: { [ANNOTATIONS.argoManifestGeneratePaths]: tenant.inputs.map((p) => `/${p}`).join(";") },
          finalizers: ["resources-finalizer.argocd.argoproj.io"],
        },
        spec: {
          project: tenant.name,
          source: { repoURL: REPO_URL, targetRevision: REPO_REVISION, path: `${PATHS.clusters}/{{.cluster}}/${tenant.name}` },
          destination: { name: "{{.cluster}}", namespace: tenant.namespace },
          syncPolicy: {
            automated: { prune: true, selfHeal: true },
            syncOptions: ["CreateNamespace=false", "PruneLast=true", "RespectIgnoreDifferences=true", "ServerSideApply=true"],
            retry: { limit: 5, backoff: { duration: "10s", factor: 2, maxDuration: "5m" } },
          },
          ...(tenant.autoscaled.length > 0
            ? { ignoreDifferences: tenant.autoscaled.map((w) => ({ group: "apps", kind: w.kind, name: w.name, namespace: tenant.namespace, jsonPointers: ["/spec/replicas"] })) }
            : {}),
        },
      },
      syncPolicy: { preserveResourcesOnDeletion: true },
    },
  });
}
