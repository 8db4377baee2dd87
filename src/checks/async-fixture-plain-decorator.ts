import type { Node } from "../analyzer/parser.js";
import { defineRule, type FixProposal, type RuleContext } from "../analyzer/rule.js";
import { importedMember, moduleReference } from "./shared/calls.js";
import { defSpan } from "./shared/pytest.js";

export default defineRule({
  meta: {
    code: "LG903",
    name: "async-fixture-plain-decorator",
    severity: "warning",
    guide: "pytest-with-pytest-asyncio",
    aliases: [],
    fixable: "sometimes",
  },
  docs: {
    summary: "An `async def` fixture decorated with `@pytest.fixture` when pytest-asyncio runs in strict mode.",
    why: "In strict mode pytest-asyncio only drives fixtures declared with `@pytest_asyncio.fixture`. With `@pytest.fixture` the test receives the coroutine (or async generator) object itself instead of the value, and the fixture's setup and teardown never run.",
    fix: "Decorate it with `@pytest_asyncio.fixture` (same arguments), or set `asyncio_mode = auto`.",
    bad: ["import pytest\n\n@pytest.fixture\nasync def client():\n    return await connect()\n"],
    good: [
      "import pytest_asyncio\n\n@pytest_asyncio.fixture\nasync def client():\n    return await connect()\n",
      "import pytest\n\n@pytest.fixture\ndef settings():\n    return {'debug': True}\n",
    ],
    limitations:
      "Reads the nearest pytest configuration (`pytest.ini`, `pyproject.toml`, `tox.ini`, `setup.cfg`): silent when none is found or `asyncio_mode = auto`. The fix is offered when the file imports `pytest_asyncio`.",
    examplePath: "tests/conftest.py",
    exampleProject: { pytest: { mode: "strict" } },
  },
  visit: {
    function_definition(node, ctx) {
      if (ctx.project.pytest?.mode !== "strict") return;
      const fn = ctx.model.scopesByOwner.get(node.id)?.fn;
      if (!fn?.isAsync) return;
      const decorator = fn.decorators.find((d) => ctx.model.decoratorName(d) === "pytest.fixture");
      const span = defSpan(fn);
      if (!decorator || !span) return;
      ctx.report({
        ...span,
        message: `\`@pytest.fixture\` on \`async def ${fn.name}\` while pytest-asyncio runs in strict mode: tests get the un-awaited coroutine instead of the fixture's value. Use \`@pytest_asyncio.fixture\`.`,
        fix: decoratorFix(decorator, ctx),
      });
    },
  },
});

/** Replaces the `pytest.fixture` part of the decorator (arguments kept) when `pytest_asyncio` is imported. */
function decoratorFix(decorator: Node, ctx: RuleContext): FixProposal | null {
  let expr = decorator.namedChild(0);
  if (expr?.type === "call") expr = expr.childForFieldName("function");
  if (!expr) return null;
  const module = moduleReference(ctx, decorator, "pytest_asyncio");
  const replacement = module ? `${module}.fixture` : importedMember(ctx, decorator, "pytest_asyncio.fixture");
  if (!replacement) return null;
  return {
    description: `Use \`@${replacement}\``,
    edits: [{ start: expr.startIndex, end: expr.endIndex, text: replacement }],
  };
}
