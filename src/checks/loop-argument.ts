import type { Node } from "../analyzer/parser.js";
import { defineRule, type FixProposal } from "../analyzer/rule.js";
import { describeCall } from "./shared/calls.js";

/**
 * asyncio APIs whose `loop` parameter was deprecated in Python 3.8 and removed
 * in 3.10. Not here on purpose: `ensure_future`, `run_coroutine_threadsafe`,
 * `wrap_future`, `Future` and `Task`, which still take a loop.
 */
const LOOPLESS = new Set([
  "sleep",
  "wait_for",
  "wait",
  "gather",
  "shield",
  "as_completed",
  "Queue",
  "PriorityQueue",
  "LifoQueue",
  "Lock",
  "Event",
  "Semaphore",
  "BoundedSemaphore",
  "Condition",
  "open_connection",
  "open_unix_connection",
  "start_server",
  "start_unix_server",
  "create_subprocess_exec",
  "create_subprocess_shell",
]);

/** The asyncio submodules these names are defined in (`asyncio.locks.Lock` is `asyncio.Lock`). */
const SUBMODULES = new Set(["tasks", "locks", "queues", "streams", "subprocess"]);

export default defineRule({
  meta: {
    code: "LG304",
    name: "loop-argument",
    severity: "warning",
    guide: "pitfall-3-event-loop-closed",
    aliases: [],
    fixable: "always",
  },
  docs: {
    summary: "A `loop=` argument to an asyncio API that no longer accepts one.",
    why: "asyncio deprecated the `loop` parameter of its high-level APIs in Python 3.8 and removed it in 3.10: the call now raises `TypeError`. These APIs always use the running loop, and passing a different one was a source of `Future attached to a different loop` errors.",
    fix: "Drop the `loop=` argument; inside a coroutine the running loop is used.",
    bad: ["import asyncio\n\nasync def pause(loop):\n    await asyncio.sleep(1, loop=loop)\n"],
    good: [
      "import asyncio\n\nasync def pause():\n    await asyncio.sleep(1)\n",
      "import asyncio\n\ndef submit(coro, loop):\n    return asyncio.run_coroutine_threadsafe(coro, loop=loop)\n",
    ],
    limitations:
      "`asyncio.ensure_future`, `run_coroutine_threadsafe`, `wrap_future`, `Future` and `Task` still accept `loop=` and are not reported.",
  },
  visit: {
    keyword_argument(node, ctx) {
      if (node.childForFieldName("name")?.text !== "loop") return;
      const args = node.parent;
      const call = args?.parent;
      if (args?.type !== "argument_list" || call?.type !== "call") return;
      const api = looplessApi(ctx.calleeName(call));
      if (!api) return;
      ctx.report({
        node,
        message: `${describeCall(call)} passes \`loop=\` in ${ctx.describeScope(node)}, but \`${api}()\` lost that parameter in Python 3.10 (deprecated since 3.8) and raises \`TypeError\` there: drop it, asyncio uses the running loop.`,
        fix: dropArgumentFix(args, node),
      });
    },
  },
});

/** `asyncio.<name>` for an API that lost its loop parameter, or null. */
function looplessApi(qualified: string | null): string | null {
  if (!qualified) return null;
  const parts = qualified.split(".");
  if (parts[0] !== "asyncio") return null;
  if (parts.length === 3 && SUBMODULES.has(parts[1]!)) parts.splice(1, 1);
  if (parts.length !== 2 || !LOOPLESS.has(parts[1]!)) return null;
  return parts.join(".");
}

/** Removes one argument with the comma that separates it from its neighbours. */
function dropArgumentFix(args: Node, arg: Node): FixProposal {
  const list = args.namedChildren.filter((c): c is Node => !!c && c.type !== "comment");
  const i = list.findIndex((c) => c.id === arg.id);
  const next = list[i + 1];
  const prev = list[i - 1];
  let range: { start: number; end: number };
  if (next) range = { start: arg.startIndex, end: next.startIndex };
  else if (prev) range = { start: prev.endIndex, end: arg.endIndex };
  else {
    // The only argument: empty the parentheses (a trailing comma goes too).
    const open = args.child(0);
    const close = args.child(args.childCount - 1);
    range = { start: open?.endIndex ?? arg.startIndex, end: close?.type === ")" ? close.startIndex : arg.endIndex };
  }
  return { description: "Remove the `loop=` argument", edits: [{ ...range, text: "" }] };
}
