// "Does this call make a coroutine (or another awaitable that must be
// awaited)?", for the missing-await rules (LG201, LG202). Two sources: the
// file's own coroutine functions, resolved by class node and not by name
// (RULES.md "Coroutine functions"), and a list of known asyncio/anyio APIs,
// some of them only on receivers whose type is known locally.
import type { Node } from "../../analyzer/parser.js";
import type { RuleContext } from "../../analyzer/rule.js";
import { firstParameterName, type ClassInfo, type FunctionInfo, type Scope, type TypeFact } from "../../analyzer/scope.js";
import { methodCall, receiverType } from "./calls.js";
import { eventLoopMethod } from "./loops.js";
import { nodesInScope } from "./subtree.js";

export interface CoroutineCall {
  /** What is called, for messages, without backticks: `fetch`, `Worker.run`, `asyncio.sleep`, `asyncio.Lock.acquire`, `loop.run_in_executor`. */
  display: string;
  /**
   * `coroutine`: nothing runs until it is awaited. `future`: the work is
   * scheduled anyway (`asyncio.gather`, `asyncio.shield`,
   * `loop.run_in_executor`), but nothing waits for it and its result and
   * exceptions are lost.
   */
  kind: "coroutine" | "future";
  /** The same-file `async def` called, when it is one. */
  fn: FunctionInfo | null;
}

/** Module functions that return a coroutine. */
const COROUTINE_APIS = new Set([
  "asyncio.sleep",
  "asyncio.wait_for",
  "asyncio.wait",
  "asyncio.open_connection",
  "asyncio.open_unix_connection",
  "asyncio.start_server",
  "asyncio.start_unix_server",
  "asyncio.create_subprocess_exec",
  "asyncio.create_subprocess_shell",
  "asyncio.to_thread",
  "anyio.sleep",
]);

/** Module functions that return a future: the work runs, but unawaited its outcome is lost. */
const FUTURE_APIS = new Set(["asyncio.gather", "asyncio.shield"]);

/** Coroutine methods of asyncio types, when the receiver's type is known locally. */
const QUEUE_METHODS = ["get", "put", "join"];
const WEBSOCKET_METHODS = ["prepare", "send_str", "send_bytes", "send_json", "send_frame", "ping", "pong", "close"].concat(
  ["receive", "receive_str", "receive_bytes", "receive_json"],
);
const TYPED_COROUTINE_METHODS: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries({
    "asyncio.Lock": ["acquire"],
    "asyncio.Semaphore": ["acquire"],
    "asyncio.BoundedSemaphore": ["acquire"],
    "asyncio.Event": ["wait"],
    "asyncio.Condition": ["acquire", "wait", "wait_for"],
    "asyncio.Queue": QUEUE_METHODS,
    "asyncio.PriorityQueue": QUEUE_METHODS,
    "asyncio.LifoQueue": QUEUE_METHODS,
    "asyncio.StreamReader": ["read", "readline", "readexactly", "readuntil"],
    "asyncio.StreamWriter": ["drain", "wait_closed"],
    // aiohttp's WebSockets, server side (`ws = web.WebSocketResponse()`) and client side (`session.ws_connect(url)`).
    "aiohttp.web.WebSocketResponse": WEBSOCKET_METHODS,
    "aiohttp.web_ws.WebSocketResponse": WEBSOCKET_METHODS,
    "aiohttp.ClientSession.ws_connect": WEBSOCKET_METHODS,
  }).map(([type, methods]) => [type, new Set(methods)]),
);

/** How messages name a type the model knows by where it came from. */
const TYPE_NAMES: ReadonlyMap<string, string> = new Map([
  ["aiohttp.ClientSession.ws_connect", "aiohttp.ClientWebSocketResponse"],
  ["aiohttp.web_ws.WebSocketResponse", "aiohttp.web.WebSocketResponse"],
]);

const LOOP_FUTURE_METHODS = new Set(["run_in_executor"]);

/**
 * Decorators that turn an `async def` into something whose call is not a
 * coroutine: a property is read, not called; `async_to_sync` makes a plain
 * blocking function of it; Textual's `@work` makes a method that starts a
 * worker and returns it; `@unsync` schedules the call and returns a future.
 */
const NON_COROUTINE_DECORATORS = new Set([
  "property",
  "functools.cached_property",
  "asgiref.sync.async_to_sync",
  "textual.work",
  "textual.worker.work",
  "unsync.unsync",
]);

/** What a call makes that must be awaited, or null when it is not known to make one. */
export function coroutineCall(ctx: RuleContext, call: Node): CoroutineCall | null {
  return sameFileCoroutine(ctx, call) ?? knownApi(ctx, call);
}

/**
 * The display name of what a call calls when the call makes a coroutine (a
 * same-file coroutine function or a known coroutine API), else null:
 * `fetch`, `Worker.run`, `asyncio.sleep`, `asyncio.Lock.acquire`.
 */
export function coroutineCallTarget(ctx: RuleContext, call: Node): string | null {
  return coroutineCall(ctx, call)?.display ?? null;
}

/** Whether a same-file function is a coroutine function: `async def`, no `yield`, not a context manager or property. */
export function isCoroutineFunction(ctx: RuleContext, fn: FunctionInfo): boolean {
  if (!ctx.model.isCoroutineFunction(fn)) return false;
  return !fn.decorators.some((d) => {
    const q = ctx.model.decoratorName(d);
    return (q !== null && NON_COROUTINE_DECORATORS.has(q)) || wrapsInPlainFunction(ctx, d);
  });
}

/**
 * A same-file decorator that hands back a plain `def` wrapper which does not
 * simply return the wrapped call: `def fire_and_forget(f): def run(*a):
 * loop.run_in_executor(None, f, *a); return run`. What the decorated name
 * returns is then the wrapper's doing, not a coroutine. Followed through one
 * level of decorator factory (`@retry(3)`); a decorator defined elsewhere is
 * assumed to keep the function a coroutine function, as most do.
 */
function wrapsInPlainFunction(ctx: RuleContext, decorator: Node): boolean {
  let expr = decorator.namedChild(0);
  const factory = expr?.type === "call";
  if (factory) expr = expr!.childForFieldName("function");
  if (!expr) return false;
  let fn = ctx.model.functionForCallee(expr, ctx.scopeOf(decorator));
  if (fn && factory) fn = returnedFunction(fn);
  const wrapper = fn && !fn.isAsync ? returnedFunction(fn) : null;
  if (!wrapper || wrapper.isAsync) return false;
  const wrapped = firstParameterName(fn!.node);
  return !wrapped || !onlyReturnsCallOf(wrapper, wrapped);
}

/** The nested `def` a function returns by name on every `return`, or null. */
function returnedFunction(fn: FunctionInfo): FunctionInfo | null {
  const body = fn.node.childForFieldName("body");
  if (!body) return null;
  let found: FunctionInfo | null = null;
  for (const n of nodesInScope(body)) {
    if (n.type !== "return_statement") continue;
    const value = n.namedChild(0);
    const defs = value?.type === "identifier" ? fn.scope.functions.get(value.text) : undefined;
    const inner = defs?.[defs.length - 1];
    if (!inner || (found && found !== inner)) return null;
    found = inner;
  }
  return found;
}

/** Every `return` of the wrapper returns a call of the wrapped function (`return f(*a, **kw)`): its result is still a coroutine. */
function onlyReturnsCallOf(wrapper: FunctionInfo, wrapped: string): boolean {
  const body = wrapper.node.childForFieldName("body");
  if (!body) return false;
  let returns = 0;
  for (const n of nodesInScope(body)) {
    if (n.type !== "return_statement") continue;
    const value = n.namedChild(0);
    if (value?.type !== "call" || value.childForFieldName("function")?.text !== wrapped) return false;
    returns++;
  }
  return returns > 0;
}

function knownApi(ctx: RuleContext, call: Node): CoroutineCall | null {
  const q = ctx.calleeName(call);
  if (q && COROUTINE_APIS.has(q)) return { display: q, kind: "coroutine", fn: null };
  if (q && FUTURE_APIS.has(q)) return { display: q, kind: "future", fn: null };
  const typed = receiverType(ctx, call);
  if (typed && TYPED_COROUTINE_METHODS.get(typed.type)?.has(typed.method)) {
    return { display: `${TYPE_NAMES.get(typed.type) ?? typed.type}.${typed.method}`, kind: "coroutine", fn: null };
  }
  const loopMethod = eventLoopMethod(ctx, call, LOOP_FUTURE_METHODS);
  if (loopMethod) {
    const receiver = methodCall(call)?.receiver.text.replace(/\s+/g, "") ?? "loop";
    return { display: `${receiver}.${loopMethod}`, kind: "future", fn: null };
  }
  return null;
}

function sameFileCoroutine(ctx: RuleContext, call: Node): CoroutineCall | null {
  const callee = call.childForFieldName("function");
  if (!callee) return null;
  const scope = ctx.scopeOf(call);
  const fn = callee.type === "attribute" ? methodForCallee(ctx, callee, scope) : functionForName(ctx, callee, scope);
  if (!fn) return null;
  return { display: fn.owner ? `${fn.owner.name}.${fn.name}` : fn.name, kind: "coroutine", fn };
}

/** `fetch(...)`: a module-level or enclosing-function coroutine function, when every `def` of that name is one. */
function functionForName(ctx: RuleContext, callee: Node, scope: Scope): FunctionInfo | null {
  if (callee.type !== "identifier") return null;
  const fn = ctx.model.functionForCallee(callee, scope);
  if (!fn || fn.owner) return null;
  // `try: async def f` / `except: def f`: which one runs is not known here.
  const all = fn.scope.parent?.functions.get(fn.name) ?? [fn];
  return all.every((f) => isCoroutineFunction(ctx, f)) ? fn : null;
}

/** `self.m(...)`, `cls.m(...)`, `Worker.m(...)` or `w.m(...)` after `w = Worker()`: a coroutine method of a same-file class node. */
function methodForCallee(ctx: RuleContext, callee: Node, scope: Scope): FunctionInfo | null {
  const obj = callee.childForFieldName("object");
  const attr = callee.childForFieldName("attribute");
  if (obj?.type !== "identifier" || !attr) return null;
  const model = ctx.model;
  const viaSelf = model.selfClass(obj, scope);
  const cls = viaSelf ?? model.classForName(obj, scope) ?? constructedInstanceClass(ctx, obj, scope);
  if (!cls) return null;
  const fn = model.methodOf(cls, attr.text);
  if (!fn?.owner || !isCoroutineFunction(ctx, fn)) return null;
  if (shadowedInClass(ctx, cls, attr.text)) return null;
  // `self` may be an instance of a same-file subclass that made the method sync.
  if (viaSelf && subclassOverridesSync(ctx, cls, attr.text)) return null;
  return fn;
}

/** The name is also bound another way in the class hierarchy: a class-level assignment, or `self.<name> = ...`. */
function shadowedInClass(ctx: RuleContext, cls: ClassInfo, name: string): boolean {
  return classHierarchy(ctx, cls).some((c) => c.scope.reboundNames.has(name) || c.attributeValues.has(name));
}

function classHierarchy(ctx: RuleContext, cls: ClassInfo, seen = new Set<ClassInfo>()): ClassInfo[] {
  if (seen.has(cls)) return [];
  seen.add(cls);
  return [cls, ...ctx.model.baseClasses(cls).flatMap((b) => classHierarchy(ctx, b, seen))];
}

function subclassOverridesSync(ctx: RuleContext, cls: ClassInfo, name: string): boolean {
  return ctx.model.classes.some((sub) => {
    if (sub === cls || !classHierarchy(ctx, sub).includes(cls)) return false;
    const m = ctx.model.methodOf(sub, name);
    return m !== null && !isCoroutineFunction(ctx, m);
  });
}

/**
 * The same-file class of a local name every one of whose assignments and
 * annotations names that class (`w = Worker()`, `w: Worker`). Partial
 * knowledge (one branch assigns something else) gives null.
 */
function constructedInstanceClass(ctx: RuleContext, id: Node, scope: Scope): ClassInfo | null {
  const r = ctx.model.resolveName(id.text, scope);
  if (r.kind !== "local") return null;
  const facts = r.scope.typeFacts.get(id.text);
  if (!facts?.length) return null;
  let found: ClassInfo | null = null;
  for (const fact of facts) {
    const cls = classOfFact(ctx, fact);
    if (!cls || (found && found !== cls)) return null;
    found = cls;
  }
  return found;
}

function classOfFact(ctx: RuleContext, fact: TypeFact): ClassInfo | null {
  let node: Node | null = null;
  if (fact.value?.type === "call") node = fact.value.childForFieldName("function");
  else if (fact.annotation) node = fact.annotation.type === "type" ? fact.annotation.namedChild(0) : fact.annotation;
  return node?.type === "identifier" ? ctx.model.classForName(node, ctx.scopeOf(node)) : null;
}
