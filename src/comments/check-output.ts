// What the check run shows: title, summary (a table by rule, pre-existing
// count, skipped files), conclusion and one annotation per new finding. Pure:
// everything, the version included, comes in as data.
import type { ConfigError, FailOn } from "../config.js";
import { SEVERITY_RANK, type Finding, type Severity, type SkippedFile } from "../analyzer/types.js";

/** GitHub's limit on `output.summary` and `output.text` (we count it in bytes, to be safe). */
export const CHECK_TEXT_LIMIT = 65_535;

export type Conclusion = "success" | "neutral" | "failure";
export type AnnotationLevel = "notice" | "warning" | "failure";

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: AnnotationLevel;
  title: string;
  message: string;
}

export interface CheckOutput {
  conclusion: Conclusion;
  title: string;
  summary: string;
  annotations: Annotation[];
}

export interface CheckReport {
  /** New findings: they decide the conclusion and get annotations. */
  fresh: readonly Finding[];
  /** How many findings the changed files already had before the change. */
  preexisting: number;
  /** Python files analysed. */
  reviewed: number;
  skipped: readonly SkippedFile[];
  /** Changed files GitHub did not list (it lists at most 3,000). */
  notListed: number;
  failOn: FailOn;
  /** Extra lines for the end of the summary (e.g. why no review was posted). */
  notes?: readonly string[];
  version: string;
}

const LEVEL: Record<Severity, AnnotationLevel> = { error: "failure", warning: "warning", info: "notice" };

export function conclusionFor(fresh: readonly Finding[], failOn: FailOn): Conclusion {
  if (fresh.length === 0) return "success";
  if (failOn === "never") return "neutral";
  const threshold = SEVERITY_RANK[failOn];
  return fresh.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? "failure" : "neutral";
}

export function renderCheckOutput(report: CheckReport): CheckOutput {
  return {
    conclusion: conclusionFor(report.fresh, report.failOn),
    title: checkTitle(report.fresh),
    summary: cutToBytes(checkSummary(report), CHECK_TEXT_LIMIT),
    annotations: report.fresh.map(annotationFor),
  };
}

/** `2 errors, 1 warning in 3 files`, counting new findings; `No async issues found` when there are none. */
export function checkTitle(fresh: readonly Finding[]): string {
  if (fresh.length === 0) return "No async issues found";
  const counts = (["error", "warning", "info"] as const)
    .map((s) => [s, fresh.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => plural(n, s === "info" ? "notice" : s));
  const files = new Set(fresh.map((f) => f.path)).size;
  return `${counts.join(", ")} in ${plural(files, "file")}`;
}

function checkSummary(r: CheckReport): string {
  const parts: string[] = [];
  parts.push(
    r.fresh.length === 0
      ? `loopguard found no new async issues in ${plural(r.reviewed, "changed Python file")}.`
      : `loopguard found ${plural(r.fresh.length, "new async issue")} in ${plural(r.reviewed, "changed Python file")}. ${conclusionSentence(r)}`,
  );
  if (r.fresh.length > 0) parts.push(ruleTable(r.fresh));
  if (r.preexisting > 0) {
    parts.push(
      r.preexisting === 1
        ? "1 finding in these files was already there before this change; it is not counted and never fails the check."
        : `${r.preexisting} findings in these files were already there before this change; they are not counted and never fail the check.`,
    );
  }
  if (r.notListed > 0) {
    parts.push(
      `GitHub lists at most 3,000 changed files: the other ${plural(r.notListed, "file")} of this pull request ${r.notListed === 1 ? "was" : "were"} not reviewed.`,
    );
  }
  if (r.skipped.length > 0) {
    parts.push(
      [`**Not analysed** (${r.skipped.length}):`, ...r.skipped.map((s) => `- \`${s.path}\`: ${s.reason}`)].join("\n"),
    );
  }
  parts.push(...(r.notes ?? []));
  parts.push(footer(r.version));
  return parts.join("\n\n");
}

function conclusionSentence(r: CheckReport): string {
  const conclusion = conclusionFor(r.fresh, r.failOn);
  if (conclusion === "failure") return `The check fails because new findings reach \`failOn: ${r.failOn}\`.`;
  return r.failOn === "never"
    ? "The check never fails (`failOn: never`)."
    : `None reaches \`failOn: ${r.failOn}\`, so the check is neutral.`;
}

function ruleTable(fresh: readonly Finding[]): string {
  const rows = new Map<string, { f: Finding; count: number }>();
  for (const f of fresh) {
    const row = rows.get(f.code);
    if (row) row.count++;
    else rows.set(f.code, { f, count: 1 });
  }
  const sorted = [...rows.values()].sort(
    (a, b) => SEVERITY_RANK[b.f.severity] - SEVERITY_RANK[a.f.severity] || a.f.code.localeCompare(b.f.code),
  );
  return [
    "| Rule | Name | Severity | New | Guide |",
    "|---|---|---|---:|---|",
    ...sorted.map(({ f, count }) => `| ${f.code} | ${f.name} | ${f.severity} | ${count} | [why and how to fix](${f.guide}) |`),
  ].join("\n");
}

function annotationFor(f: Finding): Annotation {
  const a: Annotation = {
    path: f.path,
    start_line: f.line,
    end_line: f.endLine,
    annotation_level: LEVEL[f.severity],
    title: `${f.code} ${f.name}`,
    message: `${f.message}\n\n${f.guide}`,
  };
  // GitHub takes columns only for a single-line range.
  if (f.line === f.endLine) {
    a.start_column = f.column;
    a.end_column = Math.max(f.column, f.endColumn - 1);
  }
  return a;
}

/** The output when `.github/loopguard.yml` is invalid: each error on its own line. */
export function renderConfigErrors(errors: readonly ConfigError[], source: string, version: string): CheckOutput {
  const summary = [
    `The configuration in \`${source}\` is invalid, so nothing was analysed. Fix these and push again (or re-run the check):`,
    errors.map((e) => `- ${e.message}`).join("\n"),
    footer(version),
  ].join("\n\n");
  return {
    conclusion: "failure",
    title: `Invalid configuration: ${plural(errors.length, "error")} in ${source}`,
    summary: cutToBytes(summary, CHECK_TEXT_LIMIT),
    annotations: [],
  };
}

/** The output when the run could not finish (GitHub error, timeout, bug). */
export function renderRunFailure(reason: string, conclusion: Conclusion, version: string): CheckOutput {
  const summary = [
    "loopguard could not finish reviewing this commit:",
    `> ${reason.replace(/\n/g, "\n> ")}`,
    "Re-run the check to try again; if it keeps failing, please report it with the text above.",
    footer(version),
  ].join("\n\n");
  return { conclusion, title: "loopguard could not finish the review", summary: cutToBytes(summary, CHECK_TEXT_LIMIT), annotations: [] };
}

/**
 * A run that ends without analysis because a newer commit of the same pull
 * request arrived while it waited: neutral, since nothing was found wrong.
 */
export function renderSuperseded(newerSha: string, version: string): CheckOutput {
  const summary = [
    `Not analysed: superseded by ${newerSha}, a newer commit of this pull request that arrived while this one waited for its turn. loopguard reviews that commit instead.`,
    "Re-run this check to analyse this commit anyway.",
    footer(version),
  ].join("\n\n");
  return { conclusion: "neutral", title: `Superseded by ${newerSha.slice(0, 7)}`, summary, annotations: [] };
}

/** A run that ends without analysis because its pull request was closed while it waited. */
export function renderCancelled(reason: string, version: string): CheckOutput {
  const summary = [`Not analysed: ${reason} before this commit's turn came.`, "Re-run this check to analyse it anyway.", footer(version)].join("\n\n");
  return { conclusion: "neutral", title: "Not analysed: pull request closed", summary, annotations: [] };
}

/** A run that ends without analysis because the App stopped before the job's turn came. */
export function renderShutDown(version: string): CheckOutput {
  const summary = [
    "loopguard shut down before analysis; re-run to analyse.",
    "The App was stopping (a deployment or a restart) when this commit's turn came, so it did not look at it. Use \"Re-run\" on this check.",
    footer(version),
  ].join("\n\n");
  return { conclusion: "neutral", title: "Not analysed: loopguard shut down", summary, annotations: [] };
}

function footer(version: string): string {
  return `<sub>loopguard ${version}</sub>`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

const CUT_NOTE = "\n\n… (cut here: GitHub allows at most 65,535 characters; the annotations list every new finding)";

/** Cuts text to at most `limit` UTF-8 bytes at a line end, with a note saying so. */
export function cutToBytes(text: string, limit: number, note = CUT_NOTE): string {
  if (Buffer.byteLength(text, "utf8") <= limit) return text;
  const budget = limit - Buffer.byteLength(note, "utf8");
  // Largest prefix (in UTF-16 units) whose UTF-8 size fits the budget.
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (Buffer.byteLength(text.slice(0, mid), "utf8") <= budget) lo = mid;
    else hi = mid - 1;
  }
  let end = lo;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  const lineEnd = text.lastIndexOf("\n", end);
  if (lineEnd > 0) end = lineEnd;
  return text.slice(0, end) + note;
}
