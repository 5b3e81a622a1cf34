/** The folders Argo CD syncs: clusters/<cluster>/<tenant>, read from the committed tree. */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { PATHS } from "../fleet/constants.js";

export interface ClusterFolder {
  cluster: string;
  tenant: string;
  /** Path relative to the repo root. */
  path: string;
}

export function listClusterFolders(repo: string, cluster?: string): ClusterFolder[] {
  const root = join(repo, PATHS.clusters);
  if (!existsSync(root)) return [];
  const clusters = readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  if (cluster !== undefined && !clusters.includes(cluster)) {
    throw new Error(`unknown cluster "${cluster}"; clusters: ${clusters.join(", ")}`);
  }
  return clusters
    .filter((c) => cluster === undefined || c === cluster)
    .flatMap((c) =>
      readdirSync(join(root, c), { withFileTypes: true })
        .filter((e) => e.isDirectory() && existsSync(join(root, c, e.name, "kustomization.yaml")))
        .map((e) => e.name)
        .sort()
        .map((tenant) => ({ cluster: c, tenant, path: `${PATHS.clusters}/${c}/${tenant}` })),
    );
}
