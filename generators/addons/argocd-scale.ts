/**
 * How big Argo CD is for the fleet it manages. The generator counts the Applications that
 * apps/ expands to on each cluster (argo/expand.ts, the same expansion the controller
 * does) and sizes the argo-cd chart's values from that count, so adding tenants or
 * clusters scales Argo CD in the same pull request, and the check re-derives it.
 *
 * Sources (argoproj/argo-cd):
 * - docs/operator-manual/high_availability.md: "For 1000 applications, we use 50 for
 *   `--status-processors` and 25 for `--operation-processors`"; sharding is by cluster
 *   across controller replicas (ARGOCD_CONTROLLER_REPLICAS, which the chart sets from
 *   `controller.replicas`); `--parallelismlimit` bounds concurrent manifest generations
 *   per repo-server to avoid OOM kills.
 * - controller/sharding/sharding.go: `legacy` hashes the cluster id (fnv32a mod replicas,
 *   non-uniform); `round-robin` gives each shard the same number of clusters ±1 by rank.
 * - docs/operator-manual/argocd-cmd-params-cm.yaml at v3.4.4 (the version the pinned chart
 *   installs): the keys below and their defaults (status 20, operation 10, sharding legacy).
 *   argocd-cm's `webhook.refresh.jitter`, which spreads the refreshes of a bulk merge, came
 *   in v3.5.0 (argoproj/argo-cd#25433); v3.4 ignores it, so it is not set until the chart moves.
 */

/** What Argo CD manages: its clusters and the Applications on each (in-cluster included). */
export interface ArgoCdLoad {
  applicationsPerCluster: ReadonlyMap<string, number>;
}

export interface ArgoCdScale {
  applications: number;
  clusters: number;
  /** application-controller replicas: one shard each. */
  controllerReplicas: number;
  /** Per replica, for the Applications of its shard. */
  statusProcessors: number;
  operationProcessors: number;
  /** Only set with more than one shard. */
  shardingAlgorithm: "round-robin" | undefined;
  repoServerReplicas: number;
  /** `reposerver.parallelism.limit`: concurrent kustomize runs per repo-server replica. */
  repoParallelismLimit: number;
}

/** The sizing rules' constants, each with where it comes from. */
export const ARGOCD_SIZING = {
  /** The HA guide's reference point: one controller with 50/25 processors for 1000 Applications. */
  applicationsPerShard: 1000,
  statusProcessorsPer1000: 50,
  operationProcessorsPer1000: 25,
  /** argocd-cmd-params-cm defaults: never size below them. */
  defaultStatusProcessors: 20,
  defaultOperationProcessors: 10,
  /**
   * kustomize CPU per cluster folder, measured by `npm run bench -- --fleet` (0.33 s at 5
   * apps per tenant, 0.6 to 0.7 s at 20): the heavier figure, as the budget.
   */
  kustomizeCpuSecondsPerApplication: 0.7,
  /**
   * Regenerating every Application's manifests (a change to base/ shared by all, or a
   * repo-server restart losing its cache) should finish within this, so the next
   * reconciliation (timeout.reconciliation, 180 s + 60 s jitter by default) finds fresh manifests.
   */
  coldRegenerationSeconds: 240,
  /** Concurrent manifest generations per repo-server replica: one per core of a 4-core pod. */
  repoParallelismPerReplica: 4,
  /** Two repo-servers so one can restart without stopping every reconciliation (HA guide). */
  minRepoServerReplicas: 2,
} as const;

export function argoCdScale(load: ArgoCdLoad): ArgoCdScale {
  const s = ARGOCD_SIZING;
  const clusters = load.applicationsPerCluster.size;
  const applications = [...load.applicationsPerCluster.values()].reduce((n, c) => n + c, 0);
  // Sharding is by cluster: a replica beyond the number of clusters would get none.
  const controllerReplicas = Math.max(1, Math.min(clusters, Math.ceil(applications / s.applicationsPerShard)));
  const perShard = Math.ceil(applications / controllerReplicas);
  const slots = Math.ceil((applications * s.kustomizeCpuSecondsPerApplication) / s.coldRegenerationSeconds);
  return {
    applications,
    clusters,
    controllerReplicas,
    statusProcessors: Math.max(s.defaultStatusProcessors, Math.ceil((perShard * s.statusProcessorsPer1000) / 1000)),
    operationProcessors: Math.max(s.defaultOperationProcessors, Math.ceil((perShard * s.operationProcessorsPer1000) / 1000)),
    shardingAlgorithm: controllerReplicas > 1 ? "round-robin" : undefined,
    repoServerReplicas: Math.max(s.minRepoServerReplicas, Math.ceil(slots / s.repoParallelismPerReplica)),
    repoParallelismLimit: s.repoParallelismPerReplica,
  };
}
