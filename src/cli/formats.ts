// Output formats of `loopguard scan`, by name. A new format is one entry:
// a function from the scan report to what goes to stdout (and notes for stderr).
import type { Rule } from "../analyzer/rule.js";
import type { Finding, SkippedFile } from "../analyzer/types.js";
import { renderScanJson } from "../comments/json.js";
import { renderNotes, renderText, type SyntaxErrorNote } from "../comments/text.js";
import { renderGithubActions } from "../comments/github-actions.js";
import { renderSarif } from "../comments/sarif.js";
import { UsageError } from "./io.js";

export interface ScanReport {
  version: string;
  /** Files analysed. */
  files: number;
  findings: readonly Finding[];
  skipped: readonly SkippedFile[];
  /** One entry per analysed file that did not parse cleanly. */
  syntaxErrors: readonly SyntaxErrorNote[];
  /** The rules whose findings are reported. */
  rules: readonly Rule[];
  color: boolean;
  /** The text of a line of a reported file (read on demand; a scan does not keep sources). */
  sourceLine: (path: string, line: number) => string | undefined;
}

export interface RenderedScan {
  stdout: string;
  /** Notes for the user that are not part of the document. */
  stderr?: string;
}

export type ScanRenderer = (report: ScanReport) => RenderedScan;

export const SCAN_FORMATS: Readonly<Record<string, ScanRenderer>> = {
  text: (r) => ({
    stdout: renderText({
      findings: r.findings,
      files: r.files,
      syntaxErrors: r.syntaxErrors.length,
      skipped: r.skipped.length,
      color: r.color,
      sourceLine: r.sourceLine,
    }),
    stderr: renderNotes(r.skipped, r.syntaxErrors),
  }),
  // stdout carries the document and nothing else; skipped files are in it.
  json: (r) => ({
    stdout: renderScanJson({
      version: r.version,
      files: r.files,
      syntaxErrors: r.syntaxErrors.length,
      findings: r.findings,
      skipped: r.skipped,
    }),
  }),
  // SARIF 2.1.0 for code scanning: every rule in the driver, the findings as results.
  sarif: (r) => ({
    stdout: `${JSON.stringify(renderSarif({ version: r.version, rules: r.rules, findings: r.findings, skipped: r.skipped }), null, 2)}\n`,
  }),
  // Workflow commands: a plain GitHub Actions job shows them as annotations.
  github: (r) => ({ stdout: renderGithubActions(r.findings), stderr: renderNotes(r.skipped, r.syntaxErrors) }),
};

export function scanRenderer(format: string): ScanRenderer {
  const renderer = Object.hasOwn(SCAN_FORMATS, format) ? SCAN_FORMATS[format] : undefined;
  if (!renderer) {
    throw new UsageError(`unknown format "${format}" (choose from ${Object.keys(SCAN_FORMATS).join(", ")})`);
  }
  return renderer;
}
