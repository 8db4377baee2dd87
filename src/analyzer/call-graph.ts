// The call graph LG106 follows: which plain functions make a blocking call,
// directly or through other plain functions, in this file or in another file
// of the same run that the caller imports. Built during each file's walk,
// resolved once all files of a run are analysed.
import type { Finding } from "./types.js";

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
  const parts = path
    .replace(/\\/g, "/")
    .replace(/\.py$/, "")
    .split("/")
    .filter((p) => p && p !== ".");
  if (parts[parts.length - 1] === "__init__") parts.pop();
  const names: string[] = [];
  for (let i = 0; i < parts.length; i++) names.push(parts.slice(i).join("."));
  return names;
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

/** Finds the file and function an imported dotted name means, among the run's files; null when unknown or ambiguous. */
function resolveImport(qualified: string, importer: FileCallGraph, byModule: Map<string, FileCallGraph[]>): Resolved | null {
  const absolute = absoluteFromRelative(qualified, importer.path);
  if (!absolute) return null;
  const parts = absolute.split(".");
  // Longest module prefix first: `app.db.Repo.load` tries `app.db.Repo` then `app.db`.
  for (let cut = parts.length - 1; cut >= 1; cut--) {
    const candidates = byModule.get(parts.slice(0, cut).join("."));
    if (!candidates) continue;
    if (candidates.length !== 1) return null;
    const graph = candidates[0]!;
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
  const byModule = new Map<string, FileCallGraph[]>();
  for (const g of graphs) {
    for (const name of moduleNamesOf(g.path)) {
      const list = byModule.get(name);
      if (list) list.push(g);
      else byModule.set(name, [g]);
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
