import rule from "../../src/checks/async-fixture-plain-decorator.js";
import { NO_PROJECT_FACTS } from "../../src/analyzer/project.js";
import { py } from "../helpers/lint.js";
import { ruleCases } from "../helpers/rule-cases.js";

const strict = { path: "tests/conftest.py", project: { ...NO_PROJECT_FACTS, pytest: { mode: "strict" as const } } };

ruleCases(rule, {
  invalid: [
    {
      name: "plain fixture on an async def, pytest_asyncio imported",
      code: py("import pytest", "import pytest_asyncio", "", "@pytest.fixture", "async def client():", "    return await connect()"),
      options: strict,
      lines: [5],
      message: ["`@pytest.fixture` on `async def client`", "`@pytest_asyncio.fixture`"],
      fixed: py("import pytest", "import pytest_asyncio", "", "@pytest_asyncio.fixture", "async def client():", "    return await connect()"),
    },
    {
      name: "fixture with arguments keeps them",
      code: py("import pytest, pytest_asyncio", "@pytest.fixture(scope='module')", "async def db():", "    yield 1"),
      options: strict,
      lines: [3],
      fixed: py("import pytest, pytest_asyncio", "@pytest_asyncio.fixture(scope='module')", "async def db():", "    yield 1"),
    },
    {
      name: "from-imported fixture, pytest_asyncio's fixture imported by name",
      code: py("from pytest import fixture", "from pytest_asyncio import fixture as afixture", "@fixture", "async def db():", "    yield 1"),
      options: strict,
      lines: [4],
      fixed: py("from pytest import fixture", "from pytest_asyncio import fixture as afixture", "@afixture", "async def db():", "    yield 1"),
    },
    {
      name: "pytest_asyncio not imported: no fix",
      code: py("import pytest", "@pytest.fixture", "async def client():", "    return 1"),
      options: strict,
      lines: [3],
      fixed: null,
    },
    {
      name: "a method fixture in a test class, among other decorators",
      code: py("import pytest", "class TestApi:", "    @pytest.fixture", "    @staticmethod", "    async def client():", "        return 1"),
      options: strict,
      lines: [5],
    },
    {
      name: "aliased pytest",
      code: py("import pytest as pt", "import pytest_asyncio as pa", "@pt.fixture", "async def client():", "    return 1"),
      options: { ...strict, path: "tests/test_api.py" },
      lines: [4],
      fixed: py("import pytest as pt", "import pytest_asyncio as pa", "@pa.fixture", "async def client():", "    return 1"),
    },
  ],
  valid: [
    {
      name: "pytest_asyncio.fixture",
      code: py("import pytest_asyncio", "@pytest_asyncio.fixture", "async def client():", "    return 1"),
      options: strict,
    },
    {
      name: "sync fixture",
      code: py("import pytest", "@pytest.fixture", "def settings():", "    return {}"),
      options: strict,
    },
    {
      name: "asyncio_mode = auto",
      code: py("import pytest", "@pytest.fixture", "async def client():", "    return 1"),
      options: { ...strict, project: { ...NO_PROJECT_FACTS, pytest: { mode: "auto" } } },
    },
    {
      name: "no pytest configuration found",
      code: py("import pytest", "@pytest.fixture", "async def client():", "    return 1"),
      options: { path: "tests/conftest.py" },
    },
    {
      name: "a same-named local decorator is not pytest's",
      code: py("def fixture(f):", "    return f", "@fixture", "async def client():", "    return 1"),
      options: strict,
    },
    {
      name: "an async def without decorators, and one with another decorator",
      code: py("import functools", "async def helper():", "    return 1", "@functools.lru_cache", "async def cached():", "    return 1"),
      options: strict,
    },
  ],
});
