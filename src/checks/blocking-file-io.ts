import type { Node } from "../analyzer/parser.js";
import { defineRule, type RuleContext } from "../analyzer/rule.js";
import { describeCall, methodCall } from "./shared/calls.js";
import { calledBeforeThreadNote, callableText, isWholeStatementValue, threadAdvice, toThreadFix } from "./shared/threads.js";

const OPEN_ALTERNATIVE = "`aiofiles.open` or `anyio.open_file`";
const TEMPFILE_ALTERNATIVE = "`aiofiles.tempfile`";

/**
 * Functions that open, create, copy or delete files, by qualified name
 * (`builtins.open` resolves to `open`), with the async library call to
 * suggest where one does the same.
 */
const BLOCKING_FUNCTIONS: ReadonlyMap<string, string | null> = new Map([
  ["open", OPEN_ALTERNATIVE],
  ["io.open", OPEN_ALTERNATIVE],
  ...["io.open_code", "os.fdopen", "codecs.open", "gzip.open", "bz2.open", "lzma.open"].map((f): [string, null] => [f, null]),
  ...["TemporaryFile", "NamedTemporaryFile", "SpooledTemporaryFile"].map((f): [string, string] => [`tempfile.${f}`, TEMPFILE_ALTERNATIVE]),
  ...["copy", "copy2", "copyfile", "copytree", "move", "rmtree"].map((f): [string, null] => [`shutil.${f}`, null]),
]);
const PATH_ALTERNATIVE = "`anyio.Path`";

const PATH_IO_METHODS = new Set(["open", "read_text", "read_bytes", "write_text", "write_bytes"]);
/** Concrete pathlib classes: pure paths cannot touch the disk; `anyio.Path` and `trio.Path` are async. */
const PATH_TYPES = new Set(["pathlib.Path", "pathlib.PosixPath", "pathlib.WindowsPath"]);
/** Path class methods and methods that give another path of the same kind. */
const PATH_RETURNING = new Set(["cwd", "home", "joinpath", "with_name", "with_suffix", "with_stem", "absolute", "expanduser", "resolve", "relative_to"]);
const MAX_PATH_DEPTH = 6;

export default defineRule({
  meta: {
    code: "LG104",
    name: "blocking-file-io",
    severity: "warning",
    guide: "pitfall-1-blocking-the-event-loop",
    aliases: ["ASYNC230", "ASYNC231", "ASYNC232"],
    fixable: "sometimes",
  },
  docs: {
    summary: "Opening, reading, writing, copying or deleting files with blocking calls inside a coroutine.",
    why: "File system calls wait for the disk on the event loop's thread. On a local SSD that is short, but a network share, a busy disk or a large file (or `shutil.copytree`/`rmtree` of a big tree) stalls every other task for as long as it takes.",
    fix: "Run the call in a thread with `await asyncio.to_thread(f, ...)` (offered as a fix when the call is a whole statement or the whole right side of an assignment), or use an async file API (`aiofiles`, `anyio.open_file`, `anyio.Path`).",
    bad: ["import shutil\n\nasync def archive(src, dst):\n    shutil.copytree(src, dst)\n"],
    good: [
      "import asyncio\nimport shutil\n\nasync def archive(src, dst):\n    await asyncio.to_thread(shutil.copytree, src, dst)\n",
      "import anyio\n\nasync def load(path):\n    return await anyio.Path(path).read_text()\n",
      "import aiofiles\n\nasync def load(path):\n    async with aiofiles.open(path) as f:\n        return await f.read()\n",
    ],
    limitations:
      "Methods of a file object (`f.read()`) are not reported on their own: the `open()` that made it is. A `pathlib.Path` is recognised when constructed, annotated, or derived from one with `/`, `.parent` or a path-returning method (`Path.home()`, `with_suffix`). The fix wraps the call as it stands: for `open()` it opens the file in a thread, and reading the file object afterwards still blocks, so prefer doing the whole read or write in the thread (`await asyncio.to_thread(path.read_text)`).",
  },
  visit: {
    call(node, ctx) {
      if (!ctx.isInCoroutine(node)) return;
      const alternative = blockingFileCall(ctx, node);
      // `async with open(...)` fails before it blocks for long: LG404 reports that.
      if (alternative === undefined || isWithItem(node, "async")) return;
      // Only where `await` can stand in for the call as it is; a `with` item is neither of these.
      const fix = isWholeStatementValue(node) ? toThreadFix(ctx, node) : null;
      ctx.report({ node, message: message(ctx, node, alternative), fix });
    },
  },
});

/** For a blocking file call, the async alternative to suggest (null: none); undefined when the call is not one. */
function blockingFileCall(ctx: RuleContext, call: Node): string | null | undefined {
  const q = ctx.calleeName(call);
  if (q && BLOCKING_FUNCTIONS.has(q)) return BLOCKING_FUNCTIONS.get(q);
  const m = methodCall(call);
  return m && PATH_IO_METHODS.has(m.method) && isConcretePath(ctx, m.receiver, 0) ? PATH_ALTERNATIVE : undefined;
}

/** The expression is locally known to be a concrete `pathlib.Path`. */
function isConcretePath(ctx: RuleContext, expr: Node, depth: number): boolean {
  if (depth > MAX_PATH_DEPTH) return false;
  const next = (n: Node | null | undefined) => !!n && isConcretePath(ctx, n, depth + 1);
  switch (expr.type) {
    case "parenthesized_expression":
      return next(expr.namedChild(0));
    case "binary_operator":
      // `base / "name"` is a path when the left side is one.
      return expr.childForFieldName("operator")?.type === "/" && next(expr.childForFieldName("left"));
    case "attribute":
      if (expr.childForFieldName("attribute")?.text === "parent" && next(expr.childForFieldName("object"))) return true;
      if (selfAttributeValues(ctx, expr).some((v) => v.type !== "call" && next(v))) return true;
      break;
    case "call": {
      // `p.with_suffix(".bak")` on a path built with `/`, which has no type of its own.
      const m = methodCall(expr);
      if (m && PATH_RETURNING.has(m.method) && next(m.receiver)) return true;
      break;
    }
    case "identifier": {
      // `p = base / "x"`: follow the value the name was given.
      const value = ctx.model.assignedValue(expr);
      if (value && value.type !== "call" && next(value)) return true;
      break;
    }
    default:
      break;
  }
  const type = ctx.typeOf(expr);
  return type !== null && isPathType(type);
}

/** `pathlib.Path`, or a path-returning method's result on one: `pathlib.Path.home.joinpath`. */
function isPathType(type: string): boolean {
  let t = type;
  for (let dot = t.lastIndexOf("."); !PATH_TYPES.has(t) && dot > 0; dot = t.lastIndexOf(".")) {
    if (!PATH_RETURNING.has(t.slice(dot + 1))) return false;
    t = t.slice(0, dot);
  }
  return PATH_TYPES.has(t);
}

/** What `self.<name>` was assigned in the class's methods, when assigned once (more could hold anything). */
function selfAttributeValues(ctx: RuleContext, attr: Node): Node[] {
  const obj = attr.childForFieldName("object");
  const name = attr.childForFieldName("attribute");
  if (obj?.type !== "identifier" || !name) return [];
  const values = ctx.model.selfClass(obj)?.attributeValues.get(name.text) ?? [];
  return values.length === 1 ? values : [];
}

function message(ctx: RuleContext, call: Node, alternative: string | null): string {
  const orAsync = alternative ? `, or use ${alternative}` : "";
  // Opening the file in a thread leaves every read and write of the block on the loop.
  const remedy = isWithItem(call, "sync")
    ? `move the whole \`with\` block into a plain function and run that with ${threadAdvice(ctx, "fn")}${orAsync}`
    : `use ${threadAdvice(ctx, callableText(call))}${orAsync}`;
  return (
    `${describeCall(call)} waits for the disk on the event loop's thread in ${ctx.describeScope(call)}, and every other task waits with it: ${remedy}.` +
    calledBeforeThreadNote(ctx, call)
  );
}

/** The call is an item of a `with` (or `async with`) statement. */
function isWithItem(call: Node, kind: "sync" | "async"): boolean {
  const p = call.parent;
  const item = p?.type === "with_item" ? p : p?.type === "as_pattern" && p.parent?.type === "with_item" ? p.parent : null;
  let statement = item?.parent ?? null;
  if (statement?.type === "with_clause") statement = statement.parent;
  if (statement?.type !== "with_statement") return false;
  return (statement.child(0)?.type === "async") === (kind === "async");
}
