import type { Node } from "../analyzer/parser.js";
import { defineRule, type FixProposal, type RuleContext } from "../analyzer/rule.js";
import { methodCall } from "./shared/calls.js";
import { enclosingTestFileFunction, mockMember } from "./shared/pytest.js";
import { nodesInScope, unparenthesized } from "./shared/subtree.js";

/** The `.assert_called*` checks and the awaited variant each one should be. */
const AWAITED_VARIANT: Readonly<Record<string, string>> = {
  assert_called: "assert_awaited",
  assert_called_once: "assert_awaited_once",
  assert_called_with: "assert_awaited_with",
  assert_called_once_with: "assert_awaited_once_with",
};

export default defineRule({
  meta: {
    code: "LG904",
    name: "called-assert-on-async-mock",
    severity: "info",
    guide: "pytest-with-pytest-asyncio",
    aliases: [],
    fixable: "always",
  },
  docs: {
    summary: "`.assert_called*()` on an `AsyncMock` the test awaits, where `.assert_awaited*()` is meant.",
    why: "An `AsyncMock` counts as called as soon as the coroutine is created, awaited or not. `assert_called_once()` therefore passes even when the code under test forgets the `await`, which is exactly the bug an async test should catch.",
    fix: "Use the awaited variant: `assert_awaited`, `assert_awaited_once`, `assert_awaited_with`, `assert_awaited_once_with`.",
    bad: [
      "from unittest.mock import AsyncMock\n\nasync def test_send():\n    send = AsyncMock()\n    await notify(send)\n    await send('x')\n    send.assert_called_once()\n",
    ],
    good: [
      "from unittest.mock import AsyncMock\n\nasync def test_send():\n    send = AsyncMock()\n    await send('x')\n    send.assert_awaited_once()\n",
      "from unittest.mock import Mock\n\nasync def test_render():\n    render = Mock()\n    render('x')\n    render.assert_called_once()\n",
    ],
    limitations:
      "Only mocks created in the same test (`m = AsyncMock()`), and only when the test itself awaits them (or an attribute of them); mocks handed in by fixtures or `patch(...)` are not followed.",
    examplePath: "tests/test_example.py",
  },
  visit: {
    call(node, ctx) {
      const m = methodCall(node);
      const variant = m ? AWAITED_VARIANT[m.method] : undefined;
      if (!m || !variant) return;
      const fn = enclosingTestFileFunction(ctx, node);
      const receiver = unparenthesized(m.receiver);
      const root = rootName(receiver);
      if (!fn || !root || !isAsyncMock(root, ctx)) return;
      const body = fn.node.childForFieldName("body");
      if (!body || !isAwaitedIn(body, receiver.text)) return;
      ctx.report({
        node,
        message: `\`${receiver.text}.${m.method}()\` on an \`AsyncMock\` that \`${fn.name}\` awaits: it also passes when the coroutine is created but never awaited. Use \`${receiver.text}.${variant}()\`.`,
        fix: renameFix(node, variant),
      });
    },
  },
});

/** The name a receiver chain starts from: `client` for `client.post`. */
function rootName(receiver: Node): Node | null {
  let cur = receiver;
  while (cur.type === "attribute") {
    const obj = cur.childForFieldName("object");
    if (!obj) return null;
    cur = obj;
  }
  return cur.type === "identifier" ? cur : null;
}

function isAsyncMock(id: Node, ctx: RuleContext): boolean {
  return mockMember(ctx.typeOf(id)) === "AsyncMock";
}

/** The function body awaits a call of exactly this expression (`await send(...)`, `await client.post(...)`). */
function isAwaitedIn(body: Node, callee: string): boolean {
  for (const n of nodesInScope(body)) {
    if (n.type !== "await") continue;
    const value = n.namedChild(0) ? unparenthesized(n.namedChild(0)!) : null;
    if (value?.type === "call" && value.childForFieldName("function")?.text === callee) return true;
  }
  return false;
}

function renameFix(call: Node, variant: string): FixProposal | null {
  const attr = call.childForFieldName("function")?.childForFieldName("attribute");
  if (!attr) return null;
  return { description: `Use \`.${variant}()\``, edits: [{ start: attr.startIndex, end: attr.endIndex, text: variant }] };
}
