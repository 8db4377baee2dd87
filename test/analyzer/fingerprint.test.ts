import { describe, expect, it } from "vitest";
import { analyzeSource } from "../../src/analyzer/analyze.js";
import { classifyFindings, fingerprintFindings } from "../../src/analyzer/fingerprint.js";
import { py } from "../helpers/lint.js";

function version(path: string, source: string) {
  return { path, source, findings: analyzeSource(path, source).findings };
}

const base = py("import time", "", "async def poll():", "    time.sleep(1)");

describe("fingerprintFindings", () => {
  it("ignores line numbers and indentation, keeps code, path and text", () => {
    const a = version("svc/a.py", base);
    const shifted = version("svc/a.py", py("import time", "# a comment", "", "", "async def poll():", "        time.sleep(1)"));
    expect(fingerprintFindings(a.findings, a.source)[0]!.fingerprint).toBe(
      fingerprintFindings(shifted.findings, shifted.source)[0]!.fingerprint,
    );
    const otherPath = version("svc/b.py", base);
    expect(fingerprintFindings(otherPath.findings, otherPath.source)[0]!.fingerprint).not.toBe(
      fingerprintFindings(a.findings, a.source)[0]!.fingerprint,
    );
    const otherText = version("svc/a.py", base.replace("sleep(1)", "sleep(2)"));
    expect(fingerprintFindings(otherText.findings, otherText.source)[0]!.fingerprint).not.toBe(
      fingerprintFindings(a.findings, a.source)[0]!.fingerprint,
    );
  });

  it("numbers identical lines by occurrence", () => {
    const v = version("a.py", py("import time", "", "async def poll():", "    time.sleep(1)", "    time.sleep(1)"));
    const prints = fingerprintFindings(v.findings, v.source);
    expect(prints.map((p) => p.occurrence)).toEqual([0, 1]);
    expect(prints[0]!.key).toBe(prints[1]!.key);
    expect(prints[0]!.fingerprint).not.toBe(prints[1]!.fingerprint);
    expect(prints[0]!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it("fingerprints a renamed file's base under the head path", () => {
    const old = version("old/name.py", base);
    const renamed = version("new/name.py", base);
    expect(fingerprintFindings(old.findings, old.source, "new/name.py")[0]!.fingerprint).toBe(
      fingerprintFindings(renamed.findings, renamed.source)[0]!.fingerprint,
    );
  });
});

describe("classifyFindings", () => {
  it("counts everything new in an added file", () => {
    const head = version("a.py", base);
    const r = classifyFindings(head, null);
    expect(r.fresh).toHaveLength(1);
    expect(r.preexisting).toHaveLength(0);
  });

  it("keeps a finding that only moved down as pre-existing", () => {
    const head = version("a.py", py("import time", "import os", "", "async def poll():", "    os.getcwd()", "    time.sleep(1)"));
    const r = classifyFindings(head, version("a.py", base), new Set([2, 5]));
    expect(r.fresh).toHaveLength(0);
    expect(r.preexisting.map((p) => p.finding.line)).toEqual([6]);
  });

  it("reports the unchanged blocking call of a def that became async def", () => {
    const before = version("a.py", py("import time", "", "def poll():", "    time.sleep(1)"));
    const head = version("a.py", base);
    const r = classifyFindings(head, before, new Set([3]));
    expect(r.fresh.map((p) => [p.finding.code, p.finding.line])).toEqual([["LG101", 4]]);
  });

  it("takes the extra identical finding from the added lines", () => {
    const head = version(
      "a.py",
      py("import time", "", "async def poll():", "    time.sleep(1)", "", "async def other():", "    time.sleep(1)"),
    );
    // The change added the copy at the top of poll(): line 4 is the new one.
    const headFirst = classifyFindings(head, version("a.py", base), new Set([4]));
    expect(headFirst.fresh.map((p) => p.finding.line)).toEqual([4]);
    const headLast = classifyFindings(head, version("a.py", base), new Set([6, 7]));
    expect(headLast.fresh.map((p) => p.finding.line)).toEqual([7]);
  });

  it("follows a rename: the base under its old path is the same file", () => {
    const head = version("new.py", base);
    const r = classifyFindings(head, version("old.py", base));
    expect(r.fresh).toHaveLength(0);
    expect(r.preexisting).toHaveLength(1);
  });
});
