// Finding rules by what users write: a code, a name, or a ruff/flake8-async alias.
import type { Rule } from "../analyzer/rule.js";
import { allRules } from "./index.js";

/** The rules a user's identifier names (an alias may name one rule; unknown names give []). */
export function findRules(id: string, rules: readonly Rule[] = allRules): Rule[] {
  const key = id.trim().toUpperCase();
  return rules.filter(
    (r) => r.meta.code === key || r.meta.name.toUpperCase() === key || r.meta.aliases.includes(key),
  );
}

export function ruleByCode(code: string, rules: readonly Rule[] = allRules): Rule | undefined {
  return rules.find((r) => r.meta.code === code);
}
