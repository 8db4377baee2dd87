import rule from "../../src/checks/await-outside-async.js";
import { lintRule, py } from "../helpers/lint.js";
import { ruleCases } from "../helpers/rule-cases.js";
import { describe, expect, it } from "vitest";

ruleCases(rule, {
  invalid: [
    {
      name: "await in a plain def (the guide's example)",
      code: py("def sync_function():", "    result = await fetch_data()", "    return result"),
      lines: [2],
      message: ["`await` in `def sync_function`, which is not `async def`", "SyntaxError", "Make it `async def sync_function`"],
      fixed: null,
    },
    {
      name: "async for and async with in a plain def",
      code: py("def f(stream, lock):", "    async with lock:", "        async for x in stream:", "            print(x)"),
      lines: [2, 3],
      message: "`async with` in `def f`",
    },
    {
      name: "async list, set and dict comprehensions in a plain def",
      code: py(
        "def f(s):",
        "    a = [x async for x in s]",
        "    b = {x async for x in s}",
        "    c = {x: 1 async for x in s}",
        "    return a, b, c",
      ),
      lines: [2, 3, 4],
      message: "An async comprehension",
    },
    {
      name: "nested sync def inside an async def does not inherit it",
      code: py("async def outer():", "    def inner():", "        return await step()", "    return inner"),
      lines: [3],
      message: "a nested `def` does not inherit the `async` of `async def outer`",
    },
    {
      name: "lambda inside a coroutine",
      code: py("async def main(items):", "    return sorted(items, key=lambda i: await score(i))"),
      lines: [2],
      message: "`await` in a lambda",
    },
    {
      name: "module level of a .py file",
      code: py("import asyncio", "data = await fetch()", "async with lock:", "    pass"),
      lines: [2, 3],
      message: ["at module level", "asyncio.run(main())"],
    },
    {
      name: "class body inside a coroutine",
      code: py("async def main():", "    class Config:", "        value = await load()", "    return Config"),
      lines: [3],
      message: "the body of class `Config`",
    },
    {
      name: "two classes share a name: only the sync method is reported",
      code: py(
        "if FAST:",
        "    class Store:",
        "        async def get(self, k):",
        "            return await self.db.get(k)",
        "else:",
        "    class Store:",
        "        def get(self, k):",
        "            return await self.db.get(k)",
      ),
      lines: [8],
    },
    {
      name: "a sync override of an async method",
      code: py(
        "class Base:",
        "    async def load(self):",
        "        return await self.fetch()",
        "class Cached(Base):",
        "    def load(self):",
        "        return await super().load()",
      ),
      lines: [6],
    },
    {
      name: "the first iterable of a generator expression runs at once",
      code: py("def f(source):", "    return (x for x in await source())"),
      lines: [2],
    },
    {
      name: "the finding points at the keyword: column of `await` and of `async`",
      code: py("def f(s):", "    y = 1 + await s", "    [x async for x in s]"),
      lines: [2, 3],
    },
  ],
  valid: [
    {
      name: "inside async def, async method, async generator and @asynccontextmanager",
      code: py(
        "from contextlib import asynccontextmanager",
        "async def a(s, lock):",
        "    async with lock:",
        "        async for x in s:",
        "            await x",
        "    return [y async for y in s]",
        "class C:",
        "    async def m(self):",
        "        await self.n()",
        "async def gen(s):",
        "    async for x in s:",
        "        yield await x",
        "@asynccontextmanager",
        "async def session():",
        "    conn = await connect()",
        "    yield conn",
      ),
    },
    {
      name: "async generator expressions in a plain def, a lambda and at module level",
      code: py(
        "def squares(source):",
        "    return (x * x async for x in source)",
        "def waits(items):",
        "    return (await i for i in items)",
        "def filtered(items):",
        "    return (i for i in items if await i)",
        "pick = lambda s: (x async for x in s)",
        "g = (await x for x in things)",
      ),
    },
    {
      name: "an async comprehension inside a generator expression (Python 3.11)",
      code: py("def f(groups):", "    return ([await z for z in g] for g in groups)"),
    },
    {
      name: "await in the default value of a nested def runs in the coroutine",
      code: py("async def outer():", "    def inner(x=await default()):", "        return x", "    return inner"),
    },
    {
      name: "a comprehension inherits the coroutine",
      code: py("async def f(items):", "    return [await i for i in items]"),
    },
    {
      name: "notebooks allow top-level await",
      code: py("data = await fetch()", "async for x in stream():", "    print(x)"),
      options: { path: "analysis.ipynb" },
    },
    {
      name: "the words await and async as identifiers or in strings",
      code: py("def f(obj):", "    print('await me')", "    # await later", "    return obj.async_mode"),
    },
    {
      name: "a sync for/with in a plain def",
      code: py("def f(lock, items):", "    with lock:", "        for i in items:", "            print(i)"),
    },
    {
      name: "suppressed with the pylint code",
      code: py("def f():", "    return await g()  # noqa: PLE1142"),
    },
  ],
});

describe("LG401 await-outside-async positions", () => {
  it("points at the keyword", () => {
    const findings = lintRule(rule, py("def f(s):", "    y = 1 + await s", "    [x async for x in s]"));
    expect(findings.map((f) => [f.line, f.column, f.endColumn])).toEqual([
      [2, 13, 18],
      [3, 8, 13],
    ]);
  });
});
