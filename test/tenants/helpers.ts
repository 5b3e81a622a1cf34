/** Shared helpers for tenant tests: render a tenant's cluster folders and look objects up. */
import { DEFAULT_FLEET, type Env } from "../../generators/fleet/fleet.js";
import { find, get, renderedFleet, tenantObjects, type Obj } from "../helpers/fleet.js";

export { find, get, type Obj };

export interface TenantRender {
  cluster: string;
  env: Env;
  objects: Obj[];
}

/**
 * Every clusters/<cluster>/<tenant> folder of the tenant, rendered by the real kustomize,
 * plus what the platform folder of the cluster creates for the tenant (labelled with it):
 * the NetworkPolicies, quota, secret store of its namespace and its dashboards.
 */
export async function renderTenant(tenant: string): Promise<TenantRender[]> {
  const fleet = await renderedFleet();
  return fleet
    .filter((f) => f.tenant === tenant)
    .map((f) => {
      const cluster = DEFAULT_FLEET.clusters.find((c) => c.name === f.cluster);
      if (!cluster) throw new Error(`unknown cluster ${f.cluster}`);
      return { cluster: f.cluster, env: cluster.env, objects: tenantObjects(fleet, f) };
    });
}

export function container(workload: Obj): Obj {
  return workload.spec.template.spec.containers[0];
}

/** Container ports as name -> containerPort. */
export function containerPorts(workload: Obj): Record<string, number> {
  return Object.fromEntries((container(workload).ports ?? []).map((p: Obj) => [p.name, p.containerPort]));
}

/** Service ports as name -> port. */
export function servicePorts(service: Obj): Record<string, number> {
  return Object.fromEntries((service.spec.ports ?? []).map((p: Obj) => [p.name, p.port]));
}

/** Storage per volumeClaimTemplate name. */
export function claimSizes(sts: Obj): Record<string, string> {
  return Object.fromEntries((sts.spec.volumeClaimTemplates ?? []).map((t: Obj) => [t.metadata.name, t.spec.resources.requests.storage]));
}

/** A value per environment, written as in the seed's tables. */
export type PerEnvNum = Record<Env, number>;

/** Asserts the restricted Pod Security profile on a workload's pod template. */
export function restrictedProblems(workload: Obj): string[] {
  const spec = workload.spec.template.spec;
  const problems: string[] = [];
  if (spec.securityContext?.runAsNonRoot !== true) problems.push("pod runAsNonRoot");
  if (spec.securityContext?.seccompProfile?.type !== "RuntimeDefault") problems.push("seccomp RuntimeDefault");
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
    const sc = c.securityContext ?? {};
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${c.name} allowPrivilegeEscalation`);
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) problems.push(`${c.name} drop ALL`);
    if (sc.readOnlyRootFilesystem !== true) problems.push(`${c.name} readOnlyRootFilesystem`);
    if (c.imagePullPolicy === "Always") problems.push(`${c.name} imagePullPolicy Always`);
    for (const p of c.ports ?? []) if (p.containerPort < 1024) problems.push(`${c.name} privileged port ${p.containerPort}`);
  }
  return problems;
}
