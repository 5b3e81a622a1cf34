/** The fleet file: environments, regions, clusters, registries, EKS versions and kube-proxy skew. */
import type { Fleet } from "../../fleet/fleet.js";
import type { SpecProblem } from "../problem.js";
import { FLEET_FILE, Collector } from "./collector.js";

export function validateFleet(fleet: Fleet): SpecProblem[] {
  const c = new Collector(FLEET_FILE);
  c.unique(
    "environments[].name",
    fleet.environments.map((e) => e.name),
    "environment",
  );
  c.unique(
    "regions[].name",
    fleet.regions.map((r) => r.name),
    "region",
  );
  fleet.regions.forEach((r) => {
    r.gpuPool?.instanceTypes.forEach((t, j) => {
      if (!Number.isInteger(t.gpus) || t.gpus < 1)
        c.add(`regions[${r.name}].gpuPool.instanceTypes[${j}].gpus`, t.gpus, "must be a whole number of at least 1");
    });
  });
  c.unique(
    "clusters[].name",
    fleet.clusters.map((x) => x.name),
    "cluster name",
  );
  fleet.clusters.forEach((cl) => {
    const f = `clusters[${cl.name}]`;
    c.dnsLabel(`${f}.name`, cl.name, "a cluster name");
    if (!fleet.environments.some((e) => e.name === cl.env))
      c.add(`${f}.env`, cl.env, `unknown environment; allowed: ${fleet.environments.map((e) => e.name).join(", ")}`);
    if (!fleet.regions.some((r) => r.name === cl.region))
      c.add(`${f}.region`, cl.region, `unknown region; allowed: ${fleet.regions.map((r) => r.name).join(", ")}`);
    if (!/^1\.[0-9]{2}$/.test(cl.kubernetesVersion))
      c.add(`${f}.kubernetesVersion`, cl.kubernetesVersion, 'write the minor version, e.g. "1.33"');
  });
  fleet.environments.forEach((e) => {
    const issuer = e.globalCertificateIssuer;
    if (issuer === undefined) return;
    const f = `environments[${e.name}].globalCertificateIssuer`;
    if (!e.production) c.add(f, issuer, "only a production environment serves global names; remove it");
    else if (!fleet.clusters.some((cl) => cl.name === issuer && cl.env === e.name))
      c.add(
        f,
        issuer,
        `not a cluster of ${e.name}; name one of ${fleet.clusters
          .filter((cl) => cl.env === e.name)
          .map((cl) => cl.name)
          .join(", ")}`,
      );
  });
  (fleet.eks?.managedAddons ?? []).forEach((a, i) => {
    // An unpinned kube-proxy is the one EKS lists for each cluster's minor (fleet/eks-calendar.ts).
    if (a.name !== "kube-proxy" || a.version === undefined) return;
    const pinned = a.version;
    for (const cl of fleet.clusters) {
      const why = kubeProxySkew(pinned, cl.kubernetesVersion);
      if (why)
        c.add(
          `eks.managedAddons[${i}].version`,
          a.version,
          `${why} on cluster ${cl.name} (Kubernetes ${cl.kubernetesVersion}); pin a kube-proxy every cluster's API server admits, or move the cluster's version`,
        );
    }
  });
  return c.problems;
}

/**
 * Kubernetes' version skew policy for kube-proxy (kubernetes.io/releases/version-skew-policy,
 * "kube-proxy"; EKS applies the same policy, docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.html):
 * it must not be newer than the API server, and may be at most three minor versions older.
 * Returns why a kube-proxy version breaks it on a cluster, or undefined.
 */
export function kubeProxySkew(kubeProxyVersion: string, clusterVersion: string): string | undefined {
  const proxy = /^v?1\.(\d+)\./.exec(kubeProxyVersion);
  const cluster = /^1\.(\d+)$/.exec(clusterVersion);
  if (!proxy || !cluster) return proxy ? undefined : 'not a kube-proxy version like "v1.33.3-eksbuild.10"';
  const skew = Number(cluster[1]) - Number(proxy[1]);
  if (skew < 0) return `kube-proxy 1.${proxy[1]} is newer than the API server`;
  if (skew > 3) return `kube-proxy 1.${proxy[1]} is ${skew} minor versions older than the API server (at most 3)`;
  return undefined;
}
