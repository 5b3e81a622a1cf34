/**
 * The subset of Go's text/template that our ApplicationSet templates use, rendered as
 * Argo CD renders `goTemplate: true` templates: `{{.key}}`, `{{.a.b}}`,
 * `{{index .path.segments 1}}`, `{{ index .m "key" }}`, with `{{-`/`-}}` trimming.
 * With `missingkey=error` a reference to a parameter that does not exist throws, as
 * the ApplicationSet controller then refuses to generate; without it Go prints
 * "<no value>". Anything outside this subset throws rather than guessing.
 */

export interface GoTemplateOptions {
  missingKey: "error" | "default";
}

export class TemplateError extends Error {}

type Value = unknown;

const MISSING = Symbol("missing");

function lookupPath(params: Record<string, Value>, path: string, template: string, opts: GoTemplateOptions): Value {
  // "." alone is the whole parameter map.
  if (path === ".") return params;
  if (!/^(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(path)) throw new TemplateError(`unsupported expression "${path}" in "${template}"`);
  let cur: Value = params;
  for (const key of path.slice(1).split(".")) {
    if (cur === null || typeof cur !== "object" || Array.isArray(cur)) {
      throw new TemplateError(`can't evaluate field ${key} in "${template}": not a map`);
    }
    const map = cur as Record<string, Value>;
    if (!(key in map)) {
      if (opts.missingKey === "error") throw new TemplateError(`map has no entry for key "${key}" in "${template}"`);
      return MISSING;
    }
    cur = map[key];
  }
  return cur;
}

/** Splits an action's arguments: `.a.b`, `1`, `"key"`. */
function tokens(expr: string): string[] {
  return expr.match(/"(?:[^"\\]|\\.)*"|[^\s"]+/g) ?? [];
}

function argument(tok: string, params: Record<string, Value>, template: string, opts: GoTemplateOptions): Value {
  if (tok.startsWith('"')) return JSON.parse(tok) as string;
  if (/^-?\d+$/.test(tok)) return Number(tok);
  if (tok.startsWith(".")) return lookupPath(params, tok, template, opts);
  throw new TemplateError(`unsupported argument "${tok}" in "${template}"`);
}

function evaluate(expr: string, params: Record<string, Value>, template: string, opts: GoTemplateOptions): Value {
  if (expr.includes("|")) throw new TemplateError(`pipelines are not supported: "${expr}" in "${template}"`);
  const toks = tokens(expr);
  if (toks.length === 0) throw new TemplateError(`empty action in "${template}"`);
  if (toks[0] === "index") {
    if (toks.length < 3) throw new TemplateError(`index needs a collection and at least one key in "${template}"`);
    let cur = argument(toks[1]!, params, template, opts);
    for (const t of toks.slice(2)) {
      const key = argument(t, params, template, opts);
      if (Array.isArray(cur)) {
        if (typeof key !== "number") throw new TemplateError(`index of a slice needs an integer, got ${String(key)} in "${template}"`);
        if (key < 0 || key >= cur.length) throw new TemplateError(`error calling index: index out of range: ${key} in "${template}"`);
        cur = cur[key];
      } else if (cur !== null && typeof cur === "object") {
        const map = cur as Record<string, Value>;
        // index on a map with a missing key yields the zero value; missingkey does not apply to index.
        cur = String(key) in map ? map[String(key)] : MISSING;
      } else {
        throw new TemplateError(`can't index item of type ${typeof cur} in "${template}"`);
      }
    }
    return cur;
  }
  if (toks.length !== 1) throw new TemplateError(`unsupported function "${toks[0]}" in "${template}"`);
  return argument(toks[0]!, params, template, opts);
}

function print(v: Value, template: string): string {
  if (v === MISSING) return "<no value>";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v === null || v === undefined) return "<no value>";
  throw new TemplateError(`printing a ${Array.isArray(v) ? "slice" : "map"} is not supported in "${template}"`);
}

/** Renders one string. */
export function renderGoTemplate(
  template: string,
  params: Record<string, Value>,
  opts: GoTemplateOptions = { missingKey: "error" },
): string {
  let out = "";
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf("{{", i);
    if (open < 0) {
      out += template.slice(i);
      break;
    }
    const close = template.indexOf("}}", open + 2);
    if (close < 0) throw new TemplateError(`unclosed action in "${template}"`);
    let text = template.slice(i, open);
    let inner = template.slice(open + 2, close);
    if (inner.startsWith("-") && /^-\s/.test(inner)) {
      text = text.replace(/\s+$/, "");
      inner = inner.slice(1);
    }
    let trimAfter = false;
    if (/\s-$/.test(inner)) {
      trimAfter = true;
      inner = inner.slice(0, -1);
    }
    out += text + print(evaluate(inner.trim(), params, template, opts), template);
    i = close + 2;
    if (trimAfter) while (i < template.length && /\s/.test(template[i]!)) i++;
  }
  return out;
}

/**
 * Renders every string (map keys included) in a JSON-like value, as Argo CD renders a template.
 * With no parameters at all Argo CD skips templating and returns the template as it is
 * (argoproj/argo-cd applicationset/utils/utils.go RenderTemplateParams; case "Test No Data"
 * of TestRenderTemplateParamsGoTemplate in utils_test.go).
 */
export function renderDeep<T>(value: T, params: Record<string, Value>, opts: GoTemplateOptions = { missingKey: "error" }): T {
  if (Object.keys(params).length === 0) return value;
  const walk = (v: Value): Value => {
    if (typeof v === "string") return renderGoTemplate(v, params, opts);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(Object.entries(v as Record<string, Value>).map(([k, x]) => [renderGoTemplate(k, params, opts), walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}
