// Text edits: applying them, and the harness check every fix must pass
// before a user sees it (no new syntax error, no lost comment).
import type { OffsetEdit } from "./rule.js";
import { parsePython, type Node, type Tree } from "./parser.js";
import type { LineIndex } from "./positions.js";
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
  original?: { tree: Tree; lines: LineIndex },
): boolean {
  if (edits.length === 0 || dropsComment(edits, comments)) return false;
  const fixed = applyOffsetEdits(source, edits);
  if (fixed === null) return false;
  // Re-parsing incrementally from the original tree reuses every untouched subtree.
  const old = original ? editedCopy(original.tree, original.lines, edits) : undefined;
  const tree = parsePython(fixed, old);
  try {
    return countSyntaxErrors(tree.rootNode).count <= originalErrors;
  } finally {
    tree.delete();
    old?.delete();
  }
}

function pointAfter(start: { row: number; column: number }, inserted: string): { row: number; column: number } {
  const lines = inserted.split("\n");
  if (lines.length === 1) return { row: start.row, column: start.column + inserted.length };
  return { row: start.row + lines.length - 1, column: lines[lines.length - 1]!.length };
}

/** A copy of the tree told about the edits (last first, so earlier offsets stay valid). */
function editedCopy(tree: Tree, lines: LineIndex, edits: readonly OffsetEdit[]): Tree {
  const pointAt = (index: number) => {
    const p = lines.position(index);
    return { row: p.line - 1, column: p.column - 1 };
  };
  const copy = tree.copy();
  for (const e of [...edits].sort((a, b) => b.start - a.start)) {
    const startPosition = pointAt(e.start);
    copy.edit({
      startIndex: e.start,
      oldEndIndex: e.end,
      newEndIndex: e.start + e.text.length,
      startPosition,
      oldEndPosition: pointAt(e.end),
      newEndPosition: pointAfter(startPosition, e.text),
    });
  }
  return copy;
}
