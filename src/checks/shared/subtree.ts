// Questions about one statement's own code (a loop body, a handler, a
// function body). These walk a small subtree, never the file: the file's one
// pass already handed the rule the node it asks about.
import type { Node } from "../../analyzer/parser.js";

const NESTED_SCOPES = new Set(["function_definition", "lambda", "class_definition"]);

/**
 * The named nodes under `root`, in document order. A nested `def`, `lambda`
 * or `class` is yielded but not entered: its body runs at another time.
 */
export function* nodesInScope(root: Node): Generator<Node> {
  const stack: Node[] = [];
  pushReversed(stack, root.namedChildren);
  while (stack.length) {
    const node = stack.pop()!;
    yield node;
    if (NESTED_SCOPES.has(node.type)) continue;
    pushReversed(stack, node.namedChildren);
  }
}

function pushReversed(stack: Node[], nodes: readonly (Node | null)[]): void {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const c = nodes[i];
    if (c) stack.push(c);
  }
}

export function isNestedScope(node: Node): boolean {
  return NESTED_SCOPES.has(node.type);
}

/** `async for` / `async with` statements and async comprehension clauses start with the `async` keyword. */
export function startsWithAsync(node: Node): boolean {
  return node.child(0)?.type === "async";
}

/** An `await`, `async for`, `async with` or async comprehension: a place where the task can be suspended. */
export function isSuspensionPoint(node: Node): boolean {
  if (node.type === "await") return true;
  if (node.type === "for_statement" || node.type === "with_statement" || node.type === "for_in_clause") {
    return startsWithAsync(node);
  }
  return false;
}

/** The expression inside any number of parentheses. */
export function unparenthesized(node: Node): Node {
  let cur = node;
  while (cur.type === "parenthesized_expression") {
    const inner = cur.namedChild(0);
    if (!inner) break;
    cur = inner;
  }
  return cur;
}

/** The statements of a block, comments left out. */
export function statementsOf(block: Node | null): Node[] {
  if (!block) return [];
  return block.namedChildren.filter((c): c is Node => !!c && c.type !== "comment");
}
