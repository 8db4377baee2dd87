import type { Node } from "../analyzer/parser.js";
import { supportsPython } from "../analyzer/project.js";
import { defineRule, type RuleContext } from "../analyzer/rule.js";
import { callArguments } from "./shared/calls.js";
import { runByItsModule } from "./shared/entry-points.js";
import { isSuspensionPoint, nodesInScope, statementsOf, unparenthesized } from "./shared/subtree.js";

const CANCELLED = new Set(["asyncio.CancelledError", "asyncio.exceptions.CancelledError"]);

// How the paths through a statement end: re-raising, falling through to the
// next statement, or leaving the handler some other way (return, break,
// continue, raising another exception). A statement can have all three.
const RERAISE = 1;
const FALL = 2;
const ESCAPE = 4;

export default defineRule({
  meta: {
    code: "LG702",
    name: "swallowed-cancellation",
    severity: "warning",
    guide: "pattern-3-timeouts-with-wait_for",
    aliases: ["ASYNC103", "ASYNC104"],
    fixable: "never",
  },
  docs: {
    summary: "A handler that catches `asyncio.CancelledError` in a coroutine does not re-raise it.",
    why: "Cancellation is delivered as a `CancelledError` raised at an `await`. A handler that catches it (by name, with a bare `except:` or with `except BaseException`) and carries on makes the task uncancellable: `task.cancel()`, `asyncio.wait_for` and `asyncio.timeout` timeouts, and TaskGroup or server shutdown all wait on a task that ignored them.",
    fix: "Do the cleanup, then re-raise with a bare `raise` on every path; catch `Exception` instead when cancellation is not what the handler is for.",
    bad: [
      "import asyncio\n\nasync def worker(queue):\n    while True:\n        try:\n            item = await queue.get()\n        except asyncio.CancelledError:\n            break\n        print(item)\n",
    ],
    good: [
      "import asyncio\n\nasync def worker(queue):\n    try:\n        while True:\n            print(await queue.get())\n    except asyncio.CancelledError:\n        print('worker stopping')\n        raise\n",
      "import asyncio\n\nasync def stop(task):\n    task.cancel()\n    try:\n        await task\n    except asyncio.CancelledError:\n        pass\n",
      "async def fetch(client, url):\n    try:\n        return await client.get(url)\n    except Exception:\n        return None\n",
    ],
    limitations:
      "Handlers are followed through `if`/`elif`/`else`, loops, `with`, `try` and `match`; a helper that always re-raises is not known to, but `sys.exit()`, `os._exit()`, `exit()` and `quit()` end the process and count as leaving the handler. Catching the cancellation of a task this coroutine has just cancelled (`t.cancel()`, or `loop.call_soon(t.cancel)`, then `await t` in the `try`) is the documented way to wait for it and is not reported; nor is awaiting only `self.<future>` when another method of the class cancels that future (`self.waiter.cancel()` when the client goes away), nor a handler in the script's main coroutine, the one its own top level runs with `asyncio.run(main())` (cancelling it is how the runner stops the program), nor a coroutine that cancels its own task first (`loop.call_later(5, asyncio.current_task().cancel)`, a hand-made timeout).",
  },
  visit: {
    except_clause(node, ctx) {
      const tryStatement = node.parent;
      if (tryStatement?.type !== "try_statement" || !ctx.isInCoroutine(node)) return;
      const caught = catchesCancellation(node, ctx);
      if (!caught || !bodyAwaits(tryStatement)) return;
      // `except CancelledError: raise` before `except BaseException:`: the earlier clause gets it (and is checked itself).
      if (earlierClauses(node).some((c) => catchesCancellation(c, ctx))) return;
      const handler = node.namedChildren.find((c) => c?.type === "block") ?? null;
      if (!(blockOutcome(statementsOf(handler), boundName(node), false) & (FALL | ESCAPE))) return;
      if (awaitsTaskItCancelled(tryStatement, ctx) || awaitsFutureItsObjectCancels(tryStatement, ctx) || cancelsItself(node, ctx)) return;
      if (isProgramEntry(node, ctx)) return;
      const keyword = node.child(0) ?? node;
      const values = node.childrenForFieldName("value").filter((v): v is Node => !!v);
      ctx.report({ node: keyword, end: values[values.length - 1] ?? keyword, message: message(caught, node, ctx) });
    },
  },
});

/** How the handler catches cancellation, for the message (`except asyncio.CancelledError`, bare `except:`), or null. */
function catchesCancellation(clause: Node, ctx: RuleContext): string | null {
  const values = clause.childrenForFieldName("value").filter((v): v is Node => !!v);
  if (values.length === 0) return "bare `except:`";
  const types = values.flatMap((v) => {
    const t = v.type === "as_pattern" ? v.namedChild(0) : v;
    return t ? exceptionTypes(unparenthesized(t)) : [];
  });
  for (const t of types) {
    const q = ctx.qualifiedName(t);
    if (q && CANCELLED.has(q)) return `\`except ${t.text}\``;
    if (q === "BaseException") return "`except BaseException`";
  }
  return null;
}

/** The `except` clauses of the same `try` before this one. */
function earlierClauses(clause: Node): Node[] {
  const out: Node[] = [];
  for (let c = clause.previousNamedSibling; c; c = c.previousNamedSibling) if (c.type === "except_clause") out.push(c);
  return out;
}

function exceptionTypes(expr: Node): Node[] {
  if (expr.type !== "tuple") return [expr];
  return expr.namedChildren.filter((c): c is Node => !!c).map(unparenthesized);
}

/** The name the exception is bound to (`except CancelledError as e`): `raise e` re-raises it. */
function boundName(clause: Node): string | null {
  for (const v of clause.childrenForFieldName("value")) {
    if (v?.type !== "as_pattern") continue;
    const id = v.childForFieldName("alias")?.namedChild(0);
    if (id?.type === "identifier") return id.text;
  }
  return null;
}

/** Cancellation can only arrive at a suspension point in the `try` body. */
function bodyAwaits(tryStatement: Node): boolean {
  const body = tryStatement.childForFieldName("body");
  if (!body) return false;
  for (const n of nodesInScope(body)) if (isSuspensionPoint(n)) return true;
  return false;
}

/** The ways the paths through a statement list end. */
function blockOutcome(stmts: readonly Node[], bound: string | null, inLoop: boolean): number {
  let ends = 0;
  for (const s of stmts) {
    const o = statementOutcome(s, bound, inLoop);
    ends |= o & ~FALL;
    if (!(o & FALL)) return ends;
  }
  return ends | FALL;
}

function statementOutcome(stmt: Node, bound: string | null, inLoop: boolean): number {
  const block = (n: Node | null | undefined, loop = inLoop) => blockOutcome(statementsOf(n ?? null), bound, loop);
  switch (stmt.type) {
    case "raise_statement":
      return isReraise(stmt, bound) ? RERAISE : ESCAPE;
    case "return_statement":
      return ESCAPE;
    case "expression_statement":
      // The process ends here: nothing carries on after the cancellation.
      return endsProcess(stmt) ? RERAISE : FALL;
    case "break_statement":
    case "continue_statement":
      // Inside a loop of the handler they only leave that loop.
      return inLoop ? FALL : ESCAPE;
    case "if_statement": {
      let o = block(stmt.childForFieldName("consequence"));
      let hasElse = false;
      for (const alt of stmt.childrenForFieldName("alternative")) {
        if (alt?.type === "else_clause") hasElse = true;
        o |= block(alt?.childForFieldName(alt.type === "else_clause" ? "body" : "consequence"));
      }
      return hasElse ? o : o | FALL;
    }
    case "for_statement":
    case "while_statement": {
      // The body may run zero times; a `break` or `continue` in it stays in the loop.
      const body = block(stmt.childForFieldName("body"), true);
      const orElse = stmt.childForFieldName("alternative");
      return (body & ~FALL) | (orElse ? block(orElse.childForFieldName("body")) : FALL);
    }
    case "with_statement":
      return block(stmt.childForFieldName("body"));
    case "try_statement":
      return tryOutcome(stmt, block);
    case "match_statement": {
      let o = 0;
      let exhaustive = false;
      for (const c of stmt.childForFieldName("body")?.namedChildren ?? []) {
        if (c?.type !== "case_clause") continue;
        o |= block(c.childForFieldName("consequence"));
        // `case _:` without a guard catches whatever the cases before it did not.
        if (!c.childForFieldName("guard") && c.namedChildren.some((p) => p?.type === "case_pattern" && p.text === "_")) exhaustive = true;
      }
      return exhaustive ? o : o | FALL;
    }
    default:
      return FALL;
  }
}

function tryOutcome(stmt: Node, block: (n: Node | null | undefined) => number): number {
  let o = block(stmt.childForFieldName("body"));
  let fin: number | null = null;
  for (const c of stmt.namedChildren) {
    if (c?.type === "except_clause") {
      o |= block(c.namedChildren.find((x) => x?.type === "block"));
    } else if (c?.type === "else_clause" && o & FALL) {
      o = (o & ~FALL) | block(c.childForFieldName("body"));
    } else if (c?.type === "finally_clause") {
      fin = block(c.namedChildren.find((x) => x?.type === "block"));
    }
  }
  if (fin === null) return o;
  // A `finally` that never falls through decides how every path ends.
  return fin & FALL ? o | (fin & ~FALL) : fin;
}

const PROCESS_EXITS = new Set(["sys.exit", "os._exit", "os.abort", "exit", "quit"]);

function endsProcess(stmt: Node): boolean {
  const call = stmt.namedChild(0);
  return call?.type === "call" && PROCESS_EXITS.has(call.childForFieldName("function")?.text ?? "");
}

/**
 * The handler is in the script's main coroutine, the one its own top level
 * runs (`asyncio.run(main())`): cancelling it is how the runner stops the
 * program (Ctrl+C), and ending quietly there ends the program, not a task
 * that others wait on.
 */
function isProgramEntry(clause: Node, ctx: RuleContext): boolean {
  const fn = ctx.enclosingFunction(clause);
  return !!fn && fn.scope.parent?.kind === "module" && runByItsModule(ctx).has(fn.name);
}

/** A bare `raise`, or `raise e` of the bound exception (with or without `from`). */
function isReraise(raise: Node, bound: string | null): boolean {
  const exc = raise.namedChildren.find((c) => c && c.type !== "comment" && raise.childForFieldName("cause")?.id !== c.id);
  if (!exc) return true;
  return bound !== null && unparenthesized(exc).type === "identifier" && unparenthesized(exc).text === bound;
}

/**
 * `t.cancel()`, then `try: await t` / `except CancelledError: pass`: the
 * documented way to wait for a task this coroutine has just cancelled.
 */
function awaitsTaskItCancelled(tryStatement: Node, ctx: RuleContext): boolean {
  const awaited = awaitedTasks(tryStatement, ctx);
  if (!awaited) return false;
  const fn = ctx.enclosingFunction(tryStatement);
  const body = fn?.node.childForFieldName("body");
  if (!body) return false;
  const cancelled = new Set<string>();
  for (const c of cancelAttributes(body, tryStatement.startIndex)) {
    // `t.cancel()`, or `loop.call_soon(t.cancel)` / `loop.call_later(5, t.cancel)`: scheduled, not called.
    if (c.calledOrPassed) cancelled.add(c.receiver.text);
  }
  return awaited.every((t) => cancelled.has(t));
}

/**
 * `try: await self.waiter` where another method of the same class cancels
 * that very future (`self.waiter.cancel()` when the connection closes, as in
 * Tornado's long-polling demo): catching its cancellation is how this
 * coroutine learns the wait was called off.
 */
function awaitsFutureItsObjectCancels(tryStatement: Node, ctx: RuleContext): boolean {
  const awaited = awaitedTasks(tryStatement, ctx);
  const cls = ctx.enclosingFunction(tryStatement)?.owner;
  if (!awaited || !cls || !awaited.every((t) => /^self\.\w+$/.test(t))) return false;
  const cancelled = new Set<string>();
  for (const method of cls.methods.values()) {
    const body = method.node.childForFieldName("body");
    if (body) for (const c of cancelAttributes(body)) cancelled.add(c.receiver.text);
  }
  return awaited.every((t) => cancelled.has(t));
}

/**
 * The coroutine cancels its own task before the handler
 * (`loop.call_later(5, asyncio.current_task().cancel)`, or
 * `asyncio.current_task().cancel()`): a hand-made timeout, and catching that
 * cancellation is how it ends.
 */
function cancelsItself(clause: Node, ctx: RuleContext): boolean {
  const fn = ctx.enclosingFunction(clause);
  const body = fn?.node.childForFieldName("body");
  if (!body) return false;
  for (const { receiver } of cancelAttributes(body, clause.startIndex)) {
    if (receiver.type === "call" && ctx.calleeName(receiver) === "asyncio.current_task") return true;
  }
  return false;
}

/**
 * Every `<receiver>.cancel` in a body's own code before an offset, and
 * whether it is called there or handed to a call (`loop.call_soon(t.cancel)`).
 */
function* cancelAttributes(body: Node, before = Infinity): Generator<{ receiver: Node; calledOrPassed: boolean }> {
  for (const n of nodesInScope(body)) {
    if (n.startIndex >= before) return;
    if (n.type !== "attribute" || n.childForFieldName("attribute")?.text !== "cancel") continue;
    const receiver = n.childForFieldName("object");
    if (!receiver) continue;
    const parent = n.parent;
    const called = parent?.type === "call" && parent.childForFieldName("function")?.id === n.id;
    yield { receiver, calledOrPassed: called || parent?.type === "argument_list" };
  }
}

/** The tasks a `try` body awaits when it does nothing else (`await t`, `await self._task`, `await asyncio.wait_for(t, 5)`), or null. */
function awaitedTasks(tryStatement: Node, ctx: RuleContext): string[] | null {
  const out: string[] = [];
  for (const stmt of statementsOf(tryStatement.childForFieldName("body"))) {
    const expr = stmt.type === "expression_statement" ? stmt.namedChild(0) : null;
    const awaited = expr?.type === "await" ? expr.namedChild(0) : null;
    const task = awaited ? taskOf(unparenthesized(awaited), ctx) : null;
    if (!task) return null;
    out.push(task.text);
  }
  return out.length ? out : null;
}

function taskOf(awaited: Node, ctx: RuleContext): Node | null {
  if (awaited.type === "identifier" || awaited.type === "attribute") return awaited;
  if (awaited.type !== "call" || ctx.calleeName(awaited) !== "asyncio.wait_for") return null;
  const first = callArguments(awaited).positional[0];
  return first && (first.type === "identifier" || first.type === "attribute") ? first : null;
}

function message(caught: string, clause: Node, ctx: RuleContext): string {
  const where = ctx.describeScope(clause);
  // asyncio.timeout and TaskGroup are Python 3.11+: name them only where the project can use them.
  const stoppers = supportsPython(ctx.project, 3, 11)
    ? "`task.cancel()`, timeouts (`asyncio.wait_for`, `asyncio.timeout`) and TaskGroup shutdown"
    : "`task.cancel()` and `asyncio.wait_for` timeouts";
  const effect = `so ${stoppers} stop working for this task. Clean up, then \`raise\` on every path (or catch \`Exception\` if cancellation is not what this handler is for).`;
  if (caught.startsWith("bare") || caught.includes("BaseException")) {
    return `${caught} in ${where} also catches \`asyncio.CancelledError\`, and a path through the handler ends without re-raising: the task's cancellation is swallowed, ${effect}`;
  }
  return `${caught} in ${where} swallows the task's cancellation: a path through the handler ends without re-raising, ${effect}`;
}
