/** Shared helpers for the tenant tests: render a tenant's cluster folders with the real kustomize and look objects up. */
import { DEFAULT_FLEET, type Env } from "../../generators/fleet/fleet.js";
import { find, get, renderedFleet, tenantObjects, type Obj } from "../helpers/fleet.js";

export { find, get, type Obj };

export const CLUSTERS = DEFAULT_FLEET.clusters.map((c) => ({ cluster: c.name, env: c.env as Env, region: c.region }));

/** Every cluster folder of the tenant, rendered once, with what the platform creates for the tenant (its guardrails, its dashboards). */
export async function renderTenant(tenant: string): Promise<Map<string, Obj[]>> {
  const all = await renderedFleet();
  const byCluster = new Map<string, Obj[]>();
  for (const f of all.filter((x) => x.tenant === tenant)) byCluster.set(f.cluster, tenantObjects(all, f));
  return byCluster;
}

export function containerPorts(workload: Obj): number[] {
  return (workload.spec.template.spec.containers[0].ports as Obj[]).map((p) => p.containerPort as number).sort((a, b) => a - b);
}

export function claimSizes(sts: Obj): Record<string, string> {
  return Object.fromEntries(
    ((sts.spec.volumeClaimTemplates ?? []) as Obj[]).map((t) => [t.metadata.name, t.spec.resources.requests.storage]),
  );
}

export function gpuCount(workload: Obj): number {
  return Number(workload.spec.template.spec.containers[0].resources?.limits?.["nvidia.com/gpu"] ?? 0);
}

export function zoneSpread(workload: Obj): string | undefined {
  const c = (workload.spec.template.spec.topologySpreadConstraints as Obj[] | undefined)?.find(
    (t) => t.topologyKey === "topology.kubernetes.io/zone",
  );
  return c?.whenUnsatisfiable;
}

/** Every env var of every container (init included) that carries a credential-looking name. */
export function credentialEnv(objects: readonly Obj[]): Obj[] {
  const out: Obj[] = [];
  for (const o of objects) {
    const spec = o.kind === "CronJob" ? o.spec.jobTemplate.spec.template.spec : o.spec?.template?.spec;
    if (!spec) continue;
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])] as Obj[]) {
      for (const e of (c.env ?? []) as Obj[])
        if (/PASSWORD|SECRET|API_KEY|AUTH|ACCESS_KEY/.test(e.name)) out.push({ owner: `${o.kind}/${o.metadata.name}`, ...e });
    }
  }
  return out;
}

/** Secrets a CronJob's containers read, as "secret/key". */
export function secretRefs(cron: Obj): string[] {
  const spec = cron.spec.jobTemplate.spec.template.spec;
  const refs = new Set<string>();
  for (const c of [...(spec.initContainers ?? []), ...spec.containers] as Obj[]) {
    for (const e of (c.env ?? []) as Obj[]) {
      const r = e.valueFrom?.secretKeyRef;
      if (r) refs.add(`${r.name}/${r.key}`);
    }
  }
  return [...refs].sort();
}
