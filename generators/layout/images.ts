/** Which image an app runs in each environment: its release pin, else the tenant file's own tag and digest. */
import type { Env } from "../fleet/fleet.js";
import type { AppSpec, TenantSpec } from "../api/tenant.js";
import { pinFor, type Pins } from "../api/pins.js";
import type { ImageOverride } from "./kustomization.js";

/** The kustomize `images:` entry of an app in an environment. */
export function imageFor(tenant: TenantSpec, app: AppSpec, env: Env, pins: Pins): ImageOverride {
  const pin = pinFor(pins, tenant.name, env, app.name);
  const tag = pin?.tag ?? app.image.tag;
  const digest = pin ? pin.digest : app.image.digest;
  return { name: app.image.repository, newTag: tag, ...(digest ? { digest } : {}) };
}
