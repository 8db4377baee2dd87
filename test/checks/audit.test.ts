// The precision and recall audit: realistic Python projects under
// test/fixtures/audit/, analysed together with every registered rule. A
// trailing `# error: LG101` (or `# error: LG101, LG203`) marks each line that
// must be reported; every other line must stay silent. Files under a
// `tests/` folder are analysed with a pytest-asyncio configuration in strict
// mode; files under `strict/` with every rule enabled (the off-by-default
// ones too) and a configured `blockingCalls` list. `pending/` holds fixtures
// whose rules are not registered yet, and is left out (see the README there).
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeProject } from "../../src/analyzer/analyze.js";
import { fixSource } from "../../src/analyzer/autofix.js";
import { parseSyntaxTree, type Node } from "../../src/analyzer/parser.js";
import { parseNoqa } from "../../src/analyzer/suppressions.js";
import type { FileResult, Finding } from "../../src/analyzer/types.js";
import { allRules } from "../../src/checks/index.js";
import { auditSources, byLine, EVERY_RULE, expectedFindings, findingKey as key, MARKER, STRICT_PROJECT } from "../helpers/audit-project.js";

/** A readable account of what differs: missing findings, and unexpected ones with their messages. */
function describeDifferences(path: string, source: string, expected: string[], findings: readonly Finding[]): string {
  const lines = source.split(/\r?\n/);
  const actual = new Map<string, Finding>();
  for (const f of findings) actual.set(key(f.line, f.code), f);
  const missing = expected.filter((k) => !actual.has(k));
  const unexpected = [...actual.keys()].filter((k) => !expected.includes(k)).sort(byLine);
  if (missing.length === 0 && unexpected.length === 0) return "";
  const show = (k: string) => {
    const line = Number.parseInt(k, 10);
    return `${path}:${k}  | ${(lines[line - 1] ?? "").trim()}`;
  };
  const report = [`${path}: expected ${expected.length} findings, got ${findings.length}`];
  for (const k of missing) report.push(`  missing     ${show(k)}`);
  for (const k of unexpected) report.push(`  unexpected  ${show(k)}\n              ${actual.get(k)!.message}`);
  return report.join("\n");
}

const sources = auditSources();

describe("audit fixtures", () => {
  let results: Map<string, FileResult>;

  beforeAll(() => {
    results = new Map(analyzeProject(sources).map((r) => [r.path, r]));
  });

  it("has the fixtures the audit promises", () => {
    expect(sources.length).toBeGreaterThanOrEqual(12);
  });

  for (const file of sources) {
    it(file.path, () => {
      const result = results.get(file.path)!;
      expect(result.syntaxErrors.count, `${file.path} should parse cleanly`).toBe(0);
      const expected = expectedFindings(file.source);
      expect(describeDifferences(file.path, file.source, expected, result.findings)).toBe("");
    });
  }
});

/** Rules that only report inside a coroutine: synchronous code never gives them a finding. */
const COROUTINE_ONLY = new Set(
  ["LG101", "LG102", "LG103", "LG104", "LG105", "LG106", "LG107", "LG108"].concat(
    ["LG302", "LG303", "LG501", "LG601", "LG701", "LG702", "LG703"],
  ),
);

/** The ranges of the `async` and `await` keywords, each with the space after it. */
function asyncKeywords(source: string): { start: number; end: number }[] {
  const tree = parseSyntaxTree(source);
  const cuts: { start: number; end: number }[] = [];
  const stack: Node[] = [tree.rootNode];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.childCount === 0 && (node.type === "async" || node.type === "await")) {
      cuts.push({ start: node.startIndex, end: node.nextSibling?.startIndex ?? node.endIndex });
    }
    for (const child of node.children) if (child) stack.push(child);
  }
  return cuts.sort((a, b) => b.start - a.start);
}

/** The same code with every `async` and `await` keyword removed: plain synchronous Python. */
function stripAsync(source: string): string {
  let out = source;
  for (const cut of asyncKeywords(source)) out = out.slice(0, cut.start) + out.slice(cut.end);
  return out;
}

describe("audit fixtures made synchronous (flake8-async's metamorphic test)", () => {
  it("give the coroutine-only rules nothing to report", () => {
    const stripped = sources.map((f) => ({ ...f, source: stripAsync(f.source), severities: EVERY_RULE, project: STRICT_PROJECT }));
    expect(stripped.filter((f) => asyncKeywords(f.source).length > 0).map((f) => f.path)).toEqual([]);
    const results = analyzeProject(stripped);
    expect(results.filter((r) => r.syntaxErrors.count > 0).map((r) => r.path)).toEqual([]);
    const findings = results
      .flatMap((r) => r.findings)
      .filter((f) => COROUTINE_ONLY.has(f.code))
      .map((f) => `${f.path}:${f.line} ${f.code}: ${f.message}`);
    expect(findings).toEqual([]);
  });
});

describe("audit fixtures fixed", () => {
  for (const file of sources) {
    it(`${file.path}: every fix applies, parses, and leaves nothing more to fix`, () => {
      const options = { severities: file.severities, project: file.project };
      const { output } = fixSource(file.path, file.source, options);
      const [after] = analyzeProject([{ ...file, source: output }]);
      expect(after!.syntaxErrors.count).toBe(0);
      expect(after!.findings.filter((f) => f.fix).map((f) => `${f.line} ${f.code}: ${f.fix!.description}`)).toEqual([]);
    });
  }
});

describe("audit markers", () => {
  const registered = new Set(allRules.map((r) => r.meta.code));

  it("name registered rules only (a fixture for a rule still to come belongs in pending/)", () => {
    const unknown = sources.flatMap((f) =>
      expectedFindings(f.source)
        .map((k) => k.split(" ")[1]!)
        .filter((code) => !registered.has(code))
        .map((code) => `${f.path}: ${code}`),
    );
    expect(unknown).toEqual([]);
  });

  it("sit at the end of a line of code, never on a line of their own", () => {
    const stray = sources.flatMap((f) =>
      f.source
        .split(/\r?\n/)
        .map((text, i) => ({ text, line: i + 1 }))
        .filter(({ text }) => MARKER.test(text) && /^\s*#/.test(text))
        .map(({ line }) => `${f.path}:${line}`),
    );
    expect(stray).toEqual([]);
  });

  it("are not read as suppressions", () => {
    expect(parseNoqa("# error: LG101")).toBeNull();
    expect(parseNoqa("# error: LG101, LG203")).toBeNull();
    // A noqa for one rule followed by a marker for another silences only the first.
    expect(parseNoqa("# noqa: LG101  # error: LG203")).toEqual({ all: false, codes: new Set(["LG101"]) });
  });
});
