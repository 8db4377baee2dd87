// The analyzer never throws, never hangs, and every finding lies inside the
// file, whatever it is given. The runner's timeout is the only clock here.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeSource } from "../../src/analyzer/analyze.js";
import { allRules } from "../../src/checks/index.js";
import { LineIndex } from "../../src/analyzer/positions.js";
import { mutatedFixture, randomText, tokenSoup } from "../helpers/fuzz-inputs.js";

const everyRuleOn = Object.fromEntries(allRules.map((r) => [r.meta.code, "warning" as const]));

function checkInvariants(source: string): void {
  const result = analyzeSource("fuzz.py", source, { severities: everyRuleOn });
  const idx = new LineIndex(source);
  const lastLine = Math.max(1, source.split("\n").length);
  for (const f of result.findings) {
    expect(f.line).toBeGreaterThanOrEqual(1);
    expect(f.endLine).toBeLessThanOrEqual(lastLine);
    expect(f.line <= f.endLine).toBe(true);
    expect(f.column).toBeGreaterThanOrEqual(1);
    expect(f.column).toBeLessThanOrEqual(idx.lineText(f.line).length + 2);
    expect(f.endColumn).toBeLessThanOrEqual(idx.lineText(f.endLine).length + 2);
  }
}

function pythonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...pythonFiles(p));
    else if (name.endsWith(".py")) out.push(readFileSync(p, "utf8"));
  }
  return out;
}

function fixtureTexts(): string[] {
  const fromDocs = allRules.flatMap((r) => [...r.docs.bad, ...r.docs.good]);
  let fromFiles: string[] = [];
  try {
    fromFiles = pythonFiles(new URL("../fixtures/python", import.meta.url).pathname);
  } catch {
    // The fixtures folder is optional for this test; the rule examples suffice.
  }
  return [...fromDocs, ...fromFiles];
}

describe("analyzer fuzzing", () => {
  it("random bytes", () => {
    fc.assert(fc.property(randomText, (s) => checkInvariants(s)), { numRuns: 1000 });
  });
  it("token soups of keywords and operators", () => {
    fc.assert(fc.property(tokenSoup, (s) => checkInvariants(s)), { numRuns: 1500 });
  });
  it("mutated fixtures", () => {
    fc.assert(fc.property(mutatedFixture(fixtureTexts()), (s) => checkInvariants(s)), { numRuns: 1500 });
  });
});

describe("awkward but valid files", () => {
  it("a 100,000-character line, CRLF, tabs, a BOM-less non-ASCII file", () => {
    const long = `x = "${"a".repeat(100_000)}"; import time\r\nasync def f():\r\n\ttime.sleep(1)\r\n`;
    const r = analyzeSource("long.py", long);
    expect(r.findings.find((f) => f.code === "LG101")).toMatchObject({ line: 3, column: 2 });
  });

  it("a file just under the 2 MB limit", () => {
    const block = 'async def f_{i}():\n    s = "ünïcödé 🙂"\n    return s\n';
    const parts: string[] = [];
    for (let i = 0, bytes = 0; bytes < 2_000_000; i++) {
      const part = block.replace("{i}", String(i));
      parts.push(part);
      bytes += Buffer.byteLength(part);
    }
    const text = parts.join("");
    const tail = "import time\nasync def last():\n    time.sleep(1)\n";
    const r = analyzeSource("big.py", text + tail);
    expect(Buffer.byteLength(text + tail)).toBeLessThan(2 * 1024 * 1024);
    expect(r.findings.filter((f) => f.code === "LG101").map((f) => f.line)).toEqual([r.lines]);
  });
});
