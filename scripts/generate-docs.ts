// `npm run docs`: writes docs/rules/<name>.md for every registered rule,
// removes pages of rules that no longer exist, and refreshes the README's
// rules table. A test fails when the committed files differ from this output.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { allRules } from "../src/checks/index.js";
import { renderRuleMarkdown, withRulesTable } from "../src/docs/rule-doc.js";

const root = new URL("..", import.meta.url).pathname;
const rulesDir = join(root, "docs", "rules");
mkdirSync(rulesDir, { recursive: true });
const wanted = new Set(allRules.map((r) => `${r.meta.name}.md`));
for (const f of readdirSync(rulesDir)) if (f.endsWith(".md") && !wanted.has(f)) rmSync(join(rulesDir, f));
for (const rule of allRules) writeFileSync(join(rulesDir, `${rule.meta.name}.md`), renderRuleMarkdown(rule));
const readmePath = join(root, "README.md");
writeFileSync(readmePath, withRulesTable(readFileSync(readmePath, "utf8"), allRules));
console.log(`wrote ${allRules.length} rule pages and the README rules table`);
