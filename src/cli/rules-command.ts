// `loopguard rules`: the registry as a table (or JSON): code, name, default
// severity, summary.
import { parseArgs } from "node:util";
import type { Rule } from "../analyzer/rule.js";
import { allRules } from "../checks/index.js";
import { guideLink } from "../comments/guide-links.js";
import { COMMON_OPTIONS, parsingArgs, type Command } from "./command.js";
import { EXIT_OK, UsageError } from "./io.js";

const OPTIONS = {
  ...COMMON_OPTIONS,
  format: { type: "string", short: "f", default: "text" },
} as const;

const HELP = `Usage: loopguard rules [--format text|json]

Lists every rule: code, name, default severity ("off" rules run only when
selected with --select) and a one-line summary.
`;

export const rulesCommand: Command = {
  name: "rules",
  summary: "list the rules",
  help: HELP,
  async run(args, io) {
    const { values } = parsingArgs(() => parseArgs({ args: [...args], options: OPTIONS, allowPositionals: false, strict: true }));
    if (values.format === "text") io.stdout.write(rulesTable(allRules));
    else if (values.format === "json") io.stdout.write(`${JSON.stringify(rulesJson(allRules), null, 2)}\n`);
    else throw new UsageError(`unknown format "${values.format}" (choose from text, json)`);
    return EXIT_OK;
  },
};

export function rulesTable(rules: readonly Rule[]): string {
  const rows = [["CODE", "NAME", "SEVERITY", "SUMMARY"], ...rules.map((r) => [r.meta.code, r.meta.name, r.meta.severity, r.docs.summary])];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join("  ")).join("\n") + "\n";
}

export function rulesJson(rules: readonly Rule[]) {
  return rules.map((r) => ({
    code: r.meta.code,
    name: r.meta.name,
    severity: r.meta.severity,
    summary: r.docs.summary,
    aliases: [...r.meta.aliases],
    fixable: r.meta.fixable,
    guide: guideLink(r.meta.guide),
  }));
}
