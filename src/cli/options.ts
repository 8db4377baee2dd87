// `--select` / `--ignore` to the severities the analyzer runs with. Users name
// rules by code, name, or a ruff/flake8-async alias; `ALL` selects every rule.
import type { Rule } from "../analyzer/rule.js";
import type { Severity, SeveritySetting } from "../analyzer/types.js";
import { allRules } from "../checks/index.js";
import { findRules } from "../checks/lookup.js";
import { UsageError } from "./io.js";

/** The severity a rule that is off by default reports at when a user selects it. */
const SELECTED_OFF_SEVERITY: Severity = "warning";

export interface RuleSelection {
  /** Severity per rule code for AnalyzeOptions (`off` disables). */
  severities: Record<string, SeveritySetting>;
  /**
   * The codes whose findings the user sees. A selected rule may need others
   * running underneath (LG106 follows LG101-LG105's calls); those run but
   * stay silent unless selected too.
   */
  reported: ReadonlySet<string>;
}

export function selectRules(
  select: readonly string[],
  ignore: readonly string[],
  rules: readonly Rule[] = allRules,
): RuleSelection {
  const chosen = select.length > 0 ? resolve(select, "--select", rules) : rules.filter((r) => r.meta.severity !== "off");
  const ignored = new Set(resolve(ignore, "--ignore", rules).map((r) => r.meta.code));
  const reported = new Set(chosen.map((r) => r.meta.code).filter((code) => !ignored.has(code)));

  const severities: Record<string, SeveritySetting> = {};
  for (const rule of rules) severities[rule.meta.code] = reported.has(rule.meta.code) ? enabledSeverity(rule) : "off";
  for (const rule of rules) {
    if (!reported.has(rule.meta.code)) continue;
    for (const code of rule.meta.requires ?? []) {
      const needed = rules.find((r) => r.meta.code === code);
      if (needed && severities[code] === "off") severities[code] = enabledSeverity(needed);
    }
  }
  return { severities, reported };
}

function enabledSeverity(rule: Rule): Severity {
  return rule.meta.severity === "off" ? SELECTED_OFF_SEVERITY : rule.meta.severity;
}

function resolve(ids: readonly string[], flag: string, rules: readonly Rule[]): Rule[] {
  const out: Rule[] = [];
  for (const id of ids) {
    const found = id.trim().toUpperCase() === "ALL" ? [...rules] : findRules(id, rules);
    if (found.length === 0) {
      throw new UsageError(`unknown rule "${id}" in ${flag} (\`loopguard rules\` lists codes and names)`);
    }
    out.push(...found);
  }
  return out;
}
