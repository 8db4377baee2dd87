import { describe, expect, it } from "vitest";
import rule from "../../src/checks/blocking-path-metadata.js";
import { NO_PROJECT_FACTS } from "../../src/analyzer/project.js";
import { lint, py } from "../helpers/lint.js";
import { ruleCases } from "../helpers/rule-cases.js";

ruleCases(rule, {
  invalid: [
    {
      name: "os.path in a condition",
      code: py("import os", "async def load(p):", "    if os.path.exists(p):", "        return p"),
      lines: [3],
      message: ["`os.path.exists()` waits for the file system in `async def load`", "`await asyncio.to_thread(os.path.exists, ...)`"],
      fixed: null,
    },
    {
      name: "from imports, aliased",
      code: py("from os.path import getsize as size", "from os import listdir", "async def f(d):", "    return [size(x) for x in listdir(d)]"),
      lines: [4, 4],
    },
    {
      name: "import os.path binds os; os.walk and os.makedirs",
      code: py("import os.path", "async def f(d):", "    os.makedirs(d, exist_ok=True)", "    for root, dirs, files in os.walk(d):", "        pass"),
      lines: [3, 4],
    },
    {
      name: "a project on Python 3.8 is told to use run_in_executor",
      code: py("import os", "async def f(d):", "    return os.listdir(d)"),
      lines: [3],
      options: { project: { ...NO_PROJECT_FACTS, pythonVersion: [3, 8] } },
      message: "use `await loop.run_in_executor(None, os.listdir, ...)`",
    },
    {
      name: "glob",
      code: py("import glob", "async def f():", "    return glob.glob('*.py')"),
      lines: [3],
      message: "`glob.glob()`",
    },
    {
      name: "a constructed Path, and one derived with / and .parent",
      code: py(
        "from pathlib import Path",
        "async def f(name):",
        "    base = Path('/srv')",
        "    if not (base / name).is_file():",
        "        base.parent.mkdir(parents=True)",
      ),
      lines: [4, 5],
      message: "`(base/name).is_file()`",
    },
    {
      name: "an annotated Path parameter (Optional)",
      code: py("import pathlib", "from typing import Optional", "async def f(p: Optional[pathlib.Path]):", "    return p.stat().st_size"),
      lines: [4],
      message: "`p.stat()`",
    },
    {
      name: "Path.cwd() and with_suffix() give paths",
      code: py("from pathlib import Path", "async def f(p: Path):", "    Path.cwd().iterdir()", "    p.with_suffix('.bak').unlink()"),
      lines: [3, 4],
    },
    {
      name: "self attribute assigned a Path",
      code: py(
        "from pathlib import Path",
        "class Store:",
        "    def __init__(self):",
        "        self.root = Path('data')",
        "    async def keys(self):",
        "        return list(self.root.glob('*.json'))",
      ),
      lines: [6],
    },
    {
      name: "paths built with / kept in a module constant, a local and a self attribute",
      code: py(
        "from pathlib import Path",
        "TEMPLATES = Path(__file__).parent / 'templates'",
        "class Uploads:",
        "    def __init__(self, root: Path):",
        "        self.tmp = root / 'tmp'",
        "    async def prepare(self):",
        "        self.tmp.mkdir(exist_ok=True)",
        "async def template(name):",
        "    path = TEMPLATES / f'{name}.txt'",
        "    return path.exists()",
      ),
      lines: [7, 10],
    },
  ],
  valid: [
    { name: "sync function", code: py("import os", "def f(p):", "    return os.path.exists(p)") },
    {
      name: "handed to a thread as a callable or a lambda",
      code: py(
        "import asyncio, os",
        "from pathlib import Path",
        "async def f(p: Path):",
        "    await asyncio.to_thread(os.path.exists, p)",
        "    await asyncio.to_thread(lambda: p.exists())",
        "    await asyncio.to_thread(p.stat)",
      ),
    },
    {
      name: "pure path manipulation",
      code: py(
        "import os",
        "from pathlib import Path",
        "async def f(p: Path, s):",
        "    os.path.join(s, 'x')",
        "    os.path.basename(s)",
        "    os.path.splitext(s)",
        "    p.with_suffix('.x').name",
        "    p.joinpath('a').as_posix()",
      ),
    },
    {
      name: "async paths (anyio, trio) and pure paths",
      code: py(
        "import anyio, trio",
        "from pathlib import PurePosixPath",
        "async def f(s):",
        "    await anyio.Path(s).exists()",
        "    await trio.Path(s).is_file()",
        "    PurePosixPath(s).match('*.py')",
      ),
    },
    {
      name: "names and attributes holding something else built with / or an async path",
      code: py(
        "import anyio",
        "from pathlib import Path",
        "RATIO = 3 / 4",
        "class Cache:",
        "    def __init__(self, root):",
        "        self.dir = anyio.Path(root) / 'cache'",
        "        self.other = root / 'x'",
        "    async def f(self, store):",
        "        key = store / 'k'",
        "        key.exists()",
        "        await self.dir.exists()",
        "        self.other.exists()",
        "        RATIO.exists()",
      ),
    },
    {
      name: "untyped receivers and dict.glob-alikes are not paths",
      code: py("async def f(p, fs):", "    p.exists()", "    fs.stat('x')", "    fs.glob('*')"),
    },
    {
      name: "shadowed os, relative import of a project module",
      code: py("import os", "from . import glob", "async def f(os):", "    os.path.exists('x')", "    glob.glob('*')"),
    },
    {
      name: "nested sync def and class body",
      code: py("import os", "async def f():", "    def check(p):", "        return os.path.isdir(p)", "    return check"),
    },
    {
      name: "other modules' exists",
      code: py("import os", "async def f(redis, k):", "    await redis.exists(k)", "    os.getenv('X')", "    os.getpid()"),
    },
  ],
});

describe("LG107 default", () => {
  it("is off unless enabled", () => {
    const code = py("import os", "async def f(p):", "    return os.path.exists(p)");
    expect(lint(code, { rules: [rule] })).toEqual([]);
    expect(lint(code, { rules: [rule], severities: { LG107: "info" } }).map((f) => f.line)).toEqual([3]);
  });
});
