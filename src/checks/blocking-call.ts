import type { Node } from "../analyzer/parser.js";
import { defineRule, type FixProposal, type Report, type RuleContext } from "../analyzer/rule.js";
import type { ClassInfo, Scope, SemanticModel } from "../analyzer/scope.js";
import { callArguments, describeCall, methodCall } from "./shared/calls.js";
import { calledBeforeThreadNote, callableText, threadAdvice, threadApiReceiving, toThreadFix } from "./shared/threads.js";

const DNS_LOOKUPS = new Set(["socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex"]);

/** Synchronous database drivers' `connect`, with the async drivers to suggest. */
const DB_CONNECTS: ReadonlyMap<string, string> = new Map([
  ["sqlite3.connect", "`aiosqlite`"],
  ["psycopg2.connect", "`asyncpg` or psycopg 3's `AsyncConnection`"],
  ["pymysql.connect", "`aiomysql` or `asyncmy`"],
  ["MySQLdb.connect", "`aiomysql` or `asyncmy`"],
]);

/** Blocking socket methods, with the event loop's own method for a non-blocking socket where there is one. */
const SOCKET_METHODS: ReadonlyMap<string, string | null> = new Map([
  ["connect", "sock_connect"],
  ["connect_ex", "sock_connect"],
  ["accept", "sock_accept"],
  ["send", "sock_sendall"],
  ["sendall", "sock_sendall"],
  ["sendto", "sock_sendto"],
  ["sendfile", "sock_sendfile"],
  ["sendmsg", null],
  ["recv", "sock_recv"],
  ["recv_into", "sock_recv_into"],
  ["recvfrom", "sock_recvfrom"],
  ["recvfrom_into", "sock_recvfrom_into"],
  ["recvmsg", null],
  ["recvmsg_into", null],
]);
/** Methods worth asking the receiver's type for. */
const TYPED_METHODS = new Set([...SOCKET_METHODS.keys(), "acquire", "get", "put", "result", "join", "wait"]);
/** `socket.create_connection()` returns a connected blocking socket too. */
const SOCKET_TYPES = new Set(["socket.socket", "socket.create_connection"]);

const LOCK_TYPES = new Set(["threading.Lock", "threading.RLock"]);
const BOUNDABLE_QUEUES = new Set(["queue.Queue", "queue.LifoQueue", "queue.PriorityQueue"]);
/** `SimpleQueue` is unbounded: its `put` never waits, its `get` does. */
const SIMPLE_QUEUE = "queue.SimpleQueue";
const EXECUTORS = ["ThreadPoolExecutor", "ProcessPoolExecutor", "thread.ThreadPoolExecutor", "process.ProcessPoolExecutor"];
/** What `typeOf` gives a future from a local executor's `submit()`. */
const SUBMITTED_FUTURES = new Set(EXECUTORS.map((e) => `concurrent.futures.${e}.submit`));

interface SocketCall {
  report: Report;
  /** The socket's binding, when it has one: a `setblocking(False)` on it clears the call. */
  socket: SocketKey | null;
}

/** A socket's binding: a local name in the scope that binds it, or `self.<name>` in a class. */
interface SocketKey {
  owner: Scope | ClassInfo;
  name: string;
}

interface FileState {
  socketCalls: SocketCall[];
  nonBlocking: Map<Scope | ClassInfo, Set<string>>;
}

const states = new WeakMap<SemanticModel, FileState>();

function stateOf(ctx: RuleContext): FileState {
  let s = states.get(ctx.model);
  if (!s) {
    s = { socketCalls: [], nonBlocking: new Map() };
    states.set(ctx.model, s);
  }
  return s;
}

export default defineRule({
  meta: {
    code: "LG105",
    name: "blocking-call",
    severity: "warning",
    guide: "pitfall-1-blocking-the-event-loop",
    aliases: ["ASYNC250"],
    fixable: "sometimes",
  },
  docs: {
    summary: "Other calls that wait on the event loop's thread: `input()`, DNS lookups, blocking sockets, sync database drivers, thread locks, queues, futures and joins.",
    why: "Each of these waits for something outside the program (a user, a DNS server, a peer, a database, another thread) on the thread that runs the event loop. While it waits, no other task, timer or callback runs; a lock or queue shared with a thread can even deadlock the loop.",
    fix: "Use the asyncio counterpart (`asyncio.open_connection`, `loop.getaddrinfo`, `asyncio.Lock`/`Queue`/`Event`, `asyncio.wrap_future`, an async database driver), or run the call in a thread with `await asyncio.to_thread(...)`; `input()` is fixed to `await asyncio.to_thread(input, ...)`.",
    bad: ["async def confirm():\n    answer = input('Proceed? [y/N] ')\n    return answer == 'y'\n"],
    good: [
      "import asyncio\n\nasync def confirm():\n    answer = await asyncio.to_thread(input, 'Proceed? [y/N] ')\n    return answer == 'y'\n",
      "import queue\n\nasync def drain(jobs: queue.Queue):\n    try:\n        return jobs.get(block=False)\n    except queue.Empty:\n        return None\n",
      "import asyncio\nimport socket\n\nasync def ping(host):\n    loop = asyncio.get_running_loop()\n    sock = socket.socket()\n    sock.setblocking(False)\n    await loop.sock_connect(sock, (host, 7))\n    await loop.sock_sendall(sock, b'ping')\n",
    ],
    limitations:
      "Methods are recognised on objects whose type is known locally (created in the function, `with ... as x`, an annotated parameter, a `self.<name>` assigned one in the class, or called on the constructor directly). A socket counts as non-blocking when `setblocking(False)` or `settimeout(0)` is called on the same name anywhere in the function (for `self.<name>`, anywhere in the class). `put()` on a `queue.Queue` created without a `maxsize` is not reported: it never waits.",
  },
  visit: {
    call(node, ctx) {
      const m = methodCall(node);
      if (m?.method === "setblocking" || m?.method === "settimeout") recordNonBlockingSocket(ctx, node, m);
      if (!ctx.isInCoroutine(node)) return;
      const q = ctx.calleeName(node);
      if (q === "input") {
        ctx.report({ node, message: inputMessage(ctx, node), fix: inputFix(ctx, node) });
        return;
      }
      const message = q ? moduleCallMessage(ctx, node, q) : null;
      if (message) {
        ctx.report({ node, message: message + calledBeforeThreadNote(ctx, node) });
        return;
      }
      // Most calls are not one of these methods: skip asking for the receiver's type.
      if (!m || !TYPED_METHODS.has(m.method)) return;
      const type = ctx.typeOf(m.receiver);
      if (!type) return;
      if (SOCKET_TYPES.has(type)) {
        if (SOCKET_METHODS.has(m.method)) stateOf(ctx).socketCalls.push(blockingSocketCall(ctx, node, m.receiver, m.method));
        return;
      }
      const typedMessage = typedCallMessage(ctx, node, type, m.method);
      if (typedMessage) ctx.report({ node, message: typedMessage + calledBeforeThreadNote(ctx, node) });
    },
  },
  finish(ctx) {
    const state = states.get(ctx.model);
    if (!state) return;
    states.delete(ctx.model);
    for (const { report, socket } of state.socketCalls) {
      if (socket && state.nonBlocking.get(socket.owner)?.has(socket.name)) continue;
      ctx.report(report);
    }
  },
});

function inputMessage(ctx: RuleContext, call: Node): string {
  return `${describeCall(call)} waits for a line of input on the event loop's thread in ${ctx.describeScope(call)}: every other task is frozen until the user presses Enter. Use ${threadAdvice(ctx, "input")}.${calledBeforeThreadNote(ctx, call)}`;
}

/** `input(...)` → `await asyncio.to_thread(input, ...)`, wherever `await` can take the call's place. */
function inputFix(ctx: RuleContext, call: Node): FixProposal | null {
  if (threadApiReceiving(ctx, call)) return null;
  const place = awaitPlace(call);
  return place ? toThreadFix(ctx, call, place.parenthesize) : null;
}

/** Nodes between which an inserted `await` would change what the code means or be refused. */
const AWAIT_BARRIERS = new Set(["generator_expression", "lambda", "decorator", "parameters", "await", "function_definition", "class_definition"]);

/**
 * Whether `await <call>` may stand where the call is (not in a generator
 * expression: that would make it an async generator; not in a nested
 * def's defaults or decorators), and whether it needs parentheses (the call is
 * the receiver of an attribute, subscript or call: `input().strip()`).
 */
function awaitPlace(call: Node): { parenthesize: boolean } | null {
  const parent = call.parent;
  if (!parent) return null;
  const usedAsPrimary =
    (parent.type === "attribute" && parent.childForFieldName("object")?.id === call.id) ||
    (parent.type === "subscript" && parent.childForFieldName("value")?.id === call.id) ||
    (parent.type === "call" && parent.childForFieldName("function")?.id === call.id);
  for (let n: Node | null = parent; n && n.type !== "block" && n.type !== "module"; n = n.parent) {
    if (AWAIT_BARRIERS.has(n.type)) return null;
  }
  return { parenthesize: usedAsPrimary };
}

/** Module-level functions: DNS lookups, `socket.create_connection`, sync database drivers. */
function moduleCallMessage(ctx: RuleContext, call: Node, q: string): string | null {
  const where = ctx.describeScope(call);
  const thread = threadAdvice(ctx, callableText(call));
  if (DNS_LOOKUPS.has(q)) {
    return `${describeCall(call)} waits for a DNS answer on the event loop's thread in ${where}, and every other task waits with it: use \`await asyncio.get_running_loop().getaddrinfo(...)\`, or let \`asyncio.open_connection\` resolve the name.`;
  }
  if (q === "socket.create_connection") {
    return `${describeCall(call)} resolves the host and connects on the event loop's thread in ${where}, and every other task waits with it: use \`await asyncio.open_connection(host, port)\`, which gives a stream reader and writer.`;
  }
  const driver = DB_CONNECTS.get(q);
  if (driver) {
    return `${describeCall(call)} connects to the database on the event loop's thread in ${where}, and every query on the connection will block the same way: use an async driver (${driver}), or run the database work in a thread with ${thread}.`;
  }
  return null;
}

/** Methods of thread-synchronisation objects and executor futures whose type is known locally. */
function typedCallMessage(ctx: RuleContext, call: Node, type: string, method: string): string | null {
  const what = describeCall(call);
  const where = ctx.describeScope(call);
  const thread = threadAdvice(ctx, callableText(call));
  const { positional, keywords } = callArguments(call);
  if (LOCK_TYPES.has(type) && method === "acquire") {
    // acquire(blocking=True, timeout=-1): a zero timeout only tries, like blocking=False.
    if (isFalse(keywords.get("blocking") ?? positional[0]) || isZero(keywords.get("timeout") ?? positional[1])) return null;
    return `${what} waits for a \`${type}\` on the event loop's thread in ${where}: while another thread holds it, the whole loop stops (and a task of the same loop holding it deadlocks). Use \`asyncio.Lock\` between tasks, \`acquire(blocking=False)\`, or ${thread}.`;
  }
  if ((BOUNDABLE_QUEUES.has(type) || type === SIMPLE_QUEUE) && (method === "get" || method === "put")) {
    return queueMessage(ctx, call, type, method);
  }
  if (SUBMITTED_FUTURES.has(type) && method === "result") {
    const fut = methodCall(call)?.receiver.text ?? "";
    return `${what} waits for the executor's job on the event loop's thread in ${where}, and every other task waits with it: use \`await asyncio.wrap_future(${fut && fut.length <= 30 ? fut : "future"})\`, or submit the job with \`await loop.run_in_executor(pool, fn, ...)\`.`;
  }
  if (type === "threading.Thread" && method === "join") {
    return `${what} waits for the thread to finish on the event loop's thread in ${where}, and every other task waits with it: use ${thread}, or start the work that way in the first place and await it.`;
  }
  if (type === "threading.Event" && method === "wait") {
    return `${what} waits for a \`threading.Event\` on the event loop's thread in ${where}, and every other task waits with it: use \`asyncio.Event\` between tasks, or ${thread}.`;
  }
  return null;
}

function queueMessage(ctx: RuleContext, call: Node, type: string, method: "get" | "put"): string | null {
  const { positional, keywords } = callArguments(call);
  // get(block=True, timeout=None), put(item, block=True, timeout=None)
  const at = method === "get" ? 0 : 1;
  if (isFalse(keywords.get("block") ?? positional[at]) || isZero(keywords.get("timeout") ?? positional[at + 1])) return null;
  const receiver = methodCall(call)?.receiver;
  if (method === "put" && (type === SIMPLE_QUEUE || (receiver && isUnboundedQueue(ctx, receiver)))) return null;
  const waitsFor = method === "get" ? "an item" : "room";
  const nowait = method === "get" ? "get_nowait()" : "put_nowait()";
  return `${describeCall(call)} waits for ${waitsFor} in a \`${type}\` on the event loop's thread in ${ctx.describeScope(call)}, and every other task waits with it: use \`asyncio.Queue\` between tasks, \`${nowait}\`, or ${threadAdvice(ctx, callableText(call))}.`;
}

/** Every constructor call known to have made the queue passes no `maxsize` (or one ≤ 0): `put()` never waits. */
function isUnboundedQueue(ctx: RuleContext, receiver: Node): boolean {
  const makers = constructorsOf(ctx, receiver);
  return makers.length > 0 && makers.every((c) => c.type === "call" && hasNoMaxsize(c));
}

/** The values that made an object: the call itself, a local name's assigned value, or every `self.<name> = ...` of the class. */
function constructorsOf(ctx: RuleContext, receiver: Node): Node[] {
  if (receiver.type === "call") return [receiver];
  if (receiver.type === "identifier") {
    const v = ctx.model.assignedValue(receiver);
    return v ? [v] : [];
  }
  const obj = receiver.type === "attribute" ? receiver.childForFieldName("object") : null;
  const attr = receiver.childForFieldName("attribute");
  if (obj?.type !== "identifier" || !attr) return [];
  return ctx.model.selfClass(obj)?.attributeValues.get(attr.text) ?? [];
}

function hasNoMaxsize(ctor: Node): boolean {
  const { positional, keywords } = callArguments(ctor);
  const size = keywords.get("maxsize") ?? positional[0];
  if (!size) return true;
  if (size.type === "integer") return Number(size.text) === 0;
  // `maxsize=-1`
  return size.type === "unary_operator" && size.text.startsWith("-");
}

/** A literal `False` or `0`. */
function isFalse(arg: Node | undefined): boolean {
  return arg?.type === "false" || (arg?.type === "integer" && Number(arg.text) === 0);
}

/** A literal `0` or `0.0`. */
function isZero(arg: Node | undefined): boolean {
  return (arg?.type === "integer" || arg?.type === "float") && Number(arg.text) === 0;
}

/** A blocking method on a socket whose type is known locally; reported at the end unless the socket is made non-blocking. */
function blockingSocketCall(ctx: RuleContext, call: Node, receiver: Node, method: string): SocketCall {
  const loopMethod = SOCKET_METHODS.get(method);
  const name = receiver.text.length > 30 ? "sock" : receiver.text;
  const nonBlocking = loopMethod
    ? `call \`${name}.setblocking(False)\` and \`await loop.${loopMethod}(${name}, ...)\``
    : `call \`${name}.setblocking(False)\` and use the loop's \`sock_*\` methods`;
  const message = `${describeCall(call)} waits on a blocking socket on the event loop's thread in ${ctx.describeScope(call)}, and every other task waits with it: use asyncio streams (\`asyncio.open_connection\`, \`asyncio.start_server\`), or ${nonBlocking}.${calledBeforeThreadNote(ctx, call)}`;
  return { report: { node: call, message }, socket: socketKey(ctx, receiver) };
}

/** `sock.setblocking(False)`, `sock.setblocking(0)` or `sock.settimeout(0)`: calls on `sock` do not wait. */
function recordNonBlockingSocket(ctx: RuleContext, call: Node, m: { receiver: Node; method: string }): void {
  const arg = callArguments(call).positional[0];
  const zero = m.method === "setblocking" ? isFalse(arg) : isZero(arg);
  if (!zero) return;
  const key = socketKey(ctx, m.receiver);
  if (!key) return;
  const { nonBlocking } = stateOf(ctx);
  const names = nonBlocking.get(key.owner);
  if (names) names.add(key.name);
  else nonBlocking.set(key.owner, new Set([key.name]));
}

function socketKey(ctx: RuleContext, receiver: Node): SocketKey | null {
  if (receiver.type === "identifier") {
    const r = ctx.model.resolveName(receiver.text, ctx.scopeOf(receiver));
    return r.kind === "local" ? { owner: r.scope, name: receiver.text } : null;
  }
  if (receiver.type !== "attribute") return null;
  const obj = receiver.childForFieldName("object");
  const attr = receiver.childForFieldName("attribute");
  const cls = obj?.type === "identifier" ? ctx.model.selfClass(obj) : null;
  return cls && attr ? { owner: cls, name: `self.${attr.text}` } : null;
}
