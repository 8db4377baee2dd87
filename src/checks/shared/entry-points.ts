// The coroutines a module runs itself from its top level: a script's
// `asyncio.run(main())`. They are the program, not one task among others.
import type { RuleContext } from "../../analyzer/rule.js";
import type { SemanticModel } from "../../analyzer/scope.js";
import { nodesInScope } from "./subtree.js";

/** Event-loop entry points a script calls with its main coroutine. */
export const RUNNERS = new Set(["asyncio.run", "anyio.run", "trio.run"]);

const runNames = new WeakMap<SemanticModel, Set<string>>();

/**
 * The names of the module-level functions the module's own top-level code
 * runs (`asyncio.run(main())`, `anyio.run(main)`, also under
 * `if __name__ == "__main__":`).
 */
export function runByItsModule(ctx: RuleContext): Set<string> {
  let names = runNames.get(ctx.model);
  if (names) return names;
  names = new Set();
  for (const n of nodesInScope(ctx.model.root)) {
    if (n.type !== "call" || !RUNNERS.has(ctx.calleeName(n) ?? "")) continue;
    const first = n.childForFieldName("arguments")?.namedChildren.find((a) => a !== null && a.type !== "comment");
    const target = first?.type === "call" ? first.childForFieldName("function") : first;
    if (target?.type === "identifier") names.add(target.text);
  }
  runNames.set(ctx.model, names);
  return names;
}
