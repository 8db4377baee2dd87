// The anchors loopguard is measured against, on the same files in the same
// run: ruff's WebAssembly build with its async rules, and tree-sitter parsing
// alone (the floor under any tree-sitter analyzer).
import { PositionEncoding, Workspace } from "@astral-sh/ruff-wasm-nodejs";
import { initParser, parsePython } from "../src/analyzer/parser.js";

export interface Timed {
  seconds: number;
  findings?: number;
}

export interface BenchFile {
  path: string;
  source: string;
}

/** The ruff rules that overlap loopguard's: flake8-async, RUF006 (dangling task), RUF029 (async without await), PLE1142 (await outside async). */
export const RUFF_SELECT = ["ASYNC", "RUF006", "RUF029", "PLE1142"];

export function ruffVersion(): string {
  return Workspace.version();
}

/** ruff on one thread over every file, as its WebAssembly build runs. */
export function measureRuff(files: readonly BenchFile[]): Timed {
  const ws = new Workspace({ lint: { select: RUFF_SELECT, preview: true } }, PositionEncoding.Utf16);
  try {
    const started = performance.now();
    let findings = 0;
    for (const f of files) findings += (ws.check(f.source) as unknown[]).length;
    return { seconds: (performance.now() - started) / 1000, findings };
  } finally {
    ws.free();
  }
}

/** tree-sitter parsing alone, one thread. */
export async function measureParseOnly(files: readonly BenchFile[]): Promise<Timed> {
  await initParser();
  const started = performance.now();
  for (const f of files) parsePython(f.source).delete();
  return { seconds: (performance.now() - started) / 1000 };
}
