import type { Node } from "../analyzer/parser.js";
import { defineRule, type RuleContext } from "../analyzer/rule.js";
import { runsInThread, type CallTarget } from "../analyzer/call-graph.js";
import { isExpectedToFail } from "./shared/pytest.js";

export default defineRule({
  meta: {
    code: "LG106",
    name: "transitive-blocking-call",
    severity: "warning",
    guide: "pitfall-1-blocking-the-event-loop",
    aliases: [],
    fixable: "never",
    requires: ["LG101", "LG102", "LG103", "LG104", "LG105"],
  },
  docs: {
    summary: "A coroutine calls a plain function that, directly or further down, makes a blocking call.",
    why: "Hiding `time.sleep()` or `requests.get()` inside a helper does not make it cheaper: the helper runs on the event loop's thread and stalls every other task just the same.",
    fix: "Run the helper in a thread with `await asyncio.to_thread(helper, ...)`, or make the helper and the blocking call below it async.",
    bad: [
      "import time\n\ndef backoff():\n    time.sleep(2)\n\nasync def retry():\n    backoff()\n",
      "import requests\n\ndef fetch(url):\n    return requests.get(url).json()\n\ndef load(url):\n    return fetch(url)\n\nasync def handler(url):\n    return load(url)\n",
    ],
    good: [
      "import asyncio\nimport time\n\ndef backoff():\n    time.sleep(2)\n\nasync def retry():\n    await asyncio.to_thread(backoff)\n",
      "def total(xs):\n    return sum(xs)\n\nasync def report(xs):\n    return total(xs)\n",
    ],
    limitations:
      "Follows calls to functions of the same file, `self` methods, and functions of other files analysed in the same run that the caller imports. Calls through variables, callbacks or third-party libraries are not followed. A function that its decorator runs in a worker thread (`@sync_to_async`, `@database_sync_to_async`) blocks no event loop and is not followed either. A single module name (`import requests`) means a file of the run only for code in that file's folder; elsewhere it is the library of that name. A call in the body of `with pytest.raises(...)` or `self.assertRaises(...)` is expected to fail and is not followed.",
  },
  visit: {
    call(node, ctx) {
      const fn = ctx.enclosingFunction(node);
      if (!fn) return;
      const target = callTarget(node, ctx);
      if (!target) return;
      const display = `${(node.childForFieldName("function")?.text ?? "").replace(/\s+/g, "")}()`;
      // A call a test expects to raise (`with pytest.raises(...)`) fails before it could block.
      if (fn.isAsync && ctx.isInCoroutine(node)) {
        if (!isExpectedToFail(node, ctx)) ctx.callGraph.addCandidate(node, target, display);
      }
      // A function run in a worker thread by its decorator blocks no event loop, nor do the helpers it calls.
      else if (!fn.isAsync && !runsInThread(fn, ctx.model)) ctx.callGraph.addCall(fn, target, display);
    },
  },
});

/** Where a call goes, if it is a plain function we may be able to follow: same file, or imported by name. */
function callTarget(call: Node, ctx: RuleContext): CallTarget | null {
  const callee = call.childForFieldName("function");
  if (!callee) return null;
  const scope = ctx.scopeOf(call);
  const local = ctx.model.functionForCallee(callee, scope);
  if (local) return local.isAsync || runsInThread(local, ctx.model) ? null : { kind: "local", key: ctx.callGraph.keyOf(local) };
  let root: Node | null = callee;
  while (root?.type === "attribute") root = root.childForFieldName("object");
  if (root?.type !== "identifier") return null;
  // Only names that come from an import: a bare unknown name is never matched by spelling.
  if (ctx.model.resolveName(root.text, scope).kind !== "import") return null;
  const qualified = ctx.model.qualifiedName(callee, scope);
  return qualified ? { kind: "import", qualified } : null;
}
