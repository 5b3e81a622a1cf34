/**
 * The fleet's rollout order: which clusters a change reaches first. The Argo CD builder turns
 * it into RollingSync steps and the report prints it, both from here.
 */
import type { Env, Fleet, RolloutSpec } from "./fleet.js";
import { DEFAULT_ROLLOUT } from "./fleet.js";

export interface RolloutStepSpec {
  /** `dev`, `staging`, `prod/us-west-2`, ... */
  name: string;
  env: Env;
  /** Undefined: every region of the environment. */
  region?: string;
  maxUpdate: number | string;
}

/**
 * RollingSync order: non-production environments in fleet order, then each production
 * environment region by region, the canary region first. Steps without a cluster are dropped.
 */
export function rolloutSteps(fleet: Fleet, rollout: RolloutSpec = fleet.rollout ?? DEFAULT_ROLLOUT): RolloutStepSpec[] {
  const steps: RolloutStepSpec[] = [];
  const max = (name: string): number | string => rollout.maxUpdate?.[name] ?? "100%";
  const has = (env: Env, region?: string): boolean =>
    fleet.clusters.some((c) => c.env === env && (region === undefined || c.region === region));
  for (const env of fleet.environments.filter((e) => !e.production)) {
    if (has(env.name)) steps.push({ name: env.name, env: env.name, maxUpdate: max(env.name) });
  }
  const regions = [rollout.canaryRegion, ...fleet.regions.map((r) => r.name).filter((r) => r !== rollout.canaryRegion)];
  for (const env of fleet.environments.filter((e) => e.production)) {
    for (const region of regions) {
      const name = `${env.name}/${region}`;
      if (has(env.name, region)) steps.push({ name, env: env.name, region, maxUpdate: max(name) });
    }
  }
  return steps;
}
