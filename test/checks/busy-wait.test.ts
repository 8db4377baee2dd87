import rule from "../../src/checks/busy-wait.js";
import { py } from "../helpers/lint.js";
import { ruleCases } from "../helpers/rule-cases.js";

ruleCases(rule, {
  invalid: [
    {
      name: "not of a no-argument method call",
      code: py("import asyncio", "async def wait_job(job):", "    while not job.done():", "        await asyncio.sleep(0.1)"),
      lines: [3],
      message: ["`while not job.done()` only sleeps and looks again in `async def wait_job`", "`asyncio.Event`", "`asyncio.wait_for(...)`"],
      fixed: null,
    },
    {
      name: "an attribute flag",
      code: py(
        "import asyncio",
        "class Worker:",
        "    async def stop(self):",
        "        while self.running:",
        "            await asyncio.sleep(1)",
      ),
      lines: [4],
    },
    {
      name: "a module-level flag with from-import of sleep, pass and continue",
      code: py(
        "from asyncio import sleep",
        "ready = False",
        "async def wait_ready():",
        "    while not ready:",
        "        await sleep(0.5)",
        "        pass",
        "        continue",
      ),
      lines: [4],
    },
    {
      name: "anyio sleep, with a logging call, parenthesized condition",
      code: py(
        "import anyio, logging",
        "log = logging.getLogger(__name__)",
        "async def wait(event):",
        "    while (not event.is_set()):",
        "        log.debug('waiting')",
        "        await anyio.sleep(1)",
      ),
      lines: [4],
    },
    {
      name: "logging module call and a comment in the body",
      code: py(
        "import asyncio as aio, logging",
        "async def wait(lock_file_exists):",
        "    while lock_file_exists():",
        "        # still locked",
        "        logging.info('locked')",
        "        await aio.sleep(5)",
      ),
      lines: [3],
    },
    {
      name: "nested in another loop, in an async method of a nested class",
      code: py(
        "import asyncio",
        "def factory():",
        "    class Poller:",
        "        async def run(self, jobs):",
        "            for job in jobs:",
        "                while job.pending:",
        "                    await asyncio.sleep(0.2)",
        "    return Poller",
      ),
      lines: [6],
    },
    {
      name: "a multi-line condition: the finding covers the while header",
      code: py("import asyncio", "async def f(state):", "    while not (", "        state.ready", "    ):", "        await asyncio.sleep(1)"),
      lines: [3],
    },
  ],
  valid: [
    {
      name: "while True sleeps forever, it polls nothing",
      code: py("import asyncio", "async def serve():", "    while True:", "        await asyncio.sleep(3600)"),
    },
    {
      name: "a walrus condition does the work each time (ruff#25325)",
      code: py(
        "import asyncio",
        "async def poll_api():",
        "    while len(result := await do_api_call()) == 0:",
        "        await asyncio.sleep(1)",
        "    while not (r := await check()):",
        "        await asyncio.sleep(1)",
        "    return result, r",
      ),
    },
    {
      name: "a comparison against a deadline, and a call with arguments",
      code: py(
        "import asyncio, time",
        "async def f(deadline, path):",
        "    while time.monotonic() < deadline:",
        "        await asyncio.sleep(0.1)",
        "    while not exists(path):",
        "        await asyncio.sleep(0.1)",
      ),
    },
    {
      name: "the body does work besides sleeping",
      code: py(
        "import asyncio",
        "async def heartbeat(conn):",
        "    while conn.is_open():",
        "        await conn.ping()",
        "        await asyncio.sleep(30)",
        "    while conn.is_open():",
        "        conn.flush()",
        "        await asyncio.sleep(1)",
      ),
    },
    {
      name: "two sleeps, or a sleep inside an if",
      code: py(
        "import asyncio",
        "async def f(job):",
        "    while not job.done():",
        "        await asyncio.sleep(1)",
        "        await asyncio.sleep(1)",
        "    while not job.done():",
        "        if job.slow:",
        "            await asyncio.sleep(1)",
      ),
    },
    {
      name: "a sync function and a nested sync def",
      code: py(
        "import time, asyncio",
        "def wait(job):",
        "    while not job.done():",
        "        time.sleep(1)",
        "async def outer(job):",
        "    def inner():",
        "        while not job.done():",
        "            asyncio.sleep(1)",
        "    return inner",
      ),
    },
    {
      name: "another sleep: trio, a shadowed asyncio, a local function",
      code: py(
        "import trio",
        "async def f(job, asyncio):",
        "    while not job.done():",
        "        await trio.sleep(1)",
        "    while not job.done():",
        "        await asyncio.sleep(1)",
        "async def g(job, sleep):",
        "    while not job.done():",
        "        await sleep(1)",
      ),
    },
    {
      name: "the sleep is not awaited (a different bug)",
      code: py("import asyncio", "async def f(job):", "    while not job.done():", "        asyncio.sleep(1)"),
    },
    {
      name: "suppressed by the ruff code on the while line",
      code: py("import asyncio", "async def f(job):", "    while not job.done():  # noqa: ASYNC110", "        await asyncio.sleep(1)"),
    },
  ],
});
