import type { Node } from "../analyzer/parser.js";
import { defineRule, type RuleContext } from "../analyzer/rule.js";
import type { Scope, SemanticModel } from "../analyzer/scope.js";
import { describeCall } from "./shared/calls.js";
import { isExpectedToFail } from "./shared/pytest.js";

/** Per file: the `asyncio.run()` calls of each function (or of the module body), in document order. */
const states = new WeakMap<SemanticModel, Map<Scope, Node[]>>();

/** Calls after which the current path stops. */
const EXITS = new Set(["sys.exit", "exit", "quit", "os._exit", "os.abort"]);
/** Statements after which a path does not go on to the next statement of the function (a `break` does: after the loop). */
const LEAVING_STATEMENTS = new Set(["return_statement", "raise_statement"]);
/** Statements that leave a loop for good (`continue` starts the next iteration). */
const LOOP_LEAVING_STATEMENTS = new Set(["return_statement", "raise_statement", "break_statement"]);
const FUNCTION_OWNERS = new Set(["function_definition", "lambda"]);
const COMPREHENSIONS = new Set(["list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression"]);

export default defineRule({
  meta: {
    code: "LG301",
    name: "repeated-asyncio-run",
    severity: "warning",
    guide: "pitfall-3-event-loop-closed",
    aliases: [],
    fixable: "never",
  },
  docs: {
    summary: "`asyncio.run()` called again after another `asyncio.run()` in the same function or module body, or inside a loop.",
    why: "Each `asyncio.run()` creates a new event loop and closes it when its coroutine returns. Anything the first run bound to its loop (an `aiohttp` session, a lock, a queue, a background task) is unusable in the second: `Event loop is closed`, or `attached to a different loop`. It also pays the loop's set-up and tear-down every time.",
    fix: "Write one `async def main()` that awaits each step (or loops with `await`), and call `asyncio.run(main())` once.",
    bad: [
      "import asyncio\n\nasync def fetch_users(): ...\nasync def fetch_orders(): ...\n\nusers = asyncio.run(fetch_users())\norders = asyncio.run(fetch_orders())\n",
    ],
    good: [
      "import asyncio\n\nasync def fetch_users(): ...\nasync def fetch_orders(): ...\n\nasync def main():\n    users = await fetch_users()\n    orders = await fetch_orders()\n    return users, orders\n\nasyncio.run(main())\n",
      "import asyncio, sys\n\nasync def serve(): ...\nasync def migrate(): ...\n\ndef cli(command):\n    if command == 'serve':\n        asyncio.run(serve())\n    else:\n        asyncio.run(migrate())\n",
    ],
    limitations:
      "Looks at one function (or the module body) at a time: a function that calls `asyncio.run()` once but is itself called twice is not reported. Calls in different branches of one `if`/`match`/`try`, and a call whose path then returns, raises or exits, are not counted as running one after the other. Calls inside a coroutine are LG302's. Code in the body of `with pytest.raises(...)`, `pytest.warns(...)` or `self.assertRaises(...)` (and its Regex/Warns relatives) is left alone: the test means it to fail.",
  },
  visit: {
    call(node, ctx) {
      if (ctx.calleeName(node) !== "asyncio.run" || ctx.isInCoroutine(node) || isExpectedToFail(node, ctx)) return;
      let byScope = states.get(ctx.model);
      if (!byScope) {
        byScope = new Map();
        states.set(ctx.model, byScope);
      }
      const scope = ctx.scopeOf(node).functionScope;
      const calls = byScope.get(scope);
      if (calls) calls.push(node);
      else byScope.set(scope, [node]);
    },
  },
  finish(ctx) {
    const byScope = states.get(ctx.model);
    if (!byScope) return;
    states.delete(ctx.model);
    for (const calls of byScope.values()) reportRepeats(calls, ctx);
  },
});

function reportRepeats(calls: readonly Node[], ctx: RuleContext): void {
  calls.forEach((call, i) => {
    const where = ctx.describeScope(call);
    if (runsRepeatedly(call, ctx)) {
      ctx.report({
        node: call,
        message: `${describeCall(call)} runs inside a loop in ${where}: it creates a new event loop and closes it on every iteration, so ${BROKEN} Write one \`async def main()\` that loops with \`await\`, and call \`asyncio.run(main())\` once.`,
      });
      return;
    }
    const earlier = calls.slice(0, i).find((p) => runsBefore(p, call, ctx));
    if (!earlier) return;
    ctx.report({
      node: call,
      message: `${describeCall(call)} runs after the ${describeCall(earlier)} on line ${earlier.startPosition.row + 1} in ${where}: each call creates a new event loop and closes it at the end, so ${BROKEN} Await both steps in one \`async def main()\`, and call \`asyncio.run(main())\` once.`,
    });
  });
}

const BROKEN =
  "anything bound to one loop (sessions, locks, queues, tasks) breaks in the next (`Event loop is closed`, `attached to a different loop`).";

/** Inside a `for`/`while` body, a `while` condition or a comprehension, with no exit from that loop after it. */
function runsRepeatedly(call: Node, ctx: RuleContext): boolean {
  let child = call;
  for (let p = call.parent; p && !FUNCTION_OWNERS.has(p.type); child = p, p = p.parent) {
    // `asyncio.run(...)` followed by `break`/`return` on the same path runs to completion at most once per entry to the loop.
    if (isRepeatedPart(p, child, call) && !leavesAfter(call, p, LOOP_LEAVING_STATEMENTS, ctx)) return true;
  }
  return false;
}

/** Whether `child` of `loop` (holding `call`) is evaluated once per iteration. */
function isRepeatedPart(loop: Node, child: Node, call: Node): boolean {
  switch (loop.type) {
    case "for_statement":
      return loop.childForFieldName("body")?.id === child.id;
    case "while_statement":
      return loop.childForFieldName("body")?.id === child.id || loop.childForFieldName("condition")?.id === child.id;
    default: {
      if (!COMPREHENSIONS.has(loop.type)) return false;
      // The first iterable is evaluated once, before the iteration starts.
      const first = loop.namedChildren.find((c) => c?.type === "for_in_clause");
      return !(first?.id === child.id && isWithin(first.childForFieldName("right"), call));
    }
  }
}

/** Whether `earlier` is executed before `later` on some path: not in exclusive branches, and its path goes on. */
function runsBefore(earlier: Node, later: Node, ctx: RuleContext): boolean {
  const ancestorsOfEarlier = new Set<number>();
  for (let a = earlier.parent; a; a = a.parent) ancestorsOfEarlier.add(a.id);
  let laterChild = later;
  let common = later.parent;
  while (common && !ancestorsOfEarlier.has(common.id)) {
    laterChild = common;
    common = common.parent;
  }
  if (!common) return false;
  let earlierChild = earlier;
  while (earlierChild.parent && earlierChild.parent.id !== common.id) earlierChild = earlierChild.parent;
  if (exclusiveBranches(common, earlierChild, laterChild)) return false;
  return !leavesAfter(earlier, common, LEAVING_STATEMENTS, ctx);
}

/** Two different children of one `if`/`match`/`try` or conditional expression, neither of them its condition. */
function exclusiveBranches(common: Node, a: Node, b: Node): boolean {
  switch (common.type) {
    case "if_statement": {
      const condition = common.childForFieldName("condition");
      return a.id !== condition?.id && b.id !== condition?.id;
    }
    case "conditional_expression": {
      const condition = common.namedChild(1);
      return a.id !== condition?.id && b.id !== condition?.id;
    }
    case "try_statement":
      return true;
    case "block":
      return common.parent?.type === "match_statement" && a.type === "case_clause" && b.type === "case_clause";
    default:
      return false;
  }
}

/**
 * Whether the path through `node` stops before leaving `until`: in some
 * block between them, the statement holding `node` or one after it returns,
 * raises, exits (or is one of `leaving`).
 */
function leavesAfter(node: Node, until: Node, leaving: ReadonlySet<string>, ctx: RuleContext): boolean {
  let child = node;
  for (let p = node.parent; p && p.id !== until.id; child = p, p = p.parent) {
    if (p.type !== "block" && p.type !== "module") continue;
    for (let s: Node | null = child; s; s = s.nextNamedSibling) {
      if (leaving.has(s.type) || isExitCall(s, ctx)) return true;
    }
  }
  return false;
}

/** `sys.exit(...)` and the like as a statement (also around the call: `sys.exit(asyncio.run(main()))`). */
function isExitCall(statement: Node, ctx: RuleContext): boolean {
  if (statement.type !== "expression_statement") return false;
  const call = statement.namedChild(0);
  if (call?.type !== "call") return false;
  const q = ctx.calleeName(call);
  return q !== null && EXITS.has(q);
}

function isWithin(outer: Node | null, inner: Node): boolean {
  return !!outer && inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}
