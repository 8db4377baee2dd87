import type { Node } from "../analyzer/parser.js";
import type { FunctionInfo, SemanticModel } from "../analyzer/scope.js";
import { defineRule, type RuleContext } from "../analyzer/rule.js";
import { threadAdvice } from "./shared/threads.js";
import { callArguments, describeCall, methodCall } from "./shared/calls.js";
import { RUNNERS } from "./shared/entry-points.js";
import { isNestedScope, nodesInScope } from "./shared/subtree.js";

const THREAD_POOLS = new Set(["concurrent.futures.ThreadPoolExecutor", "concurrent.futures.thread.ThreadPoolExecutor"]);
const PROCESS_POOLS = new Set(["concurrent.futures.ProcessPoolExecutor", "concurrent.futures.process.ProcessPoolExecutor"]);

/** Calls that run a coroutine as the program's entry point: usually once per process. */
const LOOP_RUNNERS = new Set([...RUNNERS, "uvloop.run"]);
const RUNNER_METHODS = new Set(["run_until_complete"]);
/** Calls that only use a pool for one job: handing the pool to them does not keep it. */
const POOL_USES = new Set(["run_in_executor"]);

interface FileState {
  sites: { call: Node; fn: FunctionInfo }[];
  entryPoints: Set<FunctionInfo>;
}

const states = new WeakMap<SemanticModel, FileState>();

function stateOf(ctx: RuleContext): FileState {
  let s = states.get(ctx.model);
  if (!s) {
    s = { sites: [], entryPoints: new Set() };
    states.set(ctx.model, s);
  }
  return s;
}

export default defineRule({
  meta: {
    code: "LG703",
    name: "executor-per-call",
    severity: "info",
    guide: "pattern-4-run-blocking-code-with-run_in_executor",
    aliases: [],
    fixable: "never",
  },
  docs: {
    summary: "A coroutine creates a new `ThreadPoolExecutor`/`ProcessPoolExecutor` every time it runs.",
    why: "A pool is meant to be made once and reused. Made per call, every call pays for starting threads (or whole new interpreter processes that import your modules again) and for shutting them down, and concurrent calls multiply the number of workers instead of sharing them.",
    fix: "Create the pool once (module level, `__init__`, or the `main` coroutine) and pass it to `run_in_executor`, or use the loop's default executor with `await asyncio.to_thread(...)`.",
    bad: [
      "import asyncio\nfrom concurrent.futures import ProcessPoolExecutor\n\nasync def compute(data):\n    loop = asyncio.get_running_loop()\n    with ProcessPoolExecutor() as pool:\n        return await loop.run_in_executor(pool, sum, data)\n",
    ],
    good: [
      "import asyncio\nfrom concurrent.futures import ProcessPoolExecutor\n\nPOOL = ProcessPoolExecutor()\n\nasync def compute(data):\n    loop = asyncio.get_running_loop()\n    return await loop.run_in_executor(POOL, sum, data)\n",
      "import asyncio\nfrom concurrent.futures import ThreadPoolExecutor\n\nasync def main():\n    with ThreadPoolExecutor(max_workers=8) as pool:\n        await serve(pool)\n\nasyncio.run(main())\n",
    ],
    limitations:
      "A pool kept beyond the call is not reported: stored on an attribute (`self._pool = ...`) or a `global`, handed to `loop.set_default_executor(...)`, or made in the coroutine that the same file starts with `asyncio.run(...)` (it runs once).",
  },
  visit: {
    call(node, ctx) {
      const name = ctx.calleeName(node);
      const state = stateOf(ctx);
      if (LOOP_RUNNERS.has(name ?? "") || isRunnerMethod(node, ctx)) recordEntryPoint(node, state, ctx);
      if (!name || (!THREAD_POOLS.has(name) && !PROCESS_POOLS.has(name))) return;
      if (!ctx.isInCoroutine(node) || isKept(node, ctx)) return;
      const fn = ctx.enclosingFunction(node);
      if (fn) state.sites.push({ call: node, fn });
    },
  },
  finish(ctx) {
    const state = stateOf(ctx);
    states.delete(ctx.model);
    for (const { call, fn } of state.sites) {
      if (state.entryPoints.has(fn)) continue;
      ctx.report({ node: call, message: message(call, ctx) });
    }
  },
});

/** `loop.run_until_complete(...)`, or `runner.run(...)` on a local `asyncio.Runner()`. */
function isRunnerMethod(call: Node, ctx: RuleContext): boolean {
  const m = methodCall(call);
  if (!m) return false;
  if (RUNNER_METHODS.has(m.method)) return true;
  return m.method === "run" && ctx.typeOf(m.receiver) === "asyncio.Runner";
}

/** `asyncio.run(main())`, `trio.run(main)`, `loop.run_until_complete(main())`: `main` runs once. */
function recordEntryPoint(call: Node, state: FileState, ctx: RuleContext): void {
  const first = callArguments(call).positional[0];
  if (!first) return;
  const target = first.type === "call" ? first.childForFieldName("function") : first;
  if (!target) return;
  const fn = ctx.model.functionForCallee(target, ctx.scopeOf(call));
  if (fn) state.entryPoints.add(fn);
}

/** The pool outlives the call: stored on an object or a global, or made the loop's default executor. */
function isKept(call: Node, ctx: RuleContext): boolean {
  const p = call.parent;
  if (p?.type === "assignment" && p.childForFieldName("right")?.id === call.id) {
    const target = p.childForFieldName("left");
    if (target?.type === "attribute" || target?.type === "subscript") return true;
    const fn = ctx.enclosingFunction(call);
    if (target?.type === "identifier" && fn) {
      if (fn.scope.globals.has(target.text) || fn.scope.nonlocals.has(target.text)) return true;
      return localNameKept(fn, target);
    }
  }
  if (p?.type === "argument_list") return handedOn(p);
  return false;
}

/**
 * `executor = ThreadPoolExecutor()`, then `app["executor"] = executor`,
 * `loop.set_default_executor(executor)`, `return executor`, or a helper
 * that takes it: the pool was made to be kept, not for this call alone.
 */
function localNameKept(fn: FunctionInfo, target: Node): boolean {
  const body = fn.node.childForFieldName("body");
  if (!body) return false;
  const word = new RegExp(`\\b${target.text}\\b`);
  for (const n of nodesInScope(body)) {
    // A nested function or lambda that uses the pool keeps it past this call.
    if (isNestedScope(n)) {
      if (word.test(n.text)) return true;
      continue;
    }
    if (n.type === "identifier" && n.text === target.text && n.id !== target.id && keepsValue(n)) return true;
  }
  return false;
}

/** What one use of the pool's name does with it. */
function keepsValue(id: Node): boolean {
  let expr = id;
  while (expr.parent?.type === "parenthesized_expression") expr = expr.parent;
  const p = expr.parent;
  if (!p) return false;
  switch (p.type) {
    case "return_statement":
    case "yield":
    case "list":
    case "tuple":
    case "set":
    case "pair":
    case "expression_list":
      return true;
    case "assignment":
      return p.childForFieldName("right")?.id === expr.id;
    case "keyword_argument":
      return p.childForFieldName("value")?.id === expr.id && !!p.parent && handedOn(p.parent);
    case "argument_list":
      return handedOn(p);
    default:
      return false;
  }
}

/** Arguments of a call that keeps what it is given: anything but running one job on the pool (`run_in_executor`). */
function handedOn(args: Node): boolean {
  const call = args.parent;
  if (call?.type !== "call") return false;
  const method = methodCall(call)?.method;
  return method !== undefined ? !POOL_USES.has(method) : true;
}

function message(call: Node, ctx: RuleContext): string {
  const processes = PROCESS_POOLS.has(ctx.calleeName(call) ?? "");
  const cost = processes
    ? "starts new worker processes (each a fresh interpreter that imports your modules again)"
    : "starts new worker threads";
  return `${describeCall(call)} in ${ctx.describeScope(call)} ${cost} on every call and shuts them down again. Create the pool once (module level, \`__init__\`, or the \`main\` coroutine) and reuse it, or use the loop's default executor with ${threadAdvice(ctx, "fn")}.`;
}
