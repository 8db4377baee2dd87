// Handing blocking work to a thread, for the blocking-call rules (LG102-LG105):
// the advice their messages give, the note for a call written as the argument
// of a thread API (it runs before the thread starts), and the
// `await asyncio.to_thread(f, ...)` fix.
import type { Node } from "../../analyzer/parser.js";
import { supportsPython } from "../../analyzer/project.js";
import type { FixProposal, OffsetEdit, RuleContext } from "../../analyzer/rule.js";
import { addImportEdit, describeCall, importedMember, methodCall, moduleReference } from "./calls.js";

/** Functions that run a callable in a worker thread. */
const THREAD_APIS = new Set([
  "asyncio.to_thread",
  "anyio.to_thread.run_sync",
  "trio.to_thread.run_sync",
  "asgiref.sync.sync_to_async",
]);

/** Longest callee text quoted in advice; a longer one reads as `f`. */
const MAX_CALLABLE = 40;
const DOTTED_NAME = /^[\p{L}_][\p{L}\p{N}_]*(\.[\p{L}_][\p{L}\p{N}_]*)*$/u;

/**
 * The callable of a call as written, when it is a plain dotted name short
 * enough to quote (`requests.get`, `self.session.get`); otherwise `f`
 * (`requests.Session().get` would make a new session in the advice).
 */
export function callableText(call: Node): string {
  const text = (call.childForFieldName("function")?.text ?? "").replace(/\s+/g, "");
  return text.length <= MAX_CALLABLE && DOTTED_NAME.test(text) ? text : "f";
}

/** `await asyncio.to_thread(<callable>, ...)`, or its `run_in_executor` form below Python 3.9. */
export function threadAdvice(ctx: RuleContext, callable: string): string {
  return supportsPython(ctx.project, 3, 9)
    ? `\`await asyncio.to_thread(${callable}, ...)\``
    : `\`await loop.run_in_executor(None, ${callable}, ...)\``;
}

/**
 * When the call is written as the argument of a thread API
 * (`asyncio.to_thread(requests.get(url))`), a sentence saying why that does
 * not help; otherwise "".
 */
export function calledBeforeThreadNote(ctx: RuleContext, call: Node): string {
  const api = threadApiReceiving(ctx, call);
  if (!api) return "";
  return ` Written as the argument of \`${api}()\`, the call still runs here, before any thread starts: pass the function and its arguments separately (\`${api}(${callableText(call)}, ...)\`).`;
}

/** The thread API whose argument list holds this call directly, as written (`asyncio.to_thread`), or null. */
export function threadApiReceiving(ctx: RuleContext, call: Node): string | null {
  const args = call.parent;
  const outer = args?.type === "argument_list" ? args.parent : null;
  if (outer?.type !== "call") return null;
  const written = (outer.childForFieldName("function")?.text ?? "").replace(/\s+/g, "");
  const q = ctx.calleeName(outer);
  if (q && THREAD_APIS.has(q)) return written;
  // Only wording depends on this, so any `run_in_executor` method counts.
  return methodCall(outer)?.method === "run_in_executor" ? written : null;
}

/** The call is the whole of an expression statement or the whole right side of an assignment. */
export function isWholeStatementValue(call: Node): boolean {
  const p = call.parent;
  if (p?.type === "expression_statement") return p.namedChildCount === 1;
  return p?.type === "assignment" && p.childForFieldName("right")?.id === call.id;
}

/**
 * Replaces `f(args)` with `await asyncio.to_thread(f, args)`, spelling
 * `to_thread` the way the file imports asyncio, and adding `import asyncio`
 * when it does not. The caller checks that `await` may stand where the call
 * is; `parenthesize` wraps the result for a call used as a receiver
 * (`(await asyncio.to_thread(input)).strip()`). Null below Python 3.9, for
 * arguments that are a bare generator, or when `asyncio` means something else
 * at the call.
 */
export function toThreadFix(ctx: RuleContext, call: Node, parenthesize = false): FixProposal | null {
  if (!supportsPython(ctx.project, 3, 9)) return null;
  const fn = call.childForFieldName("function");
  const args = call.childForFieldName("arguments");
  const open = args?.child(0);
  if (!fn || args?.type !== "argument_list" || open?.type !== "(") return null;
  const spelling = toThreadSpelling(ctx, call);
  if (!spelling) return null;
  const hasArguments = args.namedChildren.some((c) => c && c.type !== "comment");
  const edits: OffsetEdit[] = [
    ...(spelling.importEdit ? [spelling.importEdit] : []),
    { start: call.startIndex, end: call.startIndex, text: `${parenthesize ? "(" : ""}await ${spelling.name}(` },
    // The call's own `(` goes; its `)` now closes `to_thread(`.
    { start: fn.endIndex, end: open.endIndex, text: hasArguments ? argumentSeparator(ctx.source, open.endIndex) : "" },
  ];
  if (parenthesize) edits.push({ start: call.endIndex, end: call.endIndex, text: ")" });
  const importNote = spelling.importEdit ? " and add `import asyncio`" : "";
  return { description: `Run ${describeCall(call)} in a thread with \`await ${spelling.name}(...)\`${importNote}`, edits };
}

/** `, ` before arguments on the same line; a bare `,` when they start on the next one (no trailing space). */
function argumentSeparator(source: string, afterParen: number): string {
  return /^[ \t]*\r?\n/.test(source.slice(afterParen, afterParen + 80)) ? "," : ", ";
}

/** How the file reaches `asyncio.to_thread` at the call, with the import to add when it does not. */
function toThreadSpelling(ctx: RuleContext, call: Node): { name: string; importEdit: OffsetEdit | null } | null {
  const member = importedMember(ctx, call, "asyncio.to_thread");
  if (member) return { name: member, importEdit: null };
  const module = moduleReference(ctx, call, "asyncio");
  if (module) return { name: `${module}.to_thread`, importEdit: null };
  // A local `asyncio` (a parameter, an assignment) would shadow the added import.
  if (ctx.model.resolveName("asyncio", ctx.scopeOf(call)).kind !== "builtin") return null;
  const importEdit = addImportEdit(ctx, "asyncio");
  return importEdit ? { name: "asyncio.to_thread", importEdit } : null;
}
