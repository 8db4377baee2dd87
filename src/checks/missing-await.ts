import type { Node } from "../analyzer/parser.js";
import { defineRule, type FixProposal, type RuleContext } from "../analyzer/rule.js";
import { describeCall, isExpressionStatement } from "./shared/calls.js";
import { coroutineCall, type CoroutineCall } from "./shared/coroutines.js";
import { isExpectedToFail } from "./shared/pytest.js";

export default defineRule({
  meta: {
    code: "LG201",
    name: "missing-await",
    severity: "error",
    guide: "pitfall-2-missing-await",
    aliases: [],
    fixable: "sometimes",
  },
  docs: {
    summary: "A coroutine function (or an asyncio API that must be awaited) is called as a statement without `await`.",
    why: "Calling an `async def` only creates a coroutine object; its body runs when the coroutine is awaited. Dropped on the floor, it never runs at all, and Python only says so later with a `RuntimeWarning: coroutine ... was never awaited`. For the APIs that return a future (`asyncio.gather`, `loop.run_in_executor`) the work starts, but nothing waits for it and its errors are lost.",
    fix: "Put `await` before the call. In a plain `def`, the function must become `async def` (and its callers must await it), or the coroutine must be run from synchronous code with `asyncio.run(...)`.",
    bad: [
      "async def save(record):\n    ...\n\nasync def handle(record):\n    save(record)\n",
      "import asyncio\n\nclass Worker:\n    def __init__(self):\n        self._lock = asyncio.Lock()\n\n    async def run(self):\n        self._lock.acquire()\n",
    ],
    good: [
      "async def save(record):\n    ...\n\nasync def handle(record):\n    await save(record)\n",
      "import asyncio\n\nasync def save(record):\n    ...\n\ndef main(record):\n    asyncio.run(save(record))\n",
      "async def rows():\n    yield 1\n\nasync def main():\n    rows()\n",
    ],
    limitations:
      "Knows the file's own coroutine functions (module-level, nested in the calling function, and methods reached through `self`, `cls`, the class name or a local instance of a same-file class) and a list of asyncio/anyio APIs (with the methods of locally typed asyncio objects and aiohttp WebSockets: `ws = web.WebSocketResponse()`, `async with session.ws_connect(url) as ws`). Coroutine functions imported from other modules are not known. An `async def` under a decorator that changes what calling it returns is not treated as a coroutine function: `@property`, asgiref's `@async_to_sync`, Textual's `@work`, `@unsync`, and a same-file decorator that hands back a plain `def` wrapper which does more than return the wrapped call. Only statements are reported here; a coroutine whose value is misused (tested, printed, assigned and forgotten) is LG202's. Code in the body of `with pytest.raises(...)`, `pytest.warns(...)` or `self.assertRaises(...)` (and its Regex/Warns relatives) is left alone: the test means it to fail.",
  },
  visit: {
    call(node, ctx) {
      if (!isExpressionStatement(node)) return;
      const target = coroutineCall(ctx, node);
      if (!target || isExpectedToFail(node, ctx)) return;
      const inCoroutine = ctx.isInCoroutine(node);
      ctx.report({
        node,
        message: message(node, ctx, target, inCoroutine),
        fix: inCoroutine ? awaitFix(node) : null,
      });
    },
  },
});

function message(call: Node, ctx: RuleContext, target: CoroutineCall, inCoroutine: boolean): string {
  const where = ctx.describeScope(call);
  const what =
    target.kind === "coroutine"
      ? `${describeCall(call)} is never awaited in ${where}: ${origin(target)}, so the call only creates a coroutine, whose body never runs`
      : `${describeCall(call)} is never awaited in ${where}: the work starts, but nothing waits for it to finish and its result and exceptions are lost`;
  if (inCoroutine) return `${what}. Add \`await\`.`;
  if (target.kind === "future") {
    return `${what}. Await it from a coroutine, or keep the future and handle its outcome (\`fut.add_done_callback(...)\`).`;
  }
  const fn = ctx.enclosingFunction(call);
  if (!fn) return `${what}. Run it with \`asyncio.run(...)\`, or call it with \`await\` from a coroutine.`;
  return `${what}. Add \`await\`, which needs \`def ${fn.name}\` to become \`async def\` (and its callers to await it), or run it from synchronous code with \`asyncio.run(...)\`.`;
}

function origin(target: CoroutineCall): string {
  return target.fn ? `\`${target.display}\` is an \`async def\`` : `\`${target.display}\` is a coroutine function`;
}

function awaitFix(call: Node): FixProposal {
  return { description: "Add `await`", edits: [{ start: call.startIndex, end: call.startIndex, text: "await " }] };
}
