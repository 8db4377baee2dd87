import type { Node } from "../analyzer/parser.js";
import { defineRule, type FixProposal, type RuleContext } from "../analyzer/rule.js";
import { addImportEdit, describeCall, importedMember, isExpressionStatement, moduleReference } from "./shared/calls.js";

export default defineRule({
  meta: {
    code: "LG101",
    name: "blocking-sleep",
    severity: "error",
    guide: "pitfall-1-blocking-the-event-loop",
    aliases: ["ASYNC251"],
    fixable: "sometimes",
  },
  docs: {
    summary: "`time.sleep()` inside a coroutine stops the whole event loop.",
    why: "`time.sleep()` parks the thread that runs the event loop, so no other task, callback or I/O makes progress until it returns.",
    fix: "Use `await asyncio.sleep(...)` with the same arguments; it suspends only the current task.",
    bad: ["import time\n\nasync def poll():\n    time.sleep(1)\n"],
    good: [
      "import asyncio\n\nasync def poll():\n    await asyncio.sleep(1)\n",
      "import asyncio\nimport time\n\nasync def poll():\n    await asyncio.to_thread(time.sleep, 1)\n",
    ],
  },
  visit: {
    call(node, ctx) {
      if (ctx.calleeName(node) !== "time.sleep" || !ctx.isInCoroutine(node)) return;
      ctx.report({
        node,
        message: `${describeCall(node)} blocks the event loop in ${ctx.describeScope(node)}: use \`await asyncio.sleep(...)\`, which lets other tasks run while this one waits.`,
        fix: sleepFix(node, ctx),
      });
    },
  },
});

/** `time.sleep(x)` → `await asyncio.sleep(x)`, spelled however the file reaches asyncio. */
function sleepFix(call: Node, ctx: RuleContext): FixProposal | null {
  // Only a whole statement: inside a larger expression `await` could bind differently.
  if (!isExpressionStatement(call)) return null;
  const fn = call.childForFieldName("function");
  if (!fn) return null;
  const member = importedMember(ctx, call, "asyncio.sleep");
  const module = member ? null : moduleReference(ctx, call, "asyncio");
  const replace = { start: call.startIndex, end: fn.endIndex };
  if (member) {
    return { description: `Replace with \`await ${member}(...)\``, edits: [{ ...replace, text: `await ${member}` }] };
  }
  if (module) {
    return {
      description: `Replace with \`await ${module}.sleep(...)\``,
      edits: [{ ...replace, text: `await ${module}.sleep` }],
    };
  }
  const importEdit = addImportEdit(ctx, "asyncio");
  if (!importEdit) return null;
  return {
    description: "Replace with `await asyncio.sleep(...)` and add `import asyncio`",
    edits: [importEdit, { ...replace, text: "await asyncio.sleep" }],
  };
}
