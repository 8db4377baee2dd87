import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import GithubSlugger from "github-slugger";
import { describe, expect, it } from "vitest";
import { allRules } from "../../src/checks/index.js";
import { renderRuleMarkdown, renderRuleText, withRulesTable } from "../../src/docs/rule-doc.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const STALE = "is out of date: run `npm run docs`";

describe("generated rule docs", () => {
  for (const rule of allRules) {
    it(`docs/rules/${rule.meta.name}.md is current`, () => {
      const committed = readFileSync(`${root}docs/rules/${rule.meta.name}.md`, "utf8");
      expect(committed, `docs/rules/${rule.meta.name}.md ${STALE}`).toBe(renderRuleMarkdown(rule));
    });
  }

  it("has no page for a rule that does not exist", () => {
    const pages = readdirSync(`${root}docs/rules`).filter((f) => f.endsWith(".md")).sort();
    expect(pages).toEqual(allRules.map((r) => `${r.meta.name}.md`).sort());
  });

  it("the README rules table matches the registry", () => {
    const readme = readFileSync(`${root}README.md`, "utf8");
    expect(readme, `README.md rules table ${STALE}`).toBe(withRulesTable(readme, allRules));
    for (const r of allRules) expect(readme).toContain(`[${r.meta.name}](docs/rules/${r.meta.name}.md)`);
  });

  it("the terminal text carries the same content without markdown", () => {
    const text = renderRuleText(allRules[0]!);
    expect(text).toContain("LG101 blocking-sleep\n====================");
    expect(text).toContain("    import time");
    expect(text).not.toContain("```");
  });
});

describe("guide anchors", () => {
  const guide = readFileSync(`${root}docs/guide.md`, "utf8");
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  let inCode = false;
  for (const line of guide.split("\n")) {
    if (line.startsWith("```")) inCode = !inCode;
    else if (!inCode && /^#{1,6} /.test(line)) anchors.add(slugger.slug(line.replace(/^#+ /, "")));
  }

  for (const rule of allRules) {
    it(`${rule.meta.code}'s anchor #${rule.meta.guide} is a heading of docs/guide.md`, () => {
      expect(anchors.has(rule.meta.guide)).toBe(true);
    });
  }

  it("every rule page the guide links to exists", () => {
    const links = [...guide.matchAll(/\(rules\/([a-z-]+)\.md\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(20);
    const names = new Set(allRules.map((r) => r.meta.name));
    expect(links.filter((l) => !names.has(l!))).toEqual([]);
  });
});
