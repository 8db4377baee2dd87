// Runs the enabled rules on one file: parse once, walk once, dispatch each
// node to the rules that asked for its type, then apply suppressions, check
// fixes and sort. Pure: (path, text, options) in, FileResult out.
import { guideLink } from "../comments/guide-links.js";
import { allRules } from "../checks/index.js";
import { commentSpans, dropsComment, isSafeFix, type CommentSpan } from "./fix.js";
import { parsePython, syntaxTreeOf, type Node, type Tree } from "./parser.js";
import { LineIndex } from "./positions.js";
import { NO_PROJECT_FACTS, type ProjectFacts } from "./project.js";
import type { CallGraphRecorder, OffsetEdit, Report, Rule, RuleContext } from "./rule.js";
import { parseNoqa, Suppressions } from "./suppressions.js";
import { countSyntaxErrors } from "./syntax-errors.js";
import type { FileResult, Finding, Severity, SeveritySetting } from "./types.js";
import { walkTree, type VisitedNode } from "./walk.js";
import type { FunctionInfo, SemanticModel } from "./scope.js";
import {
  emptyCallGraph,
  resolveTransitiveFindings,
  runsInThread,
  type CallTarget,
  type FileCallGraph,
  type FunctionSummary,
} from "./call-graph.js";

export interface AnalyzeOptions {
  /** The rules to consider (default: the whole registry). */
  rules?: readonly Rule[];
  /** Severity per rule code, overriding each rule's default; `off` disables. */
  severities?: Readonly<Record<string, SeveritySetting>>;
  /** Base URL of the guide the findings link to. */
  guideUrl?: string;
  project?: ProjectFacts;
}

/** The rules that run under the given options, with the severity each reports at. */
export function enabledRules(options: AnalyzeOptions): { rule: Rule; severity: Severity }[] {
  const out: { rule: Rule; severity: Severity }[] = [];
  for (const rule of options.rules ?? allRules) {
    const setting = options.severities?.[rule.meta.code] ?? rule.meta.severity;
    if (setting !== "off") out.push({ rule, severity: setting });
  }
  return out;
}

/** Rules whose findings LG106 follows through plain functions. */
const BLOCKING_CODES = new Set(["LG101", "LG102", "LG103", "LG104", "LG105"]);
const TRANSITIVE_CODE = "LG106";

/** Analyses one file on its own. `initParser()` must have resolved first. */
export function analyzeSource(path: string, source: string, options: AnalyzeOptions = {}): FileResult {
  return analyzeProject([{ path, source }], options)[0]!;
}

export interface SourceFile {
  path: string;
  source: string;
  /** Per-file settings (configuration overrides for its path, its own pytest configuration). */
  severities?: Readonly<Record<string, SeveritySetting>>;
  project?: ProjectFacts;
}

/** What the first phase of a run keeps of each file: its result and the call graph LG106 follows. */
export interface FileAnalysis {
  result: FileResult;
  graph: FileCallGraph | null;
}

/**
 * Analyses the files of one run together (a PR's changed files, one CLI
 * scan): LG106 follows calls into the other files a caller imports.
 */
export function analyzeProject(files: readonly SourceFile[], options: AnalyzeOptions = {}): FileResult[] {
  return linkProject(analyzeFiles(files, options));
}

/** Phase one, per file (may run in worker threads). */
export function analyzeFiles(files: readonly SourceFile[], options: AnalyzeOptions = {}): FileAnalysis[] {
  return files.map((f) =>
    analyzeFile(f.path, f.source, {
      ...options,
      severities: f.severities ? { ...options.severities, ...f.severities } : options.severities,
      project: f.project ?? options.project,
    }),
  );
}

/** Phase two, over all files of the run: adds the findings that follow calls across files. */
export function linkProject(analyses: readonly FileAnalysis[]): FileResult[] {
  const results = analyses.map((a) => a.result);
  const graphs = analyses.flatMap((a) => (a.graph ? [a.graph] : []));
  if (graphs.length === 0) return results;
  const transitive = resolveTransitiveFindings(graphs);
  for (const r of results) {
    const extra = transitive.get(r.path);
    if (!extra?.length) continue;
    r.findings.push(...extra);
    r.findings.sort(compareFindings);
  }
  return results;
}

function compareFindings(a: Finding, b: Finding): number {
  return a.line - b.line || a.column - b.column || a.code.localeCompare(b.code);
}

function analyzeFile(path: string, source: string, options: AnalyzeOptions): FileAnalysis {
  const lines = new LineIndex(source);
  const tree = parsePython(source);
  try {
    const syntax = syntaxTreeOf(tree, source, lines);
    const errors = countSyntaxErrors(syntax.rootNode);
    const active = enabledRules(options);
    const wanted = new Set<string>(active.flatMap(({ rule }) => Object.keys(rule.visit)));
    wanted.add("comment");
    const { model, visited, comments } = walkTree(syntax, wanted);
    const byType = visitedByType(visited);
    const suppressions = collectSuppressions(comments, lines);
    const spans = commentSpans(comments);
    const transitive = active.find(({ rule }) => rule.meta.code === TRANSITIVE_CODE);
    const graph = transitive ? emptyCallGraph(path) : null;

    const findings: Finding[] = [];
    const pendingFixes: PendingFix[] = [];
    const seen = new Set<string>();
    for (const { rule, severity } of active) {
      const finding = (r: Report, message = r.message) =>
        toFinding({ ...r, message }, rule, severity, path, lines, suppressions, options, pendingFixes);
      const emit = (r: Report) => {
        const f = finding(r);
        if (!f) return;
        const key = `${f.code}:${f.line}:${f.column}:${f.endLine}:${f.endColumn}`;
        if (seen.has(key)) return;
        seen.add(key);
        findings.push(f);
      };
      const recorder = graph ? graphRecorder(graph, model, (call) => finding({ node: call, message: "" })) : NO_GRAPH;
      let ctx = makeContext(path, source, model, options.project ?? NO_PROJECT_FACTS, emit, recorder);
      if (graph && BLOCKING_CODES.has(rule.meta.code)) ctx = followIntoPlainFunctions(ctx, model, graph, recorder);
      visitInOrder(rule, visited, byType, ctx);
      rule.finish?.(ctx);
    }
    const kept = new Set(findings);
    keepSafeFixes(source, { tree, lines }, pendingFixes.filter((p) => kept.has(p.finding)), errors.count, spans);
    findings.sort(compareFindings);
    const first = errors.firstOffset === null ? null : lines.position(errors.firstOffset);
    return {
      result: { path, findings, syntaxErrors: { count: errors.count, first }, lines: lines.lineCount },
      graph,
    };
  } finally {
    tree.delete();
  }
}

/** The visited nodes of each type, in document order. */
function visitedByType(visited: readonly VisitedNode[]): Map<string, Node[]> {
  const out = new Map<string, Node[]>();
  for (const { node, type } of visited) {
    const list = out.get(type);
    if (list) list.push(node);
    else out.set(type, [node]);
  }
  return out;
}

/**
 * Hands a rule its nodes in document order. Most rules visit one type: they
 * get that type's list, not a pass over every visited node.
 */
function visitInOrder(rule: Rule, visited: readonly VisitedNode[], byType: ReadonlyMap<string, Node[]>, ctx: RuleContext): void {
  const types = Object.keys(rule.visit);
  if (types.length === 1) {
    const type = types[0]!;
    const visit = rule.visit[type]!;
    for (const node of byType.get(type) ?? []) visit(node, ctx);
    return;
  }
  for (const { node, type } of visited) rule.visit[type]?.(node, ctx);
}

const NO_GRAPH: CallGraphRecorder = {
  addCall: () => undefined,
  addCandidate: () => undefined,
  keyOf: (fn) => fn.name,
};

/**
 * The key of a function in its file's graph: `f`, `Class.m`, or a
 * position-qualified name for nested ones and for methods of a class whose
 * name the module defines twice (`if sys.platform == ...: class Notifier`):
 * `self.m()` resolves to one class node, and must not inherit the other's calls.
 */
function functionKey(fn: FunctionInfo): string {
  const parentScope = fn.scope.parent;
  if (parentScope?.kind === "module") return fn.name;
  const owner = fn.owner;
  const classDefinedIn = owner?.scope.parent;
  if (owner && classDefinedIn?.kind === "module" && (classDefinedIn.classes.get(owner.name)?.length ?? 0) === 1) {
    return `${owner.name}.${fn.name}`;
  }
  return `${fn.name}@${fn.node.startIndex}`;
}

function summaryFor(graph: FileCallGraph, fn: FunctionInfo): FunctionSummary {
  const key = functionKey(fn);
  let s = graph.functions.get(key);
  if (!s) {
    s = { key, display: `${fn.name}()`, blocking: null, calls: [] };
    graph.functions.set(key, s);
  }
  return s;
}

function graphRecorder(
  graph: FileCallGraph,
  model: SemanticModel,
  findingAt: (call: Node) => Finding | null,
): CallGraphRecorder {
  return {
    keyOf: functionKey,
    addCall(from, target, display) {
      summaryFor(graph, from).calls.push({ target, display });
    },
    addCandidate(call, target: CallTarget, display) {
      const finding = findingAt(call);
      if (!finding) return;
      const fn = model.enclosingFunction(call);
      graph.candidates.push({ target, display, caller: fn ? `\`async def ${fn.name}\`` : "the module", finding });
    },
  };
}

/**
 * Runs a blocking-call rule as if plain functions were coroutines too: what it
 * would report there is recorded as that function's blocking call for LG106.
 */
function followIntoPlainFunctions(
  ctx: RuleContext,
  model: SemanticModel,
  graph: FileCallGraph,
  recorder: CallGraphRecorder,
): RuleContext {
  const inPlainDef = (node: Node) => {
    const fn = model.enclosingFunction(node);
    return fn !== null && !fn.isAsync && !runsInThread(fn, model);
  };
  return {
    ...ctx,
    callGraph: recorder,
    isInCoroutine: (node) => model.isInCoroutine(node) || inPlainDef(node),
    report: (r) => {
      if (model.isInCoroutine(r.node)) {
        ctx.report(r);
        return;
      }
      const fn = model.enclosingFunction(r.node);
      if (!fn || fn.isAsync || runsInThread(fn, model)) return;
      const s = summaryFor(graph, fn);
      s.blocking ??= callText(r.node);
    },
  };
}

function callText(node: Node): string {
  const fn = node.type === "call" ? node.childForFieldName("function") : null;
  return fn ? `${fn.text.replace(/\s+/g, "")}()` : node.text.split("\n")[0]!.slice(0, 40);
}

function collectSuppressions(comments: readonly Node[], lines: LineIndex): Suppressions {
  const s = new Suppressions();
  for (const c of comments) {
    const parsed = parseNoqa(c.text);
    if (parsed) s.add(lines.position(c.startIndex).line, parsed);
  }
  return s;
}

const COMPOUND = new Set([
  "if_statement",
  "for_statement",
  "while_statement",
  "try_statement",
  "with_statement",
  "function_definition",
  "class_definition",
  "decorated_definition",
  "match_statement",
  "elif_clause",
  "else_clause",
  "except_clause",
  "finally_clause",
  "case_clause",
]);

/** The offset of the last line of the statement a node belongs to (a compound statement's header). */
function statementEnd(node: Node): number {
  let cur: Node | null = node;
  while (cur?.parent && cur.parent.type !== "block" && cur.parent.type !== "module") {
    if (COMPOUND.has(cur.parent.type)) {
      const colon = cur.parent.children.find((c) => c?.type === ":");
      if (colon && colon.startIndex >= node.startIndex) return colon.startIndex;
      return node.endIndex;
    }
    cur = cur.parent;
  }
  return cur ? cur.endIndex : node.endIndex;
}

function toFinding(
  r: Report,
  rule: Rule,
  severity: Severity,
  path: string,
  lines: LineIndex,
  suppressions: Suppressions,
  options: AnalyzeOptions,
  pending: PendingFix[],
): Finding | null {
  const start = lines.position(r.node.startIndex);
  const end = lines.position((r.end ?? r.node).endIndex);
  if (suppressions.size > 0) {
    const keys = [rule.meta.code, rule.meta.name.toUpperCase(), ...rule.meta.aliases];
    const last = lines.position(statementEnd(r.node)).line;
    if (suppressions.isSuppressed([start.line, last], keys)) return null;
  }
  let fix: Finding["fix"] = null;
  // Offered here, checked later for the whole file at once (see keepSafeFixes).
  if (r.fix && r.fix.edits.length > 0) {
    fix = {
      description: r.fix.description,
      edits: [...r.fix.edits]
        .sort((a, b) => a.start - b.start)
        .map((e) => {
          const s = lines.position(e.start);
          const t = lines.position(e.end);
          return { line: s.line, column: s.column, endLine: t.line, endColumn: t.column, text: e.text };
        }),
    };
  }
  const finding: Finding = {
    code: rule.meta.code,
    name: rule.meta.name,
    severity,
    path,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    message: r.message,
    guide: guideLink(rule.meta.guide, options.guideUrl),
    fix,
  };
  if (fix && r.fix) pending.push({ finding, edits: r.fix.edits });
  return finding;
}

interface PendingFix {
  finding: Finding;
  edits: readonly OffsetEdit[];
}

/**
 * The harness check of every fix (no new syntax error, no lost comment),
 * done with one re-parse for all of a file's fixes together; only when that
 * combined text is worse is each fix checked on its own.
 */
function keepSafeFixes(
  source: string,
  original: { tree: Tree; lines: LineIndex },
  pending: readonly PendingFix[],
  syntaxErrors: number,
  comments: readonly CommentSpan[],
): void {
  if (pending.length === 0) return;
  const batch: OffsetEdit[] = [];
  const inBatch: PendingFix[] = [];
  const alone: PendingFix[] = [];
  for (const p of pending) {
    if (dropsComment(p.edits, comments)) {
      p.finding.fix = null;
      continue;
    }
    const fresh = p.edits.filter((e) => !batch.some((b) => b.start === e.start && b.end === e.end && b.text === e.text));
    if (fresh.some((e) => batch.some((b) => editsOverlap(b, e)))) alone.push(p);
    else {
      batch.push(...fresh);
      inBatch.push(p);
    }
  }
  if (inBatch.length > 0 && !isSafeFix(source, batch, syntaxErrors, comments, original)) alone.push(...inBatch);
  for (const p of alone) if (!isSafeFix(source, p.edits, syntaxErrors, comments, original)) p.finding.fix = null;
}

function editsOverlap(a: OffsetEdit, b: OffsetEdit): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}

type Memo = (id: number, compute: () => string | null) => string | null;

/** Answers shared by every rule of a file: each rule asks the same questions about the same calls. */
const memos = new WeakMap<SemanticModel, { qualified: Memo; callee: Memo; type: Memo }>();

function memoFor(model: SemanticModel): { qualified: Memo; callee: Memo; type: Memo } {
  let m = memos.get(model);
  if (!m) {
    // Node ids are small dense integers (document order): an array sized to
    // the tree beats a Map here (one that grows by far-apart writes turns slow).
    const size = model.root.tree.nodeCount;
    const table = (): Memo => {
      const cache = new Array<string | null | undefined>(size);
      return (id, compute) => {
        const known = cache[id];
        if (known !== undefined) return known;
        const value = compute();
        cache[id] = value;
        return value;
      };
    };
    m = { qualified: table(), callee: table(), type: table() };
    memos.set(model, m);
  }
  return m;
}

function makeContext(
  path: string,
  source: string,
  model: SemanticModel,
  project: ProjectFacts,
  report: (r: Report) => void,
  callGraph: CallGraphRecorder,
): RuleContext {
  const memo = memoFor(model);
  return {
    path,
    source,
    model,
    project,
    report,
    callGraph,
    isInCoroutine: (node) => model.isInCoroutine(node),
    qualifiedName: (expr) => memo.qualified(expr.id, () => model.qualifiedName(expr)),
    calleeName: (call) =>
      memo.callee(call.id, () => {
        const fn = call.childForFieldName("function");
        // The call's own scope is cached by the walk; asking for the callee's would climb the tree.
        return fn ? model.qualifiedName(fn, model.scopeOf(call)) : null;
      }),
    typeOf: (expr) => memo.type(expr.id, () => model.typeOf(expr)),
    scopeOf: (node) => model.scopeOf(node),
    enclosingFunction: (node) => model.enclosingFunction(node),
    describeScope: (node) => {
      const s = model.scopeOf(node).functionScope;
      if (s.kind === "module") return "the module";
      if (s.kind === "lambda") return "a lambda";
      return `\`${s.isAsync ? "async def" : "def"} ${s.name}\``;
    },
  };
}

