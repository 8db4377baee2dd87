// Text edits: applying them, and the harness check every fix must pass
// before a user sees it (no new syntax error, no lost comment).
import type { OffsetEdit } from "./rule.js";
import { parsePython, type Node } from "./parser.js";
import { countSyntaxErrors } from "./syntax-errors.js";

/** Applies non-overlapping edits; null when two edits overlap. */
export function applyOffsetEdits(source: string, edits: readonly OffsetEdit[]): string | null {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.start < sorted[i - 1]!.end) return null;
  }
  let out = "";
  let at = 0;
  for (const e of sorted) {
    out += source.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + source.slice(at);
}

export interface CommentSpan {
  start: number;
  end: number;
  text: string;
}

export function commentSpans(comments: readonly Node[]): CommentSpan[] {
  return comments.map((c) => ({ start: c.startIndex, end: c.endIndex, text: c.text }));
}

/** Whether an edit would delete a comment that its replacement does not carry over. */
export function dropsComment(edits: readonly OffsetEdit[], comments: readonly CommentSpan[]): boolean {
  return edits.some((e) => comments.some((c) => c.start >= e.start && c.end <= e.end && !e.text.includes(c.text)));
}

/**
 * The harness check: the fixed text must parse with no more syntax errors than
 * the original and keep every comment.
 */
export function isSafeFix(
  source: string,
  edits: readonly OffsetEdit[],
  originalErrors: number,
  comments: readonly CommentSpan[],
): boolean {
  if (edits.length === 0 || dropsComment(edits, comments)) return false;
  const fixed = applyOffsetEdits(source, edits);
  if (fixed === null) return false;
  const tree = parsePython(fixed);
  try {
    return countSyntaxErrors(tree.rootNode).count <= originalErrors;
  } finally {
    tree.delete();
  }
}
