import rule from "../../src/checks/loop-argument.js";
import { py } from "../helpers/lint.js";
import { ruleCases } from "../helpers/rule-cases.js";

ruleCases(rule, {
  invalid: [
    {
      name: "last keyword: the comma before it goes",
      code: py("import asyncio", "async def f(loop):", "    await asyncio.sleep(1, loop=loop)"),
      lines: [3],
      message: ["`asyncio.sleep()` passes `loop=` in `async def f`, but `asyncio.sleep()` lost that parameter in Python 3.10", "raises `TypeError` there: drop it"],
      fixed: py("import asyncio", "async def f(loop):", "    await asyncio.sleep(1)"),
    },
    {
      name: "only argument of a constructor, in a plain def",
      code: py("import asyncio", "def make(loop):", "    return asyncio.Lock(loop=loop)"),
      lines: [3],
      fixed: py("import asyncio", "def make(loop):", "    return asyncio.Lock()"),
    },
    {
      name: "first keyword: the comma after it goes",
      code: py("from asyncio import Queue", "q = Queue(loop=loop, maxsize=10)"),
      lines: [2],
      message: "`Queue()` passes `loop=` in the module, but `asyncio.Queue()` lost that parameter",
      fixed: py("from asyncio import Queue", "q = Queue(maxsize=10)"),
    },
    {
      name: "multi-line call with a trailing comma",
      code: py(
        "import asyncio as aio",
        "async def f(loop):",
        "    await aio.wait_for(",
        "        job(),",
        "        timeout=5,",
        "        loop=loop,",
        "    )",
      ),
      lines: [6],
      fixed: py("import asyncio as aio", "async def f(loop):", "    await aio.wait_for(", "        job(),", "        timeout=5,", "    )"),
    },
    {
      name: "sole argument with a trailing comma over several lines",
      code: py("import asyncio", "ev = asyncio.Event(", "    loop=loop,", ")"),
      lines: [3],
      fixed: py("import asyncio", "ev = asyncio.Event()"),
    },
    {
      name: "a keyword in the middle, gather with starred awaitables",
      code: py("import asyncio", "async def f(loop, jobs):", "    return await asyncio.gather(*jobs, loop=loop, return_exceptions=True)"),
      lines: [3],
      fixed: py("import asyncio", "async def f(loop, jobs):", "    return await asyncio.gather(*jobs, return_exceptions=True)"),
    },
    {
      name: "qualified through a submodule",
      code: py("import asyncio.locks", "sem = asyncio.locks.Semaphore(3, loop=loop)"),
      lines: [2],
      message: "but `asyncio.Semaphore()` lost that parameter",
    },
    {
      name: "subprocess and streams",
      code: py(
        "import asyncio",
        "async def f(loop):",
        "    p = await asyncio.create_subprocess_exec('ls', loop=loop)",
        "    r, w = await asyncio.open_connection('h', 1, loop=loop)",
      ),
      lines: [3, 4],
    },
  ],
  valid: [
    { name: "no loop argument", code: py("import asyncio", "async def f():", "    await asyncio.sleep(1)", "    asyncio.Lock()") },
    {
      name: "APIs that still take a loop",
      code: py(
        "import asyncio",
        "def f(coro, loop, fut):",
        "    asyncio.run_coroutine_threadsafe(coro, loop=loop)",
        "    asyncio.ensure_future(coro, loop=loop)",
        "    asyncio.wrap_future(fut, loop=loop)",
        "    asyncio.Future(loop=loop)",
      ),
    },
    {
      name: "a loop passed positionally to run_coroutine_threadsafe",
      code: py("import asyncio", "def f(coro, loop):", "    return asyncio.run_coroutine_threadsafe(coro, loop)"),
    },
    {
      name: "same names from other libraries",
      code: py("import trio", "from queue import Queue", "import myqueue", "trio.sleep(1, loop=x)", "Queue(loop=x)", "myqueue.Lock(loop=x)"),
    },
    {
      name: "a local function named sleep",
      code: py("def sleep(t, loop=None):", "    pass", "async def f(loop):", "    sleep(1, loop=loop)"),
    },
    {
      name: "shadowed asyncio",
      code: py("import asyncio", "def f(asyncio, loop):", "    asyncio.sleep(1, loop=loop)"),
    },
    {
      name: "loop as a keyword of a method call, and as a parameter default",
      code: py("import asyncio", "async def f(server, loop=None):", "    await server.serve(loop=loop)"),
    },
    {
      name: "suppressed",
      code: py("import asyncio", "lock = asyncio.Lock(loop=loop)  # noqa: LG304"),
    },
  ],
});
