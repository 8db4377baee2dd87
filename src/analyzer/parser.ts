// One tree-sitter parser per process (or per worker thread): loading the
// wasm grammar costs tens of milliseconds, parsing a file costs far less.
import { createRequire } from "node:module";
import { Language, Parser, type Tree } from "web-tree-sitter";
import type { LineIndex } from "./positions.js";
import type { SyntaxTree } from "./syntax-tree.js";
import { firstDifference } from "./tree-check.js";
import { readSyntaxTree, type WasmHeap } from "./tree-reader.js";

export type { Tree } from "web-tree-sitter";
/** The node type every rule and the semantic model work with (see syntax-tree.ts). */
export type { SyntaxNode as Node, SyntaxTree } from "./syntax-tree.js";

let ready: Promise<Parser> | null = null;
let parser: Parser | null = null;
// Emscripten fills the options object handed to `Parser.init` with the
// module's exports, the memory views among them.
const wasm = {} as Partial<WasmHeap>;

function grammarPath(): string {
  const require = createRequire(import.meta.url);
  return require.resolve("tree-sitter-python/tree-sitter-python.wasm");
}

/** Loads the runtime and the Python grammar once; later calls share the same promise. */
export function initParser(): Promise<Parser> {
  ready ??= (async () => {
    await Parser.init(wasm);
    const language = await Language.load(grammarPath());
    const p = new Parser();
    p.setLanguage(language);
    parser = p;
    verifyLayout();
    return p;
  })();
  return ready;
}

/**
 * Parses Python source (incrementally when given the edited tree of an
 * earlier version). `initParser()` must have resolved first; the caller
 * owns the tree and must `delete()` it (wasm memory is not garbage-collected).
 */
export function parsePython(source: string, oldTree?: Tree): Tree {
  if (!parser) throw new Error("initParser() must complete before parsePython()");
  const tree = parser.parse(source, oldTree ?? null);
  if (!tree) throw new Error("tree-sitter returned no tree");
  return tree;
}

/** The JavaScript copy of a tree `parsePython` returned (read before the tree is deleted). */
export function syntaxTreeOf(tree: Tree, source: string, lines?: LineIndex): SyntaxTree {
  return readSyntaxTree(heap(), tree, source, lines);
}

/** Parses and copies in one step, for callers that need no incremental re-parse. */
export function parseSyntaxTree(source: string): SyntaxTree {
  const tree = parsePython(source);
  try {
    return syntaxTreeOf(tree, source);
  } finally {
    tree.delete();
  }
}

function heap(): WasmHeap {
  if (!wasm.HEAPU8 || !wasm.HEAPU16 || !wasm.HEAPU32) throw new Error("initParser() must complete before reading a tree");
  return wasm as WasmHeap;
}

// Every construct whose shape the reader must get right: aliases, fields
// inherited through hidden nodes, extras, errors and missing tokens.
const LAYOUT_SAMPLE = `import os, a.b as c
from . import (x as y, z)
@dec(1, *a, k=2, **kw)
async def f(p: int = 1, /, *args, q=None, **kw) -> "T":
    """doc"""  # comment
    async with a() as (b, c), d:
        r = [i async for i in g() if i] or {k: v for k, v in d.items()}
        await asyncio.sleep(1); yield x
    match p:
        case [1, *rest] | {"k": _} if rest: pass
    try:
        lambda x, *y: (x, y)[0:1:2]
    except* (E, F) as e:
        raise X from e
    finally:
        global g; del a[1], b.c
print(f"{x!r:>{w}} {{y}}", "\\N{DASH}" b"x")
def broken(:
    return (1 +
class K(B, metaclass=M): x: int = 1
`;

/** Checks the reader against web-tree-sitter's own answers on a sample, once per process. */
function verifyLayout(): void {
  const { difference } = compareTreeCopy(LAYOUT_SAMPLE);
  if (difference) {
    throw new Error(
      `loopguard cannot read this web-tree-sitter build's trees (${difference}); reinstall the locked version with \`npm ci\``,
    );
  }
}

/**
 * Parses `source` and compares the copy of its tree with web-tree-sitter's
 * own answers: how many nodes the copy has, and the first difference (null
 * when they agree everywhere).
 */
export function compareTreeCopy(source: string): { nodes: number; difference: string | null } {
  const tree = parsePython(source);
  try {
    const copy = syntaxTreeOf(tree, source);
    return { nodes: copy.nodeCount, difference: firstDifference(copy, tree) };
  } finally {
    tree.delete();
  }
}
