// What a `with` item is, for the rules that check `with` against `async with`
// (LG402, LG404): same-file classes by their protocol methods, same-file
// decorated generator functions, and the parts of a with statement.
import type { Node } from "../../analyzer/parser.js";
import type { RuleContext } from "../../analyzer/rule.js";
import type { ClassInfo, FunctionInfo } from "../../analyzer/scope.js";

/** The context expression of a with item (`open(p)` in `open(p) as f`). */
export function withItemExpression(item: Node): Node | null {
  const value = item.childForFieldName("value");
  if (value?.type === "as_pattern") return value.namedChild(0);
  return value;
}

/** The with statement of an item, whether it is `async with`, and all its items. */
export function withStatementOf(item: Node): { statement: Node; isAsync: boolean; items: Node[] } | null {
  const clause = item.parent;
  const statement = clause?.parent;
  if (clause?.type !== "with_clause" || statement?.type !== "with_statement") return null;
  const items = clause.namedChildren.filter((c): c is Node => c?.type === "with_item");
  return { statement, isAsync: statement.child(0)?.type === "async", items };
}

/** The same-file class a call constructs (`Conn(...)`), when the callee names exactly one. */
export function constructedClass(ctx: RuleContext, call: Node): ClassInfo | null {
  const callee = call.childForFieldName("function");
  if (callee?.type !== "identifier") return null;
  return ctx.model.classForName(callee, ctx.scopeOf(call));
}

export interface ContextProtocol {
  sync: boolean;
  async: boolean;
}

/**
 * Which context-manager protocols a same-file class implements, through its
 * same-file bases. Null when some base is neither a same-file class nor one
 * of `knownBases` (it could supply the missing methods).
 */
export function contextProtocol(ctx: RuleContext, cls: ClassInfo, knownBases: ReadonlySet<string>): ContextProtocol | null {
  if (!basesAreKnown(ctx, cls, knownBases, new Set())) return null;
  const m = ctx.model;
  return {
    sync: !!m.methodOf(cls, "__enter__") && !!m.methodOf(cls, "__exit__"),
    async: !!m.methodOf(cls, "__aenter__") && !!m.methodOf(cls, "__aexit__"),
  };
}

function basesAreKnown(ctx: RuleContext, cls: ClassInfo, knownBases: ReadonlySet<string>, seen: Set<ClassInfo>): boolean {
  if (seen.has(cls)) return true;
  seen.add(cls);
  const local = ctx.model.baseClasses(cls);
  for (const base of cls.bases) {
    const sameFile = local.find((c) => base.type === "identifier" && c.name === base.text);
    if (sameFile) {
      if (!basesAreKnown(ctx, sameFile, knownBases, seen)) return false;
      continue;
    }
    // `Generic[T]` is `typing.Generic` for this purpose.
    const head = base.type === "subscript" ? base.childForFieldName("value") : base;
    const q = head ? ctx.model.qualifiedName(head, cls.scope.parent ?? ctx.model.module) : null;
    if (!q || !knownBases.has(q)) return false;
  }
  return true;
}

/** Whether a function carries one of the decorators (by qualified name, or bare name when imported from `contextlib`). */
export function hasDecorator(ctx: RuleContext, fn: FunctionInfo, qualified: ReadonlySet<string>): boolean {
  return fn.decorators.some((d) => {
    const q = ctx.model.decoratorName(d);
    return q !== null && qualified.has(q);
  });
}

/** The same-file function a call calls (a module-level or nested def, or a `self` method). */
export function calledFunction(ctx: RuleContext, call: Node): FunctionInfo | null {
  const callee = call.childForFieldName("function");
  return callee ? ctx.model.functionForCallee(callee, ctx.scopeOf(call)) : null;
}
