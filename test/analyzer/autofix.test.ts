import { describe, expect, it } from "vitest";
import { fixSource } from "../../src/analyzer/autofix.js";
import { analyzeSource } from "../../src/analyzer/analyze.js";
import { unifiedDiff } from "../../src/analyzer/unified-diff.js";
import { allRules } from "../../src/checks/index.js";
import { py } from "../helpers/lint.js";

describe("fixSource", () => {
  it("applies every exact fix, adds the import once, and is idempotent", () => {
    const src = py('"""Jobs."""', "import time", "async def a():", "    time.sleep(1)", "async def b():", "    time.sleep(2)");
    const first = fixSource("jobs.py", src);
    expect(first.output).toBe(
      py('"""Jobs."""', "import asyncio", "import time", "async def a():", "    await asyncio.sleep(1)", "async def b():", "    await asyncio.sleep(2)"),
    );
    expect(first.applied).toBe(2);
    const second = fixSource("jobs.py", first.output);
    expect(second.applied).toBe(0);
    expect(second.output).toBe(first.output);
    expect(analyzeSource("jobs.py", first.output).findings.filter((f) => f.code === "LG101")).toEqual([]);
  });

  it("leaves a file without fixable findings untouched", () => {
    const src = py("import time", "def f():", "    time.sleep(1)");
    expect(fixSource("x.py", src)).toEqual({ output: src, applied: 0, codes: [] });
  });
});

describe("unifiedDiff", () => {
  it("prints hunks with context and correct ranges", () => {
    const before = py("a", "b", "c", "d");
    const after = py("z", "a", "b", "C", "d");
    expect(unifiedDiff("x.py", before, after)).toBe(
      ["--- a/x.py", "+++ b/x.py", "@@ -1,4 +1,5 @@", "+z", " a", " b", "-c", "+C", " d", ""].join("\n"),
    );
    expect(unifiedDiff("x.py", before, before)).toBe("");
  });
});

describe("every rule's fixes on its own bad examples", () => {
  for (const rule of allRules) {
    rule.docs.bad.forEach((code, i) => {
      it(`${rule.meta.code} bad example ${i + 1}: the fixed text parses and no longer has the finding`, () => {
        const path = rule.docs.examplePath ?? "example.py";
        const severities = rule.meta.severity === "off" ? { [rule.meta.code]: "warning" as const } : {};
        const options = { severities };
        const out = fixSource(path, code, options);
        const after = analyzeSource(path, out.output, options);
        if (out.applied > 0) {
          expect(after.syntaxErrors.count).toBe(0);
          expect(after.findings.filter((f) => f.code === rule.meta.code && f.fix)).toEqual([]);
        }
        expect(fixSource(path, out.output, options).applied).toBe(0);
      });
    });
  }
});
