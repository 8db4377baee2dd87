// Reads a parsed tree straight out of web-tree-sitter's wasm memory into a
// SyntaxTree, in one pass after parsing.
//
// The layouts read here are tree-sitter 0.25's C structs compiled to wasm32
// (little-endian, 4-byte pointers): `lib/subtree.h` (Subtree, SubtreeInlineData,
// SubtreeHeapData), `lib/parser.h` (TSLanguage, TSFieldMapEntry, TSMapSlice),
// `lib/tree.h` (TSTree). The traversal mirrors `lib/tree_cursor.c`: hidden
// nodes are looked through, aliases come from the parent production's alias
// sequence, and a node's field is the first non-inherited field map entry
// found walking up through its hidden ancestors. web-tree-sitter is pinned to
// an exact version for this reason, and parser.ts checks the reading against
// web-tree-sitter's own answers once per process (tree-check.ts).
import type { Language, Tree } from "web-tree-sitter";
import type { LineIndex } from "./positions.js";
import { Columns, ERROR_SYMBOL, EXTRA, HAS_ERROR, MISSING, NAMED, SyntaxTree, type Grammar } from "./syntax-tree.js";

/** The parts of the wasm module the reader needs (views are replaced when memory grows). */
export interface WasmHeap {
  HEAPU8: Uint8Array;
  HEAPU16: Uint16Array;
  HEAPU32: Uint32Array;
}

// SubtreeHeapData field offsets (wasm32).
const HEAP_PADDING_BYTES = 4;
const HEAP_SIZE_BYTES = 16;
const HEAP_ERROR_COST = 32;
const HEAP_CHILD_COUNT = 36;
const HEAP_SYMBOL = 40;
const HEAP_FLAGS = 44; // visible:1 named:1 extra:1 ... ; next byte: depends_on_column:1 is_missing:1
const HEAP_VISIBLE_CHILD_COUNT = 48;
const HEAP_PRODUCTION_ID = 66;
const SUBTREE_SIZE = 8;

// TSLanguage field offsets (wasm32).
const LANG_SYMBOL_COUNT = 4;
const LANG_ALIAS_COUNT = 8;
const LANG_PRODUCTION_ID_COUNT = 28;
const LANG_MAX_ALIAS_SEQUENCE_LENGTH = 36;
const LANG_FIELD_MAP_SLICES = 64;
const LANG_FIELD_MAP_ENTRIES = 68;
const LANG_SYMBOL_METADATA = 72;
const LANG_PUBLIC_SYMBOL_MAP = 76;
const LANG_ALIAS_SEQUENCES = 84;

/** What the reader needs of a grammar, copied out of wasm memory once. */
class GrammarTables implements Grammar {
  readonly typeNames: string[];
  readonly fieldNames: (string | null)[];
  readonly publicSymbol: Uint16Array;
  readonly namedSymbol: Uint8Array;
  readonly maxAliasLength: number;
  readonly aliasSequences: Uint16Array;
  /** Per production: [start, end) into the field entry arrays. */
  readonly fieldSliceStart: Uint16Array;
  readonly fieldSliceEnd: Uint16Array;
  readonly fieldEntryId: Uint16Array;
  readonly fieldEntryChild: Uint8Array;
  readonly fieldEntryInherited: Uint8Array;
  private readonly fieldTable: Uint16Array;

  constructor(heap: WasmHeap, address: number, language: Language) {
    const u8 = heap.HEAPU8;
    const u16 = heap.HEAPU16;
    const u32 = heap.HEAPU32;
    const at32 = (offset: number) => u32[(address + offset) >> 2]!;
    const symbols = at32(LANG_SYMBOL_COUNT) + at32(LANG_ALIAS_COUNT);
    const productions = at32(LANG_PRODUCTION_ID_COUNT);
    this.maxAliasLength = u16[(address + LANG_MAX_ALIAS_SEQUENCE_LENGTH) >> 1]!;

    this.typeNames = language.types.map((t) => t ?? "ERROR");
    this.fieldNames = language.fields.map((name) => name ?? null);

    const publicMap = at32(LANG_PUBLIC_SYMBOL_MAP);
    this.publicSymbol = u16.slice(publicMap >> 1, (publicMap >> 1) + symbols);
    const metadata = at32(LANG_SYMBOL_METADATA);
    this.namedSymbol = new Uint8Array(symbols);
    for (let s = 0; s < symbols; s++) this.namedSymbol[s] = u8[metadata + 3 * s + 1]!;

    const aliases = at32(LANG_ALIAS_SEQUENCES);
    const aliasLength = productions * this.maxAliasLength;
    this.aliasSequences = aliases ? u16.slice(aliases >> 1, (aliases >> 1) + aliasLength) : new Uint16Array(aliasLength);

    const slices = at32(LANG_FIELD_MAP_SLICES);
    const entries = at32(LANG_FIELD_MAP_ENTRIES);
    this.fieldSliceStart = new Uint16Array(productions);
    this.fieldSliceEnd = new Uint16Array(productions);
    let entryCount = 0;
    if (slices && language.fields.length > 1) {
      for (let p = 0; p < productions; p++) {
        const index = u16[(slices + 4 * p) >> 1]!;
        const length = u16[(slices + 4 * p + 2) >> 1]!;
        this.fieldSliceStart[p] = index;
        this.fieldSliceEnd[p] = index + length;
        entryCount = Math.max(entryCount, index + length);
      }
    }
    this.fieldEntryId = new Uint16Array(entryCount);
    this.fieldEntryChild = new Uint8Array(entryCount);
    this.fieldEntryInherited = new Uint8Array(entryCount);
    for (let e = 0; e < entryCount; e++) {
      const a = entries + 4 * e;
      this.fieldEntryId[e] = u16[a >> 1]!;
      this.fieldEntryChild[e] = u8[a + 2]!;
      this.fieldEntryInherited[e] = u8[a + 3]!;
    }
    this.fieldTable = this.buildFieldTable(productions);
  }

  private readonly symbolTables = new Map<string, Uint8Array>();

  symbolsNamed(types: readonly string[]): Uint8Array {
    const key = [...types].sort().join(" ");
    let table = this.symbolTables.get(key);
    if (!table) {
      const names = new Set(types);
      table = new Uint8Array(this.typeNames.length);
      this.typeNames.forEach((name, s) => {
        if (names.has(name)) table![s] = 1;
      });
      this.symbolTables.set(key, table);
    }
    return table;
  }

  /** The field a production gives its structural child `index` (0 = none), as tree_cursor.c reads it. */
  fieldOf(production: number, index: number): number {
    if (index < this.maxAliasLength) return this.fieldTable[production * this.maxAliasLength + index]!;
    // No production is longer than the longest alias sequence; kept for safety.
    const end = this.fieldSliceEnd[production]!;
    for (let e = this.fieldSliceStart[production]!; e < end; e++) {
      if (this.fieldEntryChild[e] === index && this.fieldEntryInherited[e] === 0) return this.fieldEntryId[e]!;
    }
    return 0;
  }

  /** fieldOf for every production and child position, looked up once per grammar. */
  private buildFieldTable(productions: number): Uint16Array {
    const width = this.maxAliasLength;
    const table = new Uint16Array(productions * width);
    for (let p = 0; p < productions; p++) {
      for (let e = this.fieldSliceStart[p]!; e < this.fieldSliceEnd[p]!; e++) {
        const child = this.fieldEntryChild[e]!;
        // The first non-inherited entry for a child wins, as in tree_cursor.c.
        if (child < width && this.fieldEntryInherited[e] === 0 && table[p * width + child] === 0) {
          table[p * width + child] = this.fieldEntryId[e]!;
        }
      }
    }
    return table;
  }
}

const grammars = new WeakMap<Language, GrammarTables>();

function grammarFor(heap: WasmHeap, address: number, language: Language): GrammarTables {
  let g = grammars.get(language);
  if (!g) {
    g = new GrammarTables(heap, address, language);
    grammars.set(language, g);
  }
  return g;
}

// The stack of subtrees whose children are being listed (a visible node, or a
// hidden node looked through), kept as numbers in one growable array rather
// than an object per frame: one slot group per frame.
const F_PTR = 0; // address of the subtree's heap data; its children lie just before it
const F_LEFT = 1; // children not yet listed
const F_STRUCTURAL = 2; // structural (non-extra) children listed so far
const F_PRODUCTION = 3;
const F_AT = 4; // byte offset where the next child's padding begins
const F_OWNER = 5; // the visible node the children are listed under
const F_FIELD = 6; // for a hidden subtree: the field it carries down to its visible children
const FRAME = 7;

/**
 * Flattens a web-tree-sitter tree parsed from a JavaScript string (UTF-16:
 * tree-sitter counts two bytes per code unit, halved here as web-tree-sitter does).
 */
export function readSyntaxTree(heap: WasmHeap, tree: Tree, source: string, lines?: LineIndex): SyntaxTree {
  const u8 = heap.HEAPU8;
  const u16 = heap.HEAPU16;
  const u32 = heap.HEAPU32;
  const treeAddress = (tree as unknown as { 0: number })[0];
  const languageAddress = u32[(treeAddress + 8) >> 2]!;
  const g = grammarFor(heap, languageAddress, tree.language);
  const cols = new Columns(Math.max(64, source.length >> 1));

  // The root: `Subtree root` is the first member of TSTree.
  if ((u8[treeAddress]! & 1) === 1) {
    // A tree whose root is a single token (never produced by the Python grammar, kept for completeness).
    const padding = u8[treeAddress + 6]!;
    const size = u8[treeAddress + 7]!;
    const symbol = g.publicSymbol[u8[treeAddress + 1]!]!;
    cols.add(symbol, (u8[treeAddress]! >> 2) & 1 ? NAMED : 0, 0, padding >> 1, (padding + size) >> 1, -1);
    return new SyntaxTree(source, cols, g, lines);
  }
  const rootPtr = u32[treeAddress >> 2]!;
  const rootPadding = u32[(rootPtr + HEAP_PADDING_BYTES) >> 2]!;
  const rootSize = u32[(rootPtr + HEAP_SIZE_BYTES) >> 2]!;
  cols.add(
    symbolOf(g, u16[(rootPtr + HEAP_SYMBOL) >> 1]!, 0),
    heapFlags(u8, u32, rootPtr, 0, g),
    0,
    rootPadding >> 1,
    (rootPadding + rootSize) >> 1,
    -1,
  );

  const aliasLength = g.maxAliasLength;
  const aliases = g.aliasSequences;
  const stack: number[] = [];
  let top = -FRAME; // index of the top frame's first slot
  const push = (ptr: number, at: number, owner: number, field: number) => {
    const childCount = u32[(ptr + HEAP_CHILD_COUNT) >> 2]!;
    if (childCount === 0) return;
    top += FRAME;
    stack[top + F_PTR] = ptr;
    stack[top + F_LEFT] = childCount;
    stack[top + F_STRUCTURAL] = 0;
    stack[top + F_PRODUCTION] = u16[(ptr + HEAP_PRODUCTION_ID) >> 1]!;
    stack[top + F_AT] = at;
    stack[top + F_OWNER] = owner;
    stack[top + F_FIELD] = field;
  };
  push(rootPtr, 0, 0, 0);

  while (top >= 0) {
    const left = stack[top + F_LEFT]!;
    if (left === 0) {
      top -= FRAME;
      continue;
    }
    stack[top + F_LEFT] = left - 1;
    const a = stack[top + F_PTR]! - SUBTREE_SIZE * left;
    const owner = stack[top + F_OWNER]!;
    const bits = u8[a]!;
    const inline = (bits & 1) === 1;
    let ptr = 0;
    let rawSymbol: number;
    let visible: boolean;
    let extra: boolean;
    let padding: number;
    let size: number;
    if (inline) {
      visible = (bits & 2) !== 0;
      extra = (bits & 8) !== 0;
      rawSymbol = u8[a + 1]!;
      padding = u8[a + 6]!;
      size = u8[a + 7]!;
    } else {
      ptr = u32[a >> 2]!;
      const heapBits = u8[ptr + HEAP_FLAGS]!;
      visible = (heapBits & 1) !== 0;
      extra = (heapBits & 4) !== 0;
      rawSymbol = u16[(ptr + HEAP_SYMBOL) >> 1]!;
      padding = u32[(ptr + HEAP_PADDING_BYTES) >> 2]!;
      size = u32[(ptr + HEAP_SIZE_BYTES) >> 2]!;
    }
    let alias = 0;
    let field = 0;
    if (!extra) {
      const production = stack[top + F_PRODUCTION]!;
      const structural = stack[top + F_STRUCTURAL]!;
      if (production !== 0 && aliasLength > 0) alias = aliases[production * aliasLength + structural]!;
      field = g.fieldOf(production, structural) || stack[top + F_FIELD]!;
      stack[top + F_STRUCTURAL] = structural + 1;
    }
    const paddingStart = stack[top + F_AT]!;
    const start = paddingStart + padding;
    const end = start + size;
    stack[top + F_AT] = end;

    if (visible || alias !== 0) {
      const symbol = symbolOf(g, rawSymbol, alias);
      const flags = inline ? inlineFlags(bits, alias, g) : heapFlags(u8, u32, ptr, alias, g);
      const node = cols.add(symbol, flags, field, start >> 1, end >> 1, owner);
      if (!inline) push(ptr, paddingStart, node, 0);
    } else if (!inline && u32[(ptr + HEAP_VISIBLE_CHILD_COUNT) >> 2]! > 0) {
      // For a heap leaf that word holds other data; push() reads child_count first and skips leaves.
      push(ptr, paddingStart, owner, field);
    }
  }
  return new SyntaxTree(source, cols, g, lines);
}

function symbolOf(g: GrammarTables, raw: number, alias: number): number {
  const s = alias || raw;
  return s === ERROR_SYMBOL ? s : g.publicSymbol[s]!;
}

function inlineFlags(bits: number, alias: number, g: GrammarTables): number {
  let flags = 0;
  if (alias ? g.namedSymbol[alias] : bits & 4) flags |= NAMED;
  if (bits & 8) flags |= EXTRA;
  // A missing token costs an error even when stored inline.
  if (bits & 32) flags |= MISSING | HAS_ERROR;
  return flags;
}

function heapFlags(u8: Uint8Array, u32: Uint32Array, ptr: number, alias: number, g: GrammarTables): number {
  const bits = u8[ptr + HEAP_FLAGS]!;
  const more = u8[ptr + HEAP_FLAGS + 1]!;
  let flags = 0;
  if (alias ? g.namedSymbol[alias] : bits & 2) flags |= NAMED;
  if (bits & 4) flags |= EXTRA;
  if (more & 2) flags |= MISSING | HAS_ERROR;
  if (u32[(ptr + HEAP_ERROR_COST) >> 2]! > 0) flags |= HAS_ERROR;
  return flags;
}
