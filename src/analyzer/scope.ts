// The semantic model of one file: scopes, imports, local bindings, local
// type facts and the index of functions and classes. Built by `walk.ts` in
// the file's single tree walk; queried by the rules.
import type { Node } from "./parser.js";

export type ScopeKind = "module" | "function" | "lambda" | "class";

/** Where a local name got its type: the value assigned, or an annotation. */
export interface TypeFact {
  /** UTF-16 index from which the fact holds. */
  from: number;
  value?: Node;
  annotation?: Node;
  /** A type given directly (tuple unpacking of a known API). */
  type?: string;
  /** The value of an annotated assignment (`x: T = v`): consulted when the annotation names no type we read. */
  assigned?: Node;
}

export interface FunctionInfo {
  node: Node;
  name: string;
  isAsync: boolean;
  /** Contains `yield` in its own body (nested functions excluded). */
  isGenerator: boolean;
  /** Contains `await`, `async for`, `async with` or an async comprehension in its own body. */
  usesAsyncFeatures: boolean;
  decorators: Node[];
  scope: Scope;
  /** The class whose body defines it, when it is a method. */
  owner: ClassInfo | null;
}

export interface ClassInfo {
  node: Node;
  name: string;
  scope: Scope;
  bases: Node[];
  /** Methods by name; a later definition replaces an earlier one, as at run time. */
  methods: Map<string, FunctionInfo>;
  /** `self.<attr> = <value>` assignments seen in the class's methods. */
  attributeValues: Map<string, Node[]>;
}

export class Scope {
  readonly locals = new Set<string>();
  /** Names bound by `def`/`class` (at module level these override an import of the same name). */
  readonly definitions = new Set<string>();
  /** Names bound by `def`/`class` that are also bound some other way in this scope. */
  readonly reboundNames = new Set<string>();
  readonly imports = new Map<string, string[]>();
  readonly globals = new Set<string>();
  readonly nonlocals = new Set<string>();
  readonly typeFacts = new Map<string, TypeFact[]>();
  readonly functions = new Map<string, FunctionInfo[]>();
  readonly classes = new Map<string, ClassInfo[]>();
  readonly children: Scope[] = [];
  /** The range of the owner's body, where the scope's own code runs (-1: none, as for the module). */
  bodyStart = -1;
  bodyEnd = -1;
  /** Set for function and lambda scopes. */
  fn: FunctionInfo | null = null;
  cls: ClassInfo | null = null;

  constructor(
    readonly kind: ScopeKind,
    readonly node: Node | null,
    readonly name: string,
    readonly isAsync: boolean,
    readonly parent: Scope | null,
  ) {
    parent?.children.push(this);
  }

  setBody(start: number, end: number): void {
    this.bodyStart = start;
    this.bodyEnd = end;
  }

  addImport(local: string, qualified: string): void {
    const list = this.imports.get(local);
    if (list) {
      if (!list.includes(qualified)) list.push(qualified);
    } else this.imports.set(local, [qualified]);
  }

  addTypeFact(name: string, fact: TypeFact): void {
    const list = this.typeFacts.get(name);
    if (list) list.push(fact);
    else this.typeFacts.set(name, [fact]);
  }

  /** The nearest enclosing scope that is a function, lambda or the module (class bodies are skipped). */
  get functionScope(): Scope {
    let s: Scope | null = this.kind === "class" ? this.parent : null;
    if (!s) return this;
    while (s.kind === "class" && s.parent) s = s.parent;
    return s;
  }
}

export type Resolution =
  | { kind: "import"; qualified: string }
  | { kind: "local"; scope: Scope }
  | { kind: "builtin"; name: string }
  | { kind: "unknown" };

const OWNER_TYPES = new Set(["function_definition", "lambda", "class_definition"]);

/** Annotation wrappers whose first argument is the value's type. */
const TYPE_QUALIFIERS = new Set(["typing.Annotated", "typing.ClassVar", "typing.Final", "Annotated", "ClassVar", "Final"]);

export class SemanticModel {
  readonly module: Scope;
  readonly scopesByOwner = new Map<number, Scope>();
  /** The scope of every node the walk handed to rules, and of those `scopeOf` passed: it stops at the first one it meets going up. */
  readonly knownScopes = new Map<number, Scope>();
  readonly functions: FunctionInfo[] = [];
  readonly classes: ClassInfo[] = [];

  constructor(readonly root: Node) {
    this.module = new Scope("module", null, "<module>", false, null);
  }

  /** The scope a node's code runs in. Decorators and default values run in the outer scope. */
  scopeOf(node: Node): Scope {
    const known = this.knownScopes.get(node.id);
    if (known) return known;
    // A node with width lies in a body exactly when it starts inside the
    // body's range (siblings never overlap, and a body starts after its
    // owner's keyword), so its position answers without climbing the tree.
    // A zero-width node (one tree-sitter inserted) may sit on a boundary: climb.
    if (node.endIndex > node.startIndex) return this.scopeAt(node.startIndex);
    // Every node passed on the way up has the same answer: remember it, so
    // that the next question from nearby stops there.
    const passed: number[] = [];
    const found = (scope: Scope) => {
      for (const id of passed) this.knownScopes.set(id, scope);
      return scope;
    };
    let child: Node = node;
    let parent = node.parent;
    while (parent) {
      const cached = this.knownScopes.get(child.id);
      if (cached) return found(cached);
      passed.push(child.id);
      if (OWNER_TYPES.has(parent.type)) {
        const body = parent.childForFieldName("body");
        if (body && body.id === child.id) {
          const scope = this.scopesByOwner.get(parent.id);
          if (scope) return found(scope);
        }
      }
      child = parent;
      parent = parent.parent;
    }
    return found(this.module);
  }

  /** The innermost scope whose body contains an offset (the module when none does). */
  private scopeAt(offset: number): Scope {
    let s = this.module;
    for (;;) {
      const inner = s.children.find((c) => c.bodyStart <= offset && offset < c.bodyEnd);
      if (!inner) return s;
      s = inner;
    }
  }

  /** True when the innermost enclosing function is an `async def` (lambdas, nested defs and class bodies reset it). */
  isInCoroutine(node: Node): boolean {
    const s = this.scopeOf(node);
    return s.kind === "function" && s.isAsync;
  }

  /** The innermost function (not lambda) whose body contains the node, or null at module or class level. */
  enclosingFunction(node: Node): FunctionInfo | null {
    const s = this.scopeOf(node);
    return s.kind === "function" ? s.fn : null;
  }

  /** What a bare name means at a place in the code, following Python's scoping rules. */
  resolveName(name: string, from: Scope): Resolution {
    let s: Scope | null = from;
    const start = from;
    while (s) {
      if (s.kind === "class" && s !== start) {
        s = s.parent;
        continue;
      }
      if (s.globals.has(name)) {
        s = this.module;
        return this.resolveIn(name, s) ?? { kind: "builtin", name };
      }
      if (s.nonlocals.has(name)) {
        s = s.parent;
        continue;
      }
      const r = this.resolveIn(name, s);
      if (r) return r;
      s = s.parent;
    }
    return { kind: "builtin", name };
  }

  private resolveIn(name: string, s: Scope): Resolution | null {
    const imported = s.imports.get(name);
    if (imported) {
      if (imported.length !== 1) return { kind: "unknown" };
      const qualified = imported[0]!;
      // In a function any other binding makes the name ambiguous. At module level an
      // assignment is usually an import fallback (`except ImportError: x = None`),
      // but a `def` or `class` of the same name replaces the import.
      if (s.kind === "module" ? s.definitions.has(name) : s.locals.has(name)) return { kind: "unknown" };
      return { kind: "import", qualified };
    }
    if (s.locals.has(name)) return { kind: "local", scope: s };
    return null;
  }

  /**
   * The dotted name an expression refers to through the imports: `t.sleep`
   * after `import time as t` is `time.sleep`; builtins are bare (`open`).
   * Null when the root name is a local binding or the expression is not a dotted name.
   */
  qualifiedName(expr: Node, scope?: Scope): string | null {
    const parts: string[] = [];
    let cur: Node | null = expr;
    while (cur && cur.type === "attribute") {
      const attr = cur.childForFieldName("attribute");
      if (!attr) return null;
      parts.push(attr.text);
      cur = cur.childForFieldName("object");
    }
    if (!cur || cur.type !== "identifier") return null;
    const r = this.resolveName(cur.text, scope ?? this.scopeOf(expr));
    let root: string;
    if (r.kind === "import") root = r.qualified;
    else if (r.kind === "builtin") root = r.name;
    else return null;
    parts.push(root);
    const name = parts.reverse().join(".");
    return name.startsWith("builtins.") ? name.slice("builtins.".length) : name;
  }

  /**
   * What is known of an expression's type without inference: the qualified
   * callee of the constructor call that made it (`requests.Session`), a
   * parameter annotation, or `<receiverType>.<method>` for a value returned by a
   * method of a typed receiver (`concurrent.futures.ThreadPoolExecutor.submit`).
   */
  typeOf(expr: Node, depth = 0): string | null {
    if (depth > 8) return null;
    switch (expr.type) {
      case "parenthesized_expression": {
        const inner = expr.namedChild(0);
        return inner ? this.typeOf(inner, depth + 1) : null;
      }
      case "call": {
        const fn = expr.childForFieldName("function");
        if (!fn) return null;
        const q = this.qualifiedName(fn);
        if (q) return q;
        if (fn.type === "attribute") {
          const obj = fn.childForFieldName("object");
          const attr = fn.childForFieldName("attribute");
          const t = obj ? this.typeOf(obj, depth + 1) : null;
          return t && attr ? `${t}.${attr.text}` : null;
        }
        return null;
      }
      case "await": {
        const inner = expr.namedChild(0);
        return inner ? this.typeOf(inner, depth + 1) : null;
      }
      case "identifier":
        return this.typeOfName(expr, depth);
      case "attribute":
        return this.typeOfAttribute(expr, depth);
      default:
        return null;
    }
  }

  private typeOfName(id: Node, depth: number): string | null {
    const chosen = this.factAt(id);
    return chosen ? this.typeOfFact(chosen, depth) : null;
  }

  /**
   * The expression a local name was last given at a place (`q = Queue(5)`
   * gives `Queue(5)`): the same fact `typeOf` reads. Null for an unknown or
   * annotated-only name.
   */
  assignedValue(id: Node): Node | null {
    if (id.type !== "identifier") return null;
    const fact = this.factAt(id);
    return fact?.value ?? fact?.assigned ?? null;
  }

  /** The type fact that holds for a local name where it is used. */
  private factAt(id: Node): TypeFact | null {
    const scope = this.scopeOf(id);
    const r = this.resolveName(id.text, scope);
    if (r.kind !== "local") return null;
    const facts = r.scope.typeFacts.get(id.text);
    if (!facts) return null;
    // Inside the defining function a fact holds from its assignment on; from a
    // nested function we cannot know the order, so only an unambiguous fact counts.
    let chosen: TypeFact | undefined;
    if (r.scope === scope.functionScope) {
      for (const f of facts) if (f.from <= id.startIndex) chosen = f;
    } else if (facts.length === 1) chosen = facts[0];
    return chosen ?? null;
  }

  typeOfFact(fact: TypeFact, depth = 0): string | null {
    if (fact.type) return fact.type;
    if (fact.annotation) {
      const t = this.typeOfAnnotation(fact.annotation);
      // `q: "Queue[int]" = queue.Queue()`: a string annotation says nothing we read, the value does.
      return t ?? (fact.assigned ? this.typeOf(fact.assigned, depth + 1) : null);
    }
    if (fact.value) return this.typeOf(fact.value, depth + 1);
    return null;
  }

  /** `X`, `Optional[X]`, `X | None`, `Union[X, None]` all give X. */
  typeOfAnnotation(annotation: Node): string | null {
    let node: Node | null = annotation;
    if (node.type === "type") node = node.namedChild(0);
    if (!node) return null;
    if (node.type === "binary_operator") {
      const parts = [node.childForFieldName("left"), node.childForFieldName("right")].filter(
        (n): n is Node => !!n && n.type !== "none",
      );
      return parts.length === 1 ? this.typeOfAnnotation(parts[0]!) : null;
    }
    if (node.type === "generic_type" || node.type === "subscript") {
      const head = node.type === "subscript" ? node.childForFieldName("value") : node.namedChild(0);
      const q = head ? this.qualifiedName(head) : null;
      if (q === "typing.Optional" || q === "Optional" || q === "typing.Union" || q === "Union") {
        const args = typeArguments(node).filter((n) => n.text !== "None");
        return args.length === 1 ? this.typeOfAnnotation(args[0]!) : null;
      }
      if (q && TYPE_QUALIFIERS.has(q)) {
        const first = typeArguments(node)[0];
        return first ? this.typeOfAnnotation(first) : null;
      }
      // A parameterised class is that class: `queue.Queue[int]`, `subprocess.Popen[bytes]`.
      return q;
    }
    if (node.type === "identifier" || node.type === "attribute") {
      const q = this.qualifiedName(node);
      // A bare `Final` names no type: the assigned value does.
      return q && TYPE_QUALIFIERS.has(q) ? null : q;
    }
    return null;
  }

  private typeOfAttribute(attrNode: Node, depth: number): string | null {
    const obj = attrNode.childForFieldName("object");
    const attr = attrNode.childForFieldName("attribute");
    if (!obj || !attr || obj.type !== "identifier") return null;
    const cls = this.selfClass(obj);
    if (!cls) return null;
    const values = cls.attributeValues.get(attr.text);
    if (!values) return null;
    const types = new Set(values.map((v) => this.typeOf(v, depth + 1)));
    if (types.size !== 1) return null;
    return [...types][0] ?? null;
  }

  /** The class of `self` (or `cls`) when the name is the first parameter of a method. */
  selfClass(id: Node, at?: Scope): ClassInfo | null {
    const scope = (at ?? this.scopeOf(id)).functionScope;
    let fn: FunctionInfo | null = scope.fn;
    // `self` inside a nested function or lambda of a method still means the method's self.
    let s: Scope | null = scope;
    while (s && fn && !fn.owner && s.parent) {
      s = s.parent.functionScope;
      fn = s.fn;
    }
    if (!fn?.owner) return null;
    const first = firstParameterName(fn.node);
    return first === id.text ? fn.owner : null;
  }

  /** Functions defined directly in a scope under a name (the last definition wins). */
  functionNamed(name: string, scope: Scope): FunctionInfo | null {
    const list = scope.functions.get(name);
    return list ? list[list.length - 1]! : null;
  }

  /**
   * The function a call's callee refers to within this file: a module-level or
   * enclosing-scope `def`, or `self.m`/`cls.m` resolved through the class node
   * and its same-file bases. Null when the name is rebound or unknown.
   */
  functionForCallee(callee: Node, at?: Scope): FunctionInfo | null {
    if (callee.type === "identifier") {
      const scope = at ?? this.scopeOf(callee);
      const r = this.resolveName(callee.text, scope);
      if (r.kind !== "local") return null;
      const defs = r.scope.functions.get(callee.text);
      if (!defs) return null;
      // A name also bound by something other than `def` is not known to be this function.
      if (this.isRebound(callee.text, r.scope)) return null;
      return defs[defs.length - 1]!;
    }
    if (callee.type === "attribute") {
      const obj = callee.childForFieldName("object");
      const attr = callee.childForFieldName("attribute");
      if (!obj || !attr || obj.type !== "identifier") return null;
      const cls = this.selfClass(obj, at) ?? this.classForName(obj, at);
      if (!cls) return null;
      return this.methodOf(cls, attr.text);
    }
    return null;
  }

  /** Whether a name defined by `def` is also bound by an assignment or import in the same scope. */
  isRebound(name: string, scope: Scope): boolean {
    return scope.reboundNames.has(name);
  }

  /** A same-file class referred to by a bare name. */
  classForName(id: Node, at?: Scope): ClassInfo | null {
    const r = this.resolveName(id.text, at ?? this.scopeOf(id));
    if (r.kind !== "local") return null;
    const list = r.scope.classes.get(id.text);
    if (!list || list.length !== 1 || this.isRebound(id.text, r.scope)) return null;
    return list[0]!;
  }

  /** A method of a class or of its same-file bases, in method resolution order (depth-first, left to right). */
  methodOf(cls: ClassInfo, name: string, seen = new Set<ClassInfo>()): FunctionInfo | null {
    if (seen.has(cls)) return null;
    seen.add(cls);
    const own = cls.methods.get(name);
    if (own) return own;
    for (const base of this.baseClasses(cls)) {
      const m = this.methodOf(base, name, seen);
      if (m) return m;
    }
    return null;
  }

  /** The same-file classes a class derives from (bases that are not same-file classes are left out). */
  baseClasses(cls: ClassInfo): ClassInfo[] {
    const out: ClassInfo[] = [];
    for (const b of cls.bases) {
      if (b.type !== "identifier") continue;
      const r = this.resolveName(b.text, cls.scope.parent ?? this.module);
      if (r.kind !== "local") continue;
      const list = r.scope.classes.get(b.text);
      // Prefer the class defined before this one (a base must exist when the class is created).
      const candidates = list?.filter((c) => c.node.startIndex < cls.node.startIndex) ?? [];
      const chosen = candidates[candidates.length - 1];
      if (chosen) out.push(chosen);
    }
    return out;
  }

  /** All bases' qualified names, same-file or imported (`unittest.IsolatedAsyncioTestCase`). */
  baseNames(cls: ClassInfo): string[] {
    return cls.bases.map((b) => this.qualifiedName(b, cls.scope.parent ?? this.module) ?? b.text);
  }

  /** A coroutine function: an `async def` that is not an async generator nor an `@asynccontextmanager`. */
  isCoroutineFunction(fn: FunctionInfo): boolean {
    if (!fn.isAsync || fn.isGenerator) return false;
    return !fn.decorators.some((d) => {
      const q = this.decoratorName(d);
      return q === "contextlib.asynccontextmanager" || q === "asynccontextmanager";
    });
  }

  /** The qualified name of a decorator, without its call arguments (`@pytest.fixture(scope=...)` gives `pytest.fixture`). */
  decoratorName(decorator: Node): string | null {
    let expr = decorator.type === "decorator" ? decorator.namedChild(0) : decorator;
    if (expr?.type === "call") expr = expr.childForFieldName("function");
    if (!expr) return null;
    return this.qualifiedName(expr, this.scopeOf(decorator)) ?? expr.text;
  }
}

function typeArguments(node: Node): Node[] {
  const out: Node[] = [];
  if (node.type === "subscript") {
    for (const c of node.childrenForFieldName("subscript")) if (c) out.push(c);
    return out.flatMap((c) => (c.type === "tuple" ? c.namedChildren.filter((x): x is Node => !!x) : [c]));
  }
  const params = node.namedChildren.find((c) => c?.type === "type_parameter");
  if (!params) return out;
  for (const c of params.namedChildren) if (c) out.push(c);
  return out;
}

/** The name of a function's first parameter (`self`, `cls`), if any. */
export function firstParameterName(fnNode: Node): string | null {
  const first = fnNode.childForFieldName("parameters")?.namedChild(0);
  return first ? parameterName(first) : null;
}

/** The name a parameter node binds (`x`, `x: int`, `x=1`, `x: int = 1`, `*args`), or null for `*` and `/`. */
export function parameterName(param: Node): string | null {
  if (param.type === "identifier") return param.text;
  const name = param.childForFieldName("name") ?? param.namedChild(0);
  return name?.type === "identifier" ? name.text : null;
}
