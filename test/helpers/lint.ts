// Test helpers: analyse a snippet with chosen rules and compare findings.
import { analyzeSource, type AnalyzeOptions } from "../../src/analyzer/analyze.js";
import type { Rule } from "../../src/analyzer/rule.js";
import type { Finding } from "../../src/analyzer/types.js";
import { allRules } from "../../src/checks/index.js";

export function lint(source: string, options: AnalyzeOptions & { path?: string } = {}): Finding[] {
  return analyzeSource(options.path ?? "example.py", source, options).findings;
}

/** Findings of one rule only, with that rule enabled whatever its default. */
export function lintRule(rule: Rule, source: string, options: AnalyzeOptions & { path?: string } = {}): Finding[] {
  const severities = { ...options.severities };
  if ((severities[rule.meta.code] ?? rule.meta.severity) === "off") severities[rule.meta.code] = "warning";
  const required = allRules.filter((r) => rule.meta.requires?.includes(r.meta.code));
  return lint(source, { ...options, rules: [rule, ...required], severities }).filter((f) => f.code === rule.meta.code);
}

/** `[code, line]` pairs, the shape every invalid case asserts. */
export function codesAndLines(findings: readonly Finding[]): [string, number][] {
  return findings.map((f) => [f.code, f.line]);
}

export function ruleNamed(name: string): Rule {
  const r = allRules.find((x) => x.meta.name === name);
  if (!r) throw new Error(`no rule named ${name}`);
  return r;
}

/** Joins lines into a snippet (keeps test cases readable without dedent gymnastics). */
export function py(...lines: string[]): string {
  return `${lines.join("\n")}\n`;
}
