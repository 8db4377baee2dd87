// `npm run compare`: loopguard and ruff's async rules on the audit project
// (test/fixtures/audit/), whose `# error: LGxxx` markers say which lines must
// be reported and, by their absence, which must stay silent. Prints, per
// tool, how many marked lines it reports (recall) and how many unmarked lines
// it reports (what the audit calls noise), with the rules behind each.
// Read with care: the audit was written alongside loopguard's rules, so it
// measures ruff on loopguard's idea of a bug; ruff's findings on unmarked
// lines are listed by rule so a reader can judge them.
import { PositionEncoding, Workspace } from "@astral-sh/ruff-wasm-nodejs";
import { analyzeProject } from "../src/analyzer/analyze.js";
import { initParser } from "../src/analyzer/parser.js";
import { allRules } from "../src/checks/index.js";
import { auditSources, expectedFindings } from "../test/helpers/audit-project.js";
import { RUFF_SELECT, ruffVersion } from "./bench-anchors.js";

/**
 * The codes ruff implements among those loopguard's rules name as aliases
 * (ruff has no ASYNC103/104/124/300: those are flake8-async's alone).
 */
const RUFF_IMPLEMENTS = new Set(["ASYNC110", "ASYNC210", "ASYNC211", "ASYNC212", "ASYNC220", "ASYNC221", "ASYNC222"].concat(
  ["ASYNC230", "ASYNC240", "ASYNC250", "ASYNC251", "RUF006", "RUF029", "PLE1142"],
));
/** loopguard rules with a ruff counterpart: the ground both tools claim. */
const SHARED = new Set(allRules.filter((r) => r.meta.aliases.some((a) => RUFF_IMPLEMENTS.has(a))).map((r) => r.meta.code));

interface Tally {
  caught: number;
  /** Of the marked lines whose rule ruff also has, how many are reported. */
  caughtShared: number;
  /** Marked lines the tool does not report, by the loopguard code that marks them. */
  missedBy: Map<string, number>;
  /** Findings on unmarked lines, by the tool's rule. */
  noiseBy: Map<string, number>;
}

const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

await initParser();
const sources = auditSources();
// Marked lines, as `path:line` → the codes marking them.
const marked = new Map<string, string[]>();
// Lines with a `# noqa`: the audit's suppression cases, real bugs silenced for loopguard; neither tool is judged there.
const suppressed = new Set<string>();
for (const f of sources) {
  f.source.split("\n").forEach((text, i) => {
    if (/#\s*noqa\b/i.test(text)) suppressed.add(`${f.path}:${i + 1}`);
  });
  for (const k of expectedFindings(f.source)) {
    const [line, code] = k.split(" ");
    const where = `${f.path}:${line}`;
    marked.set(where, [...(marked.get(where) ?? []), code!]);
  }
}

function tally(reported: Map<string, string[]>): Tally {
  const t: Tally = { caught: 0, caughtShared: 0, missedBy: new Map(), noiseBy: new Map() };
  for (const [where, codes] of marked) {
    if (reported.has(where)) {
      t.caught++;
      if (codes.some((c) => SHARED.has(c))) t.caughtShared++;
    } else for (const c of codes) bump(t.missedBy, c);
  }
  for (const [where, rules] of reported) {
    if (!marked.has(where) && !suppressed.has(where)) for (const r of new Set(rules)) bump(t.noiseBy, r);
  }
  return t;
}

const ours = new Map<string, string[]>();
for (const r of analyzeProject(sources)) {
  for (const f of r.findings) ours.set(`${r.path}:${f.line}`, [...(ours.get(`${r.path}:${f.line}`) ?? []), f.code]);
}

const theirs = new Map<string, string[]>();
const ws = new Workspace({ lint: { select: RUFF_SELECT, preview: true } }, PositionEncoding.Utf16);
try {
  for (const f of sources) {
    for (const d of ws.check(f.source) as { code: string; start_location: { row: number } }[]) {
      const where = `${f.path}:${d.start_location.row}`;
      theirs.set(where, [...(theirs.get(where) ?? []), d.code]);
    }
  }
} finally {
  ws.free();
}

const show = (m: Map<string, number>) =>
  [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k, n]) => `${k} ${n}`).join(", ") || "none";
const sharedMarked = [...marked.values()].filter((codes) => codes.some((c) => SHARED.has(c))).length;
const pct = (n: number, of = marked.size) => `${((100 * n) / of).toFixed(1)}%`;

const rows: [string, Tally][] = [
  ["loopguard", tally(ours)],
  [`ruff ${ruffVersion()} (${RUFF_SELECT.join(", ")}, preview)`, tally(theirs)],
];
const out = [
  `audit project: ${sources.length} files, ${sources.reduce((n, f) => n + f.source.split("\n").length, 0)} lines, ${marked.size} marked lines, ${suppressed.size} lines with a noqa left out`,
  "",
  `| tool | marked lines reported (of ${marked.size}) | of the ${sharedMarked} whose rule ruff also has | unmarked lines reported |`,
  "|---|---:|---:|---:|",
  ...rows.map(
    ([name, t]) =>
      `| ${name} | ${t.caught} (${pct(t.caught)}) | ${t.caughtShared} (${pct(t.caughtShared, sharedMarked)}) | ${[...t.noiseBy.values()].reduce((a, b) => a + b, 0)} |`,
  ),
  "",
  ...rows.flatMap(([name, t]) => [`${name}`, `  missed, by marking rule: ${show(t.missedBy)}`, `  unmarked, by its rule:   ${show(t.noiseBy)}`]),
];
process.stdout.write(`${out.join("\n")}\n`);
