/**
 * The fleet file against AWS facts (generators/fleet/aws/) and against the tenants: GPU
 * instance types that exist with the GPU count written and are offered in the region,
 * zones of the region, EFS and OIDC identifiers, registry prefixes, production flags,
 * and GPU pools whose limit cannot fit the GPU apps.
 */
import { ENVIRONMENTS } from "../../fleet/fleet.js";
import type { Fleet } from "../../fleet/fleet.js";
import { gpuInstanceType, gpuInstanceTypeNames } from "../../fleet/aws/instance-types.js";
import { zoneProblem } from "../../fleet/aws/regions.js";
import { efsFileSystemIdProblem, oidcIssuerIdProblem } from "../../fleet/aws/identifiers.js";
import { didYouMean } from "../../rules/names.js";
import { rollingUpdateProblems } from "../../rules/workloads.js";
import type { TenantSpec } from "../tenant.js";
import { maxReplicas } from "../replicas.js";
import { type Collector, FLEET_FILE } from "./collector.js";

export function checkFleetFacts(c: Collector, fleet: Fleet, tenants: readonly TenantSpec[]): void {
  for (const r of fleet.regions) {
    const f = `regions[${r.name}]`;
    r.zones.forEach((z, i) => {
      const m = zoneProblem(r.name, z);
      if (m) c.add(`${f}.zones[${i}]`, z, m);
    });
    c.unique(`${f}.zones`, r.zones, "zone");
    if (r.zones.length === 0) c.add(`${f}.zones`, [], "list the availability zones Karpenter may use (at least one)");
    const pool = r.gpuPool;
    if (!pool) continue;
    pool.instanceTypes.forEach((t, j) => {
      const tf = `${f}.gpuPool.instanceTypes[${j}]`;
      const facts = gpuInstanceType(t.name);
      if (!facts) {
        const hint = didYouMean(t.name, gpuInstanceTypeNames());
        c.add(
          `${tf}.name`,
          t.name,
          `not an EC2 GPU instance type${hint ? `; did you mean "${hint}"?` : ""} (generators/fleet/aws/instance-types.ts lists the known ones)`,
        );
        return;
      }
      if (Number.isInteger(t.gpus) && t.gpus >= 1 && t.gpus !== facts.gpus)
        c.add(`${tf}.gpus`, t.gpus, `${t.name} has ${facts.gpus} ${facts.gpu} GPU(s) per instance; write gpus: ${facts.gpus}`);
      if (!facts.regions.includes(r.name))
        c.add(
          `${tf}.name`,
          t.name,
          `EC2 does not offer ${t.name} in ${r.name} (offered in ${facts.regions.join(", ")}); Karpenter could never launch it there`,
        );
    });
    if (!Number.isInteger(pool.gpuLimit) || pool.gpuLimit < 0)
      c.add(`${f}.gpuPool.gpuLimit`, pool.gpuLimit, "must be a whole number of GPUs, 0 or more");
  }

  // Which GPUs the apps need per region: the pool's limit must fit the largest pod, and at least one replica of each app.
  for (const r of fleet.regions) {
    const clusters = fleet.clusters.filter((cl) => cl.region === r.name);
    if (clusters.length === 0 || !r.gpuPool) continue;
    let need = 0;
    let largest = 0;
    const who: string[] = [];
    for (const t of tenants)
      for (const a of t.apps) {
        const g = a.gpus ?? 0;
        if (g <= 0) continue;
        who.push(`${t.name}/${a.name}`);
        largest = Math.max(largest, g);
        for (const cl of clusters) need = Math.max(need, g * maxReplicas(a, cl.env));
      }
    if (who.length === 0) continue;
    if (r.gpuPool.gpuLimit < largest)
      c.add(
        `regions[${r.name}].gpuPool.gpuLimit`,
        r.gpuPool.gpuLimit,
        `GPU apps run in ${r.name} (${who.join(", ")}) and one pod needs ${largest} GPU(s); a limit of ${r.gpuPool.gpuLimit} means Karpenter never launches a GPU node there. Raise it to at least ${Math.max(largest, need)}`,
      );
  }

  fleet.clusters.forEach((cl) => {
    const f = `clusters[${cl.name}]`;
    const e = efsFileSystemIdProblem(cl.efsFileSystemId);
    if (e) c.add(`${f}.efsFileSystemId`, cl.efsFileSystemId, e);
    if (cl.oidcIssuerId !== undefined) {
      const o = oidcIssuerIdProblem(cl.oidcIssuerId);
      if (o) c.add(`${f}.oidcIssuerId`, cl.oidcIssuerId, o);
    }
  });
  c.unique(
    "clusters[].efsFileSystemId",
    fleet.clusters.map((cl) => cl.efsFileSystemId),
    "EFS file system (each cluster mounts its own, in its own region)",
  );

  (fleet.imageRegistries ?? []).forEach((p, i) => {
    if (!p.endsWith("/"))
      c.add(
        `imageRegistries[${i}]`,
        p,
        `must end with "/": the admission policy matches by prefix, so "${p}" also admits "${p}-anything/..."; write "${p}/"`,
      );
    else if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?\/([a-z0-9._-]+\/)+$/.test(p))
      c.add(`imageRegistries[${i}]`, p, 'write a registry host and organisation, lower case, e.g. "ghcr.io/example/"');
  });

  // Only production environments serve the global names (fleet/domains.ts): an environment marked production joins
  // prod's latency records. Production is the environment a change reaches last (ENVIRONMENTS is in rollout order).
  const last = ENVIRONMENTS[ENVIRONMENTS.length - 1];
  for (const env of fleet.environments)
    if (env.production !== (env.name === last))
      c.add(
        `environments[${env.name}].production`,
        env.production,
        env.production
          ? `only prod serves the global hosts; with production: true every ${env.name} cluster joins prod's latency-routed DNS records and takes real users' traffic. Set production: false`
          : `${env.name} must be production: it serves the global hosts; set production: true`,
      );

  for (const [step, v] of Object.entries(fleet.rollout?.maxUpdate ?? {}))
    for (const p of rollingUpdateProblems(v, undefined)) c.add(`rollout.maxUpdate.${step}`, v, p.message.replace("maxSurge", "maxUpdate"));
}

export { FLEET_FILE };
