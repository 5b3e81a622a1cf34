/** Which image an app runs in each environment: its release pin, else the tenant file's own tag and digest. */
import type { Env } from "../fleet/fleet.js";
import type { AppSpec, TenantSpec } from "../api/tenant.js";
import { pinFor, pinTargets, type Pins } from "../api/pins.js";
import type { ImageOverride } from "./kustomization.js";

/** The kustomize `images:` entry of an app in an environment. */
export function imageFor(tenant: TenantSpec, app: AppSpec, env: Env, pins: Pins): ImageOverride {
  const pin = pinFor(pins, tenant.name, env, app.name);
  const tag = pin?.tag ?? app.image.tag;
  const digest = pin ? pin.digest : app.image.digest;
  return { name: app.image.repository, newTag: tag, ...(digest ? { digest } : {}) };
}

/**
 * Every `images:` entry of a tenant's overlay in an environment: each app's image (pinned or
 * not, as before), plus each init-container and Job-step image that has a pin of its own
 * (keyed `<app>/<init>` or `<job>/<step>`, api/pins.ts pinTargets).
 */
export function imagesFor(tenant: TenantSpec, env: Env, pins: Pins): ImageOverride[] {
  const appRepos = new Set(tenant.apps.map((a) => a.image.repository));
  const out = new Map<string, ImageOverride>();
  for (const a of tenant.apps) if (!out.has(a.image.repository)) out.set(a.image.repository, imageFor(tenant, a, env, pins));
  for (const t of pinTargets(tenant)) {
    if (appRepos.has(t.repository) || out.has(t.repository)) continue;
    const pin = pinFor(pins, tenant.name, env, t.key);
    if (pin) out.set(t.repository, { name: t.repository, newTag: pin.tag, ...(pin.digest ? { digest: pin.digest } : {}) });
  }
  return [...out.values()];
}
