// The terminal renderer: each finding as `path:line:col: CODE [severity]
// message`, the source line with a caret under the span, the fix and the
// guide link; then one summary line. Pure: the caller passes in the source
// lines and whether to colour.
import type { Finding, Severity, SkippedFile } from "../analyzer/types.js";

export interface TextReport {
  findings: readonly Finding[];
  /** Files analysed. */
  files: number;
  /** Files analysed despite syntax errors. */
  syntaxErrors: number;
  /** Files not analysed (too large, binary, not UTF-8, unreadable). */
  skipped: number;
  color: boolean;
  /** The text of a 1-based line of a file, without its line ending, when available. */
  sourceLine?: (path: string, line: number) => string | undefined;
}

export interface SyntaxErrorNote {
  path: string;
  count: number;
  line: number;
  column: number;
}

type Style = "bold" | "dim" | "gutter" | Severity;

const ANSI: Record<Style, [string, string]> = {
  bold: ["\u001b[1m", "\u001b[22m"],
  dim: ["\u001b[2m", "\u001b[22m"],
  gutter: ["\u001b[34m", "\u001b[39m"],
  error: ["\u001b[31m", "\u001b[39m"],
  warning: ["\u001b[33m", "\u001b[39m"],
  info: ["\u001b[36m", "\u001b[39m"],
};

type Paint = (style: Style, text: string) => string;

function painter(color: boolean): Paint {
  return color ? (style, text) => `${ANSI[style][0]}${text}${ANSI[style][1]}` : (_style, text) => text;
}

export function renderText(report: TextReport): string {
  const paint = painter(report.color);
  const blocks = report.findings.map((f) => renderFinding(f, report.sourceLine?.(f.path, f.line), paint));
  return [...blocks, summaryLine(report)].join("\n") + "\n";
}

export function renderFinding(f: Finding, line: string | undefined, paint: Paint = painter(false)): string {
  const header = `${paint("bold", `${f.path}:${f.line}:${f.column}:`)} ${paint("bold", f.code)} ${paint(f.severity, `[${f.severity}]`)} ${f.message}`;
  const number = String(f.line);
  const pad = " ".repeat(number.length + 1);
  const bar = paint("gutter", `${pad}|`);
  const out = [header];
  if (line !== undefined) {
    const { text, caretPrefix, caretWidth } = snippet(line, f);
    out.push(bar, `${paint("gutter", `${number} |`)} ${text}`, `${bar} ${caretPrefix}${paint(f.severity, "^".repeat(caretWidth))}`);
  }
  const note = paint("gutter", `${pad}=`);
  if (f.fix) out.push(`${note} fix: ${f.fix.description}`);
  out.push(`${note} ${f.name}: ${paint("dim", f.guide)}`);
  return out.join("\n") + "\n";
}

/** "N findings (E errors, W warnings, I info) in F files", plus syntax errors and skipped files when there are any. */
export function summaryLine(report: Pick<TextReport, "findings" | "files" | "syntaxErrors" | "skipped">): string {
  const count = (s: Severity) => report.findings.filter((f) => f.severity === s).length;
  const parts = [
    `${plural(report.findings.length, "finding")} (${plural(count("error"), "error")}, ${plural(count("warning"), "warning")}, ${count("info")} info) in ${plural(report.files, "file")}`,
  ];
  if (report.syntaxErrors > 0) parts.push(`${plural(report.syntaxErrors, "file")} with syntax errors`);
  if (report.skipped > 0) parts.push(`${plural(report.skipped, "file")} skipped`);
  return parts.join("; ");
}

/** Notes for stderr: why files were skipped, and which files only partly parsed. */
export function renderNotes(skipped: readonly SkippedFile[], syntaxErrors: readonly SyntaxErrorNote[]): string {
  const lines = [
    ...skipped.map((s) => `loopguard: skipped ${s.path}: ${s.reason}`),
    ...syntaxErrors.map(
      (s) =>
        `loopguard: ${s.path}:${s.line}:${s.column}: ${plural(s.count, "syntax error")}; the rest of the file was still analysed`,
    ),
  ];
  return lines.map((l) => `${l}\n`).join("");
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Longest stretch of a source line shown; longer lines are cut around the finding. */
const MAX_SHOWN = 160;
const LEAD = 60;

interface Snippet {
  text: string;
  caretPrefix: string;
  caretWidth: number;
}

/**
 * The line as shown (control characters made visible, cut around the
 * finding when long) and where the caret goes. Widths count code points,
 * and tabs stay tabs under the line so the caret lines up in a terminal.
 */
function snippet(line: string, f: Finding): Snippet {
  const startCol = Math.min(f.column - 1, line.length);
  const endCol = f.endLine === f.line ? Math.min(f.endColumn - 1, line.length) : line.trimEnd().length;
  let from = 0;
  let to = line.length;
  if (line.length > MAX_SHOWN) {
    from = avoidSplitPair(line, Math.max(0, startCol - LEAD));
    to = avoidSplitPair(line, Math.min(line.length, from + MAX_SHOWN));
  }
  const before = line.slice(from, startCol);
  const spanned = line.slice(startCol, Math.max(startCol, Math.min(endCol, to)));
  const text = (from > 0 ? "…" : "") + visible(line.slice(from, to)) + (to < line.length ? "…" : "");
  const caretPrefix = (from > 0 ? " " : "") + [...before].map((ch) => (ch === "\t" ? "\t" : " ")).join("");
  return { text, caretPrefix, caretWidth: Math.max(1, [...spanned].length) };
}

function avoidSplitPair(s: string, index: number): number {
  const code = s.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff ? index + 1 : index;
}

// A source line could carry terminal escape sequences; show control
// characters as their Unicode pictures (one column each, so carets still line up).
function visible(s: string): string {
  let out = "";
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (ch === "\t" || (code >= 0x20 && code < 0x7f) || code > 0x9f) out += ch;
    else out += code < 0x20 ? String.fromCharCode(0x2400 + code) : "\ufffd";
  }
  return out;
}
