import type { Node } from "../analyzer/parser.js";
import { defineRule, type FixProposal, type RuleContext } from "../analyzer/rule.js";
import type { ClassInfo, FunctionInfo, SemanticModel } from "../analyzer/scope.js";
import { addImportEdit, moduleReference } from "./shared/calls.js";
import { runByItsModule } from "./shared/entry-points.js";
import { classDecorators, collectedTest, defSpan, isTestFile } from "./shared/pytest.js";

/** The marks that make a plugin run an async test (pytest-asyncio, anyio, pytest-trio). */
const ASYNC_MARKS = new Set(["pytest.mark.asyncio", "pytest.mark.anyio", "pytest.mark.trio"]);

export default defineRule({
  meta: {
    code: "LG901",
    name: "async-test-without-marker",
    severity: "warning",
    guide: "pytest-with-pytest-asyncio",
    aliases: [],
    fixable: "sometimes",
  },
  docs: {
    summary: "An `async def test_*` without `@pytest.mark.asyncio` when pytest-asyncio runs in strict mode.",
    why: "In strict mode pytest-asyncio only runs coroutines that carry its mark. pytest calls an unmarked async test, gets a coroutine object back, never awaits it, and reports the test as skipped or (in older versions) passed: its assertions never run.",
    fix: "Add `@pytest.mark.asyncio` (or `anyio`/`trio` for those plugins), or set `asyncio_mode = auto` in the pytest configuration.",
    bad: ["import pytest\n\nasync def test_fetch():\n    assert await fetch() == 1\n"],
    good: [
      "import pytest\n\n@pytest.mark.asyncio\nasync def test_fetch():\n    assert await fetch() == 1\n",
      "import pytest\n\npytestmark = pytest.mark.asyncio\n\nasync def test_fetch():\n    assert await fetch() == 1\n",
      "import unittest\n\nclass TestFetch(unittest.IsolatedAsyncioTestCase):\n    async def test_fetch(self):\n        self.assertEqual(await fetch(), 1)\n",
    ],
    limitations:
      "Reads the nearest pytest configuration (`pytest.ini`, `pyproject.toml`, `tox.ini`, `setup.cfg`): silent when none is found or `asyncio_mode = auto`. Marks applied through `pytest_collection_modifyitems` hooks or plugins other than pytest-asyncio, anyio and pytest-trio are not seen. A module-level coroutine that the module itself runs (`asyncio.run(test())`) is a script's main, not a test, and is left alone.",
    examplePath: "tests/test_example.py",
    exampleProject: { pytest: { mode: "strict" } },
  },
  visit: {
    function_definition(node, ctx) {
      const mode = ctx.project.pytest?.mode;
      if (!mode || mode === "auto" || !isTestFile(ctx.path)) return;
      const fn = ctx.model.scopesByOwner.get(node.id)?.fn;
      if (!fn?.isAsync) return;
      const test = collectedTest(fn);
      if (!test || isMarked(fn, test.cls, ctx)) return;
      if (!test.cls && runByItsModule(ctx).has(fn.name)) return;
      const span = defSpan(fn);
      if (!span) return;
      ctx.report({ ...span, message: message(fn, test.cls), fix: markFix(fn, ctx) });
    },
  },
});

function message(fn: FunctionInfo, cls: ClassInfo | null): string {
  const where = cls ? `\`${cls.name}.${fn.name}\`` : `\`async def ${fn.name}\``;
  return `${where} has no \`@pytest.mark.asyncio\` and pytest-asyncio runs in strict mode: pytest never awaits the coroutine, so the test's assertions do not run. Add the mark (or \`pytestmark = pytest.mark.asyncio\` for the module), or set \`asyncio_mode = auto\`.`;
}

function isMarked(fn: FunctionInfo, cls: ClassInfo | null, ctx: RuleContext): boolean {
  const model = ctx.model;
  if (fn.decorators.some((d) => isAsyncMark(d, model))) return true;
  if (cls && isMarkedClass(cls, model, new Set())) return true;
  return hasPytestmark(model.root, model);
}

function isAsyncMark(decorator: Node, model: SemanticModel): boolean {
  const name = model.decoratorName(decorator);
  return name !== null && ASYNC_MARKS.has(name);
}

/** A class mark, a `pytestmark` in its body, an `IsolatedAsyncioTestCase` base (also through same-file bases). */
function isMarkedClass(cls: ClassInfo, model: SemanticModel, seen: Set<ClassInfo>): boolean {
  if (seen.has(cls)) return false;
  seen.add(cls);
  if (classDecorators(cls).some((d) => isAsyncMark(d, model))) return true;
  const body = cls.node.childForFieldName("body");
  if (body && hasPytestmark(body, model)) return true;
  if (model.baseNames(cls).some((b) => b === "IsolatedAsyncioTestCase" || b.endsWith(".IsolatedAsyncioTestCase"))) return true;
  return model.baseClasses(cls).some((base) => isMarkedClass(base, model, seen));
}

/** `pytestmark = pytest.mark.asyncio`, or a list/tuple containing it, directly in a block. */
function hasPytestmark(block: Node, model: SemanticModel): boolean {
  for (const stmt of block.namedChildren) {
    if (stmt?.type !== "expression_statement") continue;
    const assign = stmt.namedChild(0);
    if (assign?.type !== "assignment" || assign.childForFieldName("left")?.text !== "pytestmark") continue;
    const value = assign.childForFieldName("right");
    if (!value) continue;
    const marks = value.type === "list" || value.type === "tuple" ? value.namedChildren : [value];
    if (marks.some((m) => m && isAsyncMark(m, model))) return true;
  }
  return false;
}

/** `@pytest.mark.asyncio` on its own line right above the `def`, importing pytest when the file does not. */
function markFix(fn: FunctionInfo, ctx: RuleContext): FixProposal | null {
  const def = fn.node;
  const lineStart = ctx.source.lastIndexOf("\n", def.startIndex - 1) + 1;
  const indent = ctx.source.slice(lineStart, def.startIndex);
  // Only when the def starts its line (not `class T: async def test_x(): ...` on one line).
  if (indent.trim() !== "") return null;
  const pytest = moduleReference(ctx, def, "pytest");
  const insert = { start: lineStart, end: lineStart };
  if (pytest) {
    return {
      description: `Add \`@${pytest}.mark.asyncio\``,
      edits: [{ ...insert, text: `${indent}@${pytest}.mark.asyncio\n` }],
    };
  }
  const importEdit = addImportEdit(ctx, "pytest");
  if (!importEdit) return null;
  const mark = { ...insert, text: `${indent}@pytest.mark.asyncio\n` };
  // Two insertions at one offset have no defined order: write them as one edit.
  const edits =
    importEdit.start === lineStart ? [{ ...mark, text: importEdit.text + mark.text }] : [importEdit, mark];
  return { description: "Add `@pytest.mark.asyncio` and `import pytest`", edits };
}
