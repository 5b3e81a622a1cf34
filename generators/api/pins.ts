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

/** An image a release pin can set: its key in pins.json, the repository it overrides, and the tenant field it comes from. */
export interface PinTarget {
  /** `<app>` for an app's image, `<app>/<init>` for an init container's own image, `<job>/<step>` for a Job or CronJob step. */
  key: string;
  repository: string;
  image: { tag: string; digest?: string };
  field: string;
  /** Set when an app's own image is this repository: kustomize's `images:` overrides a repository everywhere, so that app's key pins it. */
  pinnedBy?: string;
}

/**
 * Every pinnable image of a tenant. An app's key pins its repository; an init container or
 * Job step whose repository is not an app's is pinned by its own key (`<app>/<init>`,
 * `<job>/<step>`); one whose repository is an app's is pinned by that app (`pinnedBy`).
 */
export function pinTargets(tenant: TenantSpec): PinTarget[] {
  const appOf = new Map<string, string>();
  for (const a of tenant.apps) if (!appOf.has(a.image.repository)) appOf.set(a.image.repository, a.name);
  const others: PinTarget[] = [
    ...tenant.apps.flatMap((a) =>
      (a.initContainers ?? []).flatMap((i) =>
        i.image
          ? [
              {
                key: `${a.name}/${i.name}`,
                repository: i.image.repository,
                image: i.image,
                field: `apps[${a.name}].initContainers[${i.name}].image`,
              },
            ]
          : [],
      ),
    ),
    ...(tenant.jobs ?? []).flatMap((j) =>
      j.steps.map((st) => ({
        key: `${j.name}/${st.name}`,
        repository: st.image.repository,
        image: st.image,
        field: `jobs[${j.name}].steps[${st.name}].image`,
      })),
    ),
  ];
  return [
    ...tenant.apps.map((a) => ({ key: a.name, repository: a.image.repository, image: a.image, field: `apps[${a.name}].image` })),
    ...others.map((t) => {
      const app = appOf.get(t.repository);
      return app === undefined ? t : { ...t, pinnedBy: app };
    }),
  ];
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
    const targets = pinTargets(tenant);
    for (const [env, apps] of Object.entries(envs)) {
      const byRepository = new Map<string, { key: string; pin: ImagePin }>();
      for (const [key, pin] of Object.entries(apps ?? {})) {
        const field = `${tenantName}.${env}.${key}`;
        const target = targets.find((t) => t.key === key);
        if (!target)
          add(
            field,
            key,
            `nothing in tenant ${tenantName} has that key; a key is an app, "<app>/<init container>" or "<job>/<step>": ${targets
              .filter((t) => t.pinnedBy === undefined)
              .map((t) => t.key)
              .join(", ")}`,
          );
        else if (target.pinnedBy !== undefined)
          add(
            field,
            key,
            `${target.field} runs ${target.repository}, the image of app ${target.pinnedBy}, whose pin sets it (kustomize sets a repository's tag once per folder); pin it at "${tenantName}" > "${env}" > "${target.pinnedBy}"`,
          );
        else {
          const prior = byRepository.get(target.repository);
          if (prior && (prior.pin.tag !== pin.tag || prior.pin.digest !== pin.digest))
            add(
              field,
              key,
              `pins ${target.repository} differently from "${prior.key}"; kustomize sets a repository once per folder: give both the same tag and digest`,
            );
          byRepository.set(target.repository, { key, pin });
        }
        const tp = tagProblem(pin.tag);
        if (tp) add(`${field}.tag`, pin.tag, tp);
        const dp = pin.digest === undefined ? undefined : digestProblem(pin.digest);
        if (dp) add(`${field}.digest`, pin.digest, dp);
        if (target?.image.digest && !pin.digest) {
          add(
            `${field}.digest`,
            undefined,
            `the image is pinned by digest in the tenant file (${target.image.digest}); give this release's digest too, or kustomize would silently drop it when the overlay sets only newTag`,
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
