/** Rules across tenants: hosts unique per cluster, one tenant per namespace, images from the fleet's registries. */
import { DEFAULT_IMAGE_REGISTRIES, type ClusterSpec, type Fleet } from "../../fleet/fleet.js";
import { hostsFor } from "../../fleet/domains.js";
import type { TenantSource } from "../source.js";
import { tenantNamespace } from "../names.js";
import type { SpecProblem } from "../problem.js";
import { registryProblem } from "../../rules/image.js";

/** Hosts must be unique per cluster across every tenant and app. */
export function checkHosts(fleet: Fleet, sources: readonly TenantSource[]): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const byCluster = new Map<string, Map<string, string>>();
  for (const cluster of fleet.clusters as readonly ClusterSpec[]) {
    const seen = byCluster.get(cluster.name) ?? new Map<string, string>();
    byCluster.set(cluster.name, seen);
    for (const { spec: tenant, file } of sources) {
      for (const app of tenant.apps) {
        const ing = app.exposure?.ingress;
        if (!ing) continue;
        for (const host of hostsFor(fleet, ing.host, tenant.name, cluster)) {
          const owner = `${tenant.name}/${app.name}`;
          const prior = seen.get(host);
          if (prior && prior !== owner) {
            problems.push({
              file,
              field: `apps[${app.name}].exposure.ingress.host`,
              value: ing.host,
              message: `host ${host} on cluster ${cluster.name} is already served by ${prior}; choose another host label`,
            });
          }
          seen.set(host, owner);
        }
      }
    }
  }
  return problems;
}

/** One tenant per namespace: two tenants' objects in one namespace would overwrite each other's. */
export function checkNamespaces(sources: readonly TenantSource[]): SpecProblem[] {
  const owner = new Map<string, string>();
  const problems: SpecProblem[] = [];
  for (const { spec, file } of sources) {
    const ns = tenantNamespace(spec);
    const prior = owner.get(ns);
    if (prior !== undefined && prior !== spec.name) {
      problems.push({
        file,
        field: spec.namespace === undefined ? "name" : "namespace",
        value: ns,
        message: `tenant ${prior} already runs in namespace ${ns}; one tenant per namespace: choose another namespace`,
      });
    }
    if (prior === undefined) owner.set(ns, spec.name);
  }
  return problems;
}

/** Every image a tenant runs comes from the fleet's registry allow-list (enforced in the cluster by a ValidatingAdmissionPolicy). */
export function checkRegistries(fleet: Fleet, sources: readonly TenantSource[]): SpecProblem[] {
  const allowed = fleet.imageRegistries ?? DEFAULT_IMAGE_REGISTRIES;
  const problems: SpecProblem[] = [];
  for (const { spec, file } of sources) {
    const images: [string, string][] = [
      ...spec.apps.flatMap((a): [string, string][] => [
        [`apps[${a.name}].image.repository`, a.image.repository],
        ...(a.initContainers ?? []).flatMap((i): [string, string][] =>
          i.image ? [[`apps[${a.name}].initContainers[${i.name}].image.repository`, i.image.repository]] : [],
        ),
      ]),
      ...(spec.jobs ?? []).flatMap((j) =>
        j.steps.map((st): [string, string] => [`jobs[${j.name}].steps[${st.name}].image.repository`, st.image.repository]),
      ),
    ];
    for (const [field, repository] of images) {
      const message = registryProblem(repository, allowed);
      if (message) problems.push({ file, field, value: repository, message });
    }
  }
  return problems;
}
