import type { Node } from "../analyzer/parser.js";
import { defineRule, type RuleContext } from "../analyzer/rule.js";
import { nodesInScope } from "./shared/subtree.js";
import { firstParameterName, type FunctionInfo, type SemanticModel } from "../analyzer/scope.js";

/** Per file: the `async def`s without async features. */
const candidatesByFile = new WeakMap<SemanticModel, FunctionInfo[]>();

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
      "Off by default: a corpus scan found thousands of such functions in mature async libraries, most of them legitimate. Not reported: decorated functions (routes, fixtures, handlers), methods (they may implement an async interface), dunders, stubs (`...`, `pass`, a docstring, `raise NotImplementedError`), functions the file uses as a value anywhere, not only calls (callbacks passed as arguments, handlers stored in a dispatch table or assigned), in a module that imports Home Assistant, module-level `async_*` functions (the framework calls `async_setup_entry` and its other hooks by name and awaits them), FastAPI dependencies and handlers with a `Depends(...)`/`Security(...)` parameter (FastAPI runs a plain `def` dependency in a worker thread), and, in a module that imports a web framework (aiohttp, Starlette, FastAPI, Sanic, Quart, Falcon, Litestar, Django, Tornado), module-level request handlers whose first parameter is `request` or `req` (their routes are usually declared in another file). A function that must stay async for another reason (it reads a `ContextVar` of the running task) needs a `# noqa: LG403`.",
  },
  visit: {
    function_definition(node, ctx) {
      const fn = ctx.model.scopesByOwner.get(node.id)?.fn;
      if (!fn?.isAsync || fn.usesAsyncFeatures || isExempt(fn)) return;
      const list = candidatesByFile.get(ctx.model);
      if (list) list.push(fn);
      else candidatesByFile.set(ctx.model, [fn]);
    },
  },
  finish(ctx) {
    const candidates = candidatesByFile.get(ctx.model);
    if (!candidates) return;
    candidatesByFile.delete(ctx.model);
    const homeAssistant = importsHomeAssistant(ctx);
    const webFramework = importsWebFramework(ctx);
    for (const fn of candidates) {
      if (isUsedAsValue(fn, ctx)) continue;
      if (homeAssistant && isHomeAssistantHook(fn)) continue;
      if (isFastApiDependency(fn, ctx)) continue;
      if (webFramework && isRequestHandler(fn)) continue;
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

const INJECTION_MARKERS = new Set(["fastapi.Depends", "fastapi.Security", "fastapi.params.Depends", "fastapi.params.Security"]);

/**
 * A FastAPI dependency or handler: a parameter filled by `Depends(...)` or
 * `Security(...)` (as its default or inside `Annotated[...]`). FastAPI runs a
 * plain `def` dependency in a worker thread, so `async def` without `await`
 * is the cheap choice there, not a mistake.
 */
function isFastApiDependency(fn: FunctionInfo, ctx: RuleContext): boolean {
  const params = fn.node.childForFieldName("parameters");
  if (!params) return false;
  for (const n of nodesInScope(params)) {
    if (n.type === "call" && INJECTION_MARKERS.has(ctx.calleeName(n) ?? "")) return true;
  }
  return false;
}

/** The module imports Home Assistant (`from homeassistant.core import HomeAssistant`). */
function importsHomeAssistant(ctx: RuleContext): boolean {
  return importsAny(ctx, ["homeassistant"]);
}

// Frameworks that route requests to handlers registered elsewhere (a routes
// file, `app.router.add_get`), and await them.
const WEB_FRAMEWORKS = ["aiohttp", "starlette", "fastapi", "sanic", "quart", "falcon", "litestar", "django", "tornado"];

function importsWebFramework(ctx: RuleContext): boolean {
  return importsAny(ctx, WEB_FRAMEWORKS);
}

function importsAny(ctx: RuleContext, packages: readonly string[]): boolean {
  for (const targets of ctx.model.module.imports.values()) {
    if (targets.some((q) => packages.some((p) => q === p || q.startsWith(`${p}.`)))) return true;
  }
  return false;
}

/**
 * A module-level `async def view(request)` in a web application: the
 * framework awaits it (aiohttp no longer takes plain functions), and the
 * route that names it is usually in another file.
 */
function isRequestHandler(fn: FunctionInfo): boolean {
  if (fn.scope.parent?.kind !== "module") return false;
  const name = firstParameterName(fn.node);
  return name === "request" || name === "req";
}

/**
 * A module-level `async def async_*` in a Home Assistant integration: the
 * framework finds `async_setup_entry`, `async_unload_entry`,
 * `async_get_config_entry_diagnostics`, ... by name and awaits them, and its
 * `async_` prefix is the project's convention for code that runs in the loop.
 */
function isHomeAssistantHook(fn: FunctionInfo): boolean {
  return fn.scope.parent?.kind === "module" && fn.name.startsWith("async_");
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

/**
 * The function is referred to somewhere without being called: passed as a
 * callback (`bus.subscribe(on_ready)`, `event_hooks={"request": [log]}`),
 * stored in a dispatch table (`{"ping": cmd_ping}`), assigned or returned.
 * Whoever uses that reference may await it, so it must stay async. Only the
 * function's own few mentions in the text are looked at, not the whole tree.
 */
function isUsedAsValue(fn: FunctionInfo, ctx: RuleContext): boolean {
  const definedIn = fn.scope.parent;
  const word = new RegExp(`\\b${fn.name}\\b`, "g");
  for (const m of ctx.source.matchAll(word)) {
    const id = ctx.model.root.descendantForIndex(m.index, m.index + fn.name.length);
    if (id?.type !== "identifier" || id.text !== fn.name || !isValueReference(id)) continue;
    const r = ctx.model.resolveName(id.text, ctx.scopeOf(id));
    if (r.kind === "local" && r.scope === definedIn) return true;
  }
  return false;
}

/** An identifier read as a value: not a callee, a binding, or the name of an attribute, keyword or definition. */
function isValueReference(id: Node): boolean {
  const p = id.parent;
  if (!p) return false;
  switch (p.type) {
    case "call":
      return p.childForFieldName("function")?.id !== id.id;
    case "attribute":
      return p.childForFieldName("object")?.id === id.id;
    case "keyword_argument":
    case "default_parameter":
    case "typed_default_parameter":
      return p.childForFieldName("value")?.id === id.id;
    case "assignment":
    case "augmented_assignment":
      return p.childForFieldName("right")?.id === id.id;
    case "function_definition":
    case "class_definition":
    case "parameters":
    case "lambda_parameters":
    case "typed_parameter":
    case "import_from_statement":
    case "aliased_import":
    case "dotted_name":
    case "global_statement":
    case "nonlocal_statement":
    case "delete_statement":
      return false;
    default:
      return true;
  }
}
