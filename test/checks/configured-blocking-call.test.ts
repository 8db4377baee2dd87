import { describe, expect, it } from "vitest";
import { NO_PROJECT_FACTS, type ProjectFacts } from "../../src/analyzer/project.js";
import rule, { matchesPattern } from "../../src/checks/configured-blocking-call.js";
import { lintRule, py } from "../helpers/lint.js";
import { ruleCases } from "../helpers/rule-cases.js";

function configured(...calls: [string, string][]): { project: ProjectFacts } {
  return { project: { ...NO_PROJECT_FACTS, blockingCalls: calls.map(([pattern, advice]) => ({ pattern, advice })) } };
}

const BOTO = configured(["boto3.client", "use aioboto3"]);
const DB = configured(["mycompany.db.*", "use `mycompany.adb` instead"], ["legacy.get_*", ""]);

ruleCases(rule, {
  invalid: [
    {
      name: "an exact pattern, with its advice",
      code: py("import boto3", "async def upload():", "    s3 = boto3.client('s3')"),
      lines: [3],
      options: BOTO,
      message: ["`boto3.client()` (`boto3.client`) is configured as blocking (`boto3.client`)", "in `async def upload`: use aioboto3."],
      fixed: null,
    },
    {
      name: "a prefix pattern through a from-import and an alias",
      code: py("from mycompany.db import query as q", "import mycompany.db.admin as admin", "async def f():", "    q('select 1')", "    admin.vacuum()"),
      lines: [4, 5],
      options: DB,
      message: "`q()` (`mycompany.db.query`) is configured as blocking (`mycompany.db.*`)",
    },
    {
      name: "a wildcard inside a segment; empty advice gets the default",
      code: py("import legacy", "async def f():", "    legacy.get_user(1)"),
      lines: [3],
      options: DB,
      message: "run it in a thread with `await asyncio.to_thread(...)`",
    },
    {
      name: "the default advice respects requires-python",
      code: py("import legacy", "async def f():", "    legacy.get_user(1)"),
      lines: [3],
      options: { project: { ...DB.project, pythonVersion: [3, 8] } },
      message: "`await loop.run_in_executor(None, ...)`",
    },
    {
      name: "a method on a value made by a matching call",
      code: py("import boto3", "async def f():", "    s3 = boto3.client('s3')", "    s3.get_object(Key='k')"),
      lines: [3, 4],
      options: configured(["boto3.client", "use aioboto3"], ["boto3.client.*", "use aioboto3"]),
    },
    {
      name: "function-local import",
      code: py("async def f():", "    from mycompany import db", "    db.connect()"),
      lines: [3],
      options: DB,
    },
    {
      name: "a call written as the to_thread argument still runs on the loop",
      code: py("import asyncio, boto3", "async def f():", "    await asyncio.to_thread(boto3.client('s3'))"),
      lines: [3],
      options: BOTO,
    },
    {
      name: "async method and comprehension",
      code: py("import legacy", "class C:", "    async def all(self, ids):", "        return [legacy.get_item(i) for i in ids]"),
      lines: [4],
      options: DB,
    },
  ],
  valid: [
    {
      name: "nothing configured: nothing reported",
      code: py("import boto3", "async def f():", "    boto3.client('s3')"),
    },
    { name: "sync function", code: py("import boto3", "def f():", "    boto3.client('s3')"), options: BOTO },
    {
      name: "handed to a thread as a callable",
      code: py("import asyncio, boto3, functools", "async def f():", "    await asyncio.to_thread(boto3.client, 's3')", "    await asyncio.to_thread(functools.partial(boto3.client, 's3'))", "    await asyncio.to_thread(lambda: boto3.client('s3'))"),
      options: BOTO,
    },
    {
      name: "a prefix pattern does not match the prefix itself nor a longer sibling",
      code: py("import mycompany.db, mycompany.dbx", "async def f():", "    mycompany.db()", "    mycompany.dbx.query()"),
      options: DB,
    },
    {
      name: "an exact pattern does not match methods of its result",
      code: py("import boto3", "async def f():", "    s3 = boto3.client('s3')  # noqa: LG108", "    s3.get_object(Key='k')", "    boto3.resource('s3')"),
      options: BOTO,
    },
    {
      name: "same method name on an unknown receiver; shadowed module",
      code: py("import legacy", "async def f(client, legacy):", "    client.get_user(1)", "    legacy.get_user(1)"),
      options: DB,
    },
    {
      name: "relative import of a project module with the same name",
      code: py("from . import boto3", "async def f():", "    boto3.client('s3')"),
      options: BOTO,
    },
    {
      name: "lambda and nested def inside a coroutine",
      code: py("import boto3", "async def f():", "    make = lambda: boto3.client('s3')", "    def g():", "        return boto3.client('s3')", "    return make, g"),
      options: BOTO,
    },
  ],
});

describe("LG108 pattern matching", () => {
  it.each([
    ["boto3.client", "boto3.client", true],
    ["boto3.client", "boto3.client.get", false],
    ["boto3.client", "boto3", false],
    ["mycompany.db.*", "mycompany.db.query", true],
    ["mycompany.db.*", "mycompany.db.pool.acquire", true],
    ["mycompany.db.*", "mycompany.db", false],
    ["mycompany.db.*", "mycompany.dbx.query", false],
    ["mycompany.*.connect", "mycompany.db.connect", true],
    ["mycompany.*.connect", "mycompany.db.pool.connect", false],
    ["legacy.get_*", "legacy.get_user", true],
    ["legacy.get_*", "legacy.set_user", false],
    ["a.b+c", "a.bbc", false],
    ["", "anything", false],
    ["a..b", "a.b", false],
  ])("%s vs %s → %s", (pattern, name, expected) => {
    expect(matchesPattern(pattern, name)).toBe(expected);
  });

  it("reports once when several patterns match one call", () => {
    const code = py("import boto3", "async def f():", "    boto3.client('s3')");
    const options = configured(["boto3.*", "a"], ["boto3.client", "b"]);
    expect(lintRule(rule, code, options).map((f) => f.message)).toEqual([expect.stringContaining("(`boto3.*`)")]);
  });
});
