/**
 * A typed description of a plain-data API and a walker that holds values to it at run
 * time: unknown keys (with a "did you mean"), missing required fields, wrong primitive
 * types, incomplete per-environment values, and "exactly one of" groups. The descriptions
 * are tied to the TypeScript interfaces by `fields<T>()`: its argument must list exactly
 * the keys of T, each marked optional exactly when T marks it optional, so a field added
 * to the interface and not to the description (or the other way round) fails `tsc`.
 */
import { didYouMean } from "../rules/names.js";
import { redacted, secretLookingName } from "../rules/secret-names.js";

export type Desc =
  | { readonly t: "string" }
  | { readonly t: "number"; readonly integer?: boolean }
  | { readonly t: "boolean" }
  | { readonly t: "enum"; readonly values: readonly (string | number)[] }
  | { readonly t: "unknown" }
  | { readonly t: "undefined" }
  | { readonly t: "object"; readonly fields: Readonly<Record<string, Field>> }
  | { readonly t: "array"; readonly of: Desc }
  | { readonly t: "map"; readonly of: Desc }
  | { readonly t: "perEnv"; readonly of: Desc }
  | { readonly t: "either"; readonly of: readonly Desc[] }
  | {
      readonly t: "oneOf";
      readonly variants: Readonly<Record<string, { readonly d: Desc; readonly extra?: Readonly<Record<string, Field>> }>>;
      readonly shared?: Readonly<Record<string, Field>>;
    };

export interface Field {
  readonly d: Desc;
  readonly optional: boolean;
}
type Req = Field & { readonly optional: false };
type Opt = Field & { readonly optional: true };

/** The description of T's fields: every key of T, optional exactly when T's is. */
export type Fields<T> = { readonly [K in keyof T]-?: object extends Pick<T, K> ? Opt : Req };

export const req = (d: Desc): Req => ({ d, optional: false });
export const opt = (d: Desc): Opt => ({ d, optional: true });
export const string: Desc = { t: "string" };
export const integer: Desc = { t: "number", integer: true };
export const boolean: Desc = { t: "boolean" };
export const unknown: Desc = { t: "unknown" };
/** A key that is present with no value, e.g. `gpuPool: undefined`. */
export const absent: Desc = { t: "undefined" };
export const oneOfValues = (...values: readonly (string | number)[]): Desc => ({ t: "enum", values });
export const array = (of: Desc): Desc => ({ t: "array", of });
export const map = (of: Desc): Desc => ({ t: "map", of });
export const perEnv = (of: Desc): Desc => ({ t: "perEnv", of });
export const either = (...of: Desc[]): Desc => ({ t: "either", of });
/** An object described field by field, checked against T by the compiler. */
export const fields = <T>(f: Fields<T>): Desc => ({ t: "object", fields: f as Readonly<Record<string, Field>> });

export interface ShapeProblem {
  field: string;
  value: unknown;
  message: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const join = (base: string, key: string): string => (base === "" ? key : `${base}.${key}`);
const list = (xs: readonly string[]): string => xs.join(", ");

function typeName(d: Desc): string {
  switch (d.t) {
    case "string":
      return "a string";
    case "number":
      return d.integer ? "a whole number" : "a number";
    case "boolean":
      return "true or false";
    case "enum":
      return `one of ${d.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "array":
      return "a list";
    case "object":
    case "map":
    case "oneOf":
      return "an object";
    case "perEnv":
      return typeName(d.of);
    case "either":
      return d.of.map(typeName).join(" or ");
    case "unknown":
      return "any value";
    case "undefined":
      return "undefined";
  }
}

function unknownKey(out: ShapeProblem[], path: string, key: string, value: unknown, allowed: readonly string[]): void {
  const hint = didYouMean(key, allowed);
  // Never echo what may be a secret: objects are shown by their keys, secret-named values not at all.
  const shownValue = isObject(value) ? Object.keys(value) : typeof value === "string" && secretLookingName(key) ? redacted(value) : value;
  out.push({
    field: join(path, key),
    value: shownValue,
    message: `unknown field${hint ? `; did you mean "${hint}"?` : ""} Allowed here: ${list(allowed)}`,
  });
}

/** The label an array element gets in a path: its `name` when it has one, else its index. */
function elementLabel(v: unknown, i: number): string {
  return isObject(v) && typeof v.name === "string" && v.name !== "" ? v.name : String(i);
}

function walkFields(
  value: Record<string, unknown>,
  fieldsOf: Readonly<Record<string, Field>>,
  path: string,
  out: ShapeProblem[],
  envs: readonly string[],
  skip: readonly string[] = [],
): void {
  const allowed = Object.keys(fieldsOf);
  for (const [k, v] of Object.entries(value)) {
    if (skip.includes(k)) continue;
    const f = fieldsOf[k];
    if (!f) unknownKey(out, path, k, v, allowed);
    else if (v !== undefined || !f.optional) walk(v, f.d, join(path, k), out, envs);
  }
  for (const [k, f] of Object.entries(fieldsOf)) {
    if (!f.optional && !(k in value))
      out.push({ field: join(path, k), value: undefined, message: `required field is missing; give ${typeName(f.d)}` });
  }
}

/** Appends every way `value` departs from `d` to `out`. `envs` are the environment names PerEnv values are keyed by. */
export function walk(value: unknown, d: Desc, path: string, out: ShapeProblem[], envs: readonly string[]): void {
  const wrong = (): void => {
    out.push({ field: path, value, message: `must be ${typeName(d)}` });
  };
  switch (d.t) {
    case "unknown":
      return;
    case "undefined":
      if (value !== undefined) wrong();
      return;
    case "string":
      if (typeof value !== "string") wrong();
      return;
    case "boolean":
      if (typeof value !== "boolean") wrong();
      return;
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value) || (d.integer && !Number.isInteger(value))) wrong();
      return;
    case "enum":
      if (!d.values.includes(value as string | number)) {
        const hint = typeof value === "string" ? didYouMean(value, d.values.map(String)) : undefined;
        out.push({ field: path, value, message: `must be ${typeName(d)}${hint ? `; did you mean "${hint}"?` : ""}` });
      }
      return;
    case "either":
      for (const alt of d.of) {
        const probe: ShapeProblem[] = [];
        walk(value, alt, path, probe, envs);
        if (probe.length === 0) return;
      }
      wrong();
      return;
    case "array":
      if (!Array.isArray(value)) {
        wrong();
        return;
      }
      value.forEach((v, i) => {
        walk(v, d.of, `${path}[${elementLabel(v, i)}]`, out, envs);
      });
      return;
    case "map":
      if (!isObject(value)) {
        wrong();
        return;
      }
      for (const [k, v] of Object.entries(value)) walk(v, d.of, join(path, k), out, envs);
      return;
    case "perEnv": {
      const keys = isObject(value) ? Object.keys(value) : [];
      if (!isObject(value) || !keys.some((k) => envs.includes(k))) {
        walk(value, d.of, path, out, envs);
        return;
      }
      for (const k of keys) {
        if (!envs.includes(k)) {
          const hint = didYouMean(k, envs);
          out.push({
            field: join(path, k),
            value: k,
            message: `unknown environment${hint ? `; did you mean "${hint}"?` : ""} allowed: ${list(envs)}`,
          });
        }
      }
      for (const env of envs) {
        if (value[env] === undefined)
          out.push({
            field: join(path, env),
            value: undefined,
            message: `missing; a per-environment value needs every environment (${list(envs)})`,
          });
        else walk(value[env], d.of, join(path, env), out, envs);
      }
      return;
    }
    case "object":
      if (!isObject(value)) {
        wrong();
        return;
      }
      walkFields(value, d.fields, path, out, envs);
      return;
    case "oneOf": {
      if (!isObject(value)) {
        wrong();
        return;
      }
      const kinds = Object.keys(d.variants);
      const present = kinds.filter((k) => value[k] !== undefined);
      if (present.length !== 1) {
        out.push({
          field: path,
          value: present.length === 0 ? Object.keys(value) : present,
          message:
            present.length === 0
              ? `needs exactly one of: ${list(kinds)}`
              : `exactly one of ${list(kinds)} may be given; found ${present.join(" and ")}. Keep one`,
        });
        // Still report unknown keys beside the variants.
        const known = new Set([...kinds, ...Object.keys(d.shared ?? {}), ...kinds.flatMap((k) => Object.keys(d.variants[k]?.extra ?? {}))]);
        for (const k of Object.keys(value)) if (!known.has(k)) unknownKey(out, path, k, value[k], [...known]);
        return;
      }
      const chosen = present[0] ?? "";
      const variant = d.variants[chosen];
      if (!variant) return;
      const allFields: Record<string, Field> = { ...(d.shared ?? {}), ...(variant.extra ?? {}), [chosen]: req(variant.d) };
      const others = kinds.filter((k) => k !== chosen && k in value);
      walkFields(value, allFields, path, out, envs, others);
      return;
    }
  }
}
