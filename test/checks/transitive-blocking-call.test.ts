import { describe, expect, it } from "vitest";
import { analyzeProject } from "../../src/analyzer/analyze.js";
import rule from "../../src/checks/transitive-blocking-call.js";
import { allRules } from "../../src/checks/index.js";
import { py } from "../helpers/lint.js";
import { ruleCases } from "../helpers/rule-cases.js";

// A blocking helper that a test calls expecting it to raise (trio's own tests do this with from_thread_run_sync).
const EXPECTED_TO_RAISE = [
  "import pytest",
  "import time",
  "def run_sync(fn):",
  "    time.sleep(0.1)",
  "async def test_no_token():",
  "    with pytest.raises(RuntimeError):",
  "        run_sync(lambda: None)",
];

ruleCases(rule, {
  invalid: [
    {
      name: "after the raises block, the same helper is followed",
      code: py(...EXPECTED_TO_RAISE, "    run_sync(print)"),
      lines: [8],
    },
    {
      name: "one hop through a same-file helper",
      code: py("import time", "def backoff():", "    time.sleep(1)", "async def retry():", "    backoff()"),
      lines: [5],
      message: ["`backoff()` blocks the event loop in `async def retry`", "`backoff()` → `time.sleep()`"],
    },
    {
      name: "two hops, the chain is named",
      code: py(
        "import time",
        "def write_report():",
        "    time.sleep(0.1)",
        "def save():",
        "    return write_report()",
        "async def handle():",
        "    x = save()",
        "    return x",
      ),
      lines: [7],
      message: "`save()` → `write_report()` → `time.sleep()`",
    },
    {
      name: "per-platform classes of one name: only the blocking one's self call",
      code: py(
        "import sys, time",
        "if sys.platform == 'win32':",
        "    class Notifier:",
        "        def notify(self):",
        "            time.sleep(1)",
        "        async def alert(self):",
        "            self.notify()",
        "else:",
        "    class Notifier:",
        "        def notify(self):",
        "            return None",
        "        async def alert(self):",
        "            self.notify()",
      ),
      lines: [7],
    },
    {
      name: "a self method",
      code: py(
        "import time",
        "class Worker:",
        "    def pause(self):",
        "        time.sleep(1)",
        "    async def run(self):",
        "        self.pause()",
      ),
      lines: [6],
    },
    {
      name: "a nested sync def called directly still blocks",
      code: py("import time", "async def f():", "    def g():", "        time.sleep(1)", "    g()"),
      lines: [5],
    },
    {
      name: "a call written as the to_thread argument runs on the loop",
      code: py(
        "import asyncio, time",
        "def slow():",
        "    time.sleep(1)",
        "async def f():",
        "    await asyncio.to_thread(slow())",
      ),
      lines: [5],
    },
    {
      name: "recursion does not loop forever",
      code: py(
        "import time",
        "def a(n):",
        "    if n:",
        "        return b(n - 1)",
        "    time.sleep(1)",
        "def b(n):",
        "    return a(n)",
        "async def f():",
        "    a(3)",
      ),
      lines: [9],
    },
  ],
  valid: [
    {
      name: "a call a test expects to raise (trio's own tests: from_thread_run_sync under pytest.raises)",
      code: py(...EXPECTED_TO_RAISE),
    },
    {
      name: "helper handed to a thread",
      code: py(
        "import asyncio, time, functools",
        "def slow():",
        "    time.sleep(1)",
        "async def f(loop):",
        "    await asyncio.to_thread(slow)",
        "    await loop.run_in_executor(None, functools.partial(slow))",
      ),
    },
    {
      name: "helper without blocking calls",
      code: py("def add(a, b):", "    return a + b", "async def f():", "    return add(1, 2)"),
    },
    {
      name: "helper's blocking call is inside a nested def it never calls",
      code: py(
        "import time",
        "def make():",
        "    def inner():",
        "        time.sleep(1)",
        "    return inner",
        "async def f():",
        "    cb = make()",
        "    return cb",
      ),
    },
    {
      name: "called from a plain function, not a coroutine",
      code: py("import time", "def slow():", "    time.sleep(1)", "def main():", "    slow()"),
    },
    {
      name: "shadowed by a parameter",
      code: py("import time", "def slow():", "    time.sleep(1)", "async def f(slow):", "    slow()"),
    },
    {
      name: "calling an async def is not this rule",
      code: py("import asyncio", "async def helper():", "    await asyncio.sleep(1)", "async def f():", "    await helper()"),
    },
    {
      name: "a method of the other class of the same name (per-platform definitions)",
      code: py(
        "import sys, time",
        "if sys.platform == 'win32':",
        "    class Notifier:",
        "        def notify(self):",
        "            time.sleep(1)",
        "else:",
        "    class Notifier:",
        "        def notify(self):",
        "            return None",
        "        async def alert(self):",
        "            self.notify()",
      ),
    },
    {
      name: "functions that their decorator runs in a worker thread (Django, Channels), and what they call",
      code: py(
        "import time",
        "from asgiref.sync import sync_to_async",
        "from channels.db import database_sync_to_async",
        "def wait_for_quota():",
        "    time.sleep(1)",
        "@sync_to_async(thread_sensitive=False)",
        "def export(room):",
        "    wait_for_quota()",
        "@database_sync_to_async",
        "def get_room(name):",
        "    time.sleep(0.1)",
        "async def connect(name):",
        "    await export(name)",
        "    return await get_room(name)",
      ),
    },
    {
      name: "blocking call suppressed in the caller",
      code: py("import time", "def slow():", "    time.sleep(1)", "async def f():", "    slow()  # noqa: LG106"),
    },
  ],
});

describe("LG106 across files", () => {
  const helpers = {
    path: "app/storage.py",
    source: py("def save(data):", "    with open('out.txt', 'w') as f:", "        f.write(data)"),
  };
  const options = { rules: allRules, severities: { LG104: "warning" as const } };

  it("follows an import into another file of the same run", () => {
    const caller = {
      path: "app/handlers.py",
      source: py("from app.storage import save", "async def handle(data):", "    save(data)"),
    };
    const [, result] = analyzeProject([helpers, caller], options);
    const lg106 = result!.findings.filter((f) => f.code === "LG106");
    expect(lg106.map((f) => f.line)).toEqual([3]);
    expect(lg106[0]!.message).toContain("`save()` → `open()`");
  });

  it("follows relative and module imports", () => {
    const caller = {
      path: "app/handlers.py",
      source: py("from . import storage", "from .storage import save as persist", "async def handle(d):", "    storage.save(d)", "    persist(d)"),
    };
    const [, result] = analyzeProject([helpers, caller], options);
    expect(result!.findings.filter((f) => f.code === "LG106").map((f) => f.line)).toEqual([4, 5]);
  });

  it("does not match a same-named helper in a module the caller does not import", () => {
    const caller = {
      path: "app/handlers.py",
      source: py("from app.cache import save", "async def handle(data):", "    save(data)"),
    };
    const other = { path: "app/cache.py", source: py("def save(data):", "    return data") };
    const results = analyzeProject([helpers, other, caller], options);
    expect(results.flatMap((r) => r.findings).filter((f) => f.code === "LG106")).toEqual([]);
  });

  it("does not match by bare name without an import", () => {
    const caller = { path: "app/handlers.py", source: py("async def handle(data):", "    save(data)") };
    const results = analyzeProject([helpers, caller], options);
    expect(results.flatMap((r) => r.findings).filter((f) => f.code === "LG106")).toEqual([]);
  });

  it("reads a single module name as a file of the run only from that file's folder", () => {
    const project = {
      path: "console/requests.py",
      source: py("def post(user):", "    with open('journal', 'a') as f:", "        f.write(user)"),
    };
    const sibling = {
      path: "console/handlers.py",
      source: py("import requests", "from . import requests as journal", "async def submit(u):", "    requests.post(u)", "    journal.post(u)"),
    };
    const elsewhere = {
      path: "api/hooks.py",
      source: py("import requests", "async def notify(u):", "    requests.post(u)"),
    };
    const results = analyzeProject([project, sibling, elsewhere], options);
    const lg106 = results.flatMap((r) => r.findings.filter((f) => f.code === "LG106").map((f) => `${f.path}:${f.line}`));
    expect(lg106).toEqual(["console/handlers.py:4", "console/handlers.py:5"]);
  });

  it("stays silent when the blocking rule is disabled", () => {
    const caller = {
      path: "app/handlers.py",
      source: py("from app.storage import save", "async def handle(data):", "    save(data)"),
    };
    const results = analyzeProject([helpers, caller], { ...options, severities: { LG104: "off" } });
    expect(results.flatMap((r) => r.findings).filter((f) => f.code === "LG106")).toEqual([]);
  });
});
