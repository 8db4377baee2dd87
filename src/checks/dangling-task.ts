import type { Node } from "../analyzer/parser.js";
import { supportsPython } from "../analyzer/project.js";
import { defineRule, type RuleContext } from "../analyzer/rule.js";
import { describeCall, isExpressionStatement } from "./shared/calls.js";
import { eventLoopMethod } from "./shared/loops.js";
import { isExpectedToFail } from "./shared/pytest.js";

const TASK_FUNCTIONS = new Set(["asyncio.create_task", "asyncio.ensure_future"]);
const LOOP_TASK_METHODS = new Set(["create_task"]);

export default defineRule({
  meta: {
    code: "LG203",
    name: "dangling-task",
    severity: "warning",
    guide: "pattern-2-fire-and-forget-with-create_task",
    aliases: ["ASYNC300", "RUF006"],
    fixable: "never",
  },
  docs: {
    summary: "The task that `asyncio.create_task()`/`ensure_future()`/`loop.create_task()` returns is thrown away.",
    why: "The event loop keeps only a weak reference to a task. With no other reference, a task waiting on I/O can be garbage-collected before it finishes (it silently stops), and an exception it raises is never seen.",
    fix: "Keep a reference until the task is done: add it to a set and remove it with `task.add_done_callback(tasks.discard)`, or start it in an `asyncio.TaskGroup`, which also waits for it and reports its errors.",
    bad: ["import asyncio\n\nasync def handle(request):\n    asyncio.create_task(log_request(request))\n    return 'ok'\n"],
    good: [
      "import asyncio\n\nbackground_tasks = set()\n\nasync def handle(request):\n    task = asyncio.create_task(log_request(request))\n    background_tasks.add(task)\n    task.add_done_callback(background_tasks.discard)\n    return 'ok'\n",
      "import asyncio\n\nasync def main(urls):\n    async with asyncio.TaskGroup() as tg:\n        for url in urls:\n            tg.create_task(fetch(url))\n",
      "import asyncio\n\nasync def main(jobs):\n    tasks = [asyncio.create_task(run(j)) for j in jobs]\n    return await asyncio.gather(*tasks)\n",
    ],
    limitations:
      "Reports a task thrown away where it is created (an expression statement or `_ = ...`). A task assigned to a name and then forgotten is not followed. `loop.create_task` is recognised on a loop from `asyncio.get_running_loop()`/`get_event_loop()`/`new_event_loop()`, one annotated as an event loop, and receivers named `loop`, `_loop` or `event_loop`. Code in the body of `with pytest.raises(...)`, `pytest.warns(...)` or `self.assertRaises(...)` (and its Regex/Warns relatives) is left alone: the test means it to fail.",
  },
  visit: {
    call(node, ctx) {
      if (!isThrownAway(node)) return;
      if (!createsTask(node, ctx) || isExpectedToFail(node, ctx)) return;
      ctx.report({ node, message: message(node, ctx) });
    },
  },
});

function createsTask(call: Node, ctx: RuleContext): boolean {
  const q = ctx.calleeName(call);
  if (q && TASK_FUNCTIONS.has(q)) return true;
  return eventLoopMethod(ctx, call, LOOP_TASK_METHODS) !== null;
}

/** An expression statement, or the whole right side of `_ = ...`. */
function isThrownAway(call: Node): boolean {
  if (isExpressionStatement(call)) return true;
  const p = call.parent;
  if (p?.type !== "assignment" || p.childForFieldName("right")?.id !== call.id) return false;
  return p.childForFieldName("left")?.text === "_";
}

function message(call: Node, ctx: RuleContext): string {
  return (
    `The task from ${describeCall(call)} is thrown away in ${ctx.describeScope(call)}: the event loop holds tasks only weakly, ` +
    "so it can be garbage-collected before it finishes, and its exceptions are never seen. Keep a reference until it is done " +
    "(`task = asyncio.create_task(...)`, `background_tasks.add(task)`, `task.add_done_callback(background_tasks.discard)`)" +
    // TaskGroup is Python 3.11+: not advice for a project that supports older versions.
    (supportsPython(ctx.project, 3, 11) ? ", or start it with `tg.create_task(...)` inside `async with asyncio.TaskGroup() as tg:`." : ".")
  );
}
