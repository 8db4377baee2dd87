// The data that flows through loopguard: source text in, findings out.

export type Severity = "error" | "warning" | "info";
export type SeveritySetting = Severity | "off";

export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** A replacement of a range of the source. Lines are 1-based, columns 1-based in UTF-16 code units. */
export interface TextEdit {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  text: string;
}

export interface Fix {
  description: string;
  edits: TextEdit[];
}

export interface Finding {
  code: string;
  name: string;
  severity: Severity;
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  guide: string;
  fix: Fix | null;
}

/** Why a file was not analysed. */
export interface SkippedFile {
  path: string;
  reason: string;
}

export interface SyntaxErrorInfo {
  count: number;
  /** 1-based line and column of the first error, when there is one. */
  first: { line: number; column: number } | null;
}

export interface FileResult {
  path: string;
  findings: Finding[];
  syntaxErrors: SyntaxErrorInfo;
  lines: number;
}
