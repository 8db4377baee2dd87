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

/** Calls whose result only supports `async with`. */
const ASYNC_ONLY_CALLS = new Set([
  "aiohttp.ClientSession",
  "httpx.AsyncClient",
  "aiofiles.open",
  "asyncio.timeout",
  "asyncio.timeout_at",
  "asyncio.TaskGroup",
  "anyio.create_task_group",
  "trio.open_nursery",
]);
/** Types whose instances (a local, a parameter annotation, `self._lock`) only support `async with`. */
const ASYNC_ONLY_INSTANCES = new Set([
  "aiohttp.ClientSession",
  "httpx.AsyncClient",
  "asyncio.Lock",
  "asyncio.Semaphore",
  "asyncio.BoundedSemaphore",
  "asyncio.Condition",
]);
/** `session.get(url)` on an `aiohttp.ClientSession` returns a request context manager for `async with` only. */
const SESSION_METHODS = new Set(["get", "post", "put", "patch", "delete", "head", "options", "request", "ws_connect"]);
const ASYNC_CONTEXT_DECORATORS = new Set(["contextlib.asynccontextmanager"]);
/** Bases that add neither `__enter__` nor `__aenter__`. */
const NEUTRAL_BASES = new Set([
  "object",
  "abc.ABC",
  "typing.Generic",
  "typing.Protocol",
  "contextlib.AbstractAsyncContextManager",
]);

export default defineRule({
  meta: {
    code: "LG402",
    name: "sync-with-async-resource",
    severity: "error",
    guide: "async-context-managers",
    aliases: [],
    fixable: "sometimes",
  },
  docs: {
    summary: "`with` on an async-only context manager, or `for` over an async generator.",
    why: "An async context manager has `__aenter__`/`__aexit__` and no `__enter__`: a plain `with` raises at run time before the body starts. Likewise a plain `for` cannot iterate an async generator (`'async_generator' object is not iterable`).",
    fix: "Use `async with` (or `async for`) inside a coroutine; a plain `def` that needs the resource must become `async def`, and its callers must await it.",
    bad: ["import aiohttp\n\nasync def fetch(url):\n    with aiohttp.ClientSession() as session:\n        return await session.get(url)\n"],
    good: [
      "import aiohttp\n\nasync def fetch(url):\n    async with aiohttp.ClientSession() as session:\n        async with session.get(url) as resp:\n            return await resp.text()\n",
      "import asyncio\nimport threading\n\nclass Cache:\n    def __init__(self):\n        self._lock = asyncio.Lock()\n        self._sync_lock = threading.Lock()\n\n    async def put(self, k, v):\n        async with self._lock:\n            with self._sync_lock:\n                self.data[k] = v\n",
      "async def numbers():\n    yield 1\n\nasync def total():\n    return sum([n async for n in numbers()])\n",
    ],
    limitations:
      "Knows same-file classes (by their methods, through same-file bases) and `@asynccontextmanager` functions when called directly in the `with`, the listed library types when constructed, annotated or assigned to `self` in the same class, and same-file async generators called directly in the `for`.",
  },
  visit: {
    with_item(node, ctx) {
      const w = withStatementOf(node);
      if (!w || w.isAsync) return;
      const what = asyncOnlyResource(node, ctx);
      if (!what) return;
      const inCoroutine = ctx.isInCoroutine(w.statement);
      ctx.report({
        node,
        message: `${what} only supports \`async with\`: a plain \`with\` fails at run time in ${ctx.describeScope(node)}. ${
          inCoroutine ? "Use `async with`." : "Use `async with`, which needs the function to be `async def` (and its callers to await it)."
        }`,
        fix: inCoroutine && w.items.every((i) => i.id === node.id || asyncOnlyResource(i, ctx)) ? asyncKeywordFix(w.statement, "with") : null,
      });
    },
    for_statement(node, ctx) {
      if (node.child(0)?.type === "async") return;
      checkIteration(node, ctx);
    },
    for_in_clause(node, ctx) {
      if (node.child(0)?.type === "async") return;
      checkIteration(node, ctx);
    },
  },
});

/** Describes the with item's expression when it is async-only, else null. */
function asyncOnlyResource(item: Node, ctx: RuleContext): string | null {
  const expr = withItemExpression(item);
  if (!expr) return null;
  if (expr.type === "call") return asyncOnlyCall(expr, ctx);
  if (expr.type !== "identifier" && expr.type !== "attribute") return null;
  const type = ctx.typeOf(expr);
  return type && ASYNC_ONLY_INSTANCES.has(type) ? `\`${expr.text}\` (an \`${type}\`)` : null;
}

function asyncOnlyCall(call: Node, ctx: RuleContext): string | null {
  const shown = `\`${(call.childForFieldName("function")?.text ?? "").replace(/\s+/g, "")}()\``;
  const cls = constructedClass(ctx, call);
  if (cls) {
    const p = contextProtocol(ctx, cls, NEUTRAL_BASES);
    return p && p.async && !p.sync ? `${shown} (class \`${cls.name}\` defines \`__aenter__\` but no \`__enter__\`)` : null;
  }
  const fn = calledFunction(ctx, call);
  if (fn) {
    return fn.isAsync && hasDecorator(ctx, fn, ASYNC_CONTEXT_DECORATORS) ? `${shown} (an \`@asynccontextmanager\` function)` : null;
  }
  const type = ctx.typeOf(call);
  if (!type) return null;
  if (ASYNC_ONLY_CALLS.has(type) || ASYNC_ONLY_INSTANCES.has(type)) return shown;
  const dot = type.lastIndexOf(".");
  if (type.slice(0, dot) === "aiohttp.ClientSession" && SESSION_METHODS.has(type.slice(dot + 1))) {
    return `${shown} (an \`aiohttp\` request)`;
  }
  return null;
}

/** `for x in agen()` where `agen` is a same-file async generator. */
function checkIteration(loop: Node, ctx: RuleContext): void {
  const iterable = loop.childForFieldName("right");
  if (iterable?.type !== "call") return;
  const fn = calledFunction(ctx, iterable);
  if (!fn || !fn.isAsync || !fn.isGenerator || hasDecorator(ctx, fn, ASYNC_CONTEXT_DECORATORS)) return;
  const inCoroutine = ctx.isInCoroutine(loop);
  const shown = `\`${(iterable.childForFieldName("function")?.text ?? "").replace(/\s+/g, "")}()\``;
  ctx.report({
    node: iterable,
    message: `${shown} returns an async generator (\`async def ${fn.name}\` yields): a plain \`for\` cannot iterate it in ${ctx.describeScope(loop)}. ${
      inCoroutine ? "Use `async for`." : "Use `async for`, which needs the function to be `async def` (and its callers to await it)."
    }`,
    fix: inCoroutine ? asyncKeywordFix(loop, "for") : null,
  });
}

/** Inserts `async ` before the statement's (or clause's) `with`/`for` keyword. */
function asyncKeywordFix(node: Node, keyword: "with" | "for"): FixProposal | null {
  const kw = node.children.find((c) => c?.type === keyword);
  if (!kw) return null;
  return { description: `Use \`async ${keyword}\``, edits: [{ start: kw.startIndex, end: kw.startIndex, text: "async " }] };
}
