import rule from "../../src/checks/sync-mock-for-async.js";
import { py } from "../helpers/lint.js";
import { ruleCases } from "../helpers/rule-cases.js";

const test = { path: "tests/test_mail.py" };
const MAILER = ["class Mailer:", "    async def send(self, to):", "        return True", "    def render(self, body):", "        return body"];

ruleCases(rule, {
  invalid: [
    {
      name: "patch.object with a MagicMock for an async method",
      code: py("from unittest import mock", ...MAILER, "async def test_send():", "    with mock.patch.object(Mailer, 'send', mock.MagicMock(return_value=True)):", "        await Mailer().send('a')"),
      options: test,
      lines: [8],
      message: ["`mock.MagicMock()` replaces `async def Mailer.send`", "`AsyncMock`"],
      fixed: py("from unittest import mock", ...MAILER, "async def test_send():", "    with mock.patch.object(Mailer, 'send', mock.AsyncMock(return_value=True)):", "        await Mailer().send('a')"),
    },
    {
      name: "patch with new= and an f-string target of this module; AsyncMock imported too",
      code: py("from unittest.mock import AsyncMock, Mock, patch", ...MAILER, "async def test_send():", "    with patch(f'{__name__}.Mailer.send', new=Mock()):", "        pass"),
      options: test,
      lines: [8],
      fixed: py("from unittest.mock import AsyncMock, Mock, patch", ...MAILER, "async def test_send():", "    with patch(f'{__name__}.Mailer.send', new=AsyncMock()):", "        pass"),
    },
    {
      name: "from-imported MagicMock without AsyncMock imported: no fix",
      code: py("from unittest.mock import MagicMock", ...MAILER, "async def test_send():", "    m = Mailer()", "    m.send = MagicMock(return_value=True)"),
      options: test,
      lines: [9],
      fixed: null,
    },
    {
      name: "assigned over the class attribute",
      code: py("import unittest.mock", ...MAILER, "def test_send():", "    Mailer.send = unittest.mock.Mock()"),
      options: test,
      lines: [8],
      fixed: py("import unittest.mock", ...MAILER, "def test_send():", "    Mailer.send = unittest.mock.AsyncMock()"),
    },
    {
      name: "patch with a dotted path naming this module and a module-level coroutine",
      code: py("from unittest import mock", "async def fetch():", "    return 1", "def test_fetch():", "    with mock.patch('tests.test_mail.fetch', mock.Mock()):", "        pass"),
      options: test,
      lines: [5],
    },
    {
      name: "a local Mock whose attribute call the test awaits",
      code: py("from unittest.mock import Mock", "async def test_notify():", "    fake = Mock()", "    await fake.send('a')"),
      options: test,
      lines: [3],
      message: "awaited as `await fake.send(...)`",
    },
    {
      name: "a local MagicMock awaited directly",
      code: py("from unittest import mock", "async def test_notify():", "    cb = mock.MagicMock(return_value=1)", "    assert await cb() == 1"),
      options: test,
      lines: [3],
      fixed: py("from unittest import mock", "async def test_notify():", "    cb = mock.AsyncMock(return_value=1)", "    assert await cb() == 1"),
    },
    {
      name: "patch.object on an instance of a same-file class, inherited async method",
      code: py("from unittest import mock", ...MAILER, "class Special(Mailer):", "    pass", "async def test_send():", "    s = Special()", "    with mock.patch.object(s, 'send', new=mock.Mock()):", "        await s.send('x')"),
      options: test,
      lines: [11],
    },
  ],
  valid: [
    {
      name: "AsyncMock already used",
      code: py("from unittest import mock", ...MAILER, "async def test_send():", "    with mock.patch.object(Mailer, 'send', mock.AsyncMock(return_value=True)):", "        await Mailer().send('a')"),
      options: test,
    },
    {
      name: "patch with new_callable=AsyncMock",
      code: py("from unittest.mock import AsyncMock, patch", ...MAILER, "async def test_send():", "    with patch.object(Mailer, 'send', new_callable=AsyncMock):", "        await Mailer().send('a')"),
      options: test,
    },
    {
      name: "a Mock for a sync method",
      code: py("from unittest import mock", ...MAILER, "async def test_render():", "    with mock.patch.object(Mailer, 'render', mock.MagicMock(return_value='x')):", "        pass", "    m = Mailer()", "    m.render = mock.Mock()"),
      options: test,
    },
    {
      name: "spec, wraps or side_effect make the call awaitable or real",
      code: py(
        "from unittest import mock",
        ...MAILER,
        "async def fake_send(to):",
        "    return True",
        "async def test_send():",
        "    with mock.patch.object(Mailer, 'send', mock.MagicMock(side_effect=fake_send)):",
        "        pass",
        "    m = Mailer()",
        "    m.send = mock.Mock(spec=Mailer.send)",
        "    fake = mock.Mock(Mailer)",
        "    await fake.send('a')",
      ),
      options: test,
    },
    {
      name: "the local mock's awaited attribute is configured as an AsyncMock or with a future",
      code: py(
        "from unittest.mock import AsyncMock, Mock",
        "async def test_notify(loop):",
        "    fake = Mock()",
        "    fake.send = AsyncMock()",
        "    await fake.send('a')",
        "    other = Mock()",
        "    other.fetch.return_value = loop.create_future()",
        "    await other.fetch()",
      ),
      options: test,
    },
    {
      name: "not a test file",
      code: py("from unittest import mock", ...MAILER, "def install():", "    Mailer.send = mock.Mock()"),
      options: { path: "app/dev_tools.py" },
    },
    {
      name: "a same-named class in another module, patched by a dotted path",
      code: py("from unittest import mock", ...MAILER, "def test_send():", "    with mock.patch('app.mail.Mailer.send', mock.Mock()):", "        pass"),
      options: test,
    },
    {
      name: "a local Mock only called, and one awaited in a nested function",
      code: py(
        "from unittest.mock import Mock",
        "async def test_notify():",
        "    fake = Mock()",
        "    fake.send('a')",
        "    other = Mock()",
        "    async def run():",
        "        await other()",
      ),
      options: test,
    },
    {
      name: "a local Mock rebound before the await",
      code: py("from unittest.mock import AsyncMock, Mock", "async def test_notify():", "    fake = Mock()", "    fake = AsyncMock()", "    await fake()"),
      options: test,
    },
    {
      name: "a same-named local Mock class is not unittest's",
      code: py("class Mock:", "    def __call__(self):", "        return self", "async def test_x():", "    fake = Mock()", "    await fake.go()"),
      options: test,
    },
  ],
});
