/**
 * Glob matching as Argo CD does it (util/glob/glob.go: gobwas/glob, compiled with optional
 * separators): `*` any run of characters except a separator, `**` any run at all, `?` one
 * non-separator character, `[abc]` / `[a-z]` / `[!abc]` classes, `{a,b}` alternatives (which
 * may nest and hold globs), `\` escapes the next character. A pattern that does not compile
 * (e.g. an unclosed `[`) matches nothing: Argo CD logs a warning and returns false.
 *
 * `matchPattern` adds the AppProject rules (pkg/apis/application/v1alpha1 globMatch): a bare
 * `*` matches everything, and a `!` prefix negates, so `!prod-*` matches every value that
 * `prod-*` does not.
 */

class GlobSyntaxError extends Error {}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");

/** Compiles a gobwas glob into an anchored RegExp; throws GlobSyntaxError on bad syntax. */
function compile(pattern: string, separator: string | undefined): RegExp {
  const any = separator ? `[^${escapeRegExp(separator)}]` : "[\\s\\S]";
  let i = 0;
  // Parses until one of `stops` (used inside `{...}`), returning the regex source.
  const parse = (stops: string): string => {
    let re = "";
    while (i < pattern.length) {
      const c = pattern[i]!;
      if (stops.includes(c)) return re;
      i++;
      if (c === "\\") {
        if (i >= pattern.length) throw new GlobSyntaxError("escape at end of pattern");
        re += escapeRegExp(pattern[i++]!);
      } else if (c === "*") {
        if (pattern[i] === "*") {
          i++;
          re += "[\\s\\S]*";
        } else re += `${any}*`;
      } else if (c === "?") re += any;
      else if (c === "[") {
        const end = pattern.indexOf("]", i);
        if (end < 0) throw new GlobSyntaxError("unexpected end of input: unclosed [");
        let body = pattern.slice(i, end);
        const negate = body.startsWith("!");
        if (negate) body = body.slice(1);
        if (body === "") throw new GlobSyntaxError("empty character class");
        const cls = body.replace(/[\\\]^[]/g, "\\$&");
        re += negate ? `(?:(?!${separator ? escapeRegExp(separator) : "(?!)"})[^${cls}])` : `[${cls}]`;
        i = end + 1;
      } else if (c === "{") {
        const alts: string[] = [];
        for (;;) {
          alts.push(parse(",}"));
          if (i >= pattern.length) throw new GlobSyntaxError("unexpected end of input: unclosed {");
          if (pattern[i++] === "}") break;
        }
        re += `(?:${alts.join("|")})`;
      } else re += escapeRegExp(c);
    }
    return re;
  };
  const source = parse("");
  return new RegExp(`^${source}$`);
}

// Compiled patterns, null for one that does not compile. A fleet has a few hundred distinct
// patterns matched millions of times at scale (every resource against every AppProject).
const compiled = new Map<string, RegExp | null>();

/** util/glob.Match: whether `text` matches the gobwas `pattern`; a pattern that fails to compile matches nothing. */
export function globMatch(pattern: string, text: string, separator?: string): boolean {
  const key = `${separator ?? ""}\0${pattern}`;
  let re = compiled.get(key);
  if (re === undefined) {
    try {
      re = compile(pattern, separator);
    } catch (e) {
      if (!(e instanceof GlobSyntaxError)) throw e;
      re = null;
    }
    compiled.set(key, re);
  }
  return re?.test(text) === true;
}

/** Whether a pattern is a deny (`!`) pattern. */
export function isDenyPattern(pattern: string | undefined): boolean {
  return pattern?.startsWith("!") === true;
}

/** The AppProject match: `!p` negates, a bare `*` matches all; an absent pattern is Go's "", matching only "". */
export function matchPattern(pattern: string | undefined, value: string, separator?: string): boolean {
  if (pattern === undefined) return value === "";
  if (isDenyPattern(pattern)) return !globMatch(pattern.slice(1), value, separator);
  if (pattern === "*") return true;
  return globMatch(pattern, value, separator);
}

const filepathCompiled = new Map<string, RegExp | null>();

/**
 * Go's path/filepath.Match, which Argo CD uses for AppProject resource lists
 * (isResourceInList): `*`, `?`, `[...]` (with `^` or `!` negation), `\` escapes; no `{}`
 * and no `**`; `*` does not cross `/`. A malformed pattern matches nothing.
 */
export function filepathMatch(pattern: string, name: string): boolean {
  let re = filepathCompiled.get(pattern);
  if (re === undefined) {
    re = compileFilepath(pattern);
    filepathCompiled.set(pattern, re);
  }
  return re?.test(name) === true;
}

function compileFilepath(pattern: string): RegExp | null {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      if (i + 1 >= pattern.length) return null;
      re += escapeRegExp(pattern[++i]!);
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) return null;
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith("^") || body.startsWith("!");
      if (negate) body = body.slice(1);
      if (body === "") return null;
      re += `[${negate ? "^/" : ""}${body.replace(/[\\\]^[]/g, "\\$&")}]`;
      i = end;
    } else re += escapeRegExp(c);
  }
  return new RegExp(`^${re}$`);
}
