// The text of a review comment and of the review body. Pure: the finding, the
// rule's docs, the file's source and the links come in as data. Each comment
// ends with a hidden marker carrying the finding's fingerprint, which is how a
// later run recognises what it already said.
import { LineIndex } from "../analyzer/positions.js";
import type { Finding, TextEdit } from "../analyzer/types.js";
import { cutToBytes } from "./check-output.js";

/** GitHub's limit on a comment or review body. */
export const REVIEW_BODY_LIMIT = 65_536;

export interface CommentRange {
  /** First and last line the comment covers (GitHub's `start_line` and `line`). */
  start: number;
  end: number;
}

export interface ReviewCommentInput {
  finding: Finding;
  fingerprint: string;
  /** The rule's docs `why`; its first sentence goes in the comment. */
  why: string;
  /** URL of the rule's own page. */
  rulePage: string;
  /** The head version of the file, to build the suggestion from. */
  source: string;
  range: CommentRange;
}

const MARKER_PREFIX = "<!-- loopguard:fp=";

export function fingerprintMarker(fingerprint: string): string {
  return `${MARKER_PREFIX}${fingerprint} -->`;
}

/** Every fingerprint marked in a comment or review body. */
export function markedFingerprints(body: string): string[] {
  return [...body.matchAll(/<!-- loopguard:fp=([0-9a-f]{16}) -->/g)].map((m) => m[1]!);
}

export function renderReviewComment(input: ReviewCommentInput): string {
  const { finding: f } = input;
  const parts = [`**${f.code} ${f.name}** · ${f.severity}`, f.message];
  const why = firstSentence(input.why);
  if (why) parts.push(`Why: ${why}`);
  const suggestion = suggestionFor(f, input.source, input.range);
  if (suggestion !== null) {
    const fence = fenceFor(suggestion);
    parts.push(`${f.fix!.description}:\n\n${fence}suggestion\n${suggestion}${suggestion === "" ? "" : "\n"}${fence}`);
  }
  parts.push(`[Guide](${f.guide}) · [${f.code} docs](${input.rulePage})`);
  parts.push(fingerprintMarker(input.fingerprint));
  return parts.join("\n\n");
}

/**
 * The new text of the commented lines when the finding's fix is exact (it
 * passed the analyzer's safety check) and every edit lies within those lines;
 * null otherwise. A suggestion replaces exactly the commented lines, so an
 * edit elsewhere (an added import) would be lost: no suggestion then.
 */
export function suggestionFor(f: Finding, source: string, range: CommentRange): string | null {
  if (!f.fix || f.fix.edits.length === 0) return null;
  const lines = new LineIndex(source);
  if (range.end > lines.lineCount) return null;
  const from = lines.offset(range.start, 1);
  const to = from + rangeLength(lines, range);
  const edits = f.fix.edits.map((e) => toOffsets(lines, e));
  if (edits.some((e) => e.start < from || e.end > to)) return null;
  let text = source.slice(from, to);
  for (const e of [...edits].sort((a, b) => b.start - a.start)) {
    text = text.slice(0, e.start - from) + e.text + text.slice(e.end - from);
  }
  return text.replace(/\r\n?/g, "\n");
}

function rangeLength(lines: LineIndex, range: CommentRange): number {
  let n = 0;
  for (let l = range.start; l <= range.end; l++) {
    const text = lines.lineText(l);
    n += text.length;
    if (l < range.end) n += lineEndingLength(lines, l);
  }
  return n;
}

function lineEndingLength(lines: LineIndex, line: number): number {
  const end = lines.offset(line, 1) + lines.lineText(line).length;
  return lines.source.startsWith("\r\n", end) ? 2 : 1;
}

function toOffsets(lines: LineIndex, e: TextEdit): { start: number; end: number; text: string } {
  return { start: lines.offset(e.line, e.column), end: lines.offset(e.endLine, e.endColumn), text: e.text };
}

/** A fence longer than any run of backticks in the content. */
function fenceFor(content: string): string {
  const longest = Math.max(0, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  return "`".repeat(Math.max(3, longest + 1));
}

/** The first sentence of a docs paragraph (a period followed by a space and a new sentence ends it). */
export function firstSentence(text: string): string {
  const trimmed = text.trim();
  const m = /^.*?[.!?](?=\s+[A-Z`(]|$)/s.exec(trimmed);
  return (m ? m[0] : trimmed).replace(/\s+/g, " ");
}

/** A new finding that did not get its own comment, and why. */
export interface ListedFinding {
  finding: Finding;
  fingerprint: string;
  reason: "limit" | "unchanged-line" | "no-patch" | "refused";
}

export interface ReviewBodyInput {
  /** New findings commented inline in this review. */
  commented: number;
  listed: readonly ListedFinding[];
  maxComments: number;
  version: string;
  /** Why GitHub refused the inline comments, when this body replaces them. */
  refusal?: string;
  /**
   * Why GitHub refused some inline comments, when only those (listed as
   * `refused`) moved here because their lines are no longer in the diff.
   */
  partialRefusal?: string;
}

const REASON_HEADING: Record<ListedFinding["reason"], (input: ReviewBodyInput) => string> = {
  limit: (i) => `Beyond the limit of ${i.maxComments} inline comments (\`maxComments\`):`,
  "unchanged-line": () => "On lines this pull request did not change (for example a `def` that became `async def`):",
  "no-patch": () => "In files whose diff GitHub did not provide (too large), so no inline comment is possible:",
  refused: () => "GitHub did not accept these as inline comments:",
};

export function renderReviewBody(input: ReviewBodyInput): string {
  const total = input.commented + input.listed.length;
  const parts = [`loopguard found ${total} new async issue${total === 1 ? "" : "s"} in this pull request.`];
  if (input.refusal) parts.push(`GitHub refused the inline comments (${input.refusal}), so they are listed here instead.`);
  else if (input.partialRefusal) {
    const n = input.listed.filter((l) => l.reason === "refused").length;
    parts.push(
      n === 1
        ? `GitHub refused 1 inline comment (${input.partialRefusal}): its line is no longer in the pull request's diff, so it is listed here instead.`
        : `GitHub refused ${n} inline comments (${input.partialRefusal}): their lines are no longer in the pull request's diff, so they are listed here instead.`,
    );
  }
  for (const reason of ["refused", "unchanged-line", "no-patch", "limit"] as const) {
    const items = input.listed.filter((l) => l.reason === reason);
    if (items.length === 0) continue;
    parts.push([REASON_HEADING[reason](input), ...items.map(listItem)].join("\n"));
  }
  parts.push("The check run has the full list with annotations.", `<sub>loopguard ${input.version}</sub>`);
  return cutToBytes(parts.join("\n\n"), REVIEW_BODY_LIMIT, "\n\n… (cut here: GitHub allows at most 65,536 characters; the check run lists every finding)");
}

function listItem(l: ListedFinding): string {
  const f = l.finding;
  return `- \`${f.path}\` line ${f.line}: **${f.code} ${f.name}** (${f.severity}): ${f.message} ([guide](${f.guide})) ${fingerprintMarker(l.fingerprint)}`;
}
