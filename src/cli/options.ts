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
  /** The settings a configuration's `overrides` give one file, narrowed to the selection. */
  forFile(overrides: Readonly<Record<string, SeveritySetting>> | undefined): Record<string, SeveritySetting> | undefined;
}

/** What a configuration file says about rules: its `rules` and each override's. */
export interface ConfiguredRules {
  rules: Readonly<Record<string, SeveritySetting>>;
  overrides: readonly { rules: Readonly<Record<string, SeveritySetting>> }[];
}

const NOT_CONFIGURED: ConfiguredRules = { rules: {}, overrides: [] };

/**
 * The flags narrow what the configuration turns on: `--select` chooses the
 * rules (running even those the file turns off), `--ignore` drops some, and
 * a rule the file turns off is never run underneath another.
 */
export function selectRules(
  select: readonly string[],
  ignore: readonly string[],
  rules: readonly Rule[] = allRules,
  configured: ConfiguredRules = NOT_CONFIGURED,
): RuleSelection {
  const selected = select.length > 0 ? new Set(resolve(select, "--select", rules).map((r) => r.meta.code)) : null;
  const ignored = new Set(resolve(ignore, "--ignore", rules).map((r) => r.meta.code));
  const allowed = (code: string) => (selected === null || selected.has(code)) && !ignored.has(code);

  const severities: Record<string, SeveritySetting> = {};
  for (const rule of rules) {
    const code = rule.meta.code;
    const setting = configured.rules[code] ?? rule.meta.severity;
    const chosen = selected?.has(code) === true && setting === "off" ? enabledSeverity(rule) : setting;
    severities[code] = allowed(code) ? chosen : "off";
  }
  const onSomewhere = (code: string) =>
    severities[code] !== "off" || configured.overrides.some((o) => o.rules[code] !== undefined && o.rules[code] !== "off");
  const reported = new Set(rules.map((r) => r.meta.code).filter((code) => allowed(code) && onSomewhere(code)));
  for (const rule of rules) {
    if (!reported.has(rule.meta.code)) continue;
    for (const code of rule.meta.requires ?? []) {
      const needed = rules.find((r) => r.meta.code === code);
      if (needed && severities[code] === "off" && configured.rules[code] !== "off") severities[code] = enabledSeverity(needed);
    }
  }
  return {
    severities,
    reported,
    forFile(overrides) {
      if (!overrides) return undefined;
      const out: Record<string, SeveritySetting> = {};
      for (const [code, setting] of Object.entries(overrides)) if (allowed(code)) out[code] = setting;
      return Object.keys(out).length > 0 ? out : undefined;
    },
  };
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
