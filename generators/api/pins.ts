/**
 * Release pins: the image tag (and digest) each tenant's app runs in each environment.
 * The data lives in generators/release/pins.json, the one place versions change;
 * `npm run promote` edits it. An app without a pin runs its own `image` from the tenant file.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ENVIRONMENTS, type Env } from "../fleet/fleet.js";
import type { ImagePin, TenantSpec } from "./tenant.js";
import type { SpecProblem } from "./problem.js";

/** tenant -> environment -> app -> pin. */
export type Pins = Record<string, Partial<Record<Env, Record<string, ImagePin>>>>;

/** Repo-relative path of the pins file; problems name it. */
export const PINS_FILE = "generators/release/pins.json";

import { digestProblem, tagProblem } from "../rules/image.js";

/** Thrown when pins.json is not shaped like Pins. */
export class PinsFormatError extends Error {
  override name = "PinsFormatError";
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Parses and shape-checks pins JSON text. Semantic checks (known apps, digests) are in validatePins. */
export function parsePins(text: string, where: string = PINS_FILE): Pins {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    // Node names the offset ("at position 46"); people need line and column.
    const pos = /position (\d+)/.exec((e as Error).message);
    const before = pos ? text.slice(0, Number(pos[1])) : undefined;
    const at = before === undefined ? "" : `:${before.split("\n").length}:${before.length - before.lastIndexOf("\n")}`;
    throw new PinsFormatError(
      `${where}${at}: invalid JSON: ${(e as Error).message}; fix the JSON syntax (or run npm run promote, which writes this file)`,
    );
  }
  if (!isObject(raw)) throw new PinsFormatError(`${where}: must be an object of tenant -> environment -> app -> { tag, digest? }`);
  // Every shape problem at once, one line each, like the rest of validation.
  const problems: string[] = [];
  const bad = (field: string, message: string): void => {
    problems.push(`${where}: ${field}: ${message}`);
  };
  const pins: Pins = {};
  for (const [tenant, envs] of Object.entries(raw)) {
    if (!isObject(envs)) {
      bad(tenant, "must be an object of environment -> app -> pin");
      continue;
    }
    const out: Partial<Record<Env, Record<string, ImagePin>>> = {};
    for (const [env, apps] of Object.entries(envs)) {
      if (!(ENVIRONMENTS as readonly string[]).includes(env))
        bad(`${tenant}.${env}`, `unknown environment; allowed: ${ENVIRONMENTS.join(", ")}`);
      else if (!isObject(apps)) bad(`${tenant}.${env}`, "must be an object of app -> pin");
      else {
        const appPins: Record<string, ImagePin> = {};
        for (const [app, pin] of Object.entries(apps)) {
          const field = `${tenant}.${env}.${app}`;
          const extra = isObject(pin) ? Object.keys(pin).filter((k) => k !== "tag" && k !== "digest") : [];
          if (!isObject(pin) || typeof pin.tag !== "string")
            bad(field, `must be { "tag": string, "digest"?: string }${extra.length > 0 ? `; unknown field(s) ${extra.join(", ")}` : ""}`);
          else if (extra.length > 0) bad(field, `unknown field(s) ${extra.join(", ")}; allowed: tag, digest`);
          else if (pin.digest !== undefined && typeof pin.digest !== "string") bad(`${field}.digest`, "must be a string");
          else appPins[app] = pin.digest !== undefined ? { tag: pin.tag, digest: pin.digest as string } : { tag: pin.tag };
        }
        out[env as Env] = appPins;
      }
    }
    pins[tenant] = out;
  }
  if (problems.length > 0) throw new PinsFormatError(problems.sort().join("\n"));
  return pins;
}

/** Reads the pins of a repository checkout. */
export function loadPins(repo: string): Pins {
  return parsePins(readFileSync(join(repo, PINS_FILE), "utf8"));
}

/** Deterministic JSON: keys sorted at every level, two-space indent, trailing newline. */
export function formatPins(pins: Pins): string {
  const sort = (v: unknown): unknown =>
    isObject(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, sort(v[k])]),
        )
      : v;
  return `${JSON.stringify(sort(pins), null, 2)}\n`;
}

export function writePins(repo: string, pins: Pins): void {
  writeFileSync(join(repo, PINS_FILE), formatPins(pins));
}

/** The pin of one app in one environment, if any. */
export function pinFor(pins: Pins, tenant: string, env: Env, app: string): ImagePin | undefined {
  return pins[tenant]?.[env]?.[app];
}

/**
 * Semantic checks against the tenants: known tenant and app, immutable tag, well-formed
 * digest, and digest preservation: kustomize drops a base digest when an overlay sets only
 * `newTag`, so a pin without a digest for an app whose image has one would silently unpin it.
 */
export function validatePins(pins: Pins, tenants: readonly TenantSpec[]): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const add = (field: string, value: unknown, message: string): void => {
    problems.push({ file: PINS_FILE, field, value, message });
  };
  for (const [tenantName, envs] of Object.entries(pins)) {
    const tenant = tenants.find((t) => t.name === tenantName);
    if (!tenant) {
      add(tenantName, tenantName, `no tenant of that name; known: ${tenants.map((t) => t.name).join(", ")}`);
      continue;
    }
    for (const [env, apps] of Object.entries(envs)) {
      for (const [appName, pin] of Object.entries(apps ?? {})) {
        const field = `${tenantName}.${env}.${appName}`;
        const app = tenant.apps.find((a) => a.name === appName);
        if (!app) add(field, appName, `no app of that name in tenant ${tenantName}; known: ${tenant.apps.map((a) => a.name).join(", ")}`);
        const tp = tagProblem(pin.tag);
        if (tp) add(`${field}.tag`, pin.tag, tp);
        const dp = pin.digest === undefined ? undefined : digestProblem(pin.digest);
        if (dp) add(`${field}.digest`, pin.digest, dp);
        if (app?.image.digest && !pin.digest) {
          add(
            `${field}.digest`,
            undefined,
            `the app's image is pinned by digest (${app.image.digest}); give this release's digest too, or kustomize would silently drop it when the overlay sets only newTag`,
          );
        }
      }
    }
  }
  return problems;
}

/**
 * Digest preservation across an edit of the pins: a pin that had a digest must keep one.
 * Setting only a tag would make kustomize drop the digest without a word.
 */
export function digestDropped(before: ImagePin | undefined, after: ImagePin): boolean {
  return before?.digest !== undefined && after.digest === undefined;
}
