// The audit project (test/fixtures/audit/) as the analyzer sees it: which
// files, with which settings, and what their `# error: LG101` markers expect.
// Shared by the audit test and the ruff comparison script.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { SourceFile } from "../../src/analyzer/analyze.js";
import { NO_PROJECT_FACTS, type ProjectFacts } from "../../src/analyzer/project.js";
import type { SeveritySetting } from "../../src/analyzer/types.js";
import { allRules } from "../../src/checks/index.js";

export const AUDIT_ROOT = fileURLToPath(new URL("../fixtures/audit/", import.meta.url));
const EXCLUDED_FOLDERS = new Set(["pending"]);

/** `# error: LG101` or `# error: LG101, LG203` at the very end of a line. */
export const MARKER = /#\s*error:\s*(LG\d{3}(?:\s*,\s*LG\d{3})*)\s*$/;

export const STRICT_PROJECT: ProjectFacts = {
  ...NO_PROJECT_FACTS,
  blockingCalls: [
    { pattern: "boto3.client", advice: "use `aioboto3`, or create the client once at start-up" },
    { pattern: "legacy_billing.*", advice: "" },
  ],
};
const TESTS_PROJECT: ProjectFacts = { ...NO_PROJECT_FACTS, pytest: { mode: "strict" } };

/** Every rule on, at its own severity or `warning` for the off-by-default ones. */
export const EVERY_RULE: Record<string, SeveritySetting> = Object.fromEntries(
  allRules.map((r) => [r.meta.code, r.meta.severity === "off" ? "warning" : r.meta.severity]),
);

function pythonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!EXCLUDED_FOLDERS.has(entry.name)) out.push(...pythonFiles(join(dir, entry.name)));
    } else if (entry.name.endsWith(".py")) out.push(join(dir, entry.name));
  }
  return out.sort();
}

/**
 * Every audit file with its settings: `strict/` with every rule and a
 * `blockingCalls` list, `tests/` with pytest-asyncio in strict mode, the
 * rest with the defaults. Paths are relative to the audit folder.
 */
export function auditSources(): SourceFile[] {
  return pythonFiles(AUDIT_ROOT).map((file) => {
    const path = relative(AUDIT_ROOT, file).split("\\").join("/");
    const folders = path.split("/").slice(0, -1);
    const source = readFileSync(file, "utf8");
    if (folders.includes("strict")) return { path, source, severities: EVERY_RULE, project: STRICT_PROJECT };
    if (folders.includes("tests")) return { path, source, project: TESTS_PROJECT };
    return { path, source };
  });
}

/** The `(line, code)` pairs the markers of a file expect, as `12 LG101` strings. */
export function expectedFindings(source: string): string[] {
  const out: string[] = [];
  source.split(/\r?\n/).forEach((text, i) => {
    const m = MARKER.exec(text);
    if (!m) return;
    for (const code of m[1]!.split(",")) out.push(findingKey(i + 1, code.trim()));
  });
  return out.sort(byLine);
}

export function findingKey(line: number, code: string): string {
  return `${line} ${code}`;
}

export function byLine(a: string, b: string): number {
  return Number.parseInt(a, 10) - Number.parseInt(b, 10) || a.localeCompare(b);
}
