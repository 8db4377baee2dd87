// The call graph LG106 follows: which plain functions make a blocking call,
// directly or through other plain functions, in this file or in another file
// of the same run that the caller imports. Built during each file's walk,
// resolved once all files of a run are analysed.
import type { Finding } from "./types.js";
import type { FunctionInfo, SemanticModel } from "./scope.js";

/** Decorators that turn a plain function into an awaitable that runs the body in a worker thread. */
const THREAD_DECORATORS = new Set(["asgiref.sync.sync_to_async", "channels.db.database_sync_to_async", "asyncer.asyncify"]);

/**
 * A plain `def` that its decorator runs in a worker thread (`@sync_to_async`,
 * `@database_sync_to_async`): what its body blocks, it blocks off the event loop.
 */
export function runsInThread(fn: FunctionInfo, model: SemanticModel): boolean {
  return !fn.isAsync && fn.decorators.some((d) => THREAD_DECORATORS.has(model.decoratorName(d) ?? ""));
}

/** A call site's target: a function of the same file (by key), or an imported dotted name. */
export type CallTarget = { kind: "local"; key: string } | { kind: "import"; qualified: string };

export interface FunctionSummary {
  /** `helper` for a module-level function, `Class.method` for a method; unique within the file. */
  key: string;
  /** How the chain shows it: `write_report()`. */
  display: string;
  /** The blocking call it makes itself (`open()`), if any. */
  blocking: string | null;
  calls: { target: CallTarget; display: string }[];
}

/** A call from a coroutine to a plain function: a finding once the chain is known. */
export interface TransitiveCandidate {
  target: CallTarget;
  /** The call as written (`save()`). */
  display: string;
  /** "`async def handler`". */
  caller: string;
  /** The finding with everything but its message (suppressions already applied). */
  finding: Finding;
}

export interface FileCallGraph {
  path: string;
  functions: Map<string, FunctionSummary>;
  candidates: TransitiveCandidate[];
}

export function emptyCallGraph(path: string): FileCallGraph {
  return { path, functions: new Map(), candidates: [] };
}

/** The dotted module names a file may be imported as: `src/app/db.py` → `src.app.db`, `app.db`, `db`. */
export function moduleNamesOf(path: string): string[] {
  return importRootsOf(path).map((r) => r.name);
}

/** Each module name of a file with the folder that must be on `sys.path` for it: `db` needs `src/app`. */
function importRootsOf(path: string): { name: string; root: string }[] {
  const parts = pathParts(path.replace(/\.py$/, ""));
  if (parts[parts.length - 1] === "__init__") parts.pop();
  return parts.map((_, i) => ({ name: parts.slice(i).join("."), root: parts.slice(0, i).join("/") }));
}

function pathParts(path: string): string[] {
  return path
    .replace(/\\/g, "/")
    .split("/")
    .filter((p) => p && p !== ".");
}

/**
 * Whether an import in `importer` can mean a module found under `root`. A
 * dotted name (`app.db`) or one from the top of the run is taken as it is
 * (source roots such as `src/` are common). A single name found only below
 * a folder (`requests` for `console/requests.py`) shadows a library of that
 * name only for code in that folder: elsewhere `import requests` is the library.
 */
function canImport(entry: { name: string; root: string }, importer: string, relative: boolean): boolean {
  if (relative || entry.root === "" || entry.name.includes(".")) return true;
  const dir = pathParts(importer).slice(0, -1).join("/");
  return dir === entry.root || dir.startsWith(`${entry.root}/`);
}

/** Resolves a relative import (`.db.save`, `..util.f`) against the importing file's package. */
export function absoluteFromRelative(qualified: string, importerPath: string): string | null {
  const m = /^(\.+)(.*)$/.exec(qualified);
  if (!m) return qualified;
  const dir = importerPath.replace(/\\/g, "/").split("/").slice(0, -1);
  const up = m[1]!.length - 1;
  if (up > dir.length) return null;
  const base = dir.slice(0, dir.length - up).filter((p) => p && p !== ".");
  const rest = m[2] ? m[2].split(".") : [];
  return [...base, ...rest].join(".");
}

interface Resolved {
  graph: FileCallGraph;
  fn: FunctionSummary;
}

type ModuleIndex = Map<string, { graph: FileCallGraph; name: string; root: string }[]>;

/** Finds the file and function an imported dotted name means, among the run's files; null when unknown or ambiguous. */
function resolveImport(qualified: string, importer: FileCallGraph, byModule: ModuleIndex): Resolved | null {
  const absolute = absoluteFromRelative(qualified, importer.path);
  if (!absolute) return null;
  const relative = qualified.startsWith(".");
  const parts = absolute.split(".");
  // Longest module prefix first: `app.db.Repo.load` tries `app.db.Repo` then `app.db`.
  for (let cut = parts.length - 1; cut >= 1; cut--) {
    const candidates = byModule.get(parts.slice(0, cut).join("."))?.filter((e) => canImport(e, importer.path, relative));
    if (!candidates?.length) continue;
    if (candidates.length !== 1) return null;
    const graph = candidates[0]!.graph;
    const fn = graph.functions.get(parts.slice(cut).join("."));
    return fn ? { graph, fn } : null;
  }
  return null;
}

/**
 * Gives every candidate whose target reaches a blocking call its message and
 * returns the findings, per file path.
 */
export function resolveTransitiveFindings(graphs: readonly FileCallGraph[]): Map<string, Finding[]> {
  const byModule: ModuleIndex = new Map();
  for (const g of graphs) {
    for (const { name, root } of importRootsOf(g.path)) {
      const entry = { graph: g, name, root };
      const list = byModule.get(name);
      if (list) list.push(entry);
      else byModule.set(name, [entry]);
    }
  }
  const memo = new Map<FunctionSummary, string[] | null>();
  const inProgress = new Set<FunctionSummary>();

  const lookup = (target: CallTarget, from: FileCallGraph): Resolved | null => {
    if (target.kind === "local") {
      const fn = from.functions.get(target.key);
      return fn ? { graph: from, fn } : null;
    }
    return resolveImport(target.qualified, from, byModule);
  };

  // The shortest known chain from a function to a blocking call, e.g. ["open()"].
  const chainOf = (r: Resolved): string[] | null => {
    const cached = memo.get(r.fn);
    if (cached !== undefined) return cached;
    if (inProgress.has(r.fn)) return null;
    if (r.fn.blocking) {
      memo.set(r.fn, [r.fn.blocking]);
      return [r.fn.blocking];
    }
    inProgress.add(r.fn);
    let best: string[] | null = null;
    for (const call of r.fn.calls) {
      const next = lookup(call.target, r.graph);
      if (!next) continue;
      const sub = chainOf(next);
      if (sub && (!best || sub.length + 1 < best.length)) best = [next.fn.display, ...sub];
    }
    inProgress.delete(r.fn);
    memo.set(r.fn, best);
    return best;
  };

  const out = new Map<string, Finding[]>();
  for (const g of graphs) {
    const findings: Finding[] = [];
    for (const c of g.candidates) {
      const target = lookup(c.target, g);
      if (!target) continue;
      const chain = chainOf(target);
      if (!chain) continue;
      const path = [c.display, ...chain].map((s) => `\`${s}\``).join(" → ");
      findings.push({
        ...c.finding,
        message: `\`${c.display}\` blocks the event loop in ${c.caller}: ${path} makes a blocking call. Run it in a thread (\`await asyncio.to_thread(...)\`) or make the functions on that path async.`,
      });
    }
    out.set(g.path, findings);
  }
  return out;
}
