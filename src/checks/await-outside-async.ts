import type { Node } from "../analyzer/parser.js";
import { defineRule, type RuleContext } from "../analyzer/rule.js";
import type { Scope } from "../analyzer/scope.js";

/** Comprehensions that run at once, in the enclosing function (a generator expression runs later, on iteration). */
const EAGER_COMPREHENSIONS = new Set(["list_comprehension", "set_comprehension", "dictionary_comprehension"]);
const SCOPE_OWNERS = new Set(["function_definition", "lambda", "class_definition", "module"]);

export default defineRule({
  meta: {
    code: "LG401",
    name: "await-outside-async",
    severity: "error",
    guide: "pitfall-4-mixing-async-and-sync",
    aliases: ["PLE1142"],
    fixable: "never",
  },
  docs: {
    summary: "`await`, `async for`, `async with` or an async comprehension outside an `async def`.",
    why: "Only a coroutine can suspend, so Python rejects these anywhere else with a `SyntaxError` ('await' outside async function): the whole module fails to import. A nested `def` or `lambda` inside an `async def` does not inherit the `async`.",
    fix: "Make the function `async def` and await it in its callers; at a synchronous entry point, put the code in `async def main()` and call `asyncio.run(main())`.",
    bad: ["async def fetch_data():\n    ...\n\ndef load():\n    data = await fetch_data()\n    return data\n"],
    good: [
      "async def fetch_data():\n    ...\n\nasync def load():\n    data = await fetch_data()\n    return data\n",
      "import asyncio\n\nasync def fetch_data():\n    ...\n\ndef load():\n    return asyncio.run(fetch_data())\n",
      "def squares(source):\n    return (x * x async for x in source)\n",
    ],
    limitations: "At module level, notebooks (`.ipynb`) are exempt: IPython runs top-level `await`.",
  },
  visit: {
    await(node, ctx) {
      const keyword = node.child(0);
      if (keyword?.type === "await") check(node, keyword, "`await`", ctx);
    },
    for_statement(node, ctx) {
      const keyword = node.child(0);
      if (keyword?.type === "async") check(node, keyword, "`async for`", ctx);
    },
    with_statement(node, ctx) {
      const keyword = node.child(0);
      if (keyword?.type === "async") check(node, keyword, "`async with`", ctx);
    },
    for_in_clause(node, ctx) {
      const keyword = node.child(0);
      if (keyword?.type !== "async" || !node.parent || !EAGER_COMPREHENSIONS.has(node.parent.type)) return;
      check(node, keyword, "An async comprehension (`async for` inside `[...]`, `{...}`)", ctx);
    },
  },
});

function check(node: Node, keyword: Node, what: string, ctx: RuleContext): void {
  // The scope first: it is already known, where the generator test climbs the tree.
  const scope = ctx.scopeOf(node);
  if (scope.kind === "function" && scope.isAsync) return;
  if (inLazyGenerator(node)) return;
  if (scope.kind === "module" && /\.ipynb$/i.test(ctx.path)) return;
  ctx.report({ node: keyword, message: message(what, scope) });
}

/**
 * Inside a generator expression (other than its first iterable, which is
 * evaluated at once): the expression becomes an async generator, valid in
 * any function.
 */
function inLazyGenerator(node: Node): boolean {
  let child = node;
  for (let p = node.parent; p && !SCOPE_OWNERS.has(p.type); child = p, p = p.parent) {
    if (p.type !== "generator_expression") continue;
    const first = p.namedChildren.find((c) => c?.type === "for_in_clause");
    const firstIterable = first?.id === child.id ? first.childForFieldName("right") : null;
    const inFirstIterable = !!firstIterable && node.startIndex >= firstIterable.startIndex && node.endIndex <= firstIterable.endIndex;
    if (!inFirstIterable) return true;
  }
  return false;
}

function message(what: string, scope: Scope): string {
  const rejected = "Python rejects it with a `SyntaxError`, so the whole module fails to import";
  switch (scope.kind) {
    case "function": {
      const outer = scope.parent?.functionScope;
      const nested = outer?.kind === "function" && outer.isAsync ? ` (a nested \`def\` does not inherit the \`async\` of \`async def ${outer.name}\`)` : "";
      return `${what} in \`def ${scope.name}\`, which is not \`async def\`${nested}: ${rejected}. Make it \`async def ${scope.name}\` and await it in its callers.`;
    }
    case "lambda":
      return `${what} in a lambda: a lambda cannot be async, and ${rejected}. Use a nested \`async def\` instead.`;
    case "class":
      return `${what} in the body of class \`${scope.name}\`, which runs when the class is created, outside any coroutine: ${rejected}. Move it into an \`async def\` method.`;
    default:
      return `${what} at module level: ${rejected} (only notebooks allow top-level \`await\`). Put the code in \`async def main()\` and run it with \`asyncio.run(main())\`.`;
  }
}
