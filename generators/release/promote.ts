/**
 * Promotion: copy a tenant's release pins from one environment to the next, in
 * generators/release/pins.json. Refuses (PromoteError) rather than guess.
 */
import type { ImagePin } from "../api/tenant.js";
import { DEFAULT_FLEET, ENVIRONMENTS, isProduction, type Env } from "../fleet/fleet.js";
import { git } from "../diff/git.js";
import { digestDropped, formatPins, loadPins, PINS_FILE, writePins, type Pins } from "../api/pins.js";
import { compareTags, parseTag } from "./semver.js";

/** A refusal; the CLI prints it and exits 2. */
export class PromoteError extends Error {
  override name = "PromoteError";
}

export interface PromoteRequest {
  tenant: string;
  /** Only this app. @default every app pinned in `from` */
  app?: string;
  from: Env;
  to: Env;
  /** Whether `to` is a production environment (prod's gates apply). @default the fleet's EnvSpec.production of `to` */
  production?: boolean;
  /** Let a pre-release tag (1.1.0-rc.1) into production. @default false */
  allowPrerelease?: boolean;
  /** Let a pin without a digest into production (its workloads then need a wl-image-digest exception). @default false */
  allowTagOnly?: boolean;
}

export interface PromotedPin {
  app: string;
  before?: ImagePin;
  after: ImagePin;
}

export function isEnv(v: string): v is Env {
  return (ENVIRONMENTS as readonly string[]).includes(v);
}

/** The new pins, or a PromoteError naming why not. Pure: reads nothing, writes nothing. */
export function planPromotion(pins: Pins, req: PromoteRequest): { pins: Pins; promoted: PromotedPin[] } {
  const { tenant, app, from, to } = req;
  if (from === to) throw new PromoteError(`--from and --to are both "${from}"; nothing to promote`);
  const source = pins[tenant]?.[from] ?? {};
  const apps = app !== undefined ? [app] : Object.keys(source).sort();
  if (apps.length === 0) throw new PromoteError(`${PINS_FILE} has no pin for tenant "${tenant}" in ${from}; nothing to promote`);
  const target = { ...(pins[tenant]?.[to] ?? {}) };
  const promoted: PromotedPin[] = [];
  for (const name of apps) {
    const pin = source[name];
    if (!pin)
      throw new PromoteError(`${PINS_FILE} has no pin for ${tenant}/${name} in ${from}; pin it there first (source env has no pin)`);
    const before = target[name];
    if (before) {
      const order = compareTags(before.tag, pin.tag);
      if (order === undefined && before.tag !== pin.tag) {
        throw new PromoteError(
          `cannot order tags of ${tenant}/${name}: ${to} has "${before.tag}", ${from} has "${pin.tag}" (not semver-ish); edit ${PINS_FILE} by hand`,
        );
      }
      if (order !== undefined && order > 0) {
        throw new PromoteError(
          `${to} is ahead of ${from} for ${tenant}/${name}: ${to} runs ${before.tag}, ${from} has ${pin.tag}; refusing to downgrade`,
        );
      }
    }
    if (digestDropped(before, pin)) {
      throw new PromoteError(
        `${tenant}/${name} in ${to} is pinned by digest (${before?.digest}) but ${from}'s pin ${pin.tag} has none; kustomize would silently drop the digest. Add the digest to ${from} first`,
      );
    }
    if (req.production ?? isProduction(DEFAULT_FLEET, to)) productionGate(tenant, name, from, to, pin, req);
    target[name] = { ...pin };
    promoted.push({ app: name, ...(before ? { before } : {}), after: { ...pin } });
  }
  const next: Pins = JSON.parse(JSON.stringify(pins)) as Pins;
  next[tenant] = { ...(next[tenant] ?? {}), [to]: target };
  return { pins: next, promoted };
}

/**
 * What production takes: a release (no pre-release part: semver.org item 9) pinned by digest
 * (prod runs only digest-pinned images, check rule wl-image-digest). Each refusal says why and
 * what overrides it.
 */
function productionGate(tenant: string, app: string, from: Env, to: Env, pin: ImagePin, req: PromoteRequest): void {
  const pre = parseTag(pin.tag)?.pre ?? [];
  if (pre.length > 0 && req.allowPrerelease !== true)
    throw new PromoteError(
      `${tenant}/${app}: ${from}'s pin ${pin.tag} is a pre-release (-${pre.join(".")}), and ${to} runs releases; promote a release tag, or pass --allow-prerelease to ship this one on purpose`,
    );
  if (pin.digest === undefined && req.allowTagOnly !== true)
    throw new PromoteError(
      `${tenant}/${app}: ${from}'s pin ${pin.tag} has no digest, and ${to} runs only images pinned by digest (wl-image-digest); run \`npm run pins -- resolve --tenant ${tenant} --env ${from}\` and commit it first, or pass --allow-tag-only (the check then fails unless an exception covers it)`,
    );
}

/** Writes the generated tree of `repo` for these pins (the caller's generator, in process). */
export type Regenerate = (pins: Pins) => void;

/**
 * Refuses on a dirty working tree, then writes the new pins and regenerates the tree with
 * them. On a generation failure the pins file is restored.
 */
export function promote(repo: string, req: PromoteRequest, regenerate: Regenerate): PromotedPin[] {
  const dirty = git(repo, ["status", "--porcelain"]).trim();
  if (dirty !== "") {
    throw new PromoteError(`the working tree is dirty; commit or stash first so the promotion is its own reviewable change:\n${dirty}`);
  }
  const pins = loadPins(repo);
  const plan = planPromotion(pins, req);
  if (formatPins(plan.pins) === formatPins(pins)) return plan.promoted;
  writePins(repo, plan.pins);
  try {
    regenerate(plan.pins);
  } catch (e) {
    writePins(repo, pins);
    throw new PromoteError(`generating with the new ${PINS_FILE} failed; the pins were restored:\n${(e as Error).message}`);
  }
  return plan.promoted;
}
