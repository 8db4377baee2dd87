import type { Node } from "../analyzer/parser.js";
import { defineRule, type RuleContext } from "../analyzer/rule.js";
import { callArguments, methodCall } from "./shared/calls.js";
import { statementsOf, unparenthesized } from "./shared/subtree.js";

const SLEEPS = new Set(["asyncio.sleep", "anyio.sleep"]);
const LOG_METHODS = new Set(["debug", "info", "warning", "warn", "error", "exception", "critical", "log"]);

export default defineRule({
  meta: {
    code: "LG701",
    name: "busy-wait",
    severity: "warning",
    guide: "pattern-3-timeouts-with-wait_for",
    aliases: ["ASYNC110"],
    fixable: "never",
  },
  docs: {
    summary: "A `while` loop in a coroutine only sleeps until some state changes.",
    why: "Polling wakes the task every interval just to look at a flag: it reacts up to one interval late, costs wake-ups while nothing happens, and waits forever if the state never changes.",
    fix: "Wait for the thing itself: `await` the task or future, `await event.wait()` on an `asyncio.Event` that the other side sets, and bound the wait with `asyncio.wait_for(...)`.",
    bad: ["import asyncio\n\nasync def wait_until_ready(job):\n    while not job.done():\n        await asyncio.sleep(0.1)\n"],
    good: [
      "import asyncio\n\nasync def wait_until_ready(ready: asyncio.Event):\n    await asyncio.wait_for(ready.wait(), timeout=30)\n",
      "import asyncio\n\nasync def heartbeat(conn):\n    while conn.is_open():\n        await conn.ping()\n        await asyncio.sleep(30)\n",
      "import asyncio\n\nasync def serve_forever():\n    while True:\n        await asyncio.sleep(3600)\n",
    ],
    limitations:
      "Only loops whose body is nothing but the sleep (with `pass`, `continue` or a logging call) and whose condition reads state: a name, an attribute, a method call without arguments, or `not` of one. `while True:` (sleeping forever) and conditions that do work (`while not (r := await check()):`, comparisons against a deadline) are left alone.",
  },
  visit: {
    while_statement(node, ctx) {
      const condition = node.childForFieldName("condition");
      if (!condition || !pollsState(unparenthesized(condition))) return;
      if (!ctx.isInCoroutine(node) || !onlySleeps(node.childForFieldName("body"), ctx)) return;
      const keyword = node.child(0) ?? node;
      ctx.report({ node: keyword, end: condition, message: message(node, condition, ctx) });
    },
  },
});

/** `ready`, `self.ready`, `job.done()`, `not event.is_set()`: a look at state that something else changes. */
function pollsState(expr: Node): boolean {
  switch (expr.type) {
    case "identifier":
    case "attribute":
      return true;
    case "call": {
      const fn = expr.childForFieldName("function");
      const { positional, keywords } = callArguments(expr);
      return (fn?.type === "identifier" || fn?.type === "attribute") && positional.length === 0 && keywords.size === 0;
    }
    case "not_operator": {
      const arg = expr.childForFieldName("argument");
      return !!arg && arg.type !== "not_operator" && pollsState(unparenthesized(arg));
    }
    default:
      return false;
  }
}

/** The body is one `await asyncio.sleep(...)`, give or take `pass`, `continue` and logging calls. */
function onlySleeps(body: Node | null, ctx: RuleContext): boolean {
  let sleeps = 0;
  for (const stmt of statementsOf(body)) {
    if (stmt.type === "pass_statement" || stmt.type === "continue_statement") continue;
    if (stmt.type !== "expression_statement" || stmt.namedChildCount !== 1) return false;
    const expr = unparenthesized(stmt.namedChild(0)!);
    if (expr.type === "await") {
      const call = unparenthesized(expr.namedChild(0) ?? expr);
      if (call.type !== "call" || !SLEEPS.has(ctx.calleeName(call) ?? "")) return false;
      sleeps++;
    } else if (!(expr.type === "call" && isLoggingCall(expr, ctx))) return false;
  }
  return sleeps === 1;
}

function isLoggingCall(call: Node, ctx: RuleContext): boolean {
  if (ctx.calleeName(call)?.startsWith("logging.")) return true;
  const m = methodCall(call);
  return !!m && LOG_METHODS.has(m.method);
}

function message(loop: Node, condition: Node, ctx: RuleContext): string {
  const text = condition.text.replace(/\s+/g, " ");
  const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  return `\`while ${shown}\` only sleeps and looks again in ${ctx.describeScope(loop)}: the task wakes every interval to poll, reacts up to one interval late, and waits forever if the state never changes. Wait for the thing itself: \`await\` the task or future, or an \`asyncio.Event\` the other side sets, bounded by \`asyncio.wait_for(...)\`.`;
}
