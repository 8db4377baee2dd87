import rule from "../../src/checks/nested-event-loop.js";
import { py } from "../helpers/lint.js";
import { ruleCases } from "../helpers/rule-cases.js";

ruleCases(rule, {
  invalid: [
    {
      name: "in an @asynccontextmanager function, and in the async one of two classes sharing a name",
      code: py(
        "import asyncio",
        "from contextlib import asynccontextmanager",
        "@asynccontextmanager",
        "async def session():",
        "    yield asyncio.run(connect())",
        "class Store:",
        "    def load(self):",
        "        return asyncio.run(self.fetch())",
        "class Store:",
        "    async def load(self):",
        "        return asyncio.run(self.fetch())",
      ),
      lines: [5, 11],
    },
    {
      name: "asyncio.run in a coroutine",
      code: py("import asyncio", "async def handler():", "    asyncio.run(refresh())"),
      lines: [3],
      message: ["`asyncio.run()` in `async def handler` starts an event loop while one is already running", "RuntimeError", "Await"],
      fixed: py("import asyncio", "async def handler():", "    await refresh()"),
    },
    {
      name: "the result is used: the fix keeps the assignment",
      code: py("import asyncio", "async def handler():", "    data = asyncio.run(load(1, key='x'))", "    return data"),
      lines: [3],
      fixed: py("import asyncio", "async def handler():", "    data = await load(1, key='x')", "    return data"),
    },
    {
      name: "the result's attribute: the fix adds parentheses",
      code: py("import asyncio", "async def handler():", "    return asyncio.run(load()).body"),
      lines: [3],
      fixed: py("import asyncio", "async def handler():", "    return (await load()).body"),
    },
    {
      name: "aliased and from imports",
      code: py("import asyncio as aio", "from asyncio import run", "async def a():", "    aio.run(b())", "    run(b())"),
      lines: [4, 5],
    },
    {
      name: "loop.run_until_complete on a loop from get_event_loop, and run_forever",
      code: py(
        "import asyncio",
        "async def main():",
        "    loop = asyncio.get_event_loop()",
        "    loop.run_until_complete(step())",
        "    loop.run_forever()",
      ),
      lines: [4, 5],
      fixed: py(
        "import asyncio",
        "async def main():",
        "    loop = asyncio.get_event_loop()",
        "    await step()",
        "    loop.run_forever()",
      ),
    },
    {
      name: "run_forever has no argument to await: no fix",
      code: py("async def main(loop):", "    loop.run_forever()"),
      lines: [2],
      fixed: null,
    },
    {
      name: "self._loop and a new loop in a method",
      code: py(
        "import asyncio",
        "class App:",
        "    async def reload(self):",
        "        self._loop.run_until_complete(self.load())",
        "        asyncio.new_event_loop().run_until_complete(self.load())",
      ),
      lines: [4, 5],
      fixed: py(
        "import asyncio",
        "class App:",
        "    async def reload(self):",
        "        await self.load()",
        "        asyncio.new_event_loop().run_until_complete(self.load())",
      ),
    },
    {
      name: "anyio.run and trio.run take a function: reported without a fix",
      code: py("import anyio, trio", "async def main():", "    anyio.run(work)", "    trio.run(work, 1)"),
      lines: [3, 4],
      fixed: null,
    },
    {
      name: "asyncio.run with a coroutine held in a name: no fix",
      code: py("import asyncio", "async def main():", "    coro = work()", "    asyncio.run(coro)"),
      lines: [4],
      fixed: null,
    },
    {
      name: "in an async generator and an async method",
      code: py("import asyncio", "class S:", "    async def gen(self):", "        yield asyncio.run(self.one())"),
      lines: [4],
      fixed: py("import asyncio", "class S:", "    async def gen(self):", "        yield await self.one()"),
    },
  ],
  valid: [
    {
      name: "a nested run a test expects to raise",
      code: py(
        "import asyncio",
        "import pytest",
        "async def test_no_nesting(loop):",
        "    with pytest.raises(RuntimeError, match='cannot be called from a running event loop'):",
        "        asyncio.run(step())",
      ),
    },
    {
      name: "a sync override of an async method may start a loop",
      code: py(
        "import asyncio",
        "class Base:",
        "    async def load(self):",
        "        return await self.fetch()",
        "class Blocking(Base):",
        "    def load(self):",
        "        return asyncio.run(self.fetch())",
      ),
    },
    {
      name: "asyncio.run in a plain entry point",
      code: py("import asyncio", "async def main():", "    ...", "def cli():", "    asyncio.run(main())", "asyncio.run(main())"),
    },
    {
      name: "in a nested sync def handed to a thread",
      code: py(
        "import asyncio",
        "async def main():",
        "    def in_thread():",
        "        return asyncio.run(other())",
        "    return await asyncio.to_thread(in_thread)",
      ),
    },
    {
      name: "in a lambda and a class body inside a coroutine",
      code: py(
        "import asyncio",
        "async def main(pool):",
        "    await pool.submit(lambda: asyncio.run(other()))",
        "    class Job:",
        "        result = asyncio.run(other())",
      ),
    },
    {
      name: "shadowed asyncio and a project module",
      code: py("import asyncio", "async def a(asyncio):", "    asyncio.run(b())", "async def c():", "    from . import asyncio", "    asyncio.run(b())"),
    },
    {
      name: "runner.run and other receivers are not event loops",
      code: py(
        "import asyncio",
        "async def main(executor, runner):",
        "    runner.run(job())",
        "    executor.run_until_complete(job())",
        "    async with asyncio.TaskGroup() as loop:",
        "        loop.run_forever()",
      ),
    },
    {
      name: "sync function with a loop of its own",
      code: py(
        "import asyncio",
        "def main():",
        "    loop = asyncio.new_event_loop()",
        "    try:",
        "        loop.run_until_complete(serve())",
        "    finally:",
        "        loop.close()",
      ),
    },
    {
      name: "a same-file function named run",
      code: py("def run(x):", "    return x", "async def main():", "    run(job())"),
    },
    {
      name: "awaiting the coroutine",
      code: py("import asyncio", "async def main():", "    await asyncio.wait_for(job(), 1)", "    await job()"),
    },
  ],
});
