import rule from "../../src/checks/async-test-without-marker.js";
import { NO_PROJECT_FACTS } from "../../src/analyzer/project.js";
import { py } from "../helpers/lint.js";
import { ruleCases } from "../helpers/rule-cases.js";

const strict = { path: "tests/test_api.py", project: { ...NO_PROJECT_FACTS, pytest: { mode: "strict" as const } } };

ruleCases(rule, {
  invalid: [
    {
      name: "the module runs another coroutine, not the test",
      code: py("import asyncio", "async def test_device():", "    await check_device()", "async def main():", "    ...", "if __name__ == '__main__':", "    asyncio.run(main())"),
      options: strict,
      lines: [2],
    },
    {
      name: "module-level async test",
      code: py("import pytest", "", "async def test_fetch():", "    assert await fetch()"),
      options: strict,
      lines: [3],
      message: ["`async def test_fetch` has no `@pytest.mark.asyncio`", "strict mode"],
      fixed: py("import pytest", "", "@pytest.mark.asyncio", "async def test_fetch():", "    assert await fetch()"),
    },
    {
      name: "decorated by something else: points at the def line, mark goes right above it",
      code: py("import pytest", "", "@pytest.mark.slow", "async def test_fetch():", "    assert await fetch()"),
      options: strict,
      lines: [4],
      fixed: py("import pytest", "", "@pytest.mark.slow", "@pytest.mark.asyncio", "async def test_fetch():", "    assert await fetch()"),
    },
    {
      name: "no pytest import: the fix adds it",
      code: py('"""Tests."""', "async def test_fetch():", "    assert await fetch()"),
      options: strict,
      lines: [2],
      fixed: py('"""Tests."""', "import pytest", "@pytest.mark.asyncio", "async def test_fetch():", "    assert await fetch()"),
    },
    {
      name: "method of a Test class, indented mark, aliased pytest",
      code: py("import pytest as pt", "class TestApi:", "    async def test_get(self):", "        assert await get()"),
      options: strict,
      lines: [3],
      message: "`TestApi.test_get`",
      fixed: py("import pytest as pt", "class TestApi:", "    @pt.mark.asyncio", "    async def test_get(self):", "        assert await get()"),
    },
    {
      name: "a mark of another kind on the class does not count",
      code: py("import pytest", "@pytest.mark.slow", "class TestApi:", "    async def test_get(self):", "        assert await get()"),
      options: strict,
      lines: [4],
    },
    {
      name: "pytestmark naming other marks only",
      code: py("import pytest", "pytestmark = [pytest.mark.slow]", "async def test_a():", "    pass", "async def test_b():", "    pass"),
      options: strict,
      lines: [3, 5],
    },
    {
      name: "conftest.py and *_test.py are test files too",
      code: py("import pytest", "async def test_x():", "    pass"),
      options: { ...strict, path: "pkg/api_test.py" },
      lines: [2],
    },
    {
      name: "a plain unittest.TestCase base is not IsolatedAsyncioTestCase",
      code: py("import unittest", "class TestApi(unittest.TestCase):", "    async def test_get(self):", "        pass"),
      options: strict,
      lines: [3],
    },
  ],
  valid: [
    {
      name: "a script in tests/ whose main coroutine is called test and run by the module itself (aioshelly)",
      code: py("import asyncio", "async def test():", "    await check_device()", "asyncio.run(test())"),
      options: strict,
    },
    {
      name: "marked with asyncio (also called with arguments), anyio or trio",
      code: py(
        "import pytest",
        "@pytest.mark.asyncio(loop_scope='module')",
        "async def test_a():",
        "    pass",
        "@pytest.mark.anyio",
        "async def test_b():",
        "    pass",
        "@pytest.mark.trio",
        "async def test_c():",
        "    pass",
      ),
      options: strict,
    },
    {
      name: "mark on the class",
      code: py("import pytest", "@pytest.mark.asyncio", "class TestApi:", "    async def test_get(self):", "        pass"),
      options: strict,
    },
    {
      name: "module pytestmark, alone or in a list",
      code: py("import pytest", "pytestmark = [pytest.mark.slow, pytest.mark.asyncio]", "async def test_a():", "    pass"),
      options: strict,
    },
    {
      name: "module pytestmark = pytest.mark.anyio",
      code: py("from pytest import mark", "pytestmark = mark.anyio", "async def test_a():", "    pass"),
      options: strict,
    },
    {
      name: "IsolatedAsyncioTestCase subclass, also through a same-file base",
      code: py(
        "from unittest import IsolatedAsyncioTestCase",
        "class Base(IsolatedAsyncioTestCase):",
        "    pass",
        "class TestApi(Base):",
        "    async def test_get(self):",
        "        pass",
      ),
      options: strict,
    },
    {
      name: "asyncio_mode = auto",
      code: py("async def test_fetch():", "    pass"),
      options: { ...strict, project: { ...NO_PROJECT_FACTS, pytest: { mode: "auto" } } },
    },
    {
      name: "no pytest configuration found",
      code: py("async def test_fetch():", "    pass"),
      options: { path: "tests/test_api.py" },
    },
    {
      name: "not a test file",
      code: py("async def test_connection(host):", "    pass"),
      options: { ...strict, path: "app/health.py" },
    },
    {
      name: "sync tests, async helpers, nested async test_ defs, non-Test classes",
      code: py(
        "def test_sync():",
        "    pass",
        "async def helper():",
        "    pass",
        "def test_outer():",
        "    async def test_inner():",
        "        pass",
        "class Helpers:",
        "    async def test_like(self):",
        "        pass",
      ),
      options: strict,
    },
  ],
});
