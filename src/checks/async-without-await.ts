import type { Node } from "../analyzer/parser.js";
import { defineRule, type RuleContext } from "../analyzer/rule.js";
import type { FunctionInfo, SemanticModel } from "../analyzer/scope.js";

/** Per file: the `async def`s without async features, and every name handed to a call as an argument. */
interface FileState {
  candidates: FunctionInfo[];
  passed: Set<string>;
}

const states = new WeakMap<SemanticModel, FileState>();

function stateOf(ctx: RuleContext): FileState {
  let s = states.get(ctx.model);
  if (!s) {
    s = { candidates: [], passed: new Set() };
    states.set(ctx.model, s);
  }
  return s;
}

export default defineRule({
  meta: {
    code: "LG403",
    name: "async-without-await",
    severity: "off",
    guide: "pitfall-4-mixing-async-and-sync",
    aliases: ["ASYNC124", "RUF029"],
    fixable: "never",
  },
  docs: {
    summary: "An `async def` that never awaits: no `await`, `async for`, `async with` or async comprehension.",
    why: "Such a function never gives the event loop a chance to run anything else, yet every caller must `await` it: the `async` costs a coroutine object per call and spreads `await` through the callers for nothing. Often it is a sign of a missing `await` instead.",
    fix: "Make it a plain `def` and drop `await` at its call sites, or add the `await` it is missing.",
    bad: ["def parse(raw):\n    return raw.split(',')\n\nasync def load(raw):\n    return parse(raw)\n"],
    good: [
      "def parse(raw):\n    return raw.split(',')\n\ndef load(raw):\n    return parse(raw)\n",
      "from fastapi import FastAPI\n\napp = FastAPI()\n\n@app.get('/health')\nasync def health():\n    return {'ok': True}\n",
      "class Store:\n    async def get(self, key):\n        return None\n",
      "import asyncio\n\nasync def on_message(msg):\n    print(msg)\n\nasync def main(bus):\n    await bus.subscribe('topic', on_message)\n",
    ],
    limitations:
      "Off by default: a corpus scan found thousands of such functions in mature async libraries, most of them legitimate. Not reported: decorated functions (routes, fixtures, handlers), methods (they may implement an async interface), dunders, stubs (`...`, `pass`, a docstring, `raise NotImplementedError`), and functions passed as an argument anywhere in the file (callbacks), matched by name. A function that must stay async for another reason (it reads a `ContextVar` of the running task) needs a `# noqa: LG403`.",
  },
  visit: {
    function_definition(node, ctx) {
      const fn = ctx.model.scopesByOwner.get(node.id)?.fn;
      if (!fn?.isAsync || fn.usesAsyncFeatures || isExempt(fn)) return;
      stateOf(ctx).candidates.push(fn);
    },
    argument_list(node, ctx) {
      const passed = stateOf(ctx).passed;
      for (const arg of node.namedChildren) {
        if (!arg) continue;
        collectReferences(arg.type === "keyword_argument" ? arg.childForFieldName("value") : arg, passed, 0);
      }
    },
  },
  finish(ctx) {
    const s = states.get(ctx.model);
    if (!s) return;
    states.delete(ctx.model);
    for (const fn of s.candidates) {
      if (s.passed.has(fn.name)) continue;
      const asyncKw = fn.node.child(0);
      const name = fn.node.childForFieldName("name");
      if (!asyncKw || !name) continue;
      ctx.report({ node: asyncKw, end: name, message: message(fn) });
    }
  },
});

function message(fn: FunctionInfo): string {
  const what = `\`async def ${fn.name}\` never awaits (no \`await\`, \`async for\` or \`async with\`)`;
  if (fn.isGenerator) {
    return `${what}: it is an async generator only in name, and every consumer must use \`async for\`. Make it a plain generator (\`def\`), or add the \`await\` it is missing.`;
  }
  return `${what}: it never lets the event loop run anything else, yet every caller must await it. Make it a plain \`def\` (and drop \`await\` where it is called), or add the \`await\` it is missing.`;
}

function isExempt(fn: FunctionInfo): boolean {
  if (fn.decorators.length > 0 || fn.owner) return true;
  if (fn.name.startsWith("__") && fn.name.endsWith("__")) return true;
  const body = fn.node.childForFieldName("body");
  return !!body && isStubBody(body);
}

/** `...`, `pass`, a docstring, `raise NotImplementedError`, in any combination. */
function isStubBody(body: Node): boolean {
  return body.namedChildren.every((stmt) => {
    if (!stmt || stmt.type === "comment" || stmt.type === "pass_statement") return true;
    if (stmt.type === "expression_statement") {
      const e = stmt.namedChild(0);
      return stmt.namedChildCount === 1 && (e?.type === "ellipsis" || e?.type === "string");
    }
    if (stmt.type === "raise_statement") {
      let e = stmt.namedChild(0);
      if (e?.type === "call") e = e.childForFieldName("function");
      return e?.text === "NotImplementedError";
    }
    return false;
  });
}

const CONTAINERS = new Set(["list", "tuple", "set", "dictionary", "pair", "parenthesized_expression"]);

/**
 * Names handed over as values: `f` in `g(f)`, `g(cb=f)`, and inside container
 * literals (`event_hooks={"request": [log]}`). A called name (`g(f())`) is not handed over.
 */
function collectReferences(expr: Node | null, out: Set<string>, depth: number): void {
  if (!expr || depth > 4) return;
  if (expr.type === "identifier") out.add(expr.text);
  else if (expr.type === "attribute") {
    const attr = expr.childForFieldName("attribute");
    if (attr) out.add(attr.text);
  } else if (CONTAINERS.has(expr.type)) {
    for (const c of expr.namedChildren) {
      if (c?.type === "pair") collectReferences(c.childForFieldName("value"), out, depth + 1);
      else collectReferences(c, out, depth + 1);
    }
  }
}
