// The file's one pass over the tree. It builds the semantic model and, in the
// same pass, collects the nodes whose types the enabled rules registered for
// (named nodes only), so that no rule has to walk the tree again. No
// recursion: deeply nested input cannot overflow the stack.
import type { Node, SyntaxTree } from "./parser.js";
import { type ClassInfo, type FunctionInfo, Scope, SemanticModel } from "./scope.js";

export interface VisitedNode {
  node: Node;
  /** The node's type, read once here rather than by every rule. */
  type: string;
  scope: Scope;
}

export interface WalkResult {
  model: SemanticModel;
  /** Nodes of the requested types, in document order. */
  visited: VisitedNode[];
  comments: Node[];
}

export function walkTree(tree: SyntaxTree, wanted: ReadonlySet<string>): WalkResult {
  const root = tree.rootNode;
  const model = new SemanticModel(root);
  const visited: VisitedNode[] = [];
  const comments: Node[] = [];

  // The copy lists nodes in document order, parents before children: one
  // pass over its arrays finds every named node the model or a rule needs.
  const types = [...new Set([...MODEL_TYPES, ...wanted, "comment"])];
  const needed = tree.symbolsNamed(types);
  const { symbol, start: starts, end: ends } = tree.cols;

  // Open scopes with the range of their body: a node belongs to the innermost
  // one whose body contains it (headers, decorators and defaults run outside).
  const open: { scope: Scope; bodyStart: number; bodyEnd: number; end: number }[] = [];
  for (let i = 0, n = tree.nodeCount; i < n; i++) {
    if (!needed[symbol[i]!] || !tree.isNamed(i)) continue;
    const at = starts[i]!;
    while (open.length && at >= open[open.length - 1]!.end) open.pop();
    let scope = model.module;
    for (let k = open.length - 1; k >= 0; k--) {
      const o = open[k]!;
      if (at >= o.bodyStart && at < o.bodyEnd) {
        scope = o.scope;
        break;
      }
    }
    const node = tree.node(i)!;
    const type = node.type;
    if (type === "comment") {
      comments.push(node);
      if (!wanted.has(type)) continue;
    }
    if (MODEL_TYPES.has(type)) {
      const opened = record(model, node, type, scope);
      const body = opened ? node.childForFieldName("body") : null;
      if (opened && body) {
        opened.setBody(body.startIndex, body.endIndex);
        open.push({ scope: opened, bodyStart: body.startIndex, bodyEnd: body.endIndex, end: ends[i]! });
      }
    }
    if (wanted.has(type)) {
      visited.push({ node, type, scope });
      model.knownScopes.set(node.id, scope);
    }
  }
  return { model, visited, comments };
}

const MODEL_TYPES = new Set([
  "function_definition",
  "lambda",
  "class_definition",
  "import_statement",
  "import_from_statement",
  "global_statement",
  "nonlocal_statement",
  "assignment",
  "augmented_assignment",
  "for_statement",
  "with_item",
  "except_clause",
  "named_expression",
  "await",
  "yield",
  "with_statement",
  "for_in_clause",
]);

/** Updates the model for one node; returns the scope its body opens, if any. */
function record(model: SemanticModel, node: Node, type: string, scope: Scope): Scope | null {
  const fnScope = scope.functionScope;
  switch (type) {
    case "function_definition":
      return recordFunction(model, node, scope);
    case "lambda": {
      const s = new Scope("lambda", node, "<lambda>", false, scope);
      model.scopesByOwner.set(node.id, s);
      bindParameters(s, node.childForFieldName("parameters"), node.startIndex);
      return s;
    }
    case "class_definition":
      return recordClass(model, node, scope);
    case "import_statement":
      for (const name of node.childrenForFieldName("name")) {
        if (!name) continue;
        if (name.type === "aliased_import") {
          const dotted = name.childForFieldName("name");
          const alias = name.childForFieldName("alias");
          if (dotted && alias) scope.addImport(alias.text, dotted.text);
        } else {
          // `import a.b` binds `a`, which refers to the package `a`.
          const first = name.text.split(".")[0]!;
          scope.addImport(first, first);
        }
      }
      return null;
    case "import_from_statement": {
      const moduleNode = node.childForFieldName("module_name");
      if (!moduleNode) return null;
      const moduleName = moduleNode.text.replace(/\s+/g, "");
      for (const name of node.childrenForFieldName("name")) {
        if (!name) continue;
        const [imported, local] =
          name.type === "aliased_import"
            ? [name.childForFieldName("name")?.text, name.childForFieldName("alias")?.text]
            : [name.text, name.text];
        if (!imported || !local) continue;
        const sep = moduleName.endsWith(".") ? "" : ".";
        scope.addImport(local, `${moduleName}${sep}${imported}`);
      }
      return null;
    }
    case "global_statement":
      for (const id of node.namedChildren) if (id?.type === "identifier") fnScope.globals.add(id.text);
      return null;
    case "nonlocal_statement":
      for (const id of node.namedChildren) if (id?.type === "identifier") fnScope.nonlocals.add(id.text);
      return null;
    case "assignment":
      recordAssignment(model, node, scope);
      return null;
    case "augmented_assignment":
      bindTarget(scope, node.childForFieldName("left"));
      return null;
    case "for_statement":
      bindTarget(scope, node.childForFieldName("left"));
      if (node.child(0)?.type === "async") markAsyncFeature(fnScope);
      return null;
    case "with_statement":
      if (node.child(0)?.type === "async") markAsyncFeature(fnScope);
      return null;
    case "for_in_clause":
      // Async comprehensions make the enclosing function use async features;
      // an async generator expression does not (it is lazy, valid in a plain def).
      if (node.child(0)?.type === "async" && node.parent?.type !== "generator_expression") markAsyncFeature(fnScope);
      return null;
    case "with_item": {
      const value = node.childForFieldName("value");
      if (value?.type === "as_pattern") {
        const target = value.childForFieldName("alias");
        const ctx = value.namedChild(0);
        const id = target?.namedChild(0);
        if (id) bindTarget(scope, id);
        if (id?.type === "identifier" && ctx) {
          fnScope.addTypeFact(id.text, { from: node.startIndex, value: ctx });
        }
      }
      return null;
    }
    case "except_clause":
      for (const c of node.namedChildren) {
        if (c?.type === "as_pattern") bindTarget(scope, c.childForFieldName("alias")?.namedChild(0) ?? null);
      }
      return null;
    case "named_expression":
      bindTarget(scope, node.childForFieldName("name"));
      return null;
    case "await":
      markAsyncFeature(fnScope);
      return null;
    case "yield":
      if (fnScope.fn) fnScope.fn.isGenerator = true;
      return null;
    default:
      return null;
  }
}

function markAsyncFeature(fnScope: Scope): void {
  if (fnScope.fn) fnScope.fn.usesAsyncFeatures = true;
}

function recordFunction(model: SemanticModel, node: Node, scope: Scope): Scope {
  const nameNode = node.childForFieldName("name");
  const name = nameNode?.text ?? "<anonymous>";
  const isAsync = node.child(0)?.type === "async";
  const s = new Scope("function", node, name, isAsync, scope);
  const decorators: Node[] = [];
  if (node.parent?.type === "decorated_definition") {
    for (const d of node.parent.namedChildren) if (d?.type === "decorator") decorators.push(d);
  }
  const info: FunctionInfo = {
    node,
    name,
    isAsync,
    isGenerator: false,
    usesAsyncFeatures: false,
    decorators,
    scope: s,
    owner: scope.kind === "class" ? scope.cls : null,
  };
  s.fn = info;
  model.scopesByOwner.set(node.id, s);
  model.functions.push(info);
  bindDefinition(scope, name);
  const list = scope.functions.get(name);
  if (list) list.push(info);
  else scope.functions.set(name, [info]);
  if (info.owner) info.owner.methods.set(name, info);
  bindParameters(s, node.childForFieldName("parameters"), node.startIndex);
  return s;
}

function recordClass(model: SemanticModel, node: Node, scope: Scope): Scope {
  const name = node.childForFieldName("name")?.text ?? "<anonymous>";
  const s = new Scope("class", node, name, false, scope);
  const bases: Node[] = [];
  const args = node.childForFieldName("superclasses");
  for (const a of args?.namedChildren ?? []) {
    if (a && a.type !== "keyword_argument") bases.push(a);
  }
  const info: ClassInfo = { node, name, scope: s, bases, methods: new Map(), attributeValues: new Map() };
  s.cls = info;
  model.scopesByOwner.set(node.id, s);
  model.classes.push(info);
  bindDefinition(scope, name);
  const list = scope.classes.get(name);
  if (list) list.push(info);
  else scope.classes.set(name, [info]);
  return s;
}

function bindDefinition(scope: Scope, name: string): void {
  if (scope.locals.has(name) && !scope.definitions.has(name)) scope.reboundNames.add(name);
  if (scope.imports.has(name)) scope.reboundNames.add(name);
  scope.locals.add(name);
  scope.definitions.add(name);
}

function bindName(scope: Scope, name: string): void {
  const target = scope.globals.has(name) || scope.nonlocals.has(name) ? null : scope;
  // `global x; x = ...` creates no local binding and changes nothing we can rely on elsewhere.
  if (!target) return;
  if (target.definitions.has(name)) target.reboundNames.add(name);
  target.locals.add(name);
}

/** Binds every name in an assignment target (`a`, `a, *b`, `(a, b)`, `[a]`); attributes and subscripts bind nothing. */
function bindTarget(scope: Scope, target: Node | null): void {
  if (!target) return;
  const stack: Node[] = [target];
  while (stack.length) {
    const t = stack.pop()!;
    switch (t.type) {
      case "identifier":
        bindName(scope.kind === "class" ? scope : scope.functionScope, t.text);
        break;
      case "pattern_list":
      case "tuple_pattern":
      case "list_pattern":
      case "list_splat_pattern":
      case "tuple":
      case "list":
      case "parenthesized_expression":
        for (const c of t.namedChildren) if (c) stack.push(c);
        break;
      default:
        break;
    }
  }
}

function recordAssignment(model: SemanticModel, node: Node, scope: Scope): void {
  const left = node.childForFieldName("left");
  let right = node.childForFieldName("right");
  const annotation = node.childForFieldName("type");
  bindTarget(scope, left);
  // `a = b = C()`: the innermost right side is the value.
  while (right?.type === "assignment") right = right.childForFieldName("right");
  const fnScope = scope.kind === "class" ? scope : scope.functionScope;
  if (left?.type === "identifier") {
    if (fnScope.globals.has(left.text)) return;
    if (annotation) fnScope.addTypeFact(left.text, { from: node.endIndex, annotation, ...(right ? { assigned: right } : {}) });
    else if (right) fnScope.addTypeFact(left.text, { from: node.endIndex, value: right });
    return;
  }
  if (left?.type === "attribute" && right) {
    const obj = left.childForFieldName("object");
    const attr = left.childForFieldName("attribute");
    if (obj?.type === "identifier" && attr) {
      const cls = methodClass(scope, obj.text);
      if (cls) {
        const list = cls.attributeValues.get(attr.text);
        if (list) list.push(right);
        else cls.attributeValues.set(attr.text, [right]);
      }
    }
    return;
  }
  // `reader, writer = await asyncio.open_connection(...)`
  if ((left?.type === "pattern_list" || left?.type === "tuple_pattern") && right?.type === "await") {
    const call = right.namedChild(0);
    const fn = call?.type === "call" ? call.childForFieldName("function") : null;
    const q = fn ? model.qualifiedName(fn, scope) : null;
    if (q === "asyncio.open_connection" || q === "asyncio.open_unix_connection") {
      const names = left.namedChildren.filter((n): n is Node => n?.type === "identifier");
      const [r, w] = names;
      if (r) fnScope.addTypeFact(r.text, { from: node.endIndex, type: "asyncio.StreamReader" });
      if (w) fnScope.addTypeFact(w.text, { from: node.endIndex, type: "asyncio.StreamWriter" });
    }
  }
}

/** The class whose method this scope is, when `name` is the method's first parameter. */
function methodClass(scope: Scope, name: string): ClassInfo | null {
  let s: Scope | null = scope.functionScope;
  while (s && s.kind === "lambda") s = s.parent?.functionScope ?? null;
  const fn = s?.fn;
  if (!fn?.owner) return null;
  const params = fn.node.childForFieldName("parameters");
  const first = params?.namedChild(0);
  const firstName = first?.type === "identifier" ? first.text : null;
  return firstName === name ? fn.owner : null;
}

function bindParameters(scope: Scope, params: Node | null, from: number): void {
  if (!params) return;
  for (const p of params.namedChildren) {
    if (!p) continue;
    let nameNode: Node | null = null;
    let annotation: Node | null = null;
    switch (p.type) {
      case "identifier":
        nameNode = p;
        break;
      case "typed_parameter":
        nameNode = p.namedChildren.find((c) => c?.type === "identifier") ?? null;
        annotation = p.childForFieldName("type");
        break;
      case "default_parameter":
        nameNode = p.childForFieldName("name");
        break;
      case "typed_default_parameter":
        nameNode = p.childForFieldName("name");
        annotation = p.childForFieldName("type");
        break;
      case "list_splat_pattern":
      case "dictionary_splat_pattern":
        nameNode = p.namedChild(0);
        break;
      default:
        break;
    }
    if (nameNode?.type !== "identifier") continue;
    scope.locals.add(nameNode.text);
    if (annotation) scope.addTypeFact(nameNode.text, { from, annotation });
  }
}
