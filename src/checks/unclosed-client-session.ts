import type { Node } from "../analyzer/parser.js";
import { defineRule, type RuleContext } from "../analyzer/rule.js";
import { describeCall } from "./shared/calls.js";
import { isNestedScope } from "./shared/subtree.js";

const SESSION_CLASSES = new Set(["aiohttp.ClientSession", "httpx.AsyncClient"]);
const CLOSERS = new Set(["close", "aclose"]);

/** Where a value put there outlives the statement: the session escapes to code we cannot see. */
const CONTAINERS = new Set(["list", "tuple", "set", "expression_list", "pair", "dictionary", "list_splat", "dictionary_splat"]);

export default defineRule({
  meta: {
    code: "LG602",
    name: "unclosed-client-session",
    severity: "warning",
    guide: "optimization-reuse-connections",
    aliases: [],
    fixable: "never",
  },
  docs: {
    summary: "An HTTP client session is assigned to a local name and never closed.",
    why: "An `aiohttp.ClientSession` or `httpx.AsyncClient` holds open connections until it is closed. Left to the garbage collector it leaks sockets, and aiohttp warns `Unclosed client session` at exit.",
    fix: "Use `async with aiohttp.ClientSession() as session:`, or close it in a `finally:` with `await session.close()` (`await client.aclose()` for httpx).",
    bad: ["import aiohttp\n\nasync def fetch(url):\n    session = aiohttp.ClientSession()\n    async with session.get(url) as resp:\n        return await resp.text()\n"],
    good: [
      "import aiohttp\n\nasync def fetch(url):\n    async with aiohttp.ClientSession() as session:\n        async with session.get(url) as resp:\n            return await resp.text()\n",
      "import httpx\n\nasync def fetch(url):\n    client = httpx.AsyncClient()\n    try:\n        return (await client.get(url)).text\n    finally:\n        await client.aclose()\n",
      "import aiohttp\n\nclass Api:\n    async def start(self):\n        session = aiohttp.ClientSession()\n        self.session = session\n",
    ],
    limitations:
      "Looks at the function that creates the session. A session that leaves it (returned, yielded, stored on an object or in a container, passed to any call, used by a nested function) is assumed to be closed by whoever receives it.",
  },
  visit: {
    assignment(node, ctx) {
      const target = node.childForFieldName("left");
      const value = node.childForFieldName("right");
      if (target?.type !== "identifier" || value?.type !== "call") return;
      // `a = b = ClientSession()`: the outer name holds it too.
      if (node.parent?.type === "assignment") return;
      if (!SESSION_CLASSES.has(ctx.calleeName(value) ?? "")) return;
      const fn = ctx.enclosingFunction(node);
      if (!fn) return;
      // `global session` / `nonlocal session`: the session outlives the call.
      if (fn.scope.globals.has(target.text) || fn.scope.nonlocals.has(target.text)) return;
      const body = fn.node.childForFieldName("body");
      if (!body || isReleased(body, target)) return;
      ctx.report({ node: value, message: message(value, target.text, ctx) });
    },
  },
});

/** Some use of the name closes the session, hands it to `async with`, or lets it escape the function. */
function isReleased(body: Node, target: Node): boolean {
  const stack: { node: Node; nested: boolean }[] = [{ node: body, nested: false }];
  while (stack.length) {
    const { node, nested } = stack.pop()!;
    if (node.type === "identifier" && node.text === target.text && node.id !== target.id) {
      // A nested function or lambda that uses it keeps it alive past this call.
      if (nested || releases(node)) return true;
    }
    const inner = nested || isNestedScope(node);
    for (let i = node.namedChildCount - 1; i >= 0; i--) {
      const c = node.namedChild(i);
      if (c) stack.push({ node: c, nested: inner });
    }
  }
  return false;
}

/** What one occurrence of the session's name does with it. */
function releases(id: Node): boolean {
  const p = id.parent;
  if (!p) return false;
  if (p.type === "attribute") {
    // `session.close()`, `await client.aclose()`, or `stack.push_async_callback(session.close)`.
    if (p.childForFieldName("object")?.id !== id.id) return false;
    return CLOSERS.has(p.childForFieldName("attribute")?.text ?? "");
  }
  let expr = id;
  while (expr.parent?.type === "parenthesized_expression") expr = expr.parent;
  return escapes(expr);
}

/** The value itself is returned, yielded, entered, stored, put in a container or passed to a call. */
function escapes(expr: Node): boolean {
  const p = expr.parent;
  if (!p) return false;
  switch (p.type) {
    case "return_statement":
    case "yield":
    case "argument_list":
      return true;
    case "keyword_argument":
      return p.childForFieldName("value")?.id === expr.id;
    case "with_item":
      return true;
    case "as_pattern":
      // `async with session as s:`
      return p.parent?.type === "with_item" && p.namedChild(0)?.id === expr.id;
    case "assignment":
      // `self.session = session`, `other = session`: someone else holds it now.
      return p.childForFieldName("right")?.id === expr.id;
    case "conditional_expression":
      return escapes(p);
    default:
      return CONTAINERS.has(p.type);
  }
}

function message(call: Node, name: string, ctx: RuleContext): string {
  const closer = ctx.calleeName(call) === "httpx.AsyncClient" ? "aclose" : "close";
  const callee = call.childForFieldName("function")?.text ?? "";
  const ctor = call.text.length <= 50 && !call.text.includes("\n") ? call.text : `${callee}(...)`;
  return `${describeCall(call)} is assigned to \`${name}\` in ${ctx.describeScope(call)} and never closed: its connections stay open until the garbage collector finds it. Use \`async with ${ctor} as ${name}:\`, or \`await ${name}.${closer}()\` in a \`finally:\`.`;
}
