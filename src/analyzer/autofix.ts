// `loopguard scan --fix`: apply every exact fix of a file, re-analyse, and
// repeat until nothing more is fixable. Each round is checked like a single
// fix is: the result must parse with no new syntax errors.
import { analyzeProject, type AnalyzeOptions } from "./analyze.js";
import { applyOffsetEdits } from "./fix.js";
import type { OffsetEdit } from "./rule.js";
import { parsePython } from "./parser.js";
import { LineIndex } from "./positions.js";
import { countSyntaxErrors } from "./syntax-errors.js";
import type { Finding } from "./types.js";

export interface FixOutcome {
  output: string;
  /** How many fixes were applied, over all rounds. */
  applied: number;
  /** Codes of the fixes applied, in order. */
  codes: string[];
}

const MAX_ROUNDS = 5;

export function fixSource(path: string, source: string, options: AnalyzeOptions = {}): FixOutcome {
  let text = source;
  let applied = 0;
  const codes: string[] = [];
  const baseErrors = syntaxErrorCount(source);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const [result] = analyzeProject([{ path, source: text }], options);
    const fixable = (result?.findings ?? []).filter((f) => f.fix);
    if (fixable.length === 0) break;
    const { edits, used } = chooseEdits(text, fixable);
    if (used.length === 0) break;
    const next = applyOffsetEdits(text, edits);
    if (next === null || next === text || syntaxErrorCount(next) > baseErrors) break;
    text = next;
    applied += used.length;
    codes.push(...used.map((f) => f.code));
  }
  return { output: text, applied, codes };
}

/** Non-overlapping edits from the findings' fixes; identical edits (two fixes adding the same import) are merged. */
function chooseEdits(text: string, findings: readonly Finding[]): { edits: OffsetEdit[]; used: Finding[] } {
  const lines = new LineIndex(text);
  const chosen: OffsetEdit[] = [];
  const used: Finding[] = [];
  for (const f of findings) {
    const edits = f.fix!.edits.map((e) => ({
      start: lines.offset(e.line, e.column),
      end: lines.offset(e.endLine, e.endColumn),
      text: e.text,
    }));
    const fresh = edits.filter((e) => !chosen.some((c) => c.start === e.start && c.end === e.end && c.text === e.text));
    const clashes = fresh.some((e) => chosen.some((c) => overlaps(c, e)));
    if (clashes) continue;
    chosen.push(...fresh);
    used.push(f);
  }
  return { edits: chosen, used };
}

function overlaps(a: OffsetEdit, b: OffsetEdit): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}

function syntaxErrorCount(text: string): number {
  const tree = parsePython(text);
  try {
    return countSyntaxErrors(tree.rootNode).count;
  } finally {
    tree.delete();
  }
}

