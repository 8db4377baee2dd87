import type { Node } from "../analyzer/parser.js";
import { supportsPython } from "../analyzer/project.js";
import { defineRule, type RuleContext } from "../analyzer/rule.js";
import { parameterName } from "../analyzer/scope.js";
import { callArguments, describeCall, fillsParameter, methodCall } from "./shared/calls.js";
import { isSuspensionPoint, nodesInScope, unparenthesized } from "./shared/subtree.js";

// Awaiting these one by one is the point: they order, pace or share one
// connection (two queries at once on one asyncpg connection is an error,
// messages sent over one stream must keep their order, and chat APIs limit
// how fast a bot may send). Methods named `send_*` count too.
const ORDERED_METHODS = new Set([
  "execute",
  "executemany",
  "executescript",
  "fetch",
  "fetchrow",
  "fetchval",
  "fetchone",
  "fetchall",
  "fetchmany",
  "send",
  "sendall",
  "sendto",
  "reply",
  "answer",
  "respond",
  "publish",
  "emit",
  "write",
  "writelines",
  "drain",
  "put",
  "acquire",
  "release",
  "wait",
  "commit",
  "rollback",
  "flush",
  "close",
  "aclose",
  "join",
]);

/**
 * Names that keep their order whoever defines them: sending over one
 * channel (`send_command`), and loading or registering parts of an
 * application (`load_extension`, `register_handlers`, `setup_routes`),
 * where a later part may build on an earlier one.
 */
const ORDERED_PREFIXES = /^(?:send|load|reload|register|setup|install|migrate)_/;

/** Libraries whose awaitables schedule or pace work rather than do it (`sleep`, `wait_for(task)`, `shield`). */
const SCHEDULING_LIBRARIES = ["asyncio.", "anyio.", "trio."];

const COLLECTION_ADDERS = new Set(["append", "add", "appendleft", "extend", "update"]);

/** Database handles that run one operation at a time (a second one while the first runs raises), whatever the method. */
const SINGLE_OPERATION_TYPES = new Set([
  "sqlalchemy.ext.asyncio.AsyncSession",
  "sqlalchemy.ext.asyncio.AsyncConnection",
  "sqlalchemy.ext.asyncio.session.AsyncSession",
  "sqlalchemy.ext.asyncio.engine.AsyncConnection",
  "asyncpg.Connection",
  "asyncpg.connection.Connection",
  "aiosqlite.Connection",
]);
/** Factories whose instances, when called, open such a session (`SessionLocal = async_sessionmaker(engine)`). */
const SESSION_FACTORIES = new Set(["sqlalchemy.ext.asyncio.async_sessionmaker", "sqlalchemy.orm.sessionmaker"]);

/** Builtins that only convert the value they are given: `int(resp.headers["size"])` still stores a part of the result. */
const CONVERSIONS = new Set(["int", "float", "str", "bool", "bytes", "len", "list", "tuple", "set", "dict", "sorted"]);

const EXITS = new Set(["break_statement", "return_statement", "raise_statement", "yield"]);

export default defineRule({
  meta: {
    code: "LG501",
    name: "sequential-await-in-loop",
    severity: "info",
    guide: "pitfall-5-sequential-instead-of-concurrent",
    aliases: [],
    fixable: "never",
  },
  docs: {
    summary: "A `for` loop awaits one independent call per item, so the calls run one after another.",
    why: "Each `await` in the loop waits for its call to finish before the next one starts. When the calls do not depend on each other (each takes its own item, and the results are only collected), the loop takes the sum of their times where running them together would take about the longest one.",
    fix: "Start the calls together: `await asyncio.gather(*(f(x) for x in xs))` or a `TaskGroup`, bounded by an `asyncio.Semaphore` when the input is large.",
    bad: [
      "async def fetch_all(urls):\n    pages = []\n    for url in urls:\n        pages.append(await fetch(url))\n    return pages\n",
    ],
    good: [
      "import asyncio\n\nasync def fetch_all(urls):\n    return await asyncio.gather(*(fetch(url) for url in urls))\n",
      "import asyncio\n\nasync def crawl(urls):\n    pages = []\n    for url in urls:\n        pages.append(await fetch(url))\n        await asyncio.sleep(1)  # the site allows one request a second\n    return pages\n",
      "async def follow(start):\n    cursor = start\n    for _ in range(10):\n        cursor = await next_page(cursor)\n    return cursor\n",
    ],
    limitations:
      "A heuristic, so it is only `info`. Left alone: `async for`, `while` and comprehensions; loops that `break`, `return`, `raise` or `yield`; loops with a second `await` (a deliberate pause) or an `async with`/`async for`; loops that carry a value from one iteration to the next; results used for anything but collecting; calls of asyncio/anyio/trio themselves; methods that must run in order or share one connection (`execute`, `fetch*`, `send*`, `reply`, `write`, `put`, ...), also with a leading `_` or `async_`, and methods that load or register parts of an application (`load_*`, `register_*`, `setup_*`, `install_*`, `migrate_*`); and any call on (or handed) an SQLAlchemy `AsyncSession` or an `asyncpg`/`aiosqlite` connection, or filling a same-file parameter annotated as one, or on a receiver named for one (`db`, `self.db`, `conn`, `cursor`, `transaction`): they run one operation at a time. Test files are skipped.",
  },
  visit: {
    for_statement(node, ctx) {
      if (node.child(0)?.type === "async" || !ctx.isInCoroutine(node) || isTestPath(ctx.path)) return;
      const awaited = independentAwait(node, ctx);
      if (awaited) ctx.report({ node: awaited.node, message: message(node, awaited.call, ctx) });
    },
  },
});

/** Test code awaits in loops on purpose (one step after another) and is not worth the noise. */
function isTestPath(path: string): boolean {
  const parts = path.replace(/\\/g, "/").split("/");
  const base = parts[parts.length - 1] ?? "";
  return (
    /^test_.*\.py$/.test(base) ||
    base.endsWith("_test.py") ||
    base === "conftest.py" ||
    parts.slice(0, -1).includes("tests")
  );
}

interface AwaitedCall {
  node: Node;
  call: Node;
}

/** The loop body's one `await`, when it takes the loop variable and nothing ties one iteration to the next. */
function independentAwait(loop: Node, ctx: RuleContext): AwaitedCall | null {
  const body = loop.childForFieldName("body");
  if (!body) return null;
  const loopVars = new Set(bindingNames(loop.childForFieldName("left")));
  let found: Node | null = null;
  const targets = new Set<number>();
  const bindings = new Map<string, number>();
  const reads: Node[] = [];
  for (const n of nodesInScope(body)) {
    if (EXITS.has(n.type)) return null;
    if (isSuspensionPoint(n)) {
      if (n.type !== "await" || found) return null;
      found = n;
    }
    recordBindings(n, targets, bindings);
    // Bindings are recorded at their statement, before its identifiers come by.
    if (n.type === "identifier" && isNameRead(n) && !targets.has(n.id)) reads.push(n);
  }
  if (!found) return null;
  const call = unparenthesized(found.namedChild(0) ?? found);
  if (call.type !== "call" || !takesLoopVariable(call, loopVars) || !isIndependentWork(call, ctx)) return null;
  if (carriesValue(reads, bindings, loopVars)) return null;
  if (!onlyCollected(found, reads, bindings, ctx)) return null;
  return { node: found, call };
}

/** Names a target binds: `x`, `a, b`, `(a, [b, *c])`; attributes and subscripts bind none. */
function bindingNames(target: Node | null): string[] {
  return bindingIdentifiers(target).map((n) => n.text);
}

const TARGET_PATTERNS = new Set([
  "pattern_list",
  "tuple_pattern",
  "list_pattern",
  "list_splat_pattern",
  "tuple",
  "list",
  "parenthesized_expression",
]);

function bindingIdentifiers(target: Node | null): Node[] {
  if (!target) return [];
  if (target.type === "identifier") return [target];
  if (!TARGET_PATTERNS.has(target.type)) return [];
  return target.namedChildren.flatMap((c) => bindingIdentifiers(c));
}

/** Records the identifiers a node binds, and from where in the body each name holds a value of this iteration. */
function recordBindings(n: Node, targets: Set<number>, bindings: Map<string, number>): void {
  let ids: Node[] = [];
  let at = n.endIndex;
  if (n.type === "assignment" || n.type === "augmented_assignment") ids = bindingIdentifiers(n.childForFieldName("left"));
  else if (n.type === "named_expression") ids = bindingIdentifiers(n.childForFieldName("name"));
  else if (n.type === "for_statement") {
    const left = n.childForFieldName("left");
    ids = bindingIdentifiers(left);
    at = left?.endIndex ?? at;
  } else if (n.type === "for_in_clause") {
    // A comprehension's element comes before its `for` clause in the text.
    ids = bindingIdentifiers(n.childForFieldName("left"));
    at = n.parent?.startIndex ?? at;
  } else if (n.type === "as_pattern_target") ids = bindingIdentifiers(n.namedChild(0));
  for (const id of ids) {
    // An augmented assignment reads its target first: it is a read, bound at the end.
    if (n.type !== "augmented_assignment") targets.add(id.id);
    if (!bindings.has(id.text) || bindings.get(id.text)! > at) bindings.set(id.text, at);
  }
}

/** An identifier used as a variable (not an attribute name, not a keyword argument's name). */
function isNameRead(id: Node): boolean {
  const p = id.parent;
  if (!p) return false;
  if (p.type === "attribute" && p.childForFieldName("attribute")?.id === id.id) return false;
  if (p.type === "keyword_argument" && p.childForFieldName("name")?.id === id.id) return false;
  return true;
}

/** The root name of `x`, `x.a.b`, `x[k]`, `x.a[k]`. */
function rootName(expr: Node): string | null {
  let cur: Node | null = unparenthesized(expr);
  while (cur && (cur.type === "attribute" || cur.type === "subscript")) {
    cur = cur.childForFieldName(cur.type === "attribute" ? "object" : "value");
  }
  return cur?.type === "identifier" ? cur.text : null;
}

function takesLoopVariable(call: Node, loopVars: ReadonlySet<string>): boolean {
  const { positional, keywords } = callArguments(call);
  const isLoopValue = (e: Node) => {
    const root = rootName(e);
    return root !== null && loopVars.has(root);
  };
  // `client.get(f"/quote/{symbol}")`: the item formatted into the argument.
  return [...positional, ...keywords.values()].some((a) => isLoopValue(a) || interpolations(a).some(isLoopValue));
}

/** The expressions formatted into an f-string (`{x}`, `{x.id!r:>5}`). */
function interpolations(arg: Node): Node[] {
  const s = unparenthesized(arg);
  if (s.type !== "string") return [];
  return s.namedChildren.flatMap((c) => (c?.type === "interpolation" && c.namedChild(0) ? [c.namedChild(0)!] : []));
}

/** Work that could overlap: not a scheduling primitive, not an operation that must keep its order. */
function isIndependentWork(call: Node, ctx: RuleContext): boolean {
  const q = ctx.calleeName(call);
  if (q && SCHEDULING_LIBRARIES.some((lib) => q.startsWith(lib))) return false;
  const m = methodCall(call);
  if (m && (isSingleOperationHandle(m.receiver, ctx) || namesDatabaseHandle(m.receiver))) return false;
  if (receivesSingleOperationHandle(call, ctx)) return false;
  if (!m) return true;
  // `_send`, `async_send_command`, `_async_send_command` name the same operation as `send`.
  const name = m.method.replace(/^_+/, "").replace(/^async_/, "");
  if (ORDERED_PREFIXES.test(name)) return false;
  if (!ORDERED_METHODS.has(name)) return true;
  // A same-file method is known, whatever its name (a file's own `fetch(url)` is an HTTP helper, not a cursor's).
  const callee = call.childForFieldName("function");
  return !!callee && ctx.model.functionForCallee(callee, ctx.scopeOf(call)) !== null;
}

// Receivers named for one database connection or a wrapper around one
// (`self.db.delete_entries(...)`, `conn.insert(...)`): whatever the methods
// are called, such a handle usually runs one operation at a time. A pool or
// an HTTP session is not in the list: those do run requests side by side.
const DATABASE_HANDLE_NAMES = new Set(["db", "database", "conn", "connection", "cursor", "cur", "tx", "transaction"]);

/** `db`, `self.db`, `self._conn`, `app.database`: the last name of the receiver, leading underscores dropped. */
function namesDatabaseHandle(receiver: Node): boolean {
  const last = receiver.type === "attribute" ? receiver.childForFieldName("attribute") : receiver;
  return last?.type === "identifier" && DATABASE_HANDLE_NAMES.has(last.text.replace(/^_+/, "").toLowerCase());
}

/**
 * A name read in the body before the body binds it holds the previous
 * iteration's value (`cursor = await next_page(cursor)`, `total += ...`).
 */
function carriesValue(
  reads: readonly Node[],
  bindings: ReadonlyMap<string, number>,
  loopVars: ReadonlySet<string>,
): boolean {
  return reads.some((r) => {
    if (loopVars.has(r.text)) return false;
    const bound = bindings.get(r.text);
    return bound !== undefined && r.startIndex < bound;
  });
}

/** The awaited value is thrown away, appended or stored into a collection, or kept in a name used only for that. */
function onlyCollected(
  awaitNode: Node,
  reads: readonly Node[],
  bindings: ReadonlyMap<string, number>,
  ctx: RuleContext,
): boolean {
  let expr = awaitNode;
  while (expr.parent?.type === "parenthesized_expression") expr = expr.parent;
  const p = expr.parent;
  if (!p) return false;
  if (p.type === "expression_statement") return true;
  if (isCollectedArgument(expr)) return true;
  if (p.type !== "assignment" || p.childForFieldName("right")?.id !== expr.id) return false;
  const left = p.childForFieldName("left");
  if (left?.type === "subscript") return true;
  if (left?.type !== "identifier") return false;
  // `page = await fetch(url)`, then `pages.append(page)` / `by_url[url] = page`.
  const uses = reads.filter((r) => r.text === left.text && r.startIndex >= (bindings.get(left.text) ?? 0));
  return uses.length > 0 && uses.every((u) => isCollectedValue(u, ctx));
}

/** `xs.append(<expr>)` as a whole statement, `<expr>` its only argument. */
function isCollectedArgument(expr: Node): boolean {
  const args = expr.parent;
  if (args?.type !== "argument_list" || args.namedChildCount !== 1) return false;
  const call = args.parent;
  if (call?.type !== "call" || call.parent?.type !== "expression_statement") return false;
  const m = methodCall(call);
  return !!m && COLLECTION_ADDERS.has(m.method);
}

/** A read of the result name that only puts it (or a part of it) into a collection. */
function isCollectedValue(read: Node, ctx: RuleContext): boolean {
  let expr = read;
  for (let p = expr.parent; p; p = expr.parent) {
    const part =
      (p.type === "attribute" && p.childForFieldName("object")?.id === expr.id) ||
      (p.type === "subscript" && p.childForFieldName("value")?.id === expr.id) ||
      // `resp.json()`, `row.get("id")`: a method of the result, given constants only, reads a part of it.
      (p.type === "call" && expr.type === "attribute" && p.childForFieldName("function")?.id === expr.id && hasConstantArguments(p));
    if (part) {
      expr = p;
      continue;
    }
    const conversion = convertingCall(expr, ctx);
    if (!conversion) break;
    expr = conversion;
  }
  if (isCollectedArgument(expr)) return true;
  const p = expr.parent;
  return p?.type === "assignment" && p.childForFieldName("right")?.id === expr.id && p.childForFieldName("left")?.type === "subscript";
}

/**
 * A typed `AsyncSession`/`asyncpg.Connection` (`session: AsyncSession`), or
 * a session opened from a sessionmaker of this file (`async with
 * SessionLocal() as session`).
 */
function isSingleOperationHandle(receiver: Node, ctx: RuleContext): boolean {
  const type = ctx.typeOf(receiver);
  if (type && SINGLE_OPERATION_TYPES.has(type)) return true;
  if (receiver.type !== "identifier") return false;
  const opened = ctx.model.assignedValue(receiver);
  const factory = opened?.type === "call" ? opened.childForFieldName("function") : null;
  if (factory?.type !== "identifier") return false;
  const made = ctx.model.assignedValue(factory);
  return made?.type === "call" && SESSION_FACTORIES.has(ctx.calleeName(made) ?? "");
}

/**
 * A call handed a database session or connection (`cancel(order, session)`),
 * or a same-file function with a parameter annotated as one that the call
 * fills: its work runs on that one handle, one operation at a time.
 */
function receivesSingleOperationHandle(call: Node, ctx: RuleContext): boolean {
  const { positional, keywords } = callArguments(call);
  if ([...positional, ...keywords.values()].some((a) => isSingleOperationHandle(unparenthesized(a), ctx))) return true;
  const callee = call.childForFieldName("function");
  const fn = callee ? ctx.model.functionForCallee(callee, ctx.scopeOf(call)) : null;
  if (!fn) return false;
  const params = fn.node.childForFieldName("parameters")?.namedChildren ?? [];
  return params.some((p, i) => {
    if (p?.type !== "typed_parameter" && p?.type !== "typed_default_parameter") return false;
    const annotation = p.childForFieldName("type");
    const type = annotation ? ctx.model.typeOfAnnotation(annotation) : null;
    const name = parameterName(p);
    return type !== null && SINGLE_OPERATION_TYPES.has(type) && name !== null && fillsParameter(call, i, name);
  });
}

const CONSTANTS = new Set(["string", "integer", "float", "true", "false", "none"]);

/** `int(<expr>)`: the builtin conversion call whose only argument is the expression, or null. */
function convertingCall(expr: Node, ctx: RuleContext): Node | null {
  const args = expr.parent;
  const call = args?.parent;
  if (args?.type !== "argument_list" || call?.type !== "call") return null;
  const { positional, keywords } = callArguments(call);
  if (positional[0]?.id !== expr.id || !positional.slice(1).concat([...keywords.values()]).every((a) => CONSTANTS.has(a.type))) {
    return null;
  }
  return CONVERSIONS.has(ctx.calleeName(call) ?? "") ? call : null;
}

function hasConstantArguments(call: Node): boolean {
  const { positional, keywords } = callArguments(call);
  return [...positional, ...keywords.values()].every((a) => CONSTANTS.has(a.type));
}

function message(loop: Node, call: Node, ctx: RuleContext): string {
  const left = loop.childForFieldName("left")?.text ?? "x";
  const right = loop.childForFieldName("right")?.text ?? "xs";
  const gather = `asyncio.gather(*(${call.text} for ${left} in ${right}))`;
  const suggestion = gather.length <= 90 && !gather.includes("\n") ? `\`await ${gather}\`` : "`asyncio.gather(...)`";
  return `${describeCall(call)} is awaited once per item of \`${right.length > 40 ? "the loop" : right}\`, one call after another, in ${ctx.describeScope(loop)}: the loop takes the sum of the calls' times. If the calls are independent, start them together with ${suggestion}${supportsPython(ctx.project, 3, 11) ? " or a `TaskGroup`" : ""}, bounded by an \`asyncio.Semaphore\` when the input is large.`;
}
