// tree-sitter recovers from syntax errors; we count them so a result can say
// "3 syntax errors, first at 12:5". Only subtrees marked hasError are entered.

export interface SyntaxErrorCount {
  count: number;
  /** UTF-16 offset of the first error. */
  firstOffset: number | null;
}

/** What the count reads of a node: web-tree-sitter's Node and our SyntaxNode both answer it. */
export interface ErrorScanNode {
  readonly hasError: boolean;
  readonly isError: boolean;
  readonly isMissing: boolean;
  readonly startIndex: number;
  readonly childCount: number;
  child(index: number): ErrorScanNode | null;
}

export function countSyntaxErrors(root: ErrorScanNode): SyntaxErrorCount {
  if (!root.hasError) return { count: 0, firstOffset: null };
  let count = 0;
  let firstOffset: number | null = null;
  const stack: ErrorScanNode[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.isError || node.isMissing) {
      count++;
      if (firstOffset === null || node.startIndex < firstOffset) firstOffset = node.startIndex;
      continue;
    }
    if (!node.hasError) continue;
    for (let i = node.childCount - 1; i >= 0; i--) {
      const c = node.child(i);
      if (c) stack.push(c);
    }
  }
  return { count, firstOffset };
}
