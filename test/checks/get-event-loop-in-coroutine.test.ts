import rule from "../../src/checks/get-event-loop-in-coroutine.js";
import { py } from "../helpers/lint.js";
import { ruleCases } from "../helpers/rule-cases.js";

ruleCases(rule, {
  invalid: [
    {
      name: "in an @asynccontextmanager function and the async one of two classes sharing a name",
      code: py(
        "import asyncio, contextlib",
        "@contextlib.asynccontextmanager",
        "async def loop_scope():",
        "    yield asyncio.get_event_loop()",
        "class Clock:",
        "    def now(self):",
        "        return asyncio.get_event_loop().time()",
        "class Clock:",
        "    async def now(self):",
        "        return asyncio.get_event_loop().time()",
      ),
      lines: [4, 10],
    },
    {
      name: "asyncio.get_event_loop in a coroutine",
      code: py("import asyncio", "async def read(path):", "    loop = asyncio.get_event_loop()", "    return await loop.run_in_executor(None, load, path)"),
      lines: [3],
      message: ["`asyncio.get_event_loop()` in `async def read`", "asyncio.get_running_loop()"],
      fixed: py("import asyncio", "async def read(path):", "    loop = asyncio.get_running_loop()", "    return await loop.run_in_executor(None, load, path)"),
    },
    {
      name: "aliased module: the fix keeps the alias",
      code: py("import asyncio as aio", "async def f():", "    return aio.get_event_loop().time()"),
      lines: [3],
      fixed: py("import asyncio as aio", "async def f():", "    return aio.get_running_loop().time()"),
    },
    {
      name: "from import, with get_running_loop also imported",
      code: py("from asyncio import get_event_loop, get_running_loop", "async def f():", "    loop = get_event_loop()"),
      lines: [3],
      fixed: py("from asyncio import get_event_loop, get_running_loop", "async def f():", "    loop = get_running_loop()"),
    },
    {
      name: "from import, with the module imported too",
      code: py("import asyncio", "from asyncio import get_event_loop as gel", "async def f():", "    loop = gel()"),
      lines: [4],
      fixed: py("import asyncio", "from asyncio import get_event_loop as gel", "async def f():", "    loop = asyncio.get_running_loop()"),
    },
    {
      name: "from import only: reported without a fix (it would need an import)",
      code: py("from asyncio import get_event_loop", "async def f():", "    loop = get_event_loop()"),
      lines: [3],
      fixed: null,
    },
    {
      name: "async method and a comprehension inside it",
      code: py(
        "import asyncio",
        "class Pool:",
        "    async def start(self, n):",
        "        self.loop = asyncio.get_event_loop()",
        "        return [asyncio.get_event_loop() for _ in range(n)]",
      ),
      lines: [4, 5],
    },
    {
      name: "function-local import",
      code: py("async def f():", "    import asyncio", "    asyncio.get_event_loop().call_soon(print)"),
      lines: [3],
    },
    {
      name: "in an async generator",
      code: py("import asyncio", "async def ticks():", "    loop = asyncio.get_event_loop()", "    yield loop.time()"),
      lines: [3],
    },
    {
      name: "multi-line call: the finding is on its first line",
      code: py("import asyncio", "async def f():", "    loop = asyncio.get_event_loop(", "    )"),
      lines: [3],
    },
  ],
  valid: [
    {
      name: "a sync override of an inherited async method",
      code: py(
        "import asyncio",
        "class Base:",
        "    async def now(self):",
        "        return asyncio.get_running_loop().time()",
        "class Sync(Base):",
        "    def now(self):",
        "        return asyncio.get_event_loop().time()",
      ),
    },
    {
      name: "in a plain function",
      code: py("import asyncio", "def main():", "    loop = asyncio.get_event_loop()", "    loop.run_until_complete(serve())"),
    },
    {
      name: "get_running_loop in a coroutine",
      code: py("import asyncio", "async def f():", "    return asyncio.get_running_loop()"),
    },
    {
      name: "nested sync def and lambda inside a coroutine",
      code: py(
        "import asyncio",
        "async def f():",
        "    def cb():",
        "        return asyncio.get_event_loop()",
        "    g = lambda: asyncio.get_event_loop()",
        "    return cb, g",
      ),
    },
    {
      name: "shadowed asyncio (parameter, local)",
      code: py("import asyncio", "async def a(asyncio):", "    asyncio.get_event_loop()", "async def b():", "    asyncio = FakeAsyncio()", "    asyncio.get_event_loop()"),
    },
    {
      name: "a different library's get_event_loop",
      code: py("import tornado.ioloop", "from trio_asyncio import get_event_loop", "async def f(app):", "    get_event_loop()", "    app.get_event_loop()"),
    },
    {
      name: "project module named asyncio (relative import)",
      code: py("from . import asyncio", "async def f():", "    asyncio.get_event_loop()"),
    },
    {
      name: "policy method, not the module function",
      code: py("import asyncio", "async def f():", "    return asyncio.get_event_loop_policy().get_event_loop()"),
    },
    {
      name: "in a sync callback defined at module level",
      code: py("import asyncio", "def on_signal():", "    asyncio.get_event_loop().stop()"),
    },
    {
      name: "suppressed with noqa",
      code: py("import asyncio", "async def f():", "    return asyncio.get_event_loop()  # noqa: LG303"),
    },
  ],
});
