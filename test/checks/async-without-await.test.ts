import { describe, expect, it } from "vitest";
import rule from "../../src/checks/async-without-await.js";
import { lint, lintRule, py } from "../helpers/lint.js";
import { ruleCases } from "../helpers/rule-cases.js";

ruleCases(rule, {
  invalid: [
    {
      name: "a request-shaped function outside any web framework, and a helper of a web app that is not a handler",
      code: py(
        "from aiohttp import web",
        "async def validate(data):",
        "    return bool(data)",
      ),
      lines: [2],
    },
    {
      name: "async def view(request) in a module that imports no web framework",
      code: py("async def view(request):", "    return request.path"),
      lines: [1],
    },
    {
      name: "a Depends that is not FastAPI's",
      code: py(
        "from injector import Depends",
        "async def check_role(user=Depends(current_user)):",
        "    return user",
      ),
      lines: [2],
    },
    {
      name: "async_* outside Home Assistant, and a helper in an integration not named async_*",
      code: py(
        "from homeassistant.core import HomeAssistant",
        "async def build_payload(hass: HomeAssistant):",
        "    return {'state': 1}",
      ),
      lines: [2],
    },
    {
      name: "the async_ prefix alone, in a module that does not import Home Assistant",
      code: py("async def async_setup_entry(hass, entry):", "    return True"),
      lines: [1],
    },
    {
      name: "a module-level coroutine with no await",
      code: py("def parse(raw):", "    return raw.split(',')", "", "async def load(raw):", "    return parse(raw)"),
      lines: [4],
      message: ["`async def load` never awaits", "Make it a plain `def`"],
      fixed: null,
    },
    {
      name: "called, not passed: asyncio.run(main()) does not exempt main",
      code: py("import asyncio", "async def main():", "    print('hi')", "asyncio.run(main())"),
      lines: [2],
    },
    {
      name: "only a nested function awaits (ruff#11768: the outer one need not be async)",
      code: py(
        "async def export(rows):",
        "    async def gen():",
        "        async for r in rows:",
        "            yield r",
        "    return Response(gen())",
      ),
      lines: [1],
    },
    {
      name: "an async generator that never awaits",
      code: py("async def numbers():", "    yield 1", "    yield 2"),
      lines: [1],
      message: "async generator only in name",
    },
    {
      name: "a nested coroutine inside a plain function",
      code: py("def outer():", "    async def inner():", "        return 1", "    return inner()"),
      lines: [2],
    },
    {
      name: "a multi-line signature is reported on the def line",
      code: py("async def configure(", "    a,", "    b,", "):", "    return a + b"),
      lines: [1],
    },
    {
      name: "a same-named variable of another function, a string and a comment do not exempt it",
      code: py(
        "async def ping():",
        "    return 'pong'",
        "def table():",
        "    ping = 'ping'  # ping",
        "    return {ping: 'ping'}",
        "async def main():",
        "    return await ping()",
      ),
      lines: [1],
    },
    {
      name: "an async generator expression does not need an async def",
      code: py("async def stream(source):", "    return (x async for x in source)"),
      lines: [1],
    },
  ],
  valid: [
    {
      name: "aiohttp request handlers whose routes live in another file",
      code: py(
        "from aiohttp import web",
        "async def ping(request):",
        "    return web.json_response({'ok': True})",
        "async def index(req: web.Request) -> web.Response:",
        "    return web.Response(text='hi')",
      ),
    },
    {
      name: "FastAPI dependencies: Depends as a default and inside Annotated, Security",
      code: py(
        "from typing import Annotated",
        "from fastapi import Depends, Security",
        "async def get_user_manager(user_db=Depends(get_user_db)):",
        "    yield UserManager(user_db)",
        "async def check_admin_role(user: Annotated[User, Depends(get_current_user)]) -> User:",
        "    if user.role != 'admin':",
        "        raise PermissionError(user)",
        "    return user",
        "async def scoped(user=Security(get_current_user, scopes=['me'])):",
        "    return user",
      ),
    },
    {
      name: "Home Assistant's integration hooks, which the framework awaits by name",
      code: py(
        "from homeassistant.config_entries import ConfigEntry",
        "from homeassistant.core import HomeAssistant",
        "async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry, async_add_entities):",
        "    async_add_entities([Switch(entry)])",
        "async def async_get_config_entry_diagnostics(hass, entry):",
        "    return {'data': dict(entry.data)}",
      ),
    },
    {
      name: "await, async for, async with, async comprehension (ruff#11043)",
      code: py(
        "async def a(x):",
        "    return await x",
        "async def b(xs):",
        "    async for x in xs:",
        "        pass",
        "async def c(cm):",
        "    async with cm:",
        "        pass",
        "async def d(xs):",
        "    return [x async for x in xs]",
      ),
    },
    {
      name: "await inside a comprehension's iterable (ruff#11218) and in a nested def's default",
      code: py(
        "async def a(example):",
        "    return [str(v) for v in await example(1)]",
        "async def b(get):",
        "    def inner(x=await get()):",
        "        return x",
        "    return inner",
      ),
    },
    {
      name: "decorated: FastAPI route, pytest fixture, framework handler",
      code: py(
        "import pytest",
        "from fastapi import FastAPI",
        "app = FastAPI()",
        "@app.get('/health')",
        "async def health():",
        "    return {'ok': True}",
        "@pytest.fixture",
        "async def settings():",
        "    return {}",
        "@bot.on('message')",
        "async def on_message(m):",
        "    print(m)",
      ),
    },
    {
      name: "methods may implement an async interface; dunders",
      code: py(
        "class MemoryStore(Store):",
        "    async def get(self, key):",
        "        return self.data.get(key)",
        "    async def __aenter__(self):",
        "        return self",
        "    @staticmethod",
        "    async def ping():",
        "        return True",
        "async def __getattr__(name):",
        "    return name",
      ),
    },
    {
      name: "stubs",
      code: py(
        "async def a():",
        "    ...",
        "async def b():",
        "    '''Implemented by plugins.'''",
        "    raise NotImplementedError",
        "async def c():",
        "    pass",
        "async def d():",
        "    raise NotImplementedError('subclass')",
      ),
    },
    {
      name: "callbacks passed as arguments, also inside containers (httpx event_hooks)",
      code: py(
        "import httpx, functools",
        "async def log_request(request):",
        "    print(request.url)",
        "async def on_ready():",
        "    print('ready')",
        "async def handler(msg, extra):",
        "    print(msg)",
        "client = httpx.AsyncClient(event_hooks={'request': [log_request]})",
        "bus.subscribe(callback=on_ready)",
        "bus.subscribe(functools.partial(handler, extra=1))",
      ),
    },
    {
      name: "handlers stored in a dispatch table, assigned or returned (the dispatcher awaits them)",
      code: py(
        "async def cmd_ping(args):",
        "    return 'pong'",
        "async def cmd_echo(args):",
        "    return ' '.join(args)",
        "async def cmd_help(args):",
        "    return 'help'",
        "async def fallback(args):",
        "    return '?'",
        "COMMANDS = {'ping': cmd_ping, 'echo': cmd_echo}",
        "DEFAULT = fallback",
        "def pick(name):",
        "    return cmd_help",
        "async def dispatch(name, args):",
        "    return await COMMANDS.get(name, DEFAULT)(args)",
      ),
    },
    {
      name: "passed before it is defined",
      code: py("def register(app):", "    app.add_route('/', index)", "async def index(request):", "    return 'ok'"),
    },
    {
      name: "plain functions",
      code: py("def f():", "    return 1", "lam = lambda: 1"),
    },
    {
      name: "suppressed on the def line",
      code: py("async def needs_context():  # noqa: RUF029", "    return var.get()"),
    },
  ],
});

describe("LG403 default", () => {
  it("is off unless enabled", () => {
    const code = py("async def f():", "    return 1");
    expect(lint(code, { rules: [rule] })).toEqual([]);
    expect(lint(code, { rules: [rule], severities: { LG403: "info" } }).map((f) => f.line)).toEqual([1]);
  });

  it("spans the async keyword through the name", () => {
    const [f] = lintRule(rule, py("def wrap():", "    pass", "async  def  load(x):", "    return x"));
    expect([f?.line, f?.column, f?.endLine, f?.endColumn]).toEqual([3, 1, 3, 17]);
  });
});
