import type { Node } from "../analyzer/parser.js";
import { defineRule, type FixProposal, type RuleContext } from "../analyzer/rule.js";
import type { ClassInfo, FunctionInfo } from "../analyzer/scope.js";
import { callArguments, describeCall, importedMember } from "./shared/calls.js";
import { isTestFile, mockMember } from "./shared/pytest.js";
import { nodesInScope, unparenthesized } from "./shared/subtree.js";

const SYNC_MOCKS = new Set(["Mock", "MagicMock"]);
/** Arguments that make a Mock's call awaitable or defer to real code: `spec` of an async function, `wraps`, `side_effect`. */
const AWAITABLE_ARGUMENTS = ["spec", "spec_set", "wraps", "side_effect"];

export default defineRule({
  meta: {
    code: "LG902",
    name: "sync-mock-for-async",
    severity: "warning",
    guide: "pytest-with-pytest-asyncio",
    aliases: [],
    fixable: "sometimes",
  },
  docs: {
    summary: "A `Mock`/`MagicMock` standing in for an `async def`, or awaited by the test.",
    why: "Calling a `Mock` returns a plain value, not an awaitable: the code under test fails with `TypeError: object MagicMock can't be used in 'await' expression`, or the test passes without exercising the async path it meant to test.",
    fix: "Use `AsyncMock` (same arguments): calling it returns a coroutine that resolves to `return_value`.",
    bad: [
      "from unittest import mock\n\nclass Mailer:\n    async def send(self, to):\n        return True\n\nasync def test_send():\n    with mock.patch.object(Mailer, 'send', mock.MagicMock(return_value=True)):\n        assert await Mailer().send('a')\n",
    ],
    good: [
      "from unittest import mock\n\nclass Mailer:\n    async def send(self, to):\n        return True\n\nasync def test_send():\n    with mock.patch.object(Mailer, 'send', mock.AsyncMock(return_value=True)):\n        assert await Mailer().send('a')\n",
      "from unittest import mock\n\nclass Mailer:\n    def render(self, body):\n        return body\n\ndef test_render():\n    with mock.patch.object(Mailer, 'render', mock.MagicMock(return_value='x')):\n        assert Mailer().render('y') == 'x'\n",
    ],
    limitations:
      "Only targets defined in the same file (a class's async method, a module-level `async def`), and local mocks the same test awaits. Mocks with `spec`, `spec_set`, `wraps` or `side_effect` are left alone: with an async spec or side effect their calls are awaitable.",
    examplePath: "tests/test_example.py",
  },
  visit: {
    call(node, ctx) {
      const kind = mockMember(ctx.calleeName(node));
      if (!kind || !SYNC_MOCKS.has(kind) || !isTestFile(ctx.path) || mayBeAwaitable(node)) return;
      const target = replacedCoroutine(node, ctx);
      const awaited = target ? null : awaitedLocally(node);
      if (!target && !awaited) return;
      const what = describeCall(node);
      const message = target
        ? `${what} replaces \`async def ${target}\`: calling it returns a plain value, not an awaitable, so awaiting it raises \`TypeError\`. Use \`AsyncMock\`.`
        : `${what} is awaited as \`${awaited}\` in this test: a \`${kind}\` call returns a plain value, not an awaitable, so the \`await\` raises \`TypeError\`. Use \`AsyncMock\`.`;
      ctx.report({ node, message, fix: asyncMockFix(node, ctx) });
    },
  },
});

function mayBeAwaitable(call: Node): boolean {
  const { positional, keywords } = callArguments(call);
  // The first positional argument of Mock() is its spec.
  return positional.length > 0 || AWAITABLE_ARGUMENTS.some((k) => keywords.has(k));
}

/** The same-file coroutine function the mock is put in place of, as `Class.method` or `name`. */
function replacedCoroutine(mock: Node, ctx: RuleContext): string | null {
  const parent = mock.parent;
  if (parent?.type === "assignment" && parent.childForFieldName("right")?.id === mock.id) {
    return assignedOver(parent.childForFieldName("left"), ctx);
  }
  const patch = patchCallOf(mock, ctx);
  if (!patch) return null;
  const { positional } = callArguments(patch.call);
  if (patch.kind === "patch.object") {
    const [owner, attr] = positional;
    if (!owner || attr?.type !== "string") return null;
    const cls = classOf(unparenthesized(owner), ctx);
    return cls ? asyncMethod(cls, stringValue(attr), ctx) : null;
  }
  const target = positional[0];
  return target?.type === "string" ? patchTarget(target, ctx) : null;
}

/** `patch(target, new)`/`patch.object(obj, name, new)` the mock is the replacement of (positionally or as `new=`). */
function patchCallOf(mock: Node, ctx: RuleContext): { call: Node; kind: "patch" | "patch.object" } | null {
  let args = mock.parent;
  const isKeyword = args?.type === "keyword_argument";
  if (isKeyword && args!.childForFieldName("name")?.text !== "new") return null;
  if (isKeyword) args = args!.parent;
  const call = args?.type === "argument_list" ? args.parent : null;
  if (call?.type !== "call") return null;
  const q = ctx.calleeName(call);
  const kind = q === "unittest.mock.patch" || q === "mock.patch" ? "patch" : q === "unittest.mock.patch.object" || q === "mock.patch.object" ? "patch.object" : null;
  if (!kind) return null;
  if (!isKeyword) {
    const position = callArguments(call).positional.findIndex((a) => a.id === mock.id);
    if (position !== (kind === "patch" ? 1 : 2)) return null;
  }
  return { call, kind };
}

/** `obj.m = Mock()` where `obj` is a same-file class or an instance of one and `m` is async. */
function assignedOver(left: Node | null, ctx: RuleContext): string | null {
  if (left?.type !== "attribute") return null;
  const obj = left.childForFieldName("object");
  const attr = left.childForFieldName("attribute");
  const cls = obj ? classOf(obj, ctx) : null;
  return cls && attr ? asyncMethod(cls, attr.text, ctx) : null;
}

/** A same-file class named directly, or the class of a local built by calling it. */
function classOf(expr: Node, ctx: RuleContext): ClassInfo | null {
  if (expr.type !== "identifier") return null;
  const direct = ctx.model.classForName(expr);
  if (direct) return direct;
  const value = ctx.model.assignedValue(expr);
  const ctor = value?.type === "call" ? value.childForFieldName("function") : null;
  return ctor?.type === "identifier" ? ctx.model.classForName(ctor) : null;
}

function asyncMethod(cls: ClassInfo, name: string, ctx: RuleContext): string | null {
  const m = ctx.model.methodOf(cls, name);
  return m && ctx.model.isCoroutineFunction(m) ? `${cls.name}.${name}` : null;
}

/**
 * A `patch()` target string naming this file: `f"{__name__}.Mailer.send"`, or
 * a dotted path whose module part is this file's module (`tests.test_mail.notify`).
 */
function patchTarget(target: Node, ctx: RuleContext): string | null {
  const raw = stringValue(target);
  let rest: string | null = null;
  if (raw.startsWith("{__name__}.")) rest = raw.slice("{__name__}.".length);
  else if (!raw.includes("{")) {
    const module = ctx.path.replace(/\\/g, "/").replace(/\.py$/, "").split("/").join(".");
    for (const parts of [1, 2]) {
      const pieces = raw.split(".");
      const modulePart = pieces.slice(0, -parts).join(".");
      if (modulePart && (module === modulePart || module.endsWith(`.${modulePart}`))) rest = pieces.slice(-parts).join(".");
    }
  }
  if (!rest) return null;
  const pieces = rest.split(".");
  if (pieces.length === 1) return moduleCoroutine(pieces[0]!, ctx);
  if (pieces.length !== 2) return null;
  const classes = ctx.model.module.classes.get(pieces[0]!);
  if (classes?.length !== 1 || ctx.model.isRebound(pieces[0]!, ctx.model.module)) return null;
  return asyncMethod(classes[0]!, pieces[1]!, ctx);
}

function moduleCoroutine(name: string, ctx: RuleContext): string | null {
  const fn: FunctionInfo | null = ctx.model.isRebound(name, ctx.model.module) ? null : ctx.model.functionNamed(name, ctx.model.module);
  return fn && ctx.model.isCoroutineFunction(fn) ? name : null;
}

/** The text of a string literal without prefix and quotes (f-string interpolations kept as written). */
function stringValue(str: Node): string {
  return str.text.replace(/^[a-zA-Z]*("""|'''|"|')/, "").replace(/("""|'''|"|')$/, "");
}

/**
 * `fake = Mock()` in a function that later awaits a call of `fake` or of an
 * attribute chain of it (`await fake.send()`), which nothing in the function
 * configures (`fake.send = AsyncMock()`, `fake.send.return_value = future`).
 */
function awaitedLocally(mock: Node): string | null {
  const assign = mock.parent;
  const left = assign?.type === "assignment" ? assign.childForFieldName("left") : null;
  if (left?.type !== "identifier" || assign!.childForFieldName("right")?.id !== mock.id) return null;
  let fnNode: Node | null = assign!.parent;
  while (fnNode && fnNode.type !== "function_definition") fnNode = fnNode.parent;
  const body = fnNode?.childForFieldName("body");
  if (!body) return null;
  const name = left.text;
  const configured = new Set<string>();
  const awaited: Node[] = [];
  for (const n of nodesInScope(body)) {
    if (n.type === "assignment" && n.id !== assign!.id) {
      const target = n.childForFieldName("left")?.text;
      if (target) configured.add(target);
    }
    if (n.type !== "await" || n.startIndex < mock.endIndex) continue;
    const value = n.namedChild(0) ? unparenthesized(n.namedChild(0)!) : null;
    const callee = value?.type === "call" ? value.childForFieldName("function") : null;
    if (callee && (callee.text === name || callee.text.startsWith(`${name}.`))) awaited.push(callee);
  }
  // Rebinding the name, or configuring what is awaited, means the test set it up some other way.
  if (configured.has(name)) return null;
  const callee = awaited.find((c) => !isConfigured(c.text, name, configured));
  return callee ? `await ${callee.text}(...)` : null;
}

function isConfigured(callee: string, name: string, configured: Set<string>): boolean {
  for (const t of configured) {
    if (t === callee || t === `${callee}.return_value` || t === `${callee}.side_effect`) return true;
    // `fake.send = AsyncMock()` configures `fake.send.x` too; `fake.return_value = ...` configures calls of fake.
    if (t !== name && callee.startsWith(`${t}.`)) return true;
  }
  return false;
}

/** `Mock` → `AsyncMock`, spelled the way the file reaches the mock module. */
function asyncMockFix(call: Node, ctx: RuleContext): FixProposal | null {
  const fn = call.childForFieldName("function");
  const qualified = ctx.calleeName(call);
  if (!fn || !qualified) return null;
  if (fn.type === "attribute") {
    const attr = fn.childForFieldName("attribute");
    if (!attr) return null;
    return { description: "Use `AsyncMock`", edits: [{ start: attr.startIndex, end: attr.endIndex, text: "AsyncMock" }] };
  }
  const module = qualified.slice(0, qualified.lastIndexOf("."));
  const local = importedMember(ctx, call, `${module}.AsyncMock`);
  if (!local) return null;
  return { description: `Use \`${local}\``, edits: [{ start: fn.startIndex, end: fn.endIndex, text: local }] };
}
