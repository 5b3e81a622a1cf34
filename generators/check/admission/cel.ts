/**
 * CEL for admission policies, evaluated by a real CEL implementation (@bufbuild/cel).
 *
 * The API server binds JSON objects as CEL values: objects as maps with field selection,
 * integers as `int`, other numbers as `double` (k8s.io/apiserver/pkg/cel/types.go and
 * common/values.go). We convert the same way. Its environment adds the Kubernetes CEL
 * libraries (k8s.io/apiserver/pkg/cel/library); ours has CEL's standard library plus the
 * strings extension, which is all the generated policies use. An expression that calls
 * another Kubernetes library function fails here with "unbound function", which the
 * admission tests surface as a denied committed object, never as a silent pass.
 */
import { celEnv, isCelError, parse, plan, type CelInput, type CelResult } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";
import { memoByIdentity } from "../memo.js";

const convertObject = memoByIdentity((value: object): CelInput => convert(value));

/**
 * JSON as the API server hands it to CEL. A top-level object is converted once and reused,
 * so admitted objects must not be mutated afterwards (the check and the tests build new ones).
 */
export function toCel(value: unknown): CelInput {
  return typeof value === "object" && value !== null ? convertObject(value) : convert(value);
}

function convert(value: unknown): CelInput {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return Number.isInteger(value) ? BigInt(value) : value;
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (Array.isArray(value)) return value.map(convert);
  if (typeof value === "object") return new Map(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, convert(v)]));
  throw new Error(`cel: cannot bind a ${typeof value}`);
}

const ENV = celEnv({ funcs: strings });

type Program = (bindings: Record<string, CelInput>) => CelResult;
const programs = new Map<string, Program | Error>();

/** Parses and plans once per expression; a syntax error is returned, as the API server reports it at evaluation. */
function compile(expression: string): Program | Error {
  let p = programs.get(expression);
  if (p === undefined) {
    try {
      const run = plan(ENV, parse(expression));
      p = (b: Record<string, CelInput>) => run(b);
    } catch (e) {
      p = e instanceof Error ? e : new Error(String(e));
    }
    programs.set(expression, p);
  }
  return p;
}

export type CelOutcome = { ok: true; value: unknown } | { ok: false; error: string };

export function evaluate(expression: string, bindings: Record<string, CelInput>): CelOutcome {
  const p = compile(expression);
  if (p instanceof Error) return { ok: false, error: `compile: ${p.message}` };
  let v: CelResult;
  try {
    v = p(bindings);
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
  return isCelError(v) ? { ok: false, error: v.message } : { ok: true, value: v };
}
