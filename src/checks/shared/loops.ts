// "Is this receiver an event loop?", for the rules that check loop methods
// (LG203 `loop.create_task`, LG302 `loop.run_until_complete`, LG201
// `loop.run_in_executor`). A bare method name is never enough elsewhere;
// receivers named `loop` are the one exception RULES.md allows, because the
// name is a near-universal convention for an event loop.
import type { Node } from "../../analyzer/parser.js";
import type { RuleContext } from "../../analyzer/rule.js";
import { methodCall } from "./calls.js";

/** Calls that return an event loop. */
const LOOP_FACTORIES = new Set([
  "asyncio.get_running_loop",
  "asyncio.get_event_loop",
  "asyncio.new_event_loop",
  "asyncio.events.get_running_loop",
  "asyncio.events.get_event_loop",
  "asyncio.events.new_event_loop",
  "uvloop.new_event_loop",
]);

/** Event loop classes, as constructors or annotations. */
const LOOP_TYPES = new Set([
  "asyncio.AbstractEventLoop",
  "asyncio.BaseEventLoop",
  "asyncio.EventLoop",
  "asyncio.SelectorEventLoop",
  "asyncio.ProactorEventLoop",
  "asyncio.events.AbstractEventLoop",
  "uvloop.Loop",
]);

/** Names that by convention hold an event loop (also as attributes: `self._loop`). */
const LOOP_NAMES = new Set(["loop", "_loop", "event_loop"]);

/** Factory methods of an event loop policy (`asyncio.get_event_loop_policy().new_event_loop()`). */
const POLICY_METHODS = new Set(["new_event_loop", "get_event_loop"]);

/** Task groups and nurseries also have `create_task`/`start_soon`; a receiver of these types is never a loop, whatever its name. */
const NOT_LOOPS = new Set(["asyncio.TaskGroup", "anyio.create_task_group", "trio.open_nursery"]);

/**
 * Whether an expression is an event loop: a call of a loop factory, a name
 * assigned from one or annotated with a loop class, or a receiver named
 * `loop`, `_loop` or `event_loop` (also an attribute, `self._loop`).
 */
export function isEventLoop(ctx: RuleContext, expr: Node): boolean {
  const type = ctx.typeOf(expr);
  if (type && isLoopType(type)) return true;
  if (type && NOT_LOOPS.has(type)) return false;
  const name = expr.type === "identifier" ? expr.text : expr.type === "attribute" ? expr.childForFieldName("attribute")?.text : undefined;
  return name !== undefined && LOOP_NAMES.has(name);
}

function isLoopType(type: string): boolean {
  if (LOOP_FACTORIES.has(type) || LOOP_TYPES.has(type)) return true;
  const dot = type.lastIndexOf(".");
  return type.slice(0, dot) === "asyncio.get_event_loop_policy" && POLICY_METHODS.has(type.slice(dot + 1));
}

/** `<loop>.<method>(...)` where the receiver is an event loop and the method one of `methods`: the method name, or null. */
export function eventLoopMethod(ctx: RuleContext, call: Node, methods: ReadonlySet<string>): string | null {
  const m = methodCall(call);
  if (!m || !methods.has(m.method)) return null;
  return isEventLoop(ctx, m.receiver) ? m.method : null;
}
