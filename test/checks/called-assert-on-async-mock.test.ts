import rule from "../../src/checks/called-assert-on-async-mock.js";
import { py } from "../helpers/lint.js";
import { ruleCases } from "../helpers/rule-cases.js";

const test = { path: "tests/test_api.py" };

ruleCases(rule, {
  invalid: [
    {
      name: "assert_called_once on an awaited AsyncMock",
      code: py("from unittest.mock import AsyncMock", "async def test_send():", "    send = AsyncMock()", "    await send('x')", "    send.assert_called_once()"),
      options: test,
      lines: [5],
      message: ["`send.assert_called_once()`", "`send.assert_awaited_once()`", "`test_send`"],
      fixed: py("from unittest.mock import AsyncMock", "async def test_send():", "    send = AsyncMock()", "    await send('x')", "    send.assert_awaited_once()"),
    },
    {
      name: "assert_called_with on an attribute of the mock",
      code: py("from unittest import mock", "async def test_post():", "    client = mock.AsyncMock()", "    await client.post('/x')", "    client.post.assert_called_with('/x')"),
      options: test,
      lines: [5],
      fixed: py("from unittest import mock", "async def test_post():", "    client = mock.AsyncMock()", "    await client.post('/x')", "    client.post.assert_awaited_with('/x')"),
    },
    {
      name: "assert_called_once_with, the mock backport",
      code: py("import mock", "async def test_send():", "    send = mock.AsyncMock(return_value=1)", "    assert await send(2) == 1", "    send.assert_called_once_with(2)"),
      options: test,
      lines: [5],
      fixed: py("import mock", "async def test_send():", "    send = mock.AsyncMock(return_value=1)", "    assert await send(2) == 1", "    send.assert_awaited_once_with(2)"),
    },
    {
      name: "plain assert_called",
      code: py("from unittest.mock import AsyncMock as AM", "async def test_send():", "    send = AM()", "    await send()", "    send.assert_called()"),
      options: test,
      lines: [5],
      fixed: py("from unittest.mock import AsyncMock as AM", "async def test_send():", "    send = AM()", "    await send()", "    send.assert_awaited()"),
    },
    {
      name: "several asserts, in a test method",
      code: py(
        "from unittest.mock import AsyncMock",
        "class TestApi:",
        "    async def test_send(self):",
        "        send = AsyncMock()",
        "        await send(1)",
        "        send.assert_called_once()",
        "        send.assert_called_with(1)",
      ),
      options: test,
      lines: [6, 7],
    },
    {
      name: "awaited inside a with block and an assert expression",
      code: py(
        "from unittest.mock import AsyncMock",
        "async def test_send():",
        "    api = AsyncMock()",
        "    with ctx():",
        "        assert (await api.fetch()) is not None",
        "    api.fetch.assert_called_once()",
      ),
      options: test,
      lines: [6],
    },
  ],
  valid: [
    {
      name: "assert_awaited variants",
      code: py("from unittest.mock import AsyncMock", "async def test_send():", "    send = AsyncMock()", "    await send('x')", "    send.assert_awaited_once_with('x')"),
      options: test,
    },
    {
      name: "a sync Mock",
      code: py("from unittest.mock import Mock", "async def test_send():", "    render = Mock()", "    render('x')", "    render.assert_called_once()"),
      options: test,
    },
    {
      name: "AsyncMock never awaited by the test (handed to the code under test)",
      code: py("from unittest.mock import AsyncMock", "async def test_send():", "    send = AsyncMock()", "    await notify(send)", "    send.assert_called_once()"),
      options: test,
    },
    {
      name: "another attribute is awaited than the one asserted",
      code: py("from unittest.mock import AsyncMock", "async def test_post():", "    client = AsyncMock()", "    await client.get('/')", "    client.post.assert_called_once()"),
      options: test,
    },
    {
      name: "not a test file",
      code: py("from unittest.mock import AsyncMock", "async def check():", "    send = AsyncMock()", "    await send()", "    send.assert_called_once()"),
      options: { path: "app/selfcheck.py" },
    },
    {
      name: "the name is rebound to a plain Mock before the assert",
      code: py(
        "from unittest.mock import AsyncMock, Mock",
        "async def test_send():",
        "    send = AsyncMock()",
        "    await send()",
        "    send = Mock()",
        "    send.assert_called_once()",
      ),
      options: test,
    },
    {
      name: "awaited only in a nested function",
      code: py(
        "from unittest.mock import AsyncMock",
        "def test_send():",
        "    send = AsyncMock()",
        "    async def run():",
        "        await send()",
        "    send.assert_called_once()",
      ),
      options: test,
    },
    {
      name: "assert_not_called is right for an AsyncMock too",
      code: py("from unittest.mock import AsyncMock", "async def test_send():", "    send = AsyncMock()", "    await send()", "    send.assert_not_called()"),
      options: test,
    },
  ],
});
