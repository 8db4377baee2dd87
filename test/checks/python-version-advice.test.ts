// Messages follow the project's lowest Python (`requires-python`): no
// `asyncio.to_thread` advice below 3.9, no `TaskGroup` or `asyncio.timeout`
// below 3.11, and the newer advice when the project allows it (or says nothing).
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeSource } from "../../src/analyzer/analyze.js";
import { initParser } from "../../src/analyzer/parser.js";
import { NO_PROJECT_FACTS } from "../../src/analyzer/project.js";
import { py } from "../helpers/lint.js";

beforeAll(async () => {
  await initParser();
});

function messages(code: string, version: readonly [number, number] | null, rule: string): string[] {
  const severities = { [rule]: "warning" as const };
  const result = analyzeSource("m.py", code, { severities, project: { ...NO_PROJECT_FACTS, pythonVersion: version } });
  return result.findings.filter((f) => f.code === rule).map((f) => f.message);
}

const cases: { rule: string; code: string; newOnly: string[] }[] = [
  { rule: "LG203", code: py("import asyncio", "async def main():", "    asyncio.create_task(work())"), newOnly: ["TaskGroup"] },
  {
    rule: "LG501",
    code: py("async def main(urls):", "    out = []", "    for u in urls:", "        out.append(await fetch(u))", "    return out"),
    newOnly: ["TaskGroup"],
  },
  {
    rule: "LG702",
    code: py("import asyncio", "async def main():", "    try:", "        await work()", "    except asyncio.CancelledError:", "        pass"),
    newOnly: ["asyncio.timeout", "TaskGroup"],
  },
  {
    rule: "LG703",
    code: py("from concurrent.futures import ThreadPoolExecutor", "async def main(loop):", "    with ThreadPoolExecutor() as pool:", "        await loop.run_in_executor(pool, work)"),
    newOnly: ["asyncio.to_thread"],
  },
  {
    rule: "LG105",
    code: py("import threading", "async def main():", "    t = threading.Thread(target=work)", "    t.start()", "    t.join()"),
    newOnly: ["asyncio.to_thread"],
  },
];

describe("advice that depends on the Python version", () => {
  it.each(cases)("$rule: leaves out $newOnly below the version that has it", ({ rule, code, newOnly }) => {
    const old = messages(code, [3, 8], rule);
    const recent = messages(code, [3, 11], rule);
    const unknown = messages(code, null, rule);
    expect(old).toHaveLength(1);
    for (const name of newOnly) {
      expect(old[0]).not.toContain(name);
      expect(recent[0]).toContain(name);
    }
    // An unknown version is taken as recent: the project did not say otherwise.
    expect(unknown).toEqual(recent);
  });

  it("LG703 and LG105 offer run_in_executor below 3.9", () => {
    expect(messages(cases[3]!.code, [3, 8], "LG703")[0]).toContain("loop.run_in_executor(None, fn, ...)");
    expect(messages(cases[4]!.code, [3, 8], "LG105")[0]).toContain("loop.run_in_executor(None, t.join, ...)");
  });
});
