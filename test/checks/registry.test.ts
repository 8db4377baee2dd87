// Consistency of the rule catalogue: every rule registered, named after its
// file, documented, and its documented examples behave as documented.
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { allRules } from "../../src/checks/index.js";
import { NO_PROJECT_FACTS } from "../../src/analyzer/project.js";
import { lintRule } from "../helpers/lint.js";

const checksDir = fileURLToPath(new URL("../../src/checks/", import.meta.url));
const NOT_RULES = new Set(["index.ts", "lookup.ts"]);

describe("rule registry", () => {
  it("registers every rule file, in code order, with unique codes and names", () => {
    const files = readdirSync(checksDir)
      .filter((f) => f.endsWith(".ts") && !NOT_RULES.has(f))
      .map((f) => f.replace(/\.ts$/, ""))
      .sort();
    expect(allRules.map((r) => r.meta.name).sort()).toEqual(files);
    const codes = allRules.map((r) => r.meta.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort()).toEqual(codes);
  });

  for (const rule of allRules) {
    describe(`${rule.meta.code} ${rule.meta.name}`, () => {
      it("has well-formed metadata and docs", () => {
        expect(rule.meta.code).toMatch(/^LG\d{3}$/);
        expect(rule.meta.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
        expect(rule.meta.guide).toMatch(/^[a-z0-9_-]+$/);
        expect(rule.docs.summary.length).toBeGreaterThan(10);
        expect(rule.docs.why.length).toBeGreaterThan(10);
        expect(rule.docs.bad.length).toBeGreaterThan(0);
        expect(rule.docs.good.length).toBeGreaterThan(0);
        for (const a of rule.meta.aliases) expect(a).toMatch(/^[A-Z]+\d+$/);
      });
      const path = rule.docs.examplePath ?? "example.py";
      const project = { ...NO_PROJECT_FACTS, ...rule.docs.exampleProject };
      rule.docs.bad.forEach((code, i) => {
        it(`bad example ${i + 1} gives exactly one finding`, () => {
          expect(lintRule(rule, code, { path, project }).length).toBe(1);
        });
      });
      rule.docs.good.forEach((code, i) => {
        it(`good example ${i + 1} gives none`, () => {
          expect(lintRule(rule, code, { path, project })).toEqual([]);
        });
      });
    });
  }
});
