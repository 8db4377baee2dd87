// The shared shape of a rule's test file: lists of valid and invalid cases.
import { describe, expect, it } from "vitest";
import type { Rule } from "../../src/analyzer/rule.js";
import type { AnalyzeOptions } from "../../src/analyzer/analyze.js";
import { codesAndLines, lintRule } from "./lint.js";

export interface InvalidCase {
  name: string;
  code: string;
  /** 1-based lines that must be reported, in order. */
  lines: number[];
  options?: AnalyzeOptions & { path?: string };
  /** Expected substring(s) of the first finding's message. */
  message?: string | string[];
  /** Expected source after applying the first finding's fix (null: no fix). */
  fixed?: string | null;
}

export interface ValidCase {
  name: string;
  code: string;
  options?: AnalyzeOptions & { path?: string };
}

export function ruleCases(rule: Rule, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(`${rule.meta.code} ${rule.meta.name}`, () => {
    describe("valid", () => {
      for (const c of cases.valid) {
        it(c.name, () => {
          expect(codesAndLines(lintRule(rule, c.code, c.options))).toEqual([]);
        });
      }
    });
    describe("invalid", () => {
      for (const c of cases.invalid) {
        it(c.name, () => {
          const findings = lintRule(rule, c.code, c.options);
          expect(codesAndLines(findings)).toEqual(c.lines.map((l) => [rule.meta.code, l]));
          const messages = c.message === undefined ? [] : Array.isArray(c.message) ? c.message : [c.message];
          for (const m of messages) expect(findings[0]?.message).toContain(m);
          if (c.fixed !== undefined) {
            const fix = findings[0]?.fix ?? null;
            if (c.fixed === null) expect(fix).toBeNull();
            else {
              expect(fix).not.toBeNull();
              expect(applyFix(c.code, fix!)).toBe(c.fixed);
            }
          }
        });
      }
    });
  });
}

export function applyFix(
  source: string,
  fix: { edits: { line: number; column: number; endLine: number; endColumn: number; text: string }[] },
): string {
  const starts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === "\n") starts.push(i + 1);
  const off = (l: number, c: number) => starts[l - 1]! + c - 1;
  const edits = fix.edits
    .map((e) => ({ start: off(e.line, e.column), end: off(e.endLine, e.endColumn), text: e.text }))
    .sort((a, b) => b.start - a.start);
  let out = source;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
