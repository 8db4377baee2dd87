// What a rule is: metadata and docs (data, rendered to docs/rules and run as
// tests) plus visitors keyed by node type, called by the analyzer's single walk.
import type { Node } from "./parser.js";
import type { Scope, SemanticModel, FunctionInfo } from "./scope.js";
import type { SeveritySetting } from "./types.js";
import type { ProjectFacts } from "./project.js";
import type { CallTarget } from "./call-graph.js";

/** Records the call graph LG106 follows (see call-graph.ts). */
export interface CallGraphRecorder {
  /** A plain function calls another function. */
  addCall(from: FunctionInfo, target: CallTarget, display: string): void;
  /** A coroutine calls a plain function: reported if that function reaches a blocking call. */
  addCandidate(call: Node, target: CallTarget, display: string): void;
  /** The key a function is known by in the graph. */
  keyOf(fn: FunctionInfo): string;
}

export type Fixable = "never" | "sometimes" | "always";

export interface RuleMeta {
  /** Stable code, `LG` + three digits. */
  code: string;
  /** Stable kebab-case name of the anti-pattern; equals the rule's file name. */
  name: string;
  severity: SeveritySetting;
  /** Anchor of the guide section (a GitHub-style heading slug). */
  guide: string;
  /** The ruff / flake8-async codes that mean the same check. */
  aliases: readonly string[];
  fixable: Fixable;
  /** Codes of rules whose findings this rule builds on (they must be enabled for it to report). */
  requires?: readonly string[];
}

export interface RuleDocs {
  summary: string;
  /** What goes wrong at run time. */
  why: string;
  /** What the fix is, in a sentence. */
  fix: string;
  bad: readonly string[];
  good: readonly string[];
  limitations?: string;
  /** A file name the examples are analysed as (test rules need `test_*.py`). */
  examplePath?: string;
  /** Project facts the examples are analysed with (LG108 needs configured `blockingCalls`). */
  exampleProject?: Partial<ProjectFacts>;
}

/** An edit by UTF-16 offsets into the source; the analyzer turns it into lines and columns. */
export interface OffsetEdit {
  start: number;
  end: number;
  text: string;
}

export interface FixProposal {
  description: string;
  edits: OffsetEdit[];
}

export interface Report {
  node: Node;
  message: string;
  fix?: FixProposal | null;
  /** Report from `node`'s start to `end`'s end when given (e.g. a `def` line). */
  end?: Node;
}

export interface RuleContext {
  readonly path: string;
  readonly source: string;
  readonly model: SemanticModel;
  readonly project: ProjectFacts;
  report(report: Report): void;
  /** The innermost enclosing function is an `async def` (nested def/lambda/class reset it). */
  isInCoroutine(node: Node): boolean;
  /** Qualified dotted name of an expression through the file's imports, or null. */
  qualifiedName(expr: Node): string | null;
  /** Qualified name of a call's callee. */
  calleeName(call: Node): string | null;
  /** What is locally known of an expression's type (`requests.Session`). */
  typeOf(expr: Node): string | null;
  scopeOf(node: Node): Scope;
  enclosingFunction(node: Node): FunctionInfo | null;
  /** "`async def fetch`", "`def main`", "a lambda" or "the module". */
  describeScope(node: Node): string;
  readonly callGraph: CallGraphRecorder;
}

export interface Rule {
  meta: RuleMeta;
  docs: RuleDocs;
  visit: Readonly<Record<string, (node: Node, ctx: RuleContext) => void>>;
  /** Whole-file checks, after every node was visited. */
  finish?: (ctx: RuleContext) => void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
