// The check that a SyntaxTree says what web-tree-sitter says of the same
// parse: run on a sample at start-up (parser.ts) and on whole corpora by the tests.
import type { Tree } from "web-tree-sitter";
import type { SyntaxTree } from "./syntax-tree.js";

/**
 * The first place where the copy and web-tree-sitter disagree (type, range,
 * flags, parent, field, or a field lookup), or null when they agree on every node.
 */
export function firstDifference(ours: SyntaxTree, theirs: Tree): string | null {
  const cursor = theirs.walk();
  const parents: number[] = [];
  let index = 0;
  try {
    for (;;) {
      const node = ours.node(index);
      const where = `node ${index} (${cursor.nodeType} at ${cursor.startIndex})`;
      if (!node) return `${where}: missing from the copy`;
      const theirNode = cursor.currentNode;
      const expected = parents.length ? parents[parents.length - 1]! : -1;
      const checks: [string, unknown, unknown][] = [
        ["type", node.type, cursor.nodeType],
        ["start", node.startIndex, cursor.startIndex],
        ["end", node.endIndex, cursor.endIndex],
        ["named", node.isNamed, cursor.nodeIsNamed],
        ["missing", node.isMissing, cursor.nodeIsMissing],
        ["extra", node.isExtra, theirNode.isExtra],
        ["error", node.isError, theirNode.isError],
        ["hasError", node.hasError, theirNode.hasError],
        ["parent", ours.cols.parent[index], expected],
        ["field", node.fieldName, cursor.currentFieldName],
      ];
      for (const [what, mine, theirs2] of checks) {
        if (mine !== theirs2) return `${where}: ${what} ${String(mine)} instead of ${String(theirs2)}`;
      }
      for (const c of node.children) {
        const name = c.fieldName;
        if (!name) continue;
        const a = node.childForFieldName(name);
        // Under an ERROR node web-tree-sitter's childForFieldName finds no
        // field that its own cursor and childrenForFieldName report; the copy
        // answers as those two do.
        const b = node.isError ? theirNode.childrenForFieldName(name)[0] : theirNode.childForFieldName(name);
        if (a?.startIndex !== b?.startIndex || a?.type !== b?.type) return `${where}: field ${name} gives a different child`;
      }
      if (cursor.gotoFirstChild()) {
        parents.push(index);
        index++;
        continue;
      }
      index++;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) {
          return index === ours.nodeCount ? null : `the copy has ${ours.nodeCount} nodes, web-tree-sitter ${index}`;
        }
        parents.pop();
      }
    }
  } finally {
    cursor.delete();
  }
}
