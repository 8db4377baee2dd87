// What pytest would collect, and how a test file reaches pytest's names:
// shared by the testing rules (LG901-LG904).
import type { Node } from "../../analyzer/parser.js";
import type { RuleContext } from "../../analyzer/rule.js";
import type { ClassInfo, FunctionInfo } from "../../analyzer/scope.js";
import { methodCall } from "./calls.js";
import { withItemExpression } from "./context-managers.js";
import { isNestedScope } from "./subtree.js";

/** pytest's default collection: `test_*.py`, `*_test.py`, `conftest.py`, or anything under a `tests/` folder. */
export function isTestFile(path: string): boolean {
  const parts = path.split(/[\\/]/);
  const base = parts[parts.length - 1] ?? "";
  if (parts.slice(0, -1).includes("tests")) return true;
  return (base.startsWith("test_") && base.endsWith(".py")) || base.endsWith("_test.py") || base === "conftest.py";
}

/** The class a test method belongs to when pytest would collect it (`Test*`), or the module for a module-level test. */
export function collectedTest(fn: FunctionInfo): { cls: ClassInfo | null } | null {
  if (!fn.name.startsWith("test")) return null;
  const parent = fn.scope.parent;
  if (parent?.kind === "module") return { cls: null };
  if (parent?.kind === "class" && fn.owner && fn.owner.name.startsWith("Test")) return { cls: fn.owner };
  return null;
}

/** The decorators of a class (ClassInfo does not keep them). */
export function classDecorators(cls: ClassInfo): Node[] {
  const parent = cls.node.parent;
  if (parent?.type !== "decorated_definition") return [];
  return parent.namedChildren.filter((d): d is Node => d?.type === "decorator");
}

/** The report span of a `def`: its first keyword (`async`) through its name. */
export function defSpan(fn: FunctionInfo): { node: Node; end: Node } | null {
  const first = fn.node.child(0);
  const name = fn.node.childForFieldName("name");
  return first && name ? { node: first, end: name } : null;
}

/** The qualified name of `unittest.mock.X` or the `mock` backport's `mock.X`, as the member name `X`. */
export function mockMember(qualified: string | null): string | null {
  if (!qualified) return null;
  for (const prefix of ["unittest.mock.", "mock."]) {
    if (qualified.startsWith(prefix) && !qualified.slice(prefix.length).includes(".")) return qualified.slice(prefix.length);
  }
  return null;
}

/** The function that contains a node, in a test file: the scope the testing rules look at. */
export function enclosingTestFileFunction(ctx: RuleContext, node: Node): FunctionInfo | null {
  if (!isTestFile(ctx.path)) return null;
  return ctx.enclosingFunction(node);
}

/** Context managers a test wraps around code it expects to raise or warn. */
const EXPECTING_FUNCTIONS: ReadonlySet<string> = new Set(["pytest.raises", "pytest.warns", "pytest.deprecated_call"]);
/** unittest's `self.assertRaises(...)` and relatives, as context managers. */
const EXPECTING_METHOD = /^assert(?:Raises|Warns|Logs|NoLogs)(?:Regex)?$/;

/**
 * Whether a node sits in the body of a `with pytest.raises(...)` or
 * `with self.assertRaises(...)` (or a warns/logs relative) within its own
 * function: code a test runs to watch it fail. Rules about calling an API
 * the wrong way (an unawaited coroutine, a second `asyncio.run`) leave such
 * code alone: misusing the API is the point of the test.
 */
export function isExpectedToFail(node: Node, ctx: RuleContext): boolean {
  for (let child = node, p = node.parent; p; child = p, p = p.parent) {
    if (isNestedScope(p)) return false;
    if (p.type !== "with_statement" || p.childForFieldName("body")?.id !== child.id) continue;
    const items = p.namedChildren.find((c) => c?.type === "with_clause")?.namedChildren ?? [];
    for (const item of items) {
      const expr = item?.type === "with_item" ? withItemExpression(item) : null;
      if (expr?.type !== "call") continue;
      if (EXPECTING_FUNCTIONS.has(ctx.calleeName(expr) ?? "")) return true;
      const method = methodCall(expr)?.method;
      if (method && EXPECTING_METHOD.test(method)) return true;
    }
  }
  return false;
}
