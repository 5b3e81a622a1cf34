/**
 * `validateStrict`: kubeconform-`-strict`-like validation of one rendered Kubernetes / Argo CD
 * object (plain JSON, e.g. parsed from `kustomize build` output).
 *
 *   1. apiVersion and kind must be present and registered (registry.ts); an unregistered kind is
 *      an error, never a silent pass.
 *   2. Types, enums, formats and required fields: the model package's compiled JSON schema, run
 *      through `new Model(obj).validate()`. The constructor only copies the input (dropping
 *      `undefined`, which JSON cannot contain) and the compiled validators neither coerce nor fill
 *      defaults, so exactly the input is validated; ajv errors become `SchemaIssue`s.
 *   3. Unknown fields: the input is walked against the known-fields graph derived from the
 *      packages' .d.ts files (strict-fields.ts); every property not declared at its position is
 *      reported with its JSON pointer, plus a "did you mean" hint for a close match.
 *
 * Paths are JSON pointers relative to the object (RFC 6901: "~" → "~0", "/" → "~1"), the same
 * format as ajv's `instancePath`, e.g. "/spec/template/spec/containers/0/imagePullPolicyy".
 */
import { lookupKind, registryEntries, REGISTRY_FILE, type RegistryEntry } from "./registry.js";
import { loadStrictFieldTree, rootKey, type FieldNode, type StrictFieldTree, type StrictRoot } from "./strict-fields.js";

export interface SchemaIssue {
  /** JSON pointer into the object, "" for the object itself. */
  path: string;
  message: string;
}

interface AjvError {
  instancePath: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

let tree: StrictFieldTree | undefined;

/** The roots of the known-fields graph: every registered kind's model interface. */
export function strictRoots(): StrictRoot[] {
  return registryEntries().map((e) => ({ module: e.module, interfaceName: e.interfaceName }));
}

/** The known-fields graph for every registered kind; read (committed, cached) or derived on first use. */
function fieldTree(): StrictFieldTree {
  tree ??= loadStrictFieldTree(strictRoots());
  return tree;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

function isAjvError(value: unknown): value is AjvError {
  return isPlainObject(value) && typeof value.instancePath === "string";
}

function ajvIssues(entry: RegistryEntry, obj: Record<string, unknown>): SchemaIssue[] {
  try {
    new entry.model(obj).validate();
    return [];
  } catch (err) {
    const errors: unknown = isPlainObject(err) || err instanceof Error ? (err as { errors?: unknown }).errors : undefined;
    if (!Array.isArray(errors)) {
      return [{ path: "", message: `schema validation failed: ${err instanceof Error ? err.message : String(err)}` }];
    }
    return errors.filter(isAjvError).map((e): SchemaIssue => {
      const missing = e.params?.missingProperty;
      if (e.keyword === "required" && typeof missing === "string") {
        return { path: `${e.instancePath}/${escapePointer(missing)}`, message: `missing required field "${missing}"` };
      }
      let message = e.message ?? `failed "${e.keyword ?? "?"}" check`;
      const allowed = e.params?.allowedValues;
      if (e.keyword === "enum" && Array.isArray(allowed)) message += `: ${allowed.map((v) => JSON.stringify(v)).join(", ")}`;
      return { path: e.instancePath, message };
    });
  }
}

function levenshtein(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

function suggestion(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  for (const candidate of known) {
    const d = candidate.toLowerCase() === lower ? 0 : levenshtein(name, candidate);
    if (d <= bestDistance && (best === undefined || d < bestDistance)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Reports fields the schema does not know. The JSON pointer is kept as a stack of
 * segments and joined only for a finding: most objects have none.
 */
function walkUnknownFields(nodes: readonly FieldNode[], nodeId: number, value: unknown, path: string[], out: SchemaIssue[]): void {
  const node = nodes[nodeId];
  if (!node || node.open || value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    if (node.items === undefined) return; // not an array type: ajv reports the type error
    for (let i = 0; i < value.length; i++) {
      path.push(String(i));
      walkUnknownFields(nodes, node.items, value[i], path, out);
      path.pop();
    }
    return;
  }
  if (node.props === undefined && node.anyKey === undefined) return; // scalar/array type: ajv reports it
  for (const [key, child] of Object.entries(value)) {
    const known = node.props !== undefined && Object.hasOwn(node.props, key) ? node.props[key] : node.anyKey;
    path.push(key);
    if (known !== undefined) walkUnknownFields(nodes, known, child, path, out);
    else {
      const hint = suggestion(key, Object.keys(node.props ?? {}));
      out.push({
        path: path.map((seg) => `/${escapePointer(seg)}`).join(""),
        message: `unknown field "${key}"${hint ? ` (did you mean "${hint}"?)` : ""}`,
      });
    }
    path.pop();
  }
}

/**
 * Validates one object strictly: registered apiVersion/kind, schema types and required fields,
 * and no unknown fields anywhere. Returns all issues found (empty = valid), sorted by path.
 */
export function validateStrict(obj: unknown): SchemaIssue[] {
  if (!isPlainObject(obj)) return [{ path: "", message: "must be an object" }];
  const { apiVersion, kind } = obj;
  const head: SchemaIssue[] = [];
  if (typeof apiVersion !== "string" || apiVersion === "")
    head.push({ path: "/apiVersion", message: 'missing required field "apiVersion" (must be a non-empty string)' });
  if (typeof kind !== "string" || kind === "")
    head.push({ path: "/kind", message: 'missing required field "kind" (must be a non-empty string)' });
  if (head.length > 0 || typeof apiVersion !== "string" || typeof kind !== "string") return head;

  const entry = lookupKind(apiVersion, kind);
  if (!entry) {
    return [{ path: "", message: `unknown kind "${kind}" (apiVersion "${apiVersion}"): add it to ${REGISTRY_FILE}` }];
  }

  const issues = ajvIssues(entry, obj);
  const t = fieldTree();
  const root = t.roots[rootKey(entry)];
  if (root === undefined) {
    issues.push({ path: "", message: `no strict field schema for ${entry.interfaceName} in "${entry.module}"` });
  } else {
    walkUnknownFields(t.nodes, root, obj, [], issues);
  }

  const seen = new Set<string>();
  return issues
    .filter((i) => {
      const k = `${i.path}\u0000${i.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Formats issues like kubeconform: `<path>: <message>` (path "/" for the object itself). */
export function formatIssues(issues: readonly SchemaIssue[]): string[] {
  return issues.map((i) => `${i.path === "" ? "/" : i.path}: ${i.message}`);
}
