/**
 * Strict "known fields" trees derived from the model packages' TypeScript declarations.
 *
 * Why: the JSON schemas compiled into kubernetes-models (and the CRD model packages) check types
 * and required fields but carry no `additionalProperties: false`, so a typo such as
 * `imagePullPolicyy` passes. The packages' .d.ts files, however, declare every field of every
 * object exactly, so we derive the set of allowed field names from them.
 *
 * How:
 *   1. ONE `ts.Program` is created over a virtual root module that does
 *      `import type { IDeployment as T0 } from "kubernetes-models/apps/v1/Deployment"` for every
 *      registered kind (module resolution NodeNext, so package "exports"/"types" are honoured;
 *      only the .d.ts files actually referenced get parsed; no type-check pass is run).
 *   2. From each root interface the declarations are walked recursively into a graph of
 *      `FieldNode`s (one flat array, children referenced by index, so recursive types terminate).
 *      The walk follows the type *syntax* of the declarations and uses the checker only to
 *      resolve names (imports, aliases, `extends`) to their declarations. Asking the checker for
 *      each property's resolved type would be simpler but is unusable here: Istio's generated
 *      DestinationRule (37k lines) encodes oneOf as `X & (A | B | C) & (Exclude<…> | …)`, which
 *      the checker distributes into enormous unions of intersections (65 s, 136k nodes for that
 *      kind alone; the syntax walk: ~10 ms, 45 nodes). Rules:
 *        - `T | undefined` / optional props  → the node of T (nullability is ajv's business);
 *        - `Array<T>`, `T[]`, tuples          → `items` = node of the element type;
 *        - interfaces (incl. `extends`) and object literal types → `props` = name → node;
 *        - string index signatures (`Record<string, X>`, `{[k: string]: X}`) → `anyKey` = node of X;
 *        - `any`, `unknown`, `object`, and object types with no members (e.g. RawExtension and
 *          apiextensions JSON = `interface {}`, i.e. x-kubernetes-preserve-unknown-fields)
 *                                            → `open`: anything is allowed below;
 *        - unions AND intersections          → the merge of their members' fields (for "which
 *          field names exist" both mean the union of fields); `Exclude<T, U>`, `Partial<T>`, …
 *          → T's fields (a superset);
 *        - primitives and literals           → a leaf (types/enums/formats are checked by ajv);
 *        - any other syntax (none occurs in the current packages) → the checker's resolved type,
 *          walked with the same rules (`checker fallbacks` in the debug output).
 *      Nodes are memoized per declaration symbol and hash-consed by content (the generated CRD
 *      declarations repeat identical anonymous literals many times), merged nodes per pair.
 *   3. The result (`StrictFieldTree`: nodes + root index per registered module#interface) is
 *      plain JSON and is cached in `node_modules/.cache/ai-fleet-strict-schema/<hash>.json`,
 *      where the hash covers the model/typescript package versions, the requested roots and the
 *      source of this file. The cache is only an optimization: a missing, stale or unreadable
 *      cache file just means the tree is derived again.
 *
 * Timing (2 vCPU container under load): cold derivation for the 45 registered kinds ≈ 1.5–2.5 s
 * (program over ~845 .d.ts files / 3.4 MB ≈ 1.3–2.2 s with JSDoc parsing off, walk 0.05–0.4 s,
 * ~830 nodes); a cache hit ≈ 2 ms and `typescript` is then not even loaded. Set
 * STRICT_SCHEMA_DEBUG=1 to print these figures on stderr, STRICT_SCHEMA_NO_CACHE=1 to bypass the
 * cache; nothing is printed otherwise.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import type ts from "typescript";

/**
 * The compiler is loaded only when a tree must be derived (cache miss): importing it costs
 * several hundred ms that a cached run does not need.
 */
let tsr: typeof ts;
function loadTypeScript(): void {
  tsr ??= createRequire(import.meta.url)("typescript") as typeof ts;
}

/** One node of the known-fields graph. An empty node is a leaf (scalar). */
export interface FieldNode {
  /** Anything is allowed at and below this value. */
  open?: true;
  /** Known property names → node index. */
  props?: Record<string, number>;
  /** Map-like object: any key is allowed, each value follows this node. */
  anyKey?: number;
  /** Array value: each element follows this node. */
  items?: number;
}

export interface StrictFieldTree {
  nodes: FieldNode[];
  /** `${module}#${interfaceName}` → node index of the root interface. */
  roots: Record<string, number>;
}

export interface StrictRoot {
  module: string;
  interfaceName: string;
}

export interface StrictTreeStats {
  source: "built" | "cache";
  /** Time to create the program and resolve the root types (0 when loaded from cache). */
  programMs: number;
  /** Time to walk the types into the field graph (0 when loaded from cache). */
  walkMs: number;
  /** Time to read or write the cache file. */
  cacheMs: number;
  nodes: number;
}

export function rootKey(root: StrictRoot): string {
  return `${root.module}#${root.interfaceName}`;
}

const PROJECT_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const CACHE_DIR = join(PROJECT_ROOT, "node_modules", ".cache", "ai-fleet-strict-schema");
const VIRTUAL_ROOT = join(PROJECT_ROOT, "__strict_fields_root__.mts");

const scalarFlags = (): number =>
  tsr.TypeFlags.StringLike |
  tsr.TypeFlags.NumberLike |
  tsr.TypeFlags.BooleanLike |
  tsr.TypeFlags.BigIntLike |
  tsr.TypeFlags.ESSymbolLike |
  tsr.TypeFlags.EnumLike |
  tsr.TypeFlags.Undefined |
  tsr.TypeFlags.Null |
  tsr.TypeFlags.Void |
  tsr.TypeFlags.Never;

class Walker {
  readonly nodes: FieldNode[] = [];
  /** Declarations' symbols → node (named interfaces / type aliases are walked once). */
  private readonly symbolMemo = new Map<ts.Symbol, number>();
  /** Checker types → node (fallback path only). */
  private readonly typeMemo = new Map<ts.Type, number>();
  private readonly mergeMemo = new Map<string, number>();
  /** Structural signature → node index (hash-consing; see `intern`). */
  private readonly interned = new Map<string, number>();
  /** Nodes referenced while still being filled (recursive types). */
  private readonly inProgress = new Set<number>();
  private readonly leafId: number;
  private readonly openId: number;

  constructor(private readonly checker: ts.TypeChecker) {
    this.leafId = this.intern(this.nodes.push({}) - 1);
    this.openId = this.intern(this.nodes.push({ open: true }) - 1);
  }

  /** Node for a named interface / type alias (the root interfaces and every type reference). */
  nodeForSymbol(input: ts.Symbol): number {
    const symbol = input.flags & tsr.SymbolFlags.Alias ? this.checker.getAliasedSymbol(input) : input;
    const hit = this.symbolMemo.get(symbol);
    if (hit !== undefined) return hit;
    const declarations = symbol.declarations ?? [];
    const id = this.nodes.push({}) - 1;
    this.symbolMemo.set(symbol, id);
    this.inProgress.add(id);
    let filled = false;
    let isObjectDecl = false;
    for (const decl of declarations) {
      if (tsr.isInterfaceDeclaration(decl) || tsr.isClassDeclaration(decl)) {
        filled = true;
        isObjectDecl = true;
        if (decl.typeParameters?.length) this.copyInto(id, this.openId);
        this.fillMembers(id, decl.members);
        for (const clause of decl.heritageClauses ?? []) {
          if (clause.token !== tsr.SyntaxKind.ExtendsKeyword) continue;
          for (const base of clause.types) {
            const baseSymbol = this.checker.getSymbolAtLocation(base.expression);
            this.copyInto(id, baseSymbol ? this.nodeForSymbol(baseSymbol) : this.openId);
          }
        }
      } else if (tsr.isTypeAliasDeclaration(decl)) {
        filled = true;
        this.copyInto(id, decl.typeParameters?.length ? this.openId : this.nodeForTypeNode(decl.type));
      } else if (tsr.isEnumDeclaration(decl)) {
        filled = true;
      }
    }
    if (!filled) this.copyInto(id, this.nodeForType(this.checker.getDeclaredTypeOfSymbol(symbol)));
    // `interface IRawExtension {}`, `interface IJSON {}`: free-form (x-kubernetes-preserve-unknown-fields).
    if (isObjectDecl && this.isLeaf(id)) this.nodes[id]!.open = true;
    this.inProgress.delete(id);
    const canonical = this.intern(id);
    this.symbolMemo.set(symbol, canonical);
    return canonical;
  }

  /**
   * Node for a type written in a declaration. Walking the syntax (and resolving only names
   * through the checker) matters for speed: generated CRD declarations such as Istio's
   * DestinationRule (37k lines) encode oneOf as `X & (A | B | C) & (Exclude<…> | …)`, which the
   * checker would distribute into huge unions of intersections (minutes of CPU). For "which
   * field names exist" unions and intersections mean the same thing: the union of the fields.
   */
  private nodeForTypeNode(node: ts.TypeNode): number {
    switch (node.kind) {
      case tsr.SyntaxKind.AnyKeyword:
      case tsr.SyntaxKind.UnknownKeyword:
      case tsr.SyntaxKind.ObjectKeyword:
        return this.openId;
      case tsr.SyntaxKind.StringKeyword:
      case tsr.SyntaxKind.NumberKeyword:
      case tsr.SyntaxKind.BooleanKeyword:
      case tsr.SyntaxKind.BigIntKeyword:
      case tsr.SyntaxKind.SymbolKeyword:
      case tsr.SyntaxKind.NeverKeyword:
      case tsr.SyntaxKind.UndefinedKeyword:
      case tsr.SyntaxKind.VoidKeyword:
      case tsr.SyntaxKind.LiteralType:
      case tsr.SyntaxKind.TemplateLiteralType:
        return this.leafId;
    }
    if (tsr.isParenthesizedTypeNode(node)) return this.nodeForTypeNode(node.type);
    if (tsr.isTypeOperatorNode(node)) {
      // `readonly T[]` has T[]'s fields; `keyof T` / `unique symbol` are scalars.
      return node.operator === tsr.SyntaxKind.ReadonlyKeyword ? this.nodeForTypeNode(node.type) : this.leafId;
    }
    if (tsr.isArrayTypeNode(node)) return this.arrayOf(this.nodeForTypeNode(node.elementType));
    if (tsr.isTupleTypeNode(node)) {
      return this.arrayOf(this.mergeAll(node.elements.map((e) => this.nodeForTypeNode(tsr.isNamedTupleMember(e) ? e.type : e))));
    }
    if (tsr.isUnionTypeNode(node) || tsr.isIntersectionTypeNode(node)) {
      return this.mergeAll(node.types.map((t) => this.nodeForTypeNode(t)));
    }
    if (tsr.isTypeLiteralNode(node)) {
      const id = this.nodes.push({}) - 1;
      this.fillMembers(id, node.members);
      return this.finishLiteral(id);
    }
    if (tsr.isTypeReferenceNode(node)) {
      const name = tsr.isIdentifier(node.typeName) ? node.typeName.text : node.typeName.right.text;
      const args = node.typeArguments ?? [];
      if ((name === "Array" || name === "ReadonlyArray") && args.length === 1) return this.arrayOf(this.nodeForTypeNode(args[0]!));
      if (name === "Record" && args.length === 2) {
        return this.intern(this.nodes.push({ anyKey: this.nodeForTypeNode(args[1]!) }) - 1);
      }
      // Field-set-preserving (or narrowing) utilities: the first argument's fields are a superset.
      if (["Exclude", "Extract", "NonNullable", "Readonly", "Partial", "Required"].includes(name) && args.length >= 1) {
        return this.nodeForTypeNode(args[0]!);
      }
      if (args.length === 0) {
        const symbol = this.checker.getSymbolAtLocation(node.typeName);
        if (symbol) return this.nodeForSymbol(symbol);
      }
    }
    // Anything else (indexed access, other generics, …): ask the checker.
    return this.nodeForType(this.checker.getTypeFromTypeNode(node));
  }

  private fillMembers(id: number, members: ts.NodeArray<ts.TypeElement | ts.ClassElement>): void {
    for (const member of members) {
      if (tsr.isIndexSignatureDeclaration(member)) {
        const child = this.nodeForTypeNode(member.type);
        const node = this.nodes[id]!;
        node.anyKey = this.mergeChild(node.anyKey, child);
        continue;
      }
      if (!tsr.isPropertySignature(member) && !tsr.isPropertyDeclaration(member)) continue;
      if (member.modifiers?.some((m) => m.kind === tsr.SyntaxKind.StaticKeyword)) continue;
      const name =
        tsr.isIdentifier(member.name) || tsr.isStringLiteral(member.name) || tsr.isNumericLiteral(member.name)
          ? member.name.text
          : undefined;
      if (name === undefined) continue;
      const child = member.type ? this.nodeForTypeNode(member.type) : this.openId;
      const node = this.nodes[id]!;
      node.props ??= {};
      node.props[name] = this.mergeChild(Object.hasOwn(node.props, name) ? node.props[name] : undefined, child);
    }
  }

  /** An object literal type with no members at all (`{}`) is free-form. */
  private finishLiteral(id: number): number {
    const n = this.nodes[id]!;
    if (n.props === undefined && n.anyKey === undefined) n.open = true;
    return this.intern(id);
  }

  private arrayOf(items: number): number {
    return this.intern(this.nodes.push({ items }) - 1);
  }

  private mergeAll(ids: readonly number[]): number {
    let out: number | undefined;
    for (const id of ids) out = this.mergeChild(out, id);
    return out ?? this.leafId;
  }

  /** Merges the content of `from` into node `id` (which is being filled). */
  private copyInto(id: number, from: number): void {
    const src = this.nodes[from]!;
    const dst = this.nodes[id]!;
    if (from === id) return;
    if (src.open || this.inProgress.has(from)) {
      dst.open = true; // recursion through an alias: be permissive rather than wrong
      return;
    }
    if (src.props) {
      dst.props ??= {};
      for (const [name, child] of Object.entries(src.props)) {
        dst.props[name] = this.mergeChild(Object.hasOwn(dst.props, name) ? dst.props[name] : undefined, child);
      }
    }
    if (src.anyKey !== undefined) dst.anyKey = this.mergeChild(dst.anyKey, src.anyKey);
    if (src.items !== undefined) dst.items = this.mergeChild(dst.items, src.items);
  }

  /** How often the checker fallback was entered (reported with STRICT_SCHEMA_DEBUG=1). */
  fallbacks = 0;

  /** Checker-based fallback for type syntax the walker above does not handle itself. */
  private nodeForType(input: ts.Type): number {
    this.fallbacks++;
    const type = this.checker.getNonNullableType(input);
    const hit = this.typeMemo.get(type);
    if (hit !== undefined) return hit;
    const id = this.nodes.push({}) - 1;
    this.typeMemo.set(type, id);
    this.inProgress.add(id);
    this.fillFromType(id, type);
    this.inProgress.delete(id);
    const canonical = this.intern(id);
    this.typeMemo.set(type, canonical);
    return canonical;
  }

  private fillFromType(id: number, type: ts.Type): void {
    const node = this.nodes[id]!;
    if (type.flags & (tsr.TypeFlags.Any | tsr.TypeFlags.Unknown | tsr.TypeFlags.NonPrimitive)) {
      node.open = true;
      return;
    }
    if (type.isUnion()) {
      for (const member of type.types) this.fillFromType(id, member);
      return;
    }
    if (type.flags & scalarFlags()) return;
    if (this.checker.isArrayType(type) || this.checker.isTupleType(type)) {
      for (const element of this.checker.getTypeArguments(type as ts.TypeReference)) {
        node.items = this.mergeChild(node.items, this.nodeForType(element));
      }
      return;
    }
    if (type.flags & (tsr.TypeFlags.Object | tsr.TypeFlags.Intersection)) {
      const properties = this.checker.getPropertiesOfType(type);
      const indexInfos = this.checker.getIndexInfosOfType(type);
      if (properties.length === 0 && indexInfos.length === 0) {
        node.open = true;
        return;
      }
      for (const property of properties) {
        const child = this.nodeForType(this.checker.getTypeOfSymbol(property));
        node.props ??= {};
        const name = property.getName();
        node.props[name] = this.mergeChild(Object.hasOwn(node.props, name) ? node.props[name] : undefined, child);
      }
      for (const info of indexInfos) {
        if (info.keyType.flags & (tsr.TypeFlags.String | tsr.TypeFlags.TemplateLiteral)) {
          node.anyKey = this.mergeChild(node.anyKey, this.nodeForType(info.type));
        }
      }
      return;
    }
    // Type parameters, conditional types, … do not occur in generated model declarations;
    // be permissive rather than report fields we cannot describe.
    node.open = true;
  }

  /**
   * Returns an existing node with the same content as `id`, or registers `id` as the canonical one.
   * Generated CRD declarations repeat the same anonymous object literal many times (Istio's oneOf
   * unions list every field in every member); interning keeps merges of equal subtrees free.
   */
  private intern(id: number): number {
    const n = this.nodes[id]!;
    const props = n.props
      ? Object.keys(n.props)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${n.props![k]}`)
          .join(",")
      : "";
    const sig = `${n.open ? 1 : 0}|${props}|${n.anyKey ?? ""}|${n.items ?? ""}`;
    const hit = this.interned.get(sig);
    if (hit !== undefined) return hit;
    this.interned.set(sig, id);
    return id;
  }

  private isLeaf(id: number): boolean {
    const n = this.nodes[id]!;
    return !n.open && n.props === undefined && n.anyKey === undefined && n.items === undefined;
  }

  private mergeChild(existing: number | undefined, incoming: number): number {
    if (existing === undefined || existing === incoming) return incoming;
    // A node still being filled (recursive type) cannot be merged by content yet.
    if (this.inProgress.has(existing) || this.inProgress.has(incoming)) {
      if (this.isLeaf(incoming) && !this.inProgress.has(incoming)) return existing;
      if (this.isLeaf(existing) && !this.inProgress.has(existing)) return incoming;
      return this.openId;
    }
    if (this.isLeaf(existing)) return incoming;
    if (this.isLeaf(incoming)) return existing;
    return this.merge(existing, incoming);
  }

  /** A node accepting whatever either node accepts. */
  private merge(a: number, b: number): number {
    const key = a < b ? `${a}+${b}` : `${b}+${a}`;
    const hit = this.mergeMemo.get(key);
    if (hit !== undefined) return hit;
    const na = this.nodes[a]!;
    const nb = this.nodes[b]!;
    let result: number;
    if (na.open || nb.open) {
      result = this.openId;
    } else {
      const id = this.nodes.push({}) - 1;
      this.mergeMemo.set(key, id);
      this.inProgress.add(id);
      const out: FieldNode = {};
      if (na.props || nb.props) {
        const props: Record<string, number> = { ...na.props };
        for (const [name, child] of Object.entries(nb.props ?? {})) {
          props[name] = this.mergeChild(Object.hasOwn(props, name) ? props[name] : undefined, child);
        }
        out.props = props;
      }
      const anyKey = na.anyKey === undefined ? nb.anyKey : nb.anyKey === undefined ? na.anyKey : this.mergeChild(na.anyKey, nb.anyKey);
      if (anyKey !== undefined) out.anyKey = anyKey;
      const items = na.items === undefined ? nb.items : nb.items === undefined ? na.items : this.mergeChild(na.items, nb.items);
      if (items !== undefined) out.items = items;
      this.nodes[id] = out;
      this.inProgress.delete(id);
      result = this.intern(id);
    }
    this.mergeMemo.set(key, result);
    return result;
  }

  /** Drops nodes no root can reach and renumbers the rest (keeps the cache file small). */
  compact(roots: Record<string, number>): StrictFieldTree {
    const map = new Map<number, number>();
    const out: FieldNode[] = [];
    const visit = (id: number): number => {
      const hit = map.get(id);
      if (hit !== undefined) return hit;
      const nid = out.push({}) - 1;
      map.set(id, nid);
      const n = this.nodes[id]!;
      const copy: FieldNode = {};
      if (n.open) copy.open = true;
      if (n.props) copy.props = Object.fromEntries(Object.entries(n.props).map(([k, v]) => [k, visit(v)]));
      if (n.anyKey !== undefined) copy.anyKey = visit(n.anyKey);
      if (n.items !== undefined) copy.items = visit(n.items);
      out[nid] = copy;
      return nid;
    };
    const newRoots = Object.fromEntries(Object.entries(roots).map(([k, v]) => [k, visit(v)]));
    return { nodes: out, roots: newRoots };
  }
}

/** Derives the known-fields graph for the given root interfaces with the TypeScript compiler. */
export function deriveStrictFieldTree(roots: readonly StrictRoot[]): { tree: StrictFieldTree; programMs: number; walkMs: number } {
  const t0 = performance.now();
  loadTypeScript();
  const source =
    roots.map((r, i) => `import type { ${r.interfaceName} as T${i} } from ${JSON.stringify(r.module)};`).join("\n") +
    `\nexport type { ${roots.map((_, i) => `T${i}`).join(", ")} };\n`;
  const options: ts.CompilerOptions = {
    target: tsr.ScriptTarget.ES2022,
    module: tsr.ModuleKind.NodeNext,
    moduleResolution: tsr.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    lib: ["lib.es5.d.ts"],
  };
  const host = tsr.createCompilerHost(options, false);
  // Only declarations matter; skipping JSDoc halves parse time of the (heavily documented) .d.ts files.
  host.jsDocParsingMode = tsr.JSDocParsingMode.ParseNone;
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) =>
    fileName === VIRTUAL_ROOT
      ? tsr.createSourceFile(fileName, source, languageVersion, false)
      : getSourceFile(fileName, languageVersion, onError, shouldCreate);
  host.fileExists = (fileName) => fileName === VIRTUAL_ROOT || fileExists(fileName);
  host.readFile = (fileName) => (fileName === VIRTUAL_ROOT ? source : readFile(fileName));

  const program = tsr.createProgram({ rootNames: [VIRTUAL_ROOT], options, host });
  if (process.env.STRICT_SCHEMA_DEBUG === "1") {
    const files = program.getSourceFiles();
    const chars = files.reduce((n, f) => n + f.text.length, 0);
    process.stderr.write(`strict-schema: program over ${files.length} files, ${(chars / 1e6).toFixed(1)} MB\n`);
  }
  const checker = program.getTypeChecker();
  const rootFile = program.getSourceFile(VIRTUAL_ROOT);
  const moduleSymbol = rootFile && checker.getSymbolAtLocation(rootFile);
  if (!moduleSymbol) throw new Error("strict-fields: could not create the TypeScript program");
  const exported = new Map(checker.getExportsOfModule(moduleSymbol).map((s) => [s.getName(), s] as const));
  const rootSymbols = roots.map((root, i) => {
    const alias = exported.get(`T${i}`);
    const target = alias && checker.getAliasedSymbol(alias);
    if (!target || target.flags & tsr.SymbolFlags.Alias || !(target.flags & tsr.SymbolFlags.Type) || !target.declarations?.length) {
      throw new Error(
        `strict-fields: cannot resolve interface ${root.interfaceName} in "${root.module}" ` +
          `(check generators/check/schema/registry.ts and the installed model packages)`,
      );
    }
    return target;
  });
  const t1 = performance.now();

  const walker = new Walker(checker);
  const rootIds: Record<string, number> = {};
  roots.forEach((root, i) => {
    rootIds[rootKey(root)] = walker.nodeForSymbol(rootSymbols[i]!);
  });
  const t2 = performance.now();
  if (process.env.STRICT_SCHEMA_DEBUG === "1") process.stderr.write(`strict-schema: ${walker.fallbacks} checker fallbacks\n`);
  return { tree: walker.compact(rootIds), programMs: t1 - t0, walkMs: t2 - t1 };
}

function packageVersion(name: string): string {
  try {
    const pkg: unknown = JSON.parse(readFileSync(join(PROJECT_ROOT, "node_modules", name, "package.json"), "utf8"));
    const version = typeof pkg === "object" && pkg !== null ? (pkg as { version?: unknown }).version : undefined;
    return typeof version === "string" ? version : "?";
  } catch {
    return "missing";
  }
}

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** Everything the derived tree depends on: package versions, requested roots and this walker's source. */
function cacheKey(roots: readonly StrictRoot[]): string {
  const packages = new Set(["typescript", "@kubernetes-models/apimachinery", "@kubernetes-models/base"]);
  for (const r of roots) if (!r.module.startsWith("./")) packages.add(packageName(r.module));
  const hash = createHash("sha256");
  for (const name of [...packages].sort()) hash.update(`${name}@${packageVersion(name)}\n`);
  for (const r of roots) hash.update(`${rootKey(r)}\n`);
  // Models of this repository ("./" roots, generators/addons/models): their source is part of the key.
  for (const r of roots.filter((x) => x.module.startsWith("./"))) {
    try {
      hash.update(readFileSync(join(PROJECT_ROOT, r.module.slice(2).replace(/\.js$/, ".ts"))));
    } catch {
      hash.update(`missing ${r.module}`);
    }
  }
  try {
    hash.update(readFileSync(fileURLToPath(import.meta.url)));
  } catch {
    hash.update("no-source");
  }
  return hash.digest("hex").slice(0, 24);
}

function isStrictFieldTree(value: unknown, roots: readonly StrictRoot[]): value is StrictFieldTree {
  if (typeof value !== "object" || value === null) return false;
  const v = value as { nodes?: unknown; roots?: unknown };
  if (!Array.isArray(v.nodes) || typeof v.roots !== "object" || v.roots === null) return false;
  const r = v.roots as Record<string, unknown>;
  const n = v.nodes.length;
  return roots.every((root) => {
    const id = r[rootKey(root)];
    return typeof id === "number" && id >= 0 && id < n;
  });
}

let lastStats: StrictTreeStats | undefined;

/** Statistics of the last `loadStrictFieldTree` call (for benchmarks and STRICT_SCHEMA_DEBUG). */
export function strictTreeStats(): StrictTreeStats | undefined {
  return lastStats;
}

/**
 * The known-fields graph for `roots`, from the on-disk cache when valid, derived otherwise.
 * Set `useCache: false` to force a derivation (tests).
 */
export function loadStrictFieldTree(roots: readonly StrictRoot[], opts: { useCache?: boolean } = {}): StrictFieldTree {
  const useCache = opts.useCache ?? process.env.STRICT_SCHEMA_NO_CACHE !== "1";
  const cacheFile = join(CACHE_DIR, `${cacheKey(roots)}.json`);
  if (useCache) {
    const c0 = performance.now();
    try {
      const parsed: unknown = JSON.parse(readFileSync(cacheFile, "utf8"));
      if (isStrictFieldTree(parsed, roots)) {
        lastStats = { source: "cache", programMs: 0, walkMs: 0, cacheMs: performance.now() - c0, nodes: parsed.nodes.length };
        debug();
        return parsed;
      }
    } catch {
      // No cache yet, or unreadable: derive below.
    }
  }
  const { tree, programMs, walkMs } = deriveStrictFieldTree(roots);
  const c0 = performance.now();
  if (useCache) {
    try {
      mkdirSync(dirname(cacheFile), { recursive: true });
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(tree));
      renameSync(tmp, cacheFile);
    } catch {
      // Read-only node_modules etc.: the cache is optional.
    }
  }
  lastStats = { source: "built", programMs, walkMs, cacheMs: performance.now() - c0, nodes: tree.nodes.length };
  debug();
  return tree;
}

function debug(): void {
  if (process.env.STRICT_SCHEMA_DEBUG === "1" && lastStats) {
    const s = lastStats;
    process.stderr.write(
      `strict-schema: ${s.source} ${s.nodes} nodes; program ${s.programMs.toFixed(0)} ms, ` +
        `walk ${s.walkMs.toFixed(0)} ms, cache ${s.cacheMs.toFixed(0)} ms\n`,
    );
  }
}
