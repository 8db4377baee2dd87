// One tree-sitter parser per process (or per worker thread): loading the
// wasm grammar costs tens of milliseconds, parsing a file costs far less.
import { createRequire } from "node:module";
import { Language, Parser, type Tree } from "web-tree-sitter";
import { installNodeMemo } from "./node-memo.js";

export type { Node, Tree } from "web-tree-sitter";

installNodeMemo();

let ready: Promise<Parser> | null = null;
let parser: Parser | null = null;

function grammarPath(): string {
  const require = createRequire(import.meta.url);
  return require.resolve("tree-sitter-python/tree-sitter-python.wasm");
}

/** Loads the runtime and the Python grammar once; later calls share the same promise. */
export function initParser(): Promise<Parser> {
  ready ??= (async () => {
    await Parser.init();
    const language = await Language.load(grammarPath());
    const p = new Parser();
    p.setLanguage(language);
    parser = p;
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
