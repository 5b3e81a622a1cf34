/**
 * Argo CD objects: the bootstrap project and root Application, a locked-down `default`
 * project, one AppProject per tenant per environment (plus the add-ons project), and
 * one ApplicationSet per tenant whose list generator yields one Application per
 * clusters/<cluster>/<tenant>. Sync waves order them in the root app-of-apps:
 * projects, add-ons, the platform tenant, tenants (see docs/argocd.md).
 */
import { AppProject } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject";
import { Application } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import { ApplicationSet } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet";
import {
  ADDONS_PROJECT,
  ANNOTATIONS,
  ARGOCD_NAMESPACE,
  BOOTSTRAP_PROJECT,
  FLEET_APPS_PATH,
  IN_CLUSTER,
  LABELS,
  MANAGED_BY,
  PATHS,
  REPO_REVISION,
  REPO_URL,
  ROOT_APP,
  WAVES,
  projectName,
} from "../fleet/constants.js";
import type { ClusterSpec, Env, Fleet } from "../fleet/fleet.js";
import { DEFAULT_ROLLOUT } from "../fleet/fleet.js";
import { rolloutSteps, type RolloutStepSpec } from "../fleet/rollout.js";
import { addonProjectSpec, removalTemplate } from "./addons.js";
import type { RemovalPolicy } from "../addons/catalogue.js";
import type { KubeObject } from "./object.js";

/** What the Argo CD builders need to know about one tenant (the platform included). */
export interface ArgoTenant {
  name: string;
  description: string;
  /** Namespace its Applications deploy into. */
  namespace: string;
  /** Other namespaces its project admits (the platform's guardrails in tenant namespaces). */
  extraNamespaces: readonly string[];
  /** Namespaced kinds it may create in each environment: exactly the kinds its folders for that environment hold. */
  namespacedResources: (env: string) => readonly { group: string; kind: string }[];
  /** Clusters it deploys to. */
  clusters: readonly ClusterSpec[];
  /** Cluster-scoped kinds it may create; empty for application tenants. */
  clusterResources: readonly { group: string; kind: string }[];
  /** Workloads whose replicas an autoscaler owns: Argo CD must ignore their spec.replicas. */
  autoscaled: readonly { kind: string; name: string }[];
  /** Folders, relative to the repo root, an Application of this tenant reads (Go-templated). */
  inputs: readonly string[];
  /** Root app-of-apps sync wave of its ApplicationSet: the platform before application tenants. */
  wave: number;
  /** What deleting one of its Applications does to its resources. @default "keep" */
  onRemoval?: RemovalPolicy;
}

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
          // The `argocd` Application: Argo CD's own configuration.
          { group: "argoproj.io", kind: "Application" },
        ],
      },
    }),
    new Application({
      // No finalizer: deleting the root leaves the projects and ApplicationSets (and so every Application) in place.
      metadata: { name: ROOT_APP, namespace: ARGOCD_NAMESPACE, labels: argoLabels },
      spec: {
        project: BOOTSTRAP_PROJECT,
        source: { repoURL: REPO_URL, targetRevision: REPO_REVISION, path: FLEET_APPS_PATH },
        destination: { name: IN_CLUSTER, namespace: ARGOCD_NAMESPACE },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions: ["PruneLast=true"],
          // A wave whose Applications are briefly Degraded fails the root's sync operation
          // (gitops-engine pkg/sync/sync_context.go); without a retry it stays failed until the
          // next commit. limit -1 retries without end, backing off to once every 5 minutes.
          retry: ROOT_RETRY,
        },
      },
    }),
  ];
}

/** The root's retry: unlimited attempts with exponential backoff (argo-cd docs/user-guide/auto_sync.md "Automatic Retry"). */
export const ROOT_RETRY = { limit: -1, backoff: { duration: "10s", factor: 2, maxDuration: "5m" } } as const;

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

const wave = (n: number): Record<string, string> => ({ [ANNOTATIONS.argoSyncWave]: String(n) });

/** The environments a tenant deploys to, in fleet order. */
function tenantEnvs(tenant: ArgoTenant): Env[] {
  return [...new Set(tenant.clusters.map((c) => c.env))];
}

/**
 * One project per tenant per environment: its destinations are that environment's
 * clusters only, so a staging Application cannot target a prod cluster, whatever its
 * labels say. Tenants' Applications pick `<tenant>-{{.env}}`.
 * Least privilege: the namespaced kinds are exactly those the tenant's builders emit for
 * that environment (an unset namespaceResourceWhitelist would admit every kind), so a
 * tenant folder cannot carry a NetworkPolicy, ResourceQuota, LimitRange, SecretStore or
 * any kind it never had, nor a kind only another environment's overlay emits.
 */
export function buildProjects(tenant: ArgoTenant): KubeObject[] {
  return tenantEnvs(tenant).map(
    (env) =>
      new AppProject({
        metadata: {
          name: projectName(tenant.name, env),
          namespace: ARGOCD_NAMESPACE,
          labels: { ...argoLabels, [LABELS.tenant]: tenant.name, [LABELS.env]: env },
          annotations: wave(WAVES.projects),
        },
        spec: {
          description: `${tenant.description} (${env})`,
          sourceRepos: [REPO_URL],
          destinations: tenant.clusters
            .filter((c) => c.env === env)
            .flatMap((c) => [tenant.namespace, ...tenant.extraNamespaces].map((namespace) => ({ name: c.name, namespace }))),
          // An empty whitelist forbids every cluster-scoped kind: tenants stay in their namespace.
          clusterResourceWhitelist: tenant.clusterResources.map((r) => ({ ...r })),
          ...namespacedRules(tenant.namespacedResources(env)),
          orphanedResources: { warn: true },
        },
      }),
  );
}

/** A whitelist of exactly these kinds; an empty list would admit every namespaced kind (Argo CD treats it as unset), so none means a blacklist of all. */
function namespacedRules(
  kinds: readonly { group: string; kind: string }[],
): { namespaceResourceWhitelist: { group: string; kind: string }[] } | { namespaceResourceBlacklist: { group: string; kind: string }[] } {
  return kinds.length > 0
    ? { namespaceResourceWhitelist: kinds.map((r) => ({ ...r })) }
    : { namespaceResourceBlacklist: [{ group: "*", kind: "*" }] };
}

/** The add-ons project: the pinned chart repositories, never `*`, and the add-ons' namespaces. */
export function buildAddonsProject(fleet: Fleet): KubeObject {
  return new AppProject({
    metadata: {
      name: ADDONS_PROJECT,
      namespace: ARGOCD_NAMESPACE,
      labels: { ...argoLabels, [LABELS.component]: "addon" },
      annotations: wave(WAVES.projects),
    },
    spec: addonProjectSpec(fleet),
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

/** The rollout order is a fact of the fleet (fleet/rollout.ts); RollingSync steps are built from it here. */
export { rolloutSteps, type RolloutStepSpec };

function rollingSync(fleet: Fleet) {
  return {
    type: "RollingSync",
    rollingSync: {
      steps: rolloutSteps(fleet).map((s) => ({
        matchExpressions: [
          { key: LABELS.env, operator: "In", values: [s.env] },
          ...(s.region ? [{ key: LABELS.region, operator: "In", values: [s.region] }] : []),
        ],
        maxUpdate: s.maxUpdate,
      })),
    },
  };
}

export function buildApplicationSet(tenant: ArgoTenant, fleet: Fleet): KubeObject {
  const progressive = (fleet.rollout ?? DEFAULT_ROLLOUT).mode === "progressive";
  const removal = removalTemplate(tenant.onRemoval);
  return new ApplicationSet({
    metadata: {
      name: tenant.name,
      namespace: ARGOCD_NAMESPACE,
      labels: { ...argoLabels, [LABELS.tenant]: tenant.name },
      annotations: wave(tenant.wave),
    },
    spec: {
      goTemplate: true,
      // A template that names a parameter no element has fails instead of rendering "".
      goTemplateOptions: ["missingkey=error"],
      generators: [{ list: { elements: tenant.clusters.map((c) => ({ cluster: c.name, env: c.env, region: c.region })) } }],
      // RollingSync syncs the Applications step by step; it requires them not to auto-sync.
      ...(progressive ? { strategy: rollingSync(fleet) } : {}),
      template: {
        metadata: {
          name: `{{.cluster}}-${tenant.name}`,
          labels: applicationLabels(tenant.name),
          annotations: {
            [ANNOTATIONS.argoManifestGeneratePaths]: tenant.inputs.map((p) => `/${p}`).join(";"),
            ...wave(tenant.wave),
            ...removal.annotations,
          },
          // No finalizer unless opted in: with preserveResourcesOnDeletion the controller adds none either.
          ...(removal.finalizers ? { finalizers: removal.finalizers } : {}),
        },
        spec: {
          project: projectName(tenant.name, "{{.env}}"),
          source: { repoURL: REPO_URL, targetRevision: REPO_REVISION, path: `${PATHS.clusters}/{{.cluster}}/${tenant.name}` },
          destination: { name: "{{.cluster}}", namespace: tenant.namespace },
          syncPolicy: {
            ...(progressive ? {} : { automated: { prune: true, selfHeal: true } }),
            // Custom resources whose CRD an add-on installs skip the dry run if that add-on is
            // not there yet; the sync then fails and retries until it is, instead of stalling.
            syncOptions: [
              "CreateNamespace=false",
              "PruneLast=true",
              "RespectIgnoreDifferences=true",
              "ServerSideApply=true",
              "SkipDryRunOnMissingResource=true",
            ],
            retry: { limit: 10, backoff: { duration: "10s", factor: 2, maxDuration: "5m" } },
          },
          ...(tenant.autoscaled.length > 0
            ? {
                ignoreDifferences: tenant.autoscaled.map((w) => ({
                  group: "apps",
                  kind: w.kind,
                  name: w.name,
                  namespace: tenant.namespace,
                  jsonPointers: ["/spec/replicas"],
                })),
              }
            : {}),
        },
      },
      syncPolicy: removal.syncPolicy,
    },
  });
}
