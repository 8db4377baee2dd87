import type { Node } from "../analyzer/parser.js";
import { parameterName, type FunctionInfo, type SemanticModel } from "../analyzer/scope.js";
import { defineRule, type RuleContext } from "../analyzer/rule.js";
import { describeCall, fillsParameter, methodCall } from "./shared/calls.js";
import { withStatementOf } from "./shared/context-managers.js";
import { isNestedScope, nodesInScope } from "./shared/subtree.js";

const SESSION_FACTORIES = new Set(["aiohttp.ClientSession", "httpx.AsyncClient", "aiohttp.request"]);

const LOOPS = new Set(["for_statement", "while_statement"]);
const COMPREHENSIONS = new Set(["list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression"]);

/** What one file's walk collected: session constructors, and every call by the name it is called by. */
interface FileState {
  sites: { call: Node; fn: FunctionInfo }[];
  callsByName: Map<string, Node[]>;
}

const states = new WeakMap<SemanticModel, FileState>();

function stateOf(ctx: RuleContext): FileState {
  let s = states.get(ctx.model);
  if (!s) {
    s = { sites: [], callsByName: new Map() };
    states.set(ctx.model, s);
  }
  return s;
}

export default defineRule({
  meta: {
    code: "LG601",
    name: "client-session-per-request",
    severity: "warning",
    guide: "optimization-reuse-connections",
    aliases: [],
    fixable: "never",
  },
  docs: {
    summary: "An HTTP client session is created for every request, inside a loop or in a coroutine called from one.",
    why: "An `aiohttp.ClientSession` or `httpx.AsyncClient` owns a connection pool. A new one per request opens a new TCP (and TLS) connection every time, throws away keep-alive and DNS caching, and can exhaust sockets under load.",
    fix: "Create one session for the whole batch (or the application's lifetime) and pass it to the code that makes the requests.",
    bad: [
      "import aiohttp\n\nasync def fetch_all(urls):\n    results = []\n    for url in urls:\n        async with aiohttp.ClientSession() as session:\n            async with session.get(url) as resp:\n                results.append(await resp.json())\n    return results\n",
      "import asyncio\nimport httpx\n\nasync def fetch(url):\n    async with httpx.AsyncClient() as client:\n        return (await client.get(url)).json()\n\nasync def fetch_all(urls):\n    return await asyncio.gather(*[fetch(url) for url in urls])\n",
    ],
    good: [
      "import asyncio\nimport aiohttp\n\nasync def fetch(session, url):\n    async with session.get(url) as resp:\n        return await resp.json()\n\nasync def fetch_all(urls):\n    async with aiohttp.ClientSession() as session:\n        return await asyncio.gather(*[fetch(session, url) for url in urls])\n",
      "import asyncio\nimport aiohttp\n\nasync def listen(url, handle):\n    while True:\n        try:\n            async with aiohttp.ClientSession() as session:\n                async with session.ws_connect(url) as ws:\n                    async for msg in ws:\n                        handle(msg)\n        except aiohttp.ClientError:\n            await asyncio.sleep(5)\n",
    ],
    limitations:
      "Follows one hop: the coroutine that creates the session must be called by name (a function, or a `self`/class method) from a loop or comprehension of the same file. A session that opens a WebSocket (`ws_connect`) lives as long as the connection and is not counted as per request. A session made only when the caller passes none (`if session is None: session = ClientSession()`, `session = session or ClientSession()`) is not reported for a loop that passes one, and one made once and kept on the object (`if self._client is None: self._client = httpx.AsyncClient()`) is not reported at all; nor is a session its function goes on to loop with (a pool of queue workers, each with one session for many requests).",
  },
  visit: {
    call(node, ctx) {
      const state = stateOf(ctx);
      recordCallName(node, state);
      if (!SESSION_FACTORIES.has(ctx.calleeName(node) ?? "") || !ctx.isInCoroutine(node)) return;
      if (opensWebSocket(node)) return;
      const fnHere = ctx.enclosingFunction(node);
      if (fnHere && cachedOnAttribute(node, fnHere)) return;
      const loop = enclosingLoop(node, false);
      if (loop) {
        ctx.report({ node, message: inLoopMessage(node, loop, ctx) });
        return;
      }
      if (fnHere) state.sites.push({ call: node, fn: fnHere });
    },
  },
  finish(ctx) {
    const state = stateOf(ctx);
    states.delete(ctx.model);
    for (const site of state.sites) {
      if (loopsWithSession(site.call, site.fn)) continue;
      const caller = loopCallOf(site.fn, state, ctx, fallbackParameter(site.call, site.fn));
      if (caller) ctx.report({ node: site.call, message: calledInLoopMessage(site.call, site.fn, caller, ctx) });
    }
  },
});

/** Indexes calls by the name they call (`fetch` for `fetch(u)` and `self.fetch(u)`), to find a function's callers later. */
function recordCallName(call: Node, state: FileState): void {
  const fn = call.childForFieldName("function");
  const name = fn?.type === "identifier" ? fn.text : fn?.type === "attribute" ? fn.childForFieldName("attribute")?.text : undefined;
  if (!name) return;
  const list = state.callsByName.get(name);
  if (list) list.push(call);
  else state.callsByName.set(name, [call]);
}

/**
 * The `for`/`while` statement (and, with `comprehensions`, the comprehension)
 * whose repeated part contains the node, within the node's own function.
 */
function enclosingLoop(node: Node, comprehensions: boolean): Node | null {
  let child = node;
  for (let p = node.parent; p && !isNestedScope(p); child = p, p = p.parent) {
    if (LOOPS.has(p.type) && p.childForFieldName("body")?.id === child.id) return p;
    if (comprehensions && COMPREHENSIONS.has(p.type) && p.childForFieldName("body")?.id === child.id) return p;
  }
  return null;
}

/**
 * The function that makes the session goes on to loop with it
 * (`async with ClientSession() as s: while q.qsize(): await s.get(await q.get())`,
 * or `s = ClientSession()` and a loop after it): one session serves many
 * requests, as in a pool of queue workers each started by a loop.
 */
function loopsWithSession(call: Node, fn: FunctionInfo): boolean {
  const named = sessionName(call);
  if (!named) return false;
  const scope = named.scope ?? fn.node.childForFieldName("body");
  if (!scope) return false;
  for (const n of nodesInScope(scope)) {
    if (n.startIndex <= call.endIndex || (n.type !== "for_statement" && n.type !== "while_statement")) continue;
    for (const m of nodesInScope(n)) if (m.type === "identifier" && m.text === named.name) return true;
  }
  return false;
}

/** The name a session is bound to (`async with ClientSession() as s`, `s = ClientSession()`), with the `with` body it lives in. */
function sessionName(call: Node): { name: string; scope: Node | null } | null {
  if (call.parent?.type === "as_pattern") {
    const alias = call.parent.childForFieldName("alias");
    const target = alias?.namedChild(0) ?? alias;
    const body = withBodyOf(call);
    if (target?.type !== "identifier" || !body) return null;
    return { name: target.text, scope: body };
  }
  const assignment = call.parent;
  const left = assignment?.type === "assignment" ? assignment.childForFieldName("left") : null;
  return left?.type === "identifier" ? { name: left.text, scope: null } : null;
}

/** The body of the `with` statement whose item the call is (`with ClientSession() as s:`, `with ClientSession():`). */
function withBodyOf(call: Node): Node | null {
  const item = call.parent?.type === "as_pattern" ? call.parent.parent : call.parent;
  const statement = item?.type === "with_item" ? withStatementOf(item)?.statement : null;
  return statement?.childForFieldName("body") ?? null;
}

/** `async with aiohttp.ClientSession() as s:` whose body opens a WebSocket: the session lasts as long as that connection. */
function opensWebSocket(call: Node): boolean {
  const body = withBodyOf(call);
  if (!body) return false;
  for (const n of nodesInScope(body)) {
    if (n.type === "call" && methodCall(n)?.method === "ws_connect") return true;
  }
  return false;
}

/**
 * A call of `fn` made from a loop or comprehension body somewhere in the
 * file; one that passes the session `fn` would otherwise make (`fallback`)
 * does not count.
 */
function loopCallOf(fn: FunctionInfo, state: FileState, ctx: RuleContext, fallback: Parameter | null): { call: Node; loop: Node } | null {
  for (const call of state.callsByName.get(fn.name) ?? []) {
    const callee = call.childForFieldName("function");
    if (!callee || ctx.model.functionForCallee(callee, ctx.scopeOf(call)) !== fn) continue;
    const loop = enclosingLoop(call, true);
    if (loop && !(fallback && passes(call, fallback))) return { call, loop };
  }
  return null;
}

interface Parameter {
  name: string;
  /** Position among the function's parameters (`self` included). */
  index: number;
}

/**
 * The parameter a session only stands in for: `if session is None:
 * session = ClientSession()`, `session = session or ClientSession()`, or
 * `session = ClientSession() if session is None else session`. Libraries
 * let callers pass their own session this way.
 */
function fallbackParameter(call: Node, fn: FunctionInfo): Parameter | null {
  const guarded = guardedAssignment(call, fn);
  if (guarded?.target.type !== "identifier") return null;
  const name = guarded.target.text;
  const params = fn.node.childForFieldName("parameters")?.namedChildren ?? [];
  const index = params.findIndex((p) => p !== null && parameterName(p) === name);
  return index === -1 ? null : { name, index };
}

/**
 * A session made once and kept on the object: `if self._client is None:
 * self._client = httpx.AsyncClient()`, or `self.s = self.s or ClientSession()`.
 * Later calls reuse it, so it is not one session per request.
 */
function cachedOnAttribute(call: Node, fn: FunctionInfo): boolean {
  return guardedAssignment(call, fn)?.target.type === "attribute";
}

/**
 * The assignment of a session to a name or attribute that the same statement
 * or an enclosing `if` tests first (`if x is None: x = ClientSession()`,
 * `x = x or ClientSession()`, `x = ClientSession() if x is None else x`).
 */
function guardedAssignment(call: Node, fn: FunctionInfo): { target: Node } | null {
  let value: Node = call;
  while (value.parent?.type === "boolean_operator" || value.parent?.type === "conditional_expression" || value.parent?.type === "parenthesized_expression") {
    value = value.parent;
  }
  const assignment = value.parent;
  if (assignment?.type !== "assignment" || assignment.childForFieldName("right")?.id !== value.id) return null;
  const target = assignment.childForFieldName("left");
  if (target?.type !== "identifier" && target?.type !== "attribute") return null;
  const guarded = value.id !== call.id ? mentions(value, target) : enclosingIfMentions(assignment, fn, target);
  return guarded ? { target } : null;
}

function enclosingIfMentions(node: Node, fn: FunctionInfo, target: Node): boolean {
  for (let p = node.parent; p && p.id !== fn.node.id; p = p.parent) {
    if (p.type === "if_statement" && mentions(p.childForFieldName("condition"), target)) return true;
  }
  return false;
}

/** Whether an expression reads the same name or attribute chain as `target` (`session`, `self._client`). */
function mentions(node: Node | null, target: Node): boolean {
  if (!node) return false;
  if (node.type === target.type && node.text === target.text) return true;
  return node.namedChildren.some((c) => c !== null && mentions(c, target));
}

/** Whether a loop's call passes the session itself: by keyword, by position, or possibly through `*args`/`**kwargs`. */
function passes(call: Node, param: Parameter): boolean {
  const args = call.childForFieldName("arguments")?.namedChildren ?? [];
  return args.some((a) => a?.type === "list_splat" || a?.type === "dictionary_splat") || fillsParameter(call, param.index, param.name);
}

function loopWords(loop: Node): string {
  if (loop.type === "while_statement") return "a `while` loop";
  if (loop.type === "for_statement") return "a `for` loop";
  return "a comprehension";
}

function inLoopMessage(call: Node, loop: Node, ctx: RuleContext): string {
  return `${describeCall(call)} is created on every pass of ${loopWords(loop)} in ${ctx.describeScope(call)}: each new session opens new connections and throws away keep-alive and DNS caching. Create one session before the loop and reuse it for every request.`;
}

function calledInLoopMessage(call: Node, fn: FunctionInfo, caller: { call: Node; loop: Node }, ctx: RuleContext): string {
  const line = caller.call.startPosition.row + 1;
  return `${describeCall(call)} is created on every call of \`async def ${fn.name}\`, and ${ctx.describeScope(caller.call)} calls \`${fn.name}()\` in ${loopWords(caller.loop)} (line ${line}): each new session opens new connections and throws away keep-alive and DNS caching. Create one session in the caller and pass it in.`;
}
