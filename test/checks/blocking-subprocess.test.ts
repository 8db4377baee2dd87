import rule from "../../src/checks/blocking-subprocess.js";
import { py } from "../helpers/lint.js";
import { ruleCases } from "../helpers/rule-cases.js";

ruleCases(rule, {
  invalid: [
    {
      name: "a parameterised Popen annotation",
      code: py("import subprocess", "async def f(proc: subprocess.Popen[bytes]):", "    return proc.communicate()"),
      lines: [3],
    },
    {
      name: "subprocess.run in a coroutine",
      code: py("import subprocess", "async def build():", "    subprocess.run(['make'], check=True)"),
      lines: [3],
      message: [
        "`subprocess.run()` runs a process to its end on the event loop's thread in `async def build`",
        "`await asyncio.create_subprocess_exec(...)`",
        "`await asyncio.to_thread(subprocess.run, ...)`",
      ],
      fixed: null,
    },
    {
      name: "the whole subprocess family",
      code: py(
        "import subprocess",
        "async def f(cmd):",
        "    subprocess.call(cmd)",
        "    subprocess.check_call(cmd)",
        "    out = subprocess.check_output(cmd)",
        "    subprocess.getoutput('ls')",
        "    subprocess.getstatusoutput('ls')",
        "    return subprocess.Popen(cmd)",
      ),
      lines: [3, 4, 5, 6, 7, 8],
    },
    {
      name: "shell commands suggest create_subprocess_shell",
      code: py("import os, subprocess", "async def f():", "    os.system('make')", "    subprocess.run('make', shell=True)"),
      lines: [3, 4],
      message: ["`os.system()` runs a process to its end", "`await asyncio.create_subprocess_shell(...)`"],
    },
    {
      name: "os process functions, spawn and wait",
      code: py(
        "import os",
        "async def f(path, args, env):",
        "    os.popen('ls')",
        "    os.posix_spawn(path, args, env)",
        "    os.posix_spawnp(path, args, env)",
        "    pid = os.spawnv(os.P_NOWAIT, path, args)",
        "    os.spawnlp(os.P_WAIT, 'make', 'make')",
        "    os.waitpid(pid, 0)",
        "    os.wait()",
        "    os.wait3(0)",
        "    os.wait4(pid, 0)",
        "    os.waitid(os.P_PID, pid, os.WEXITED)",
      ),
      lines: [3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    },
    {
      name: "spawn with P_WAIT runs the process to its end",
      code: py("from os import spawnl, P_WAIT", "async def f():", "    spawnl(P_WAIT, '/bin/true', 'true')"),
      lines: [3],
      message: "`spawnl()` runs a process to its end",
    },
    {
      name: "os.waitpid waits for a child",
      code: py("import os", "async def reap(pid):", "    os.waitpid(pid, 0)"),
      lines: [3],
      message: ["`os.waitpid()` waits for a child process", "`await proc.wait()`"],
    },
    {
      name: "aliased and from imports",
      code: py("import subprocess as sp", "from subprocess import check_output as co", "async def f():", "    sp.run(['ls'])", "    co(['ls'])"),
      lines: [4, 5],
      message: "`sp.run()`",
    },
    {
      name: "Popen: starting it, wait() and communicate() are each their own finding",
      code: py(
        "import subprocess",
        "async def f(cmd):",
        "    p = subprocess.Popen(cmd, stdout=subprocess.PIPE)",
        "    out, _ = p.communicate()",
        "    p.wait()",
      ),
      lines: [3, 4, 5],
    },
    {
      name: "with Popen(...) as proc, and Popen(...).wait() on one line gives two",
      code: py(
        "from subprocess import Popen",
        "async def f(cmd):",
        "    with Popen(cmd) as proc:",
        "        proc.wait()",
        "    Popen(cmd).wait()",
      ),
      lines: [3, 4, 5, 5],
    },
    {
      name: "annotated Popen parameter and a Popen on self",
      code: py(
        "import subprocess",
        "class Job:",
        "    def __init__(self, cmd):",
        "        self.proc = subprocess.Popen(cmd)",
        "    async def finish(self, other: subprocess.Popen):",
        "        other.communicate()",
        "        return self.proc.wait()",
      ),
      lines: [6, 7],
      message: "`other.communicate()` waits for a child process on the event loop's thread in `async def finish`",
    },
    {
      name: "a call written as the run_in_executor argument still runs on the loop",
      code: py("import asyncio, subprocess", "async def f(loop):", "    await loop.run_in_executor(None, subprocess.run(['ls']))"),
      lines: [3],
      message: "Written as the argument of `loop.run_in_executor()`",
    },
    {
      name: "function-local import in an async method",
      code: py("class Builder:", "    async def build(self):", "        import subprocess", "        subprocess.check_call(['make'])"),
      lines: [4],
    },
  ],
  valid: [
    {
      name: "self methods named like process calls",
      code: py(
        "import subprocess",
        "class Job:",
        "    def wait(self):",
        "        return subprocess.run(['ls'])",
        "    async def finish(self):",
        "        self.wait()",
        "        self.communicate()",
      ),
    },
    { name: "sync function", code: py("import subprocess", "def f():", "    subprocess.run(['ls'])") },
    {
      name: "nested sync def inside async def",
      code: py("import subprocess", "async def f():", "    def g():", "        return subprocess.run(['ls'])", "    return g"),
    },
    {
      name: "callables handed to a thread",
      code: py(
        "import asyncio, functools, subprocess",
        "async def f(loop, p: subprocess.Popen):",
        "    await asyncio.to_thread(subprocess.run, ['ls'], check=True)",
        "    await loop.run_in_executor(None, functools.partial(subprocess.run, ['ls']))",
        "    await asyncio.to_thread(lambda: subprocess.run(['ls']))",
        "    await asyncio.to_thread(p.wait)",
      ),
    },
    {
      name: "asyncio subprocesses: wait() and communicate() are awaited coroutines",
      code: py(
        "import asyncio",
        "async def f():",
        "    proc = await asyncio.create_subprocess_exec('ls', stdout=asyncio.subprocess.PIPE)",
        "    out, _ = await proc.communicate()",
        "    await proc.wait()",
        "    shell = await asyncio.create_subprocess_shell('ls')",
        "    await shell.wait()",
      ),
    },
    {
      name: "shadowed by a parameter and by a local",
      code: py(
        "import subprocess, os",
        "async def f(subprocess):",
        "    subprocess.run(['ls'])",
        "async def g():",
        "    os = FakeOs()",
        "    os.system('ls')",
      ),
    },
    {
      name: "a bare wait() or communicate() on an unknown object",
      code: py("async def f(proc, job, event):", "    proc.wait()", "    job.communicate()", "    event.wait()"),
    },
    {
      name: "Popen methods that do not wait, and non-process os functions",
      code: py(
        "import os, subprocess",
        "async def f(cmd):",
        "    p = await asyncio.to_thread(subprocess.Popen, cmd)",
        "    q: subprocess.Popen = make()",
        "    q.poll()",
        "    q.kill()",
        "    os.getpid()",
        "    return os.environ.get('PATH')",
      ),
    },
    {
      name: "a project module named subprocess (relative import)",
      code: py("from . import subprocess", "async def f():", "    subprocess.run(['ls'])"),
    },
    {
      name: "suppressed with noqa by code, name and each ruff alias",
      code: py(
        "import os, subprocess",
        "async def f(pid):",
        "    subprocess.Popen(['ls'])  # noqa: ASYNC220",
        "    subprocess.run(['ls'])  # noqa: ASYNC221",
        "    os.waitpid(pid, 0)  # noqa: ASYNC222",
        "    os.system('ls')  # noqa: LG103",
        "    os.system('ls')  # noqa: blocking-subprocess",
        "    os.system('ls')  # noqa",
      ),
    },
    {
      name: "lambda and class body nested in a coroutine",
      code: py("import subprocess", "async def f():", "    cb = lambda: subprocess.run(['ls'])", "    class K:", "        out = subprocess.getoutput('ls')", "    return cb, K"),
    },
  ],
});
