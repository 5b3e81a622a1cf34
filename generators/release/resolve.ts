/**
 * `npm run pins -- resolve`: every selected app's release tag (its pin's, else its tenant
 * file's) resolved to the digest its registry serves, and written into the release pins,
 * all-or-nothing: one unresolvable image and nothing is written.
 */
import type { TenantSpec } from "../api/tenant.js";
import { ENVIRONMENTS, type Env } from "../fleet/fleet.js";
import type { Pins } from "../api/pins.js";
import { RegistryError, type RegistryClient } from "./registry.js";

export interface ResolveScope {
  tenant?: string;
  env?: Env;
  app?: string;
}

/** One image to resolve: where it is pinned (tenant > env > app) and what. */
export interface ResolveTarget {
  tenant: string;
  env: Env;
  app: string;
  repository: string;
  tag: string;
}

export interface Resolved extends ResolveTarget {
  digest: string;
}

export class ResolveError extends Error {
  override name = "ResolveError";
  constructor(readonly failures: readonly { target: ResolveTarget; reason: string }[]) {
    super(
      [
        `${failures.length} image(s) could not be resolved; nothing was written:`,
        ...failures.map((f) => `  ${f.target.tenant}/${f.target.env}/${f.target.app}: ${f.target.repository}:${f.target.tag}: ${f.reason}`),
        "fix: push the tag, or correct the tag in generators/release/pins.json (or the tenant file), and run it again",
      ].join("\n"),
    );
  }
}

/**
 * The images a scope covers, in tenant, environment and app order. An app whose tenant file
 * already pins a digest and that has no release pin is left alone: it is pinned.
 */
export function resolveTargets(tenants: readonly TenantSpec[], pins: Pins, scope: ResolveScope = {}): ResolveTarget[] {
  const out: ResolveTarget[] = [];
  for (const t of tenants) {
    if (scope.tenant !== undefined && t.name !== scope.tenant) continue;
    for (const env of ENVIRONMENTS) {
      if (scope.env !== undefined && env !== scope.env) continue;
      for (const a of t.apps) {
        if (scope.app !== undefined && a.name !== scope.app) continue;
        const pin = pins[t.name]?.[env]?.[a.name];
        if (!pin && a.image.digest) continue;
        out.push({ tenant: t.name, env, app: a.name, repository: a.image.repository, tag: pin?.tag ?? a.image.tag });
      }
    }
  }
  return out;
}

/** Resolves every target (a few at a time, one request per distinct image), or throws ResolveError naming every failure. */
export async function resolveAll(targets: readonly ResolveTarget[], client: RegistryClient, parallel = 8): Promise<Resolved[]> {
  const distinct = new Map<string, Promise<string>>();
  const lookup = (t: ResolveTarget): Promise<string> => {
    const key = `${t.repository}:${t.tag}`;
    let p = distinct.get(key);
    if (!p) {
      p = client.digest(t.repository, t.tag);
      distinct.set(key, p);
    }
    return p;
  };
  const results: ({ digest: string } | { reason: string })[] = new Array(targets.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length) {
      const i = next++;
      const t = targets[i] as ResolveTarget;
      try {
        results[i] = { digest: await lookup(t) };
      } catch (e) {
        results[i] = { reason: e instanceof RegistryError || e instanceof Error ? e.message : String(e) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, targets.length) }, worker));
  const failures = targets.flatMap((target, i) => {
    const r = results[i];
    return r && "reason" in r ? [{ target, reason: r.reason }] : [];
  });
  if (failures.length > 0) throw new ResolveError(failures);
  return targets.map((t, i) => ({ ...t, digest: (results[i] as { digest: string }).digest }));
}

/** The pins with every resolved tag and digest written in; the input is left untouched. */
export function applyResolved(pins: Pins, resolved: readonly Resolved[]): Pins {
  const next = JSON.parse(JSON.stringify(pins)) as Pins;
  for (const r of resolved) {
    const envs = next[r.tenant] ?? {};
    next[r.tenant] = envs;
    const apps = envs[r.env] ?? {};
    envs[r.env] = apps;
    apps[r.app] = { tag: r.tag, digest: r.digest };
  }
  return next;
}
