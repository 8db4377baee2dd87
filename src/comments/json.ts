// The `--format json` document of a scan. The keys and their order are a
// contract: other tools and the App's tests read them.
import type { Finding, SkippedFile, TextEdit } from "../analyzer/types.js";

export interface JsonFinding {
  code: string;
  name: string;
  severity: Finding["severity"];
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  guide: string;
  fix: { description: string; edits: TextEdit[] } | null;
}

export interface ScanJson {
  version: string;
  /** Files analysed (skipped ones excluded). */
  files: number;
  /** Files analysed despite syntax errors. */
  syntaxErrors: number;
  findings: JsonFinding[];
  skipped: SkippedFile[];
}

export interface ScanJsonInput {
  version: string;
  files: number;
  syntaxErrors: number;
  findings: readonly Finding[];
  skipped: readonly SkippedFile[];
}

/** Builds the document field by field, so nothing else a Finding may carry leaks into it. */
export function buildScanJson(input: ScanJsonInput): ScanJson {
  return {
    version: input.version,
    files: input.files,
    syntaxErrors: input.syntaxErrors,
    findings: input.findings.map(jsonFinding),
    skipped: input.skipped.map((s) => ({ path: s.path, reason: s.reason })),
  };
}

export function renderScanJson(input: ScanJsonInput): string {
  return `${JSON.stringify(buildScanJson(input), null, 2)}\n`;
}

function jsonFinding(f: Finding): JsonFinding {
  return {
    code: f.code,
    name: f.name,
    severity: f.severity,
    path: f.path,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    message: f.message,
    guide: f.guide,
    fix: f.fix
      ? {
          description: f.fix.description,
          edits: f.fix.edits.map((e) => ({ line: e.line, column: e.column, endLine: e.endLine, endColumn: e.endColumn, text: e.text })),
        }
      : null,
  };
}
