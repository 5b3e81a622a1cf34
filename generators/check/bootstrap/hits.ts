/** What a bootstrap rule is and reports, and the helpers every rule file shares (rules.ts, mesh-rules.ts, runtime-rules.ts). */
import type { Provides } from "../../addons/provides.js";
import { idOf, type Obj } from "../policy/util.js";
import type { ClusterPlan, Part } from "./plan.js";

/** What a bootstrap rule reports; the pass adds the rule id and cluster. */
export interface BootstrapHit {
  part: string;
  object: string;
  path: string;
  message: string;
  fix?: string;
}

export interface BootstrapRule {
  id: string;
  description: string;
  fix: string;
  check(plan: ClusterPlan): BootstrapHit[];
}

/** Every object of every part, with its part. */
export function located(plan: ClusterPlan): { part: Part; o: Obj }[] {
  return plan.parts.flatMap((part) => part.objects.map((o) => ({ part, o: o as Obj })));
}

export function provided<T>(parts: readonly Part[], pick: (p: Provides) => readonly T[] | undefined): { part: Part; item: T }[] {
  return parts.flatMap((part) => (pick(part.provides) ?? []).map((item) => ({ part, item })));
}

export function hit(part: Part, o: Obj, path: string, message: string, fix?: string): BootstrapHit {
  return { part: part.name, object: idOf(o), path, message, ...(fix !== undefined ? { fix } : {}) };
}

/** Where the parts that would provide something are, to say "too late" rather than "missing". */
export function laterProviders(plan: ClusterPlan, wave: number, has: (p: Provides) => boolean): string {
  const late = plan.parts.filter((p) => p.wave >= wave && has(p.provides));
  return late.length === 0
    ? "nothing on the cluster provides it"
    : `only ${late.map((p) => `${p.name} (wave ${p.wave})`).join(", ")} provide${late.length === 1 ? "s" : ""} it, not strictly earlier`;
}
