// Small questions rules ask about calls, answered from the semantic model.
import type { Node } from "../../analyzer/parser.js";
import type { OffsetEdit, RuleContext } from "../../analyzer/rule.js";
import type { Scope } from "../../analyzer/scope.js";

/** How a call reads in a message: the callee as written, with `()`. */
export function describeCall(call: Node): string {
  const fn = call.childForFieldName("function");
  const text = (fn?.text ?? call.text).replace(/\s+/g, "");
  return `\`${text.length > 60 ? `${text.slice(0, 57)}...` : text}()\``;
}

/** The callee's attribute name and receiver for `recv.method(...)`, or null. */
export function methodCall(call: Node): { receiver: Node; method: string } | null {
  const fn = call.childForFieldName("function");
  if (fn?.type !== "attribute") return null;
  const receiver = fn.childForFieldName("object");
  const attr = fn.childForFieldName("attribute");
  return receiver && attr ? { receiver, method: attr.text } : null;
}

/** The type locally known for a method call's receiver (`requests.Session` for `s.get()` after `s = requests.Session()`). */
export function receiverType(ctx: RuleContext, call: Node): { type: string; method: string } | null {
  const m = methodCall(call);
  if (!m) return null;
  const type = ctx.typeOf(m.receiver);
  return type ? { type, method: m.method } : null;
}

/** The call is the whole of an expression statement (its value is thrown away). */
export function isExpressionStatement(call: Node): boolean {
  const p = call.parent;
  return p?.type === "expression_statement" && p.namedChildCount === 1;
}

export function isAwaited(node: Node): boolean {
  let p = node.parent;
  while (p?.type === "parenthesized_expression") p = p.parent;
  return p?.type === "await";
}

/**
 * Whether a call gives the parameter at `index` (named `name`) of the
 * function it calls a value, by keyword or by position. A method called
 * through an attribute (`self.m(...)`) has its first parameter bound already.
 */
export function fillsParameter(call: Node, index: number, name: string): boolean {
  const { positional, keywords } = callArguments(call);
  const bound = call.childForFieldName("function")?.type === "attribute" ? 1 : 0;
  return keywords.has(name) || positional.length > index - bound;
}

/** Positional and keyword arguments of a call. */
export function callArguments(call: Node): { positional: Node[]; keywords: Map<string, Node> } {
  const positional: Node[] = [];
  const keywords = new Map<string, Node>();
  const args = call.childForFieldName("arguments");
  if (args?.type !== "argument_list") return { positional, keywords };
  for (const a of args.namedChildren) {
    if (!a || a.type === "comment") continue;
    if (a.type === "keyword_argument") {
      const name = a.childForFieldName("name");
      const value = a.childForFieldName("value");
      if (name && value) keywords.set(name.text, value);
    } else positional.push(a);
  }
  return { positional, keywords };
}

/**
 * The local name through which a module (or a name from it) is reachable at
 * a place: `asyncio` or `aio` for the module, or null when the file does not
 * import it there.
 */
export function moduleReference(ctx: RuleContext, at: Node, module: string): string | null {
  const scope = ctx.scopeOf(at);
  for (let s: Scope | null = scope; s; s = s.parent) {
    for (const [local, targets] of s.imports) {
      if (targets.length === 1 && targets[0] === module) {
        const r = ctx.model.resolveName(local, scope);
        if (r.kind === "import" && r.qualified === module) return local;
      }
    }
  }
  return null;
}

/** A name imported from a module (`from asyncio import sleep`), if it resolves there. */
export function importedMember(ctx: RuleContext, at: Node, qualified: string): string | null {
  const scope = ctx.scopeOf(at);
  for (let s: Scope | null = scope; s; s = s.parent) {
    for (const [local, targets] of s.imports) {
      if (targets.length === 1 && targets[0] === qualified) {
        const r = ctx.model.resolveName(local, scope);
        if (r.kind === "import" && r.qualified === qualified) return local;
      }
    }
  }
  return null;
}

/**
 * An edit adding `import <module>` where a new import belongs: after the
 * module docstring and any `from __future__` imports. Null when the name is
 * already bound in the module (adding the import would change its meaning).
 */
export function addImportEdit(ctx: RuleContext, module: string): OffsetEdit | null {
  if (ctx.model.module.locals.has(module) || ctx.model.module.imports.has(module)) return null;
  const root = ctx.model.root;
  let offset = 0;
  for (const stmt of root.namedChildren) {
    if (!stmt || stmt.type === "comment") continue;
    const isDocstring = stmt.type === "expression_statement" && stmt.namedChild(0)?.type === "string" && offset === 0;
    const isFuture =
      stmt.type === "future_import_statement" ||
      (stmt.type === "import_from_statement" && stmt.childForFieldName("module_name")?.text === "__future__");
    if (isDocstring || isFuture) {
      offset = lineEndAfter(ctx.source, stmt.endIndex);
      continue;
    }
    break;
  }
  return { start: offset, end: offset, text: `import ${module}\n` };
}

function lineEndAfter(source: string, index: number): number {
  const nl = source.indexOf("\n", index);
  return nl === -1 ? source.length : nl + 1;
}

