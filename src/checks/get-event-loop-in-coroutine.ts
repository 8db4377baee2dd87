import type { Node } from "../analyzer/parser.js";
import { defineRule, type FixProposal, type RuleContext } from "../analyzer/rule.js";
import { describeCall, importedMember, moduleReference } from "./shared/calls.js";

export default defineRule({
  meta: {
    code: "LG303",
    name: "get-event-loop-in-coroutine",
    severity: "warning",
    guide: "pitfall-3-event-loop-closed",
    aliases: [],
    fixable: "sometimes",
  },
  docs: {
    summary: "`asyncio.get_event_loop()` in a coroutine, where `asyncio.get_running_loop()` is meant.",
    why: "`get_event_loop()` guesses: with no running loop it may hand back (or, on older Pythons, create) a loop that nobody runs or closes; Python deprecated that and 3.14 raises `RuntimeError` instead. In a coroutine a loop is always running, and `get_running_loop()` says exactly what is meant: it returns that loop, and fails loudly when code that expected one is moved out of a coroutine.",
    fix: "Call `asyncio.get_running_loop()`.",
    bad: ["import asyncio\n\nasync def read_config(path):\n    loop = asyncio.get_event_loop()\n    return await loop.run_in_executor(None, load, path)\n"],
    good: [
      "import asyncio\n\nasync def read_config(path):\n    loop = asyncio.get_running_loop()\n    return await loop.run_in_executor(None, load, path)\n",
      "import asyncio\n\ndef main():\n    loop = asyncio.new_event_loop()\n    try:\n        loop.run_until_complete(serve())\n    finally:\n        loop.close()\n",
    ],
  },
  visit: {
    call(node, ctx) {
      if (ctx.calleeName(node) !== "asyncio.get_event_loop" || !ctx.isInCoroutine(node)) return;
      ctx.report({
        node,
        message: `${describeCall(node)} in ${ctx.describeScope(node)}: use \`asyncio.get_running_loop()\`, which returns the loop this coroutine runs in and cannot create a stray loop.`,
        fix: runningLoopFix(node, ctx),
      });
    },
  },
});

/** Renames the callee, spelled the way the file reaches asyncio: `aio.get_running_loop`, or a from-imported `get_running_loop`. */
function runningLoopFix(call: Node, ctx: RuleContext): FixProposal | null {
  const callee = call.childForFieldName("function");
  if (!callee) return null;
  if (callee.type === "attribute") {
    const attr = callee.childForFieldName("attribute");
    if (!attr) return null;
    const shown = `${callee.childForFieldName("object")?.text ?? "asyncio"}.get_running_loop()`;
    return { description: `Replace with \`${shown}\``, edits: [{ start: attr.startIndex, end: attr.endIndex, text: "get_running_loop" }] };
  }
  const member = importedMember(ctx, call, "asyncio.get_running_loop");
  const module = member ? null : moduleReference(ctx, call, "asyncio");
  const replacement = member ?? (module ? `${module}.get_running_loop` : null);
  if (!replacement) return null;
  return {
    description: `Replace with \`${replacement}()\``,
    edits: [{ start: callee.startIndex, end: callee.endIndex, text: replacement }],
  };
}
