/** The problem collector every validation module reports through, and the files and names they share. */
import { ENVIRONMENTS, type Env } from "../../fleet/fleet.js";
import { ADDONS } from "../../addons/catalogue.js";
import { EDGE, PLATFORM } from "../../fleet/constants.js";
import type { PerEnv, ResourcesSpec } from "../tenant.js";
import { forEnv, isPerEnvRecord } from "../per-env.js";
import type { SpecProblem } from "../problem.js";
import { dns1035Label, dns1123Label } from "../../rules/names.js";
import { quantityProblem } from "../../rules/quantity.js";
import { resourceProblems } from "../../rules/resources.js";

export const FLEET_FILE = "generators/fleet/fleet.ts";
/** Names of Argo CD projects the pipeline itself owns. */
export const RESERVED_TENANTS: readonly string[] = ["platform", "bootstrap", "default"];
/**
 * Namespaces the platform's own components run in (every add-on's, and the edge's); a tenant there
 * would share their NetworkPolicies, quotas and admission exemptions.
 */
export const PLATFORM_NAMESPACES: readonly string[] = [
  ...new Set([...ADDONS.map((a) => a.namespace), PLATFORM.monitoringNamespace, EDGE.namespace]),
].sort();

export class Collector {
  readonly problems: SpecProblem[] = [];
  constructor(private readonly file: string) {}
  add(field: string, value: unknown, message: string): void {
    this.problems.push({ file: this.file, field, value, message });
  }
  dnsLabel(field: string, value: string, what: string): void {
    for (const m of dns1123Label(value)) this.add(field, value, `${what}: ${m}`);
  }
  /** Names that become Service names (apps) are DNS-1035 labels: they must start with a letter. */
  serviceName(field: string, value: string, what: string): void {
    for (const m of dns1035Label(value)) this.add(field, value, `${what} names its Service: ${m}`);
  }
  unique(field: string, values: readonly string[], what: string): void {
    const seen = new Set<string>();
    for (const v of values) {
      if (seen.has(v)) this.add(field, v, `duplicate ${what}; each ${what} must be unique`);
      seen.add(v);
    }
  }
  quantity(field: string, value: string, resource: "cpu" | "memory" | "storage" | "count" | "any" = "any"): void {
    const p = quantityProblem(value, resource);
    if (p) this.add(field, value, p);
  }
  /** Requests and limits as the API server checks them: valid quantities, whole bytes, limits >= requests. */
  resources(field: string, r: ResourcesSpec): void {
    for (const p of resourceProblems(r.requests, r.limits)) this.add(`${field}.${p.field}`, p.value, p.message);
  }
  /** Checks each entry of a per-environment value (its keys were checked by the schema). */
  perEnv<T>(field: string, value: PerEnv<T>, check: (field: string, v: T) => void): void {
    if (!isPerEnvRecord(value)) {
      check(field, value as T);
      return;
    }
    for (const env of ENVIRONMENTS) check(`${field}.${env}`, forEnv(value, env));
  }
}

export function valueFor<T>(value: PerEnv<T>, env: Env): T | undefined {
  return isPerEnvRecord(value) ? (value as Record<string, T | undefined>)[env] : (value as T);
}
