import { describe, expect, it } from "vitest";
import { parseSyntaxTree, type Node } from "../../src/analyzer/parser.js";
import { walkTree } from "../../src/analyzer/walk.js";
import type { SemanticModel } from "../../src/analyzer/scope.js";
import { py } from "../helpers/lint.js";

/** Builds the model and returns the callee nodes of every call, in order. */
function model(src: string): { model: SemanticModel; callees: Node[]; calls: Node[] } {
  const { model, visited } = walkTree(parseSyntaxTree(src), new Set(["call"]));
  const calls = visited.map((v) => v.node);
  return { model, calls, callees: calls.map((c) => c.childForFieldName("function")!) };
}

const names = (src: string) => {
  const m = model(src);
  return m.callees.map((c) => m.model.qualifiedName(c));
};

describe("qualified names through imports", () => {
  it("follows every import form", () => {
    expect(
      names(
        py(
          "import a.b as c",
          "from x import y as z",
          "import os, subprocess",
          "import urllib.request",
          "from . import requests",
          "from ..pkg import mod",
          "c.f()",
          "z()",
          "os.system()",
          "subprocess.run()",
          "urllib.request.urlopen()",
          "requests.get()",
          "mod.g()",
          "print()",
        ),
      ),
    ).toEqual(["a.b.f", "x.y", "os.system", "subprocess.run", "urllib.request.urlopen", ".requests.get", "..pkg.mod.g", "print"]);
  });

  it("function-local imports and shadowing bindings", () => {
    expect(
      names(
        py(
          "import time",
          "def a(time):",
          "    time.sleep()",
          "def b():",
          "    for time in []:",
          "        pass",
          "    time.sleep()",
          "def c():",
          "    import time as t",
          "    t.sleep()",
          "def d():",
          "    with x() as time:",
          "        time.sleep()",
          "def e():",
          "    try:",
          "        pass",
          "    except E as time:",
          "        time.sleep()",
          "def f():",
          "    if (time := 3):",
          "        time.sleep()",
          "def g():",
          "    global time",
          "    time = None",
          "    time.sleep()",
        ),
      ),
    ).toEqual([null, null, "time.sleep", "x", null, null, null, "time.sleep"]);
  });

  it("a module-level def replaces an import; a module-level fallback assignment does not", () => {
    expect(
      names(
        py(
          "try:",
          "    import requests",
          "except ImportError:",
          "    requests = None",
          "from time import sleep",
          "def sleep(x):",
          "    pass",
          "requests.get()",
          "sleep()",
        ),
      ),
    ).toEqual(["requests.get", null]);
  });
});

describe("coroutine context", () => {
  it("nested def, lambda and class reset it; comprehensions inherit it", () => {
    const m = model(
      py(
        "async def f():",
        "    a()",
        "    [b() for _ in x]",
        "    def g():",
        "        c()",
        "    h = lambda: d()",
        "    class K:",
        "        e()",
        "def plain():",
        "    k()",
      ),
    );
    expect(m.calls.map((c) => [c.childForFieldName("function")!.text, m.model.isInCoroutine(c)])).toEqual([
      ["a", true],
      ["b", true],
      ["c", false],
      ["d", false],
      ["e", false],
      ["k", false],
    ]);
  });

  it("decorators and default values run in the outer scope", () => {
    const m = model(py("async def outer():", "    @deco()", "    def inner(x=make()):", "        pass"));
    expect(m.calls.map((c) => m.model.isInCoroutine(c))).toEqual([true, true]);
  });
});

describe("local type facts", () => {
  it("constructors, with-targets, annotations (Optional and X | None), direct receivers", () => {
    const m = model(
      py(
        "import requests",
        "from typing import Optional",
        "def f(a: requests.Session, b: Optional[requests.Session], c: requests.Session | None = None):",
        "    s = requests.Session()",
        "    with requests.Session() as w:",
        "        pass",
        "    s.get()",
        "    w.get()",
        "    a.get()",
        "    b.get()",
        "    c.get()",
        "    requests.Session().get()",
      ),
    );
    const receivers = m.callees
      .filter((c) => c.type === "attribute" && c.text.endsWith(".get"))
      .map((c) => m.model.typeOf(c.childForFieldName("object")!));
    expect(receivers).toEqual(Array(6).fill("requests.Session"));
  });

  it("self attributes assigned in the class", () => {
    const m = model(
      py(
        "import asyncio",
        "class C:",
        "    def __init__(self):",
        "        self._lock = asyncio.Lock()",
        "    def run(self):",
        "        self._lock.acquire()",
      ),
    );
    const call = m.callees.find((c) => c.text === "self._lock.acquire")!;
    expect(m.model.typeOf(call.childForFieldName("object")!)).toBe("asyncio.Lock");
  });
});

describe("function index", () => {
  it("resolves methods by class node, through same-file bases, and sees overrides", () => {
    const m = model(
      py(
        "class Base:",
        "    async def load(self):",
        "        pass",
        "class Child(Base):",
        "    def go(self):",
        "        self.load()",
        "class Sync(Base):",
        "    def load(self):",
        "        pass",
        "    def go(self):",
        "        self.load()",
      ),
    );
    const loads = m.callees.filter((c) => c.text === "self.load");
    expect(loads.map((c) => m.model.functionForCallee(c)?.isAsync)).toEqual([true, false]);
  });

  it("async generators and asynccontextmanager functions are not coroutine functions", () => {
    const m = model(
      py(
        "from contextlib import asynccontextmanager",
        "async def gen():",
        "    yield 1",
        "@asynccontextmanager",
        "async def cm():",
        "    yield",
        "async def coro():",
        "    return 1",
      ),
    );
    expect(m.model.functions.map((f) => [f.name, m.model.isCoroutineFunction(f)])).toEqual([
      ["gen", false],
      ["cm", false],
      ["coro", true],
    ]);
  });
});
