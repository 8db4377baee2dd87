import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/analyzer/types.js";
import { renderFinding, renderNotes, renderText, summaryLine } from "../../src/comments/text.js";

const GUIDE = "https://github.com/loopguard/loopguard/blob/main/docs/guide.md#pitfall-1-blocking-the-event-loop";

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    code: "LG101",
    name: "blocking-sleep",
    severity: "error",
    path: "app/worker.py",
    line: 12,
    column: 5,
    endLine: 12,
    endColumn: 18,
    message: "`time.sleep()` blocks the event loop in `async def poll`: use `await asyncio.sleep(...)`.",
    guide: GUIDE,
    fix: null,
    ...overrides,
  };
}

/** The caret line of a rendered finding, with its gutter. */
function caretLine(rendered: string): string {
  return rendered.split("\n").find((l) => l.includes("^"))!;
}

describe("renderFinding", () => {
  it("shows location, code, severity, message, the line with a caret under the span, the fix and the guide", () => {
    const f = finding({ fix: { description: "Replace with `await asyncio.sleep(...)`", edits: [] } });
    expect(renderFinding(f, "    time.sleep(1)")).toMatchSnapshot();
  });

  it("puts the caret under the span's first column and makes it as wide as the span", () => {
    const out = renderFinding(finding({ column: 11, endColumn: 24 }), "    out = requests.get(u)");
    expect(caretLine(out)).toBe("   |           ^^^^^^^^^^^^^");
  });

  it("keeps tabs under the line so the caret lines up in a terminal", () => {
    const out = renderFinding(finding({ column: 3, endColumn: 6 }), "\t\tfoo()");
    expect(caretLine(out)).toBe("   | \t\t^^^");
  });

  it("counts a character outside the BMP (two UTF-16 units) as one column", () => {
    // `s = "😀"; time.sleep(1)`: the emoji is 2 code units, so the call starts at column 11.
    const line = 's = "😀"; time.sleep(1)';
    const out = renderFinding(finding({ column: 11, endColumn: 24 }), line);
    expect(caretLine(out)).toBe(`   | ${" ".repeat(9)}${"^".repeat(13)}`);
  });

  it("underlines to the end of the first line for a span over several lines", () => {
    const out = renderFinding(finding({ column: 5, endLine: 14, endColumn: 6 }), "    requests.get(   ");
    expect(caretLine(out)).toBe(`   |     ${"^".repeat(13)}`);
  });

  it("draws at least one caret for an empty span", () => {
    const out = renderFinding(finding({ column: 5, endColumn: 5 }), "    x");
    expect(caretLine(out)).toBe("   |     ^");
  });

  it("widens the gutter for long line numbers", () => {
    const out = renderFinding(finding({ line: 12345 }), "    time.sleep(1)");
    expect(out).toContain("\n12345 |     time.sleep(1)\n");
    expect(out).toContain("\n      |     ^");
  });

  it("cuts a very long line around the finding and keeps the caret on it", () => {
    const line = `${"x = 1; ".repeat(60)}time.sleep(1)${"; y = 2".repeat(60)}`;
    const column = line.indexOf("time.sleep") + 1;
    const out = renderFinding(finding({ column, endColumn: column + 13 }), line);
    const shown = out.split("\n")[2]!;
    expect(shown.length).toBeLessThan(200);
    expect(shown).toMatch(/^12 \| ….*…$/);
    const caret = caretLine(out);
    expect(shown.indexOf("time.sleep")).toBe(caret.indexOf("^"));
  });

  it("shows control characters of the source as visible symbols, never as terminal escapes", () => {
    const out = renderFinding(finding({ column: 12, endColumn: 25 }), 'x = "\u001b[2J"; time.sleep(1)');
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/\u001b/);
    expect(out).toContain('x = "␛[2J"; time.sleep(1)');
  });

  it("leaves the code frame out when the line is not available", () => {
    expect(renderFinding(finding(), undefined).split("\n")).toEqual([
      "app/worker.py:12:5: LG101 [error] `time.sleep()` blocks the event loop in `async def poll`: use `await asyncio.sleep(...)`.",
      `   = blocking-sleep: ${GUIDE}`,
      "",
    ]);
  });

  it("colours severity and caret when asked to", () => {
    const paint = (style: string, text: string) => `<${style}>${text}</${style}>`;
    const out = renderFinding(finding({ severity: "warning" }), "    time.sleep(1)", paint);
    expect(out).toContain("<warning>[warning]</warning>");
    expect(out).toContain("<warning>^^^^^^^^^^^^^</warning>");
    expect(out).toContain(`<dim>${GUIDE}</dim>`);
  });
});

describe("renderText", () => {
  const findings = [
    finding(),
    finding({ severity: "warning", code: "LG104", name: "blocking-file-io", line: 20, column: 9, endLine: 20, endColumn: 19, message: "`open()` blocks." }),
    finding({ severity: "info", code: "LG501", name: "sequential-await-in-loop", path: "app/z.py", line: 3, column: 1, endLine: 3, endColumn: 4, message: "Awaits one by one." }),
  ];
  const lines: Record<string, string> = { "app/worker.py:12": "    time.sleep(1)", "app/worker.py:20": "        open(path)", "app/z.py:3": "for x in xs:" };
  const sourceLine = (path: string, line: number) => lines[`${path}:${line}`];

  it("renders every finding, then the summary (snapshot, no colour)", () => {
    const out = renderText({ findings, files: 4, syntaxErrors: 0, skipped: 0, color: false, sourceLine });
    expect(out).toMatchSnapshot();
    expect(out.endsWith("3 findings (1 error, 1 warning, 1 info) in 4 files\n")).toBe(true);
  });

  it("uses ANSI colours only when asked to", () => {
    // eslint-disable-next-line no-control-regex
    const ansi = /\u001b\[\d+m/;
    expect(renderText({ findings, files: 4, syntaxErrors: 0, skipped: 0, color: true, sourceLine })).toMatch(ansi);
    expect(renderText({ findings, files: 4, syntaxErrors: 0, skipped: 0, color: false, sourceLine })).not.toMatch(ansi);
  });

  it("prints only the summary when there is nothing to report", () => {
    expect(renderText({ findings: [], files: 1, syntaxErrors: 0, skipped: 0, color: true })).toBe(
      "0 findings (0 errors, 0 warnings, 0 info) in 1 file\n",
    );
  });
});

describe("summaryLine", () => {
  it("counts by severity with singular and plural words, and adds syntax errors and skipped files when there are any", () => {
    expect(summaryLine({ findings: [finding()], files: 1, syntaxErrors: 0, skipped: 0 })).toBe(
      "1 finding (1 error, 0 warnings, 0 info) in 1 file",
    );
    expect(summaryLine({ findings: [], files: 0, syntaxErrors: 0, skipped: 0 })).toBe("0 findings (0 errors, 0 warnings, 0 info) in 0 files");
    expect(summaryLine({ findings: [finding(), finding()], files: 3, syntaxErrors: 1, skipped: 2 })).toBe(
      "2 findings (2 errors, 0 warnings, 0 info) in 3 files; 1 file with syntax errors; 2 files skipped",
    );
  });
});

describe("renderNotes", () => {
  it("says why each file was skipped and where a file stopped parsing", () => {
    expect(renderNotes([{ path: "a.py", reason: "not valid UTF-8" }], [{ path: "b.py", count: 2, line: 3, column: 7 }])).toBe(
      "loopguard: skipped a.py: not valid UTF-8\nloopguard: b.py:3:7: 2 syntax errors; the rest of the file was still analysed\n",
    );
    expect(renderNotes([], [])).toBe("");
  });
});
