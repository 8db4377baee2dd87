import type { Node } from "../analyzer/parser.js";
import { defineRule, type FixProposal, type RuleContext } from "../analyzer/rule.js";
import { describeCall, isAwaited, isExpressionStatement, methodCall } from "./shared/calls.js";
import { coroutineCall } from "./shared/coroutines.js";
import { nodesInScope, isNestedScope } from "./shared/subtree.js";
import { isExpectedToFail } from "./shared/pytest.js";

/** How the coroutine object is misused. */
type Misuse =
  | { kind: "truth"; where: string; whole: boolean }
  | { kind: "value"; where: string }
  | { kind: "assigned"; name: string; assignment: Node };

/** Calls that only print or format their argument: handing them a coroutine shows `<coroutine object ...>`. */
const FORMATTING_CALLS = new Set(["print", "str", "repr", "len", "format", "json.dumps"]);
const LOG_METHODS = new Set(["debug", "info", "warning", "warn", "error", "exception", "critical", "log"]);
const LOGGER_NAMES = /^_*(logger|log|LOGGER|LOG)$/;
/** Attributes of the coroutine object itself: using them is deliberate handling, not a mistake. */
const COROUTINE_ATTRIBUTES = new Set(["close", "send", "throw", "__await__", "cr_frame", "cr_code", "cr_running", "cr_await", "cr_origin"]);

export default defineRule({
  meta: {
    code: "LG202",
    name: "unawaited-coroutine-value",
    severity: "error",
    guide: "pitfall-2-missing-await",
    aliases: [],
    fixable: "sometimes",
  },
  docs: {
    summary: "A coroutine's value used without `await`: tested for truth, used as a plain value, or stored and never awaited.",
    why: "Calling an `async def` only creates a coroutine object; its body runs when the coroutine is awaited. A coroutine object is always true, has none of the result's attributes, prints as `<coroutine object ...>`, and when it is dropped Python warns `coroutine ... was never awaited`: the work silently never happens.",
    fix: "Await the call (`if await is_ready():`, `data = await fetch()`), or hand the coroutine to something that runs it (`asyncio.create_task`, `asyncio.gather`, `asyncio.wait_for`).",
    bad: [
      "async def is_ready():\n    return True\n\nasync def main():\n    if is_ready():\n        print('ready')\n",
      "async def fetch_data():\n    return {}\n\nasync def main():\n    result = fetch_data()\n    print(result)\n",
    ],
    good: [
      "async def is_ready():\n    return True\n\nasync def main():\n    if await is_ready():\n        print('ready')\n",
      "import asyncio\n\nasync def fetch_data():\n    return {}\n\nasync def main():\n    pending = fetch_data()\n    result = await asyncio.wait_for(pending, 1)\n    print(result)\n",
      "import asyncio\n\nasync def fetch_data():\n    return {}\n\nasync def main():\n    jobs = [fetch_data() for _ in range(3)]\n    return await asyncio.gather(*jobs)\n",
    ],
    limitations:
      "Knows the coroutine functions LG201 knows (same-file `async def`s and methods, known asyncio APIs). A stored coroutine counts as used when the function awaits, returns, yields, stores or passes its name anywhere (order is not checked), so some misuses go unreported. Code in the body of `with pytest.raises(...)`, `pytest.warns(...)` or `self.assertRaises(...)` (and its Regex/Warns relatives) is left alone: the test means it to fail.",
  },
  visit: {
    call(node, ctx) {
      // A bare statement is LG201's; an awaited call is fine.
      if (isExpressionStatement(node) || isAwaited(node)) return;
      const misuse = misuseOf(node, ctx);
      if (!misuse) return;
      // Futures (`asyncio.gather`, `run_in_executor`) run anyway and have an API of their own (`add_done_callback`, `cancel`).
      if (coroutineCall(ctx, node)?.kind !== "coroutine") return;
      if (misuse.kind === "assigned" && isKeptSomewhere(misuse, ctx)) return;
      if (isExpectedToFail(node, ctx)) return;
      ctx.report({ node, message: message(node, misuse, ctx), fix: awaitFix(node, misuse, ctx) });
    },
  },
});

const ARITHMETIC: Misuse = { kind: "value", where: "it is used in arithmetic or a comparison" };

/** Where a coroutine-making call's value goes, when that place misuses it. */
function misuseOf(call: Node, ctx: RuleContext): Misuse | null {
  let cur = call;
  let p = cur.parent;
  while (p?.type === "parenthesized_expression") {
    cur = p;
    p = p.parent;
  }
  if (!p) return null;
  switch (p.type) {
    case "if_statement":
    case "elif_clause":
    case "while_statement":
      return p.childForFieldName("condition")?.id === cur.id ? { kind: "truth", where: `the \`${keywordOf(p)}\` condition`, whole: true } : null;
    case "assert_statement":
      return p.namedChild(0)?.id === cur.id ? { kind: "truth", where: "the `assert`", whole: true } : null;
    case "not_operator":
      return { kind: "truth", where: "`not`", whole: false };
    case "conditional_expression":
      return p.namedChild(1)?.id === cur.id ? { kind: "truth", where: "a conditional expression", whole: false } : null;
    case "if_clause":
      return { kind: "truth", where: "a comprehension's `if`", whole: false };
    case "boolean_operator":
      return booleanOperand(p, cur, ctx);
    case "attribute": {
      if (p.childForFieldName("object")?.id !== cur.id) return null;
      const name = p.childForFieldName("attribute")?.text ?? "";
      // `f().__await__()`, `f().send(None)`: driving the coroutine by hand is using it, not mistaking it for its result.
      return COROUTINE_ATTRIBUTES.has(name) ? null : { kind: "value", where: `its attribute \`.${name}\` is read` };
    }
    case "subscript":
      return p.childForFieldName("value")?.id === cur.id ? { kind: "value", where: "it is indexed" } : null;
    case "for_statement":
    case "for_in_clause":
      return p.childForFieldName("right")?.id === cur.id ? { kind: "value", where: "it is iterated" } : null;
    case "augmented_assignment":
      return p.childForFieldName("right")?.id === cur.id ? ARITHMETIC : null;
    case "binary_operator":
    case "unary_operator":
    case "comparison_operator":
      return ARITHMETIC;
    case "interpolation":
      return { kind: "value", where: "it is formatted into an f-string" };
    case "argument_list":
    case "keyword_argument":
      return formattingArgument(p, ctx);
    case "assignment":
      return assignedName(p, cur);
    default:
      return null;
  }
}

function keywordOf(node: Node): string {
  return node.child(0)?.text ?? node.type;
}

/** `f() and x` always tests `f()`; in `x or f()` the right operand is the expression's value, misused only where that is. */
function booleanOperand(op: Node, operand: Node, ctx: RuleContext): Misuse | null {
  if (op.childForFieldName("left")?.id === operand.id) return { kind: "truth", where: `\`${op.childForFieldName("operator")?.text ?? "and"}\``, whole: false };
  const outer = misuseOf(op, ctx);
  if (!outer || outer.kind === "assigned") return null;
  return outer.kind === "truth" ? { ...outer, whole: false } : outer;
}

/** An argument of `print`, `str`, `len`, `json.dumps`, a logging call...: it only shows the coroutine object. */
function formattingArgument(parent: Node, ctx: RuleContext): Misuse | null {
  const args = parent.type === "keyword_argument" ? parent.parent : parent;
  const call = args?.parent;
  if (args?.type !== "argument_list" || call?.type !== "call") return null;
  const name = ctx.calleeName(call);
  if ((name && FORMATTING_CALLS.has(name)) || isLoggingCall(call, name, ctx)) {
    return { kind: "value", where: `it is passed to ${describeCall(call)}` };
  }
  return null;
}

function isLoggingCall(call: Node, name: string | null, ctx: RuleContext): boolean {
  if (name?.startsWith("logging.") && LOG_METHODS.has(name.slice("logging.".length))) return true;
  const m = methodCall(call);
  if (!m || !LOG_METHODS.has(m.method)) return false;
  const type = ctx.typeOf(m.receiver);
  if (type === "logging.getLogger" || type === "logging.Logger") return true;
  // `logger.info(...)`, `self._log.warning(...)`: by far the common spellings of a logger.
  const last = m.receiver.type === "attribute" ? m.receiver.childForFieldName("attribute") : m.receiver;
  return last?.type === "identifier" && LOGGER_NAMES.test(last.text);
}

function assignedName(assignment: Node, value: Node): Misuse | null {
  // `a = b = f()` binds two names: following one of them is not enough.
  if (assignment.childForFieldName("right")?.id !== value.id || assignment.parent?.type === "assignment") return null;
  const left = assignment.childForFieldName("left");
  // `_ = f()` says the value is deliberately unused; attributes and subscripts store it.
  if (left?.type !== "identifier" || left.text === "_") return null;
  return { kind: "assigned", name: left.text, assignment };
}

/**
 * Whether the function (or module) that assigned the coroutine to a name
 * awaits, returns, yields, stores or passes on that name anywhere. Uses in
 * nested functions count (they may await it later).
 */
function isKeptSomewhere(m: Extract<Misuse, { kind: "assigned" }>, ctx: RuleContext): boolean {
  const scope = ctx.scopeOf(m.assignment).functionScope;
  if (scope.kind !== "function" && scope.kind !== "module") return true;
  if (scope.globals.has(m.name) || scope.nonlocals.has(m.name)) return true;
  const root = scope.kind === "module" ? ctx.model.root : scope.node?.childForFieldName("body");
  if (!root) return true;
  const word = new RegExp(`\\b${m.name}\\b`);
  for (const node of nodesInScope(root)) {
    if (isNestedScope(node)) {
      if (word.test(node.text)) return true;
      continue;
    }
    if (node.type === "identifier" && node.text === m.name && keepsValue(node, ctx)) return true;
  }
  return false;
}

/** A read of the name that keeps the coroutine alive for later: anything but a misuse, a rebinding, or `del`. */
function keepsValue(id: Node, ctx: RuleContext): boolean {
  let cur = id;
  let p = cur.parent;
  while (p?.type === "parenthesized_expression") {
    cur = p;
    p = p.parent;
  }
  if (!p) return false;
  switch (p.type) {
    case "attribute": {
      // `obj.name` is not this name at all; `coro.close()` is deliberate handling of the coroutine.
      if (p.childForFieldName("object")?.id !== cur.id) return false;
      return COROUTINE_ATTRIBUTES.has(p.childForFieldName("attribute")?.text ?? "");
    }
    case "keyword_argument":
      if (p.childForFieldName("name")?.id === cur.id) return false;
      return formattingArgument(p, ctx) === null;
    case "argument_list":
      return formattingArgument(p, ctx) === null;
    case "assignment":
    case "augmented_assignment":
      // A target rebinds the name; as the whole right side it is aliased or stored.
      return p.childForFieldName("right")?.id === cur.id && p.type === "assignment";
    case "pattern_list":
    case "tuple_pattern":
    case "list_pattern":
    case "delete_statement":
    case "global_statement":
    case "nonlocal_statement":
    case "if_statement":
    case "elif_clause":
    case "while_statement":
    case "assert_statement":
    case "not_operator":
    case "boolean_operator":
    case "conditional_expression":
    case "subscript":
    case "binary_operator":
    case "unary_operator":
    case "comparison_operator":
    case "interpolation":
    case "for_statement":
    case "for_in_clause":
    case "if_clause":
      return false;
    default:
      return true;
  }
}

function message(call: Node, m: Misuse, ctx: RuleContext): string {
  const shown = describeCall(call);
  const scope = ctx.describeScope(call);
  const remedy = ctx.isInCoroutine(call)
    ? `Await it: \`await ${shown.slice(1, -1)}\`.`
    : `${capitalise(scope)} cannot await it: make it \`async def\` and await the call, or run the coroutine with \`asyncio.run(...)\`.`;
  switch (m.kind) {
    case "truth":
      return `${shown} makes a coroutine, and ${m.where} tests it for truth without awaiting it in ${scope}: a coroutine object is always true and its body never runs. ${remedy}`;
    case "value":
      return `${shown} makes a coroutine, and ${m.where} without awaiting it in ${scope}: that uses the coroutine object, not its result, and its body never runs. ${remedy}`;
    case "assigned":
      return `${shown} makes a coroutine that ${scope} stores in \`${m.name}\` but never awaits, returns or hands on: its body never runs (Python warns "coroutine ... was never awaited"). ${remedy}`;
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** `await` before the call, when it is the whole condition or the whole right side in a coroutine. */
function awaitFix(call: Node, m: Misuse, ctx: RuleContext): FixProposal | null {
  if (!ctx.isInCoroutine(call)) return null;
  if (m.kind === "value" || (m.kind === "truth" && !m.whole)) return null;
  return { description: "Await the call", edits: [{ start: call.startIndex, end: call.startIndex, text: "await " }] };
}
