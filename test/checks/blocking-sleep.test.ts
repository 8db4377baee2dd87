import rule from "../../src/checks/blocking-sleep.js";
import { py } from "../helpers/lint.js";
import { ruleCases } from "../helpers/rule-cases.js";

ruleCases(rule, {
  invalid: [
    {
      name: "module import",
      code: py("import asyncio, time", "", "async def poll():", "    time.sleep(1)"),
      lines: [4],
      message: ["`time.sleep()` blocks the event loop in `async def poll`"],
      fixed: py("import asyncio, time", "", "async def poll():", "    await asyncio.sleep(1)"),
    },
    {
      name: "aliased module import",
      code: py("import time as t", "import asyncio as aio", "async def poll():", "    t.sleep(0.5)"),
      lines: [4],
      message: "`t.sleep()`",
      fixed: py("import time as t", "import asyncio as aio", "async def poll():", "    await aio.sleep(0.5)"),
    },
    {
      name: "from import with alias, asyncio.sleep imported by name",
      code: py("from time import sleep as nap", "from asyncio import sleep", "async def f():", "    nap(2)"),
      lines: [4],
      fixed: py("from time import sleep as nap", "from asyncio import sleep", "async def f():", "    await sleep(2)"),
    },
    {
      name: "no asyncio import: the fix adds it after the docstring",
      code: py('"""Worker."""', "from time import sleep", "async def f():", "    sleep(2)"),
      lines: [4],
      fixed: py('"""Worker."""', "import asyncio", "from time import sleep", "async def f():", "    await asyncio.sleep(2)"),
    },
    {
      name: "async method, comprehension inherits the coroutine",
      code: py("import time", "class C:", "    async def run(self):", "        [time.sleep(i) for i in range(3)]"),
      lines: [4],
      fixed: null,
    },
    {
      name: "function-local import",
      code: py("async def f():", "    import time", "    time.sleep(1)"),
      lines: [3],
    },
    {
      name: "a call written as the to_thread argument still runs on the loop",
      code: py("import asyncio, time", "async def f():", "    await asyncio.to_thread(time.sleep(1))"),
      lines: [3],
      fixed: null,
    },
    {
      name: "async generator",
      code: py("import time", "async def ticks():", "    while True:", "        time.sleep(1)", "        yield 1"),
      lines: [4],
    },
    {
      name: "multi-line call: noqa on another line does not apply",
      code: py("import time", "async def f():  # noqa", "    time.sleep(", "        1,", "    )"),
      lines: [3],
    },
  ],
  valid: [
    { name: "sync function", code: py("import time", "def f():", "    time.sleep(1)") },
    {
      name: "nested sync def inside async def",
      code: py("import time", "async def f():", "    def g():", "        time.sleep(1)", "    return g"),
    },
    {
      name: "callable handed to a thread",
      code: py(
        "import asyncio, time, functools",
        "async def f(loop):",
        "    await asyncio.to_thread(time.sleep, 1)",
        "    await loop.run_in_executor(None, time.sleep, 1)",
        "    await asyncio.to_thread(lambda: time.sleep(1))",
        "    await asyncio.to_thread(functools.partial(time.sleep, 1))",
      ),
    },
    {
      name: "shadowed by a parameter",
      code: py("import time", "async def f(time):", "    time.sleep(1)"),
    },
    {
      name: "shadowed by a local assignment",
      code: py("import time", "async def f():", "    time = FakeClock()", "    time.sleep(1)"),
    },
    {
      name: "a different sleep",
      code: py("import asyncio", "from trio import sleep", "async def f(clock):", "    await sleep(1)", "    clock.sleep(1)"),
    },
    {
      name: "relative import of a project module named time",
      code: py("from . import time", "async def f():", "    time.sleep(1)"),
    },
    {
      name: "suppressed with noqa, by code, name and ruff alias",
      code: py(
        "import time",
        "async def f():",
        "    time.sleep(1)  # noqa",
        "    time.sleep(1)  # noqa: LG101",
        "    time.sleep(1)  # noqa: blocking-sleep",
        "    time.sleep(1)  # noqa: ASYNC251",
        "    time.sleep(",
        "        1)  # noqa: LG101",
      ),
    },
    { name: "lambda inside a coroutine runs elsewhere", code: py("import time", "async def f():", "    cb = lambda: time.sleep(1)", "    return cb") },
    { name: "class body nested in a coroutine", code: py("import time", "async def f():", "    class K:", "        time.sleep(0)", "    return K") },
  ],
});
