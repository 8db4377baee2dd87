// `loopguard explain CODE|NAME|ALIAS`: a rule's documentation page in the terminal.
import { parseArgs } from "node:util";
import { findRules } from "../checks/lookup.js";
import { renderRuleText } from "../docs/rule-doc.js";
import { COMMON_OPTIONS, parsingArgs, type Command } from "./command.js";
import { EXIT_OK, UsageError } from "./io.js";

const HELP = `Usage: loopguard explain RULE

Prints what a rule flags, why it matters, examples, the fix and how to
suppress it. RULE is a code (LG101), a name (blocking-sleep) or a ruff /
flake8-async code (ASYNC251).
`;

export const explainCommand: Command = {
  name: "explain",
  summary: "print a rule's documentation",
  help: HELP,
  async run(args, io) {
    const { positionals } = parsingArgs(() =>
      parseArgs({ args: [...args], options: COMMON_OPTIONS, allowPositionals: true, strict: true }),
    );
    if (positionals.length !== 1) throw new UsageError("explain takes one rule: a code, a name or an alias (loopguard explain LG101)");
    const id = positionals[0]!;
    const rules = findRules(id);
    if (rules.length === 0) throw new UsageError(`unknown rule "${id}" (see loopguard rules)`);
    io.stdout.write(rules.map((r) => renderRuleText(r)).join("\n"));
    return EXIT_OK;
  },
};
