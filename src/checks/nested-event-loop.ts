import type { Node } from "../analyzer/parser.js";
import { defineRule, type FixProposal, type RuleContext } from "../analyzer/rule.js";
import { callArguments, describeCall } from "./shared/calls.js";
import { RUNNERS } from "./shared/entry-points.js";
import { eventLoopMethod } from "./shared/loops.js";
import { isExpectedToFail } from "./shared/pytest.js";

/** Loop methods that start the loop (the functions that start one of their own are RUNNERS). */
const LOOP_RUN_METHODS = new Set(["run_until_complete", "run_forever"]);

/** Parents in which `await <call>` needs parentheses to keep its meaning (`asyncio.run(f()).x`). */
const NEEDS_PARENS = new Set(["attribute", "subscript", "call"]);

export default defineRule({
  meta: {
    code: "LG302",
    name: "nested-event-loop",
    severity: "error",
    guide: "pitfall-3-event-loop-closed",
    aliases: [],
    fixable: "sometimes",
  },
  docs: {
    summary: "A coroutine tries to start an event loop (`asyncio.run`, `loop.run_until_complete`, `anyio.run`, `trio.run`) while one is already running.",
    why: "A coroutine already runs inside an event loop, and a thread can run only one: `asyncio.run()` raises `RuntimeError: asyncio.run() cannot be called from a running event loop`, and `loop.run_until_complete()` raises `This event loop is already running`.",
    fix: "Await the coroutine instead: `await main()` rather than `asyncio.run(main())`.",
    bad: ["import asyncio\n\nasync def refresh():\n    ...\n\nasync def handler():\n    asyncio.run(refresh())\n"],
    good: [
      "import asyncio\n\nasync def refresh():\n    ...\n\nasync def handler():\n    await refresh()\n",
      "import asyncio\n\nasync def refresh():\n    ...\n\ndef main():\n    asyncio.run(refresh())\n",
      "import asyncio\n\nasync def refresh():\n    ...\n\nasync def handler():\n    def in_thread():\n        return asyncio.run(refresh())\n    return await asyncio.to_thread(in_thread)\n",
    ],
    limitations:
      "Only calls written in the coroutine itself are reported: a plain function that starts a loop and is called from a coroutine fails the same way, but is not followed. Code in the body of `with pytest.raises(...)`, `pytest.warns(...)` or `self.assertRaises(...)` (and its Regex/Warns relatives) is left alone: the test means it to fail.",
  },
  visit: {
    call(node, ctx) {
      if (!ctx.isInCoroutine(node)) return;
      if (!startsLoop(node, ctx) || isExpectedToFail(node, ctx)) return;
      ctx.report({
        node,
        message: `${describeCall(node)} in ${ctx.describeScope(node)} starts an event loop while one is already running: it raises \`RuntimeError\` (a thread runs one loop at a time). Await the coroutine instead.`,
        fix: awaitArgumentFix(node),
      });
    },
  },
});

function startsLoop(call: Node, ctx: RuleContext): boolean {
  const q = ctx.calleeName(call);
  if (q && RUNNERS.has(q)) return true;
  return eventLoopMethod(ctx, call, LOOP_RUN_METHODS) !== null;
}

/** `asyncio.run(main())` → `await main()`, when the only argument is a call. */
function awaitArgumentFix(call: Node): FixProposal | null {
  const { positional, keywords } = callArguments(call);
  const arg = positional[0];
  if (positional.length !== 1 || keywords.size > 0 || arg?.type !== "call") return null;
  // Comments inside the argument list would be dropped; the harness refuses such a fix anyway.
  const text = `await ${arg.text}`;
  const parent = call.parent;
  const wrapped = parent && NEEDS_PARENS.has(parent.type) && parent.child(0)?.id === call.id ? `(${text})` : text;
  return {
    description: `Replace with \`await ${(arg.childForFieldName("function")?.text ?? "").replace(/\s+/g, "")}(...)\``,
    edits: [{ start: call.startIndex, end: call.endIndex, text: wrapped }],
  };
}
