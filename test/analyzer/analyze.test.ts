import { describe, expect, it } from "vitest";
import { analyzeSource } from "../../src/analyzer/analyze.js";
import { decodeSource, MAX_FILE_BYTES } from "../../src/analyzer/source.js";
import { parseNoqa } from "../../src/analyzer/suppressions.js";
import { isSafeFix } from "../../src/analyzer/fix.js";
import { LineIndex } from "../../src/analyzer/positions.js";
import blockingSleep from "../../src/checks/blocking-sleep.js";
import { py } from "../helpers/lint.js";

const sleepOnly = { rules: [blockingSleep] };

describe("positions", () => {
  it("counts columns in UTF-16 code units after emoji and non-ASCII identifiers", () => {
    const src = py("import time", "async def f():", '    s = "🙂🙂"; größe = 1; time.sleep(1)');
    const [f] = analyzeSource("a.py", src, sleepOnly).findings;
    // "    s = \"🙂🙂\"; größe = 1; " is 27 UTF-16 units (each emoji is two).
    expect(f).toMatchObject({ line: 3, column: 28, endLine: 3, endColumn: 41 });
  });

  it("handles CRLF line endings and tabs", () => {
    const src = "import time\r\nasync def f():\r\n\ttime.sleep(1)\r\n";
    const [f] = analyzeSource("a.py", src, sleepOnly).findings;
    expect(f).toMatchObject({ line: 3, column: 2, endColumn: 15 });
  });

  it("reports the first syntax error and still analyses the rest", () => {
    const src = py("import time", "def broken(:", "    pass", "async def f():", "    time.sleep(1)");
    const r = analyzeSource("a.py", src, sleepOnly);
    expect(r.syntaxErrors.count).toBeGreaterThan(0);
    expect(r.syntaxErrors.first?.line).toBe(2);
    expect(r.findings.map((f) => f.line)).toEqual([5]);
  });

  it("survives 5,000 nested brackets", () => {
    const src = `x = ${"[".repeat(5000)}${"]".repeat(5000)}\n`;
    const r = analyzeSource("deep.py", src);
    expect(r.syntaxErrors.count).toBe(0);
    expect(r.lines).toBe(1);
  });

  it("maps offsets to lines and back", () => {
    const idx = new LineIndex("a\nbc\r\nd");
    expect(idx.position(3)).toEqual({ line: 2, column: 2 });
    expect(idx.offset(3, 1)).toBe(6);
    expect(idx.lineText(2)).toBe("bc");
    expect(idx.lineCount).toBe(3);
  });
});

describe("decodeSource", () => {
  it("strips a byte-order mark", () => {
    const r = decodeSource(new Uint8Array([0xef, 0xbb, 0xbf, 0x78, 0x0a]));
    expect(r).toEqual({ ok: true, text: "x\n" });
  });
  it("refuses NUL bytes, invalid UTF-8 and files over 2 MB", () => {
    expect(decodeSource(new Uint8Array([0x78, 0x00]))).toMatchObject({ ok: false, reason: expect.stringContaining("NUL") });
    expect(decodeSource(new Uint8Array([0xff, 0xfe, 0x41]))).toMatchObject({ ok: false, reason: "not valid UTF-8" });
    expect(decodeSource(new Uint8Array(MAX_FILE_BYTES + 1).fill(0x20))).toMatchObject({
      ok: false,
      reason: expect.stringContaining("2 MB"),
    });
    expect(decodeSource(new Uint8Array(MAX_FILE_BYTES).fill(0x20)).ok).toBe(true);
  });
});

describe("suppressions", () => {
  it("parses blanket and coded noqa comments", () => {
    expect(parseNoqa("# noqa")).toEqual({ all: true });
    expect(parseNoqa("#NOQA: lg101, blocking-sleep")).toEqual({ all: false, codes: new Set(["LG101", "BLOCKING-SLEEP"]) });
    expect(parseNoqa("# just a comment")).toBeNull();
  });

  it("applies on the last line of a multi-line statement, and only to the named rule", () => {
    const src = py("import time", "async def f():", "    time.sleep(", "        1", "    )  # noqa: LG101", "    time.sleep(2)  # noqa: LG102");
    expect(analyzeSource("a.py", src, sleepOnly).findings.map((f) => f.line)).toEqual([6]);
  });
});

describe("fix safety", () => {
  const src = py("x = 1  # keep me", "y = 2");
  it("refuses a fix that drops a comment", () => {
    expect(isSafeFix(src, [{ start: 0, end: 16, text: "x = 3" }], 0, [{ start: 7, end: 16, text: "# keep me" }])).toBe(false);
  });
  it("refuses a fix that adds a syntax error", () => {
    expect(isSafeFix(src, [{ start: 0, end: 5, text: "x = (" }], 0, [])).toBe(false);
  });
  it("accepts a clean fix", () => {
    expect(isSafeFix(src, [{ start: 4, end: 5, text: "3" }], 0, [])).toBe(true);
  });
});

describe("severities", () => {
  it("an `off` rule does not run and an override changes the reported severity", () => {
    const src = py("import time", "async def f():", "    time.sleep(1)");
    expect(analyzeSource("a.py", src, { ...sleepOnly, severities: { LG101: "off" } }).findings).toEqual([]);
    expect(analyzeSource("a.py", src, { ...sleepOnly, severities: { LG101: "info" } }).findings[0]?.severity).toBe("info");
  });
  it("links the guide with the configured base URL", () => {
    const src = py("import time", "async def f():", "    time.sleep(1)");
    const [f] = analyzeSource("a.py", src, { ...sleepOnly, guideUrl: "https://docs.example.com/guide" }).findings;
    expect(f?.guide).toBe("https://docs.example.com/guide#pitfall-1-blocking-the-event-loop");
  });
});
