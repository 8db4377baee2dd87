import type { Node } from "../analyzer/parser.js";
import { defineRule, type FixProposal, type RuleContext } from "../analyzer/rule.js";
import {
  calledFunction,
  constructedClass,
  contextProtocol,
  hasDecorator,
  withItemExpression,
  withStatementOf,
} from "./shared/context-managers.js";

/** Calls whose result only supports a plain `with` (`aiofiles.open` is the async one). */
const SYNC_ONLY_CALLS = new Set(["open", "io.open"]);
const SYNC_ONLY_INSTANCES = new Set(["threading.Lock", "threading.RLock"]);
const SYNC_CONTEXT_DECORATORS = new Set(["contextlib.contextmanager"]);
/** Bases that add no `__aenter__`: only these and same-file classes, so nothing unseen can make the class async-capable. */
const NEUTRAL_BASES = new Set(["object", "abc.ABC", "typing.Generic", "contextlib.AbstractContextManager", "contextlib.ContextDecorator"]);

export default defineRule({
  meta: {
    code: "LG404",
    name: "async-with-sync-resource",
    severity: "error",
    guide: "async-context-managers",
    aliases: [],
    fixable: "sometimes",
  },
  docs: {
    summary: "`async with` on a context manager that only supports a plain `with`.",
    why: "`async with` looks up `__aenter__`/`__aexit__`; a file from `open()`, a `threading.Lock` or a `@contextmanager` function has only `__enter__`/`__exit__`, so the statement raises before the body runs. The `async` does not make the resource asynchronous.",
    fix: "Use a plain `with`; for file I/O that must not block, use `aiofiles.open` or `anyio.open_file` with `async with`.",
    bad: ["async def read(path):\n    async with open(path) as f:\n        return f.read()\n"],
    good: [
      "import aiofiles\n\nasync def read(path):\n    async with aiofiles.open(path) as f:\n        return await f.read()\n",
      "import threading\n\nlock = threading.Lock()\n\nasync def bump(counter):\n    with lock:\n        counter.value += 1\n",
    ],
    limitations:
      "Knows `open()`, `threading.Lock/RLock` (constructed, annotated or assigned to `self` in the same class), same-file `@contextmanager` functions, and same-file classes whose bases are all in the same file.",
  },
  visit: {
    with_item(node, ctx) {
      const w = withStatementOf(node);
      if (!w?.isAsync) return;
      const what = syncOnlyResource(node, ctx);
      if (!what) return;
      ctx.report({
        node,
        message: `${what} has no \`__aenter__\`: \`async with\` raises at run time in ${ctx.describeScope(node)}. Use a plain \`with\` (for non-blocking file I/O, \`aiofiles.open\`).`,
        fix: w.items.every((i) => isPlainCall(i) && syncOnlyResource(i, ctx)) ? dropAsyncFix(w.statement) : null,
      });
    },
  },
});

/** Describes the with item's expression when it is sync-only, else null. */
function syncOnlyResource(item: Node, ctx: RuleContext): string | null {
  const expr = withItemExpression(item);
  if (!expr) return null;
  if (expr.type === "identifier" || expr.type === "attribute") {
    const type = ctx.typeOf(expr);
    return type && SYNC_ONLY_INSTANCES.has(type) ? `\`${expr.text}\` (a \`${type}\`)` : null;
  }
  if (expr.type !== "call") return null;
  const shown = `\`${(expr.childForFieldName("function")?.text ?? "").replace(/\s+/g, "")}()\``;
  const cls = constructedClass(ctx, expr);
  if (cls) {
    const p = contextProtocol(ctx, cls, NEUTRAL_BASES);
    return p && p.sync && !p.async ? `${shown} (class \`${cls.name}\` defines \`__enter__\` but no \`__aenter__\`)` : null;
  }
  const fn = calledFunction(ctx, expr);
  if (fn) {
    return !fn.isAsync && hasDecorator(ctx, fn, SYNC_CONTEXT_DECORATORS) ? `${shown} (a \`@contextmanager\` function)` : null;
  }
  const type = ctx.typeOf(expr);
  if (type && SYNC_ONLY_CALLS.has(type)) return shown;
  return type && SYNC_ONLY_INSTANCES.has(type) ? `${shown} (a \`${type}\`)` : null;
}

function isPlainCall(item: Node): boolean {
  return withItemExpression(item)?.type === "call";
}

/** `async with` → `with`. */
function dropAsyncFix(statement: Node): FixProposal | null {
  const asyncKw = statement.child(0);
  const withKw = statement.child(1);
  if (asyncKw?.type !== "async" || withKw?.type !== "with") return null;
  return { description: "Use a plain `with`", edits: [{ start: asyncKw.startIndex, end: withKw.startIndex, text: "" }] };
}
