import type { Node } from "../analyzer/parser.js";
import { defineRule, type RuleContext } from "../analyzer/rule.js";
import { describeCall, methodCall } from "./shared/calls.js";
import { calledBeforeThreadNote, callableText, threadAdvice } from "./shared/threads.js";

const VERBS = ["get", "post", "put", "patch", "delete", "head", "options", "request"];

/** Module-level request functions, by qualified name. */
const BLOCKING_FUNCTIONS = new Set([
  ...VERBS.map((v) => `requests.${v}`),
  ...[...VERBS, "stream"].map((v) => `httpx.${v}`),
  "urllib.request.urlopen",
  "urllib3.request",
]);

const SESSION_METHODS = new Set([...VERBS, "send", "stream"]);
const POOL_METHODS = new Set(["request", "urlopen"]);
const CONNECTION_METHODS = new Set(["request", "getresponse"]);

/**
 * Client classes whose methods do network I/O, by qualified name: creating
 * one is cheap and not reported; its request methods are.
 */
const CLIENT_METHODS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ["requests.Session", SESSION_METHODS],
  ["requests.session", SESSION_METHODS],
  ["requests.sessions.Session", SESSION_METHODS],
  ["httpx.Client", SESSION_METHODS],
  ["urllib3.PoolManager", POOL_METHODS],
  ["urllib3.poolmanager.PoolManager", POOL_METHODS],
  ["urllib3.ProxyManager", POOL_METHODS],
  ["http.client.HTTPConnection", CONNECTION_METHODS],
  ["http.client.HTTPSConnection", CONNECTION_METHODS],
]);

const ANY_CLIENT_METHOD = new Set([...SESSION_METHODS, ...POOL_METHODS, ...CONNECTION_METHODS]);

export default defineRule({
  meta: {
    code: "LG102",
    name: "blocking-http",
    severity: "error",
    guide: "pitfall-1-blocking-the-event-loop",
    aliases: ["ASYNC210", "ASYNC211", "ASYNC212"],
    fixable: "never",
  },
  docs: {
    summary: "A synchronous HTTP request (`requests`, `httpx` sync API, `urllib`, `urllib3`, `http.client`) inside a coroutine.",
    why: "A synchronous client waits for the whole round trip (DNS, connect, TLS, the server's answer) on the event loop's thread. Every other task, including the ones serving other requests, is frozen for as long as the slowest server takes to answer.",
    fix: "Use an async client (`aiohttp`, `httpx.AsyncClient`) and `await` its requests, or run the synchronous call in a thread with `await asyncio.to_thread(requests.get, url)`.",
    bad: ["import requests\n\nasync def fetch(url):\n    return requests.get(url).json()\n"],
    good: [
      "import httpx\n\nasync def fetch(url):\n    async with httpx.AsyncClient() as client:\n        response = await client.get(url)\n        return response.json()\n",
      "import asyncio\nimport requests\n\nasync def fetch(url):\n    response = await asyncio.to_thread(requests.get, url, timeout=10)\n    return response.json()\n",
      "import requests\n\nasync def make_session():\n    return requests.Session()\n",
    ],
    limitations:
      "Methods are recognised on a client whose type is known locally: created in the same function (`s = requests.Session()`, `with httpx.Client() as c`), annotated as a parameter, assigned to `self.<name>` in the class, or called directly on the constructor. A client passed around without an annotation is not followed. Creating a client is not reported: it does no I/O.",
  },
  visit: {
    call(node, ctx) {
      if (!ctx.isInCoroutine(node)) return;
      const client = blockingRequest(ctx, node);
      if (!client) return;
      ctx.report({ node, message: message(ctx, node, client) });
    },
  },
});

/** The library a blocking request call belongs to (`requests`, `httpx`, ...), or null when the call is not one. */
function blockingRequest(ctx: RuleContext, call: Node): string | null {
  const q = ctx.calleeName(call);
  if (q && BLOCKING_FUNCTIONS.has(q)) return q.slice(0, q.indexOf("."));
  const m = methodCall(call);
  // Most calls are not request methods: skip asking for the receiver's type.
  if (!m || !ANY_CLIENT_METHOD.has(m.method)) return null;
  const type = ctx.typeOf(m.receiver);
  if (!type || !CLIENT_METHODS.get(type)?.has(m.method)) return null;
  return type.slice(0, type.indexOf("."));
}

function message(ctx: RuleContext, call: Node, library: string): string {
  const asyncClient = library === "httpx" ? "`httpx.AsyncClient`" : "an async client (`aiohttp`, `httpx.AsyncClient`)";
  return (
    `${describeCall(call)} blocks the event loop in ${ctx.describeScope(call)} until the server answers, and every other task waits with it: ` +
    `use ${asyncClient} and await the request, or ${threadAdvice(ctx, callableText(call))}.` +
    calledBeforeThreadNote(ctx, call)
  );
}
