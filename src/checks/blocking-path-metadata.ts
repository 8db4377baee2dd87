import type { Node } from "../analyzer/parser.js";
import { supportsPython } from "../analyzer/project.js";
import { defineRule, type RuleContext } from "../analyzer/rule.js";
import { describeCall, methodCall } from "./shared/calls.js";

const OS_PATH = ["exists", "isfile", "isdir", "islink", "lexists", "ismount", "realpath"]
  .concat(["getsize", "getmtime", "getatime", "getctime", "samefile"])
  .map((f) => `os.path.${f}`);
const OS = ["stat", "lstat", "listdir", "scandir", "walk", "mkdir", "makedirs", "remove", "unlink"]
  .concat(["rename", "replace", "rmdir"])
  .map((f) => `os.${f}`);
const BLOCKING_FUNCTIONS = new Set([...OS_PATH, ...OS, "glob.glob", "glob.iglob"]);

const PATH_METHODS = new Set(["exists", "is_file", "is_dir", "stat", "iterdir", "glob", "rglob", "mkdir", "unlink", "touch"]);
/** Concrete pathlib classes: pure paths cannot touch the disk, `anyio.Path`/`trio.Path` are async. */
const PATH_TYPES = new Set(["pathlib.Path", "pathlib.PosixPath", "pathlib.WindowsPath"]);
/** Path methods and class methods that return another path of the same kind without I/O worth reporting. */
const PATH_RETURNING = new Set(["cwd", "home", "joinpath", "with_name", "with_suffix", "with_stem", "absolute", "expanduser", "resolve", "relative_to"]);

export default defineRule({
  meta: {
    code: "LG107",
    name: "blocking-path-metadata",
    severity: "off",
    guide: "pitfall-1-blocking-the-event-loop",
    aliases: ["ASYNC240"],
    fixable: "never",
  },
  docs: {
    summary: "File-system metadata calls (`os.path.exists()`, `os.listdir()`, `Path.stat()`, ...) inside a coroutine.",
    why: "Each of these is a system call that waits for the disk. It is usually fast, so the rule is off by default, but on a network drive, a busy disk or a large directory tree (`os.walk`, `rglob`) the whole event loop stalls with it.",
    fix: "Run the call in a thread with `await asyncio.to_thread(os.path.exists, path)`, or use `anyio.Path`, whose methods are awaitable.",
    bad: ["import os\n\nasync def load(path):\n    if os.path.exists(path):\n        return path\n"],
    good: [
      "import asyncio\nimport os\n\nasync def load(path):\n    if await asyncio.to_thread(os.path.exists, path):\n        return path\n",
      "import anyio\n\nasync def load(path):\n    if await anyio.Path(path).exists():\n        return path\n",
      "import os\n\nasync def name_of(path):\n    return os.path.basename(os.path.join('/srv', path))\n",
    ],
    limitations:
      "Off by default: projects that enabled ruff's ASYNC240 mostly switched it off as too noisy. Pure path manipulation (`os.path.join`, `Path.name`, `with_suffix`) is never reported. A `pathlib.Path` is recognised when constructed, annotated, or derived from one with `/`, `.parent` or a path-returning method.",
  },
  visit: {
    call(node, ctx) {
      if (!ctx.isInCoroutine(node)) return;
      const called = blockingCall(node, ctx);
      if (!called) return;
      ctx.report({
        node,
        message: `${describeCall(node)} waits for the file system in ${ctx.describeScope(node)}, and the event loop waits with it: use ${offload(ctx, called)}, or \`anyio.Path\`.`,
      });
    },
  },
});

/** Running a callable in a thread, as the project's Python allows (`asyncio.to_thread` is 3.9+). */
function offload(ctx: RuleContext, callable: string): string {
  return supportsPython(ctx.project, 3, 9)
    ? `\`await asyncio.to_thread(${callable}, ...)\``
    : `\`await loop.run_in_executor(None, ${callable}, ...)\``;
}

/** How to name the blocking callable in the advice (`os.path.exists`, `path.exists`), or null. */
function blockingCall(call: Node, ctx: RuleContext): string | null {
  const q = ctx.calleeName(call);
  if (q && BLOCKING_FUNCTIONS.has(q)) return q;
  const m = methodCall(call);
  if (!m || !PATH_METHODS.has(m.method) || !isConcretePath(m.receiver, ctx, 0)) return null;
  return `${m.receiver.text.length > 30 ? "path" : m.receiver.text}.${m.method}`;
}

/** The expression is locally known to be a concrete `pathlib.Path`. */
function isConcretePath(expr: Node, ctx: RuleContext, depth: number): boolean {
  if (depth > 6) return false;
  switch (expr.type) {
    case "parenthesized_expression": {
      const inner = expr.namedChild(0);
      return !!inner && isConcretePath(inner, ctx, depth + 1);
    }
    case "binary_operator": {
      // `base / "name"` is a path when the left side is one.
      const left = expr.childForFieldName("left");
      return expr.childForFieldName("operator")?.type === "/" && !!left && isConcretePath(left, ctx, depth + 1);
    }
    case "attribute": {
      const obj = expr.childForFieldName("object");
      if (expr.childForFieldName("attribute")?.text === "parent" && obj) return isConcretePath(obj, ctx, depth + 1);
      // `self.tmp = Path(root) / "tmp"`: every path-valued assignment of the attribute.
      const values = selfAttributeValues(expr, ctx).filter((v) => v.type !== "none");
      if (values.length > 0 && values.every((v) => isConcretePath(v, ctx, depth + 1))) return true;
      break;
    }
    case "identifier": {
      // `path = TEMPLATES / name`: a path built with `/` has no type of its own; follow the value.
      const value = ctx.model.assignedValue(expr);
      if (value && value.type !== "call" && isConcretePath(value, ctx, depth + 1)) return true;
      break;
    }
    default:
      break;
  }
  const type = ctx.typeOf(expr);
  if (!type) return false;
  if (PATH_TYPES.has(type)) return true;
  // `Path.cwd()`, `p.with_suffix(".bak")`: the type reads `pathlib.Path.cwd`.
  const dot = type.lastIndexOf(".");
  return PATH_RETURNING.has(type.slice(dot + 1)) && PATH_TYPES.has(type.slice(0, dot));
}

/** The values assigned to `self.<attr>` in the class of a method, for `self.<attr>` as written. */
function selfAttributeValues(attribute: Node, ctx: RuleContext): Node[] {
  const obj = attribute.childForFieldName("object");
  const attr = attribute.childForFieldName("attribute");
  if (obj?.type !== "identifier" || !attr) return [];
  return ctx.model.selfClass(obj)?.attributeValues.get(attr.text) ?? [];
}
