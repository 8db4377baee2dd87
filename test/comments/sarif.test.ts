import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Ajv from "ajv-draft-04";
import { beforeAll, describe, expect, it } from "vitest";
import type { Log } from "sarif";
import type { Finding } from "../../src/analyzer/types.js";
import { analyzeSource } from "../../src/analyzer/analyze.js";
import { allRules } from "../../src/checks/index.js";
import { renderSarif } from "../../src/comments/sarif.js";
import { renderGithubActions } from "../../src/comments/github-actions.js";
import { py } from "../helpers/lint.js";

const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));

const src = py("import time", "async def poll():", "    time.sleep(1)", '    x = "🙂"; time.sleep(2)');
let findings: Finding[] = [];
let log: Log;
beforeAll(() => {
  findings = analyzeSource("svc/poll.py", src).findings;
  log = renderSarif({ version: "0.1.0", rules: allRules, findings, skipped: [{ path: "bin.py", reason: "not valid UTF-8" }] });
});

describe("SARIF output", () => {

  it("validates against the official SARIF 2.1.0 schema", () => {
    const ajv = new Ajv.default({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("lists every rule and reports UTF-16 columns, levels and fixes", () => {
    const run = log.runs[0]!;
    expect(run.columnKind).toBe("utf16CodeUnits");
    expect(run.tool.driver.rules?.map((r) => r.id)).toEqual(allRules.map((r) => r.meta.code));
    expect(run.results?.map((r) => [r.ruleId, r.level, r.locations?.[0]?.physicalLocation?.region?.startColumn])).toEqual([
      ["LG101", "error", 5],
      ["LG101", "error", 15],
    ]);
    expect(run.results?.[0]?.fixes?.[0]?.artifactChanges[0]?.replacements[0]?.insertedContent?.text).toBe("import asyncio\n");
  });
});

describe("GitHub Actions workflow commands", () => {
  it("escapes properties and data", () => {
    const out = renderGithubActions([{ ...findings[0]!, path: "a,b:c.py", message: "100% bad\nreally" }]);
    expect(out).toBe(
      "::error file=a%2Cb%3Ac.py,line=3,col=5,endLine=3,endColumn=18,title=LG101 blocking-sleep::100%25 bad%0Areally (https://github.com/loopguard/loopguard/blob/main/docs/guide.md#pitfall-1-blocking-the-event-loop)\n",
    );
  });
});
