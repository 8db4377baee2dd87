// A JavaScript copy of a parsed file's syntax tree, read straight out of the
// parser's wasm memory in one pass after parsing.
//
// Why: web-tree-sitter answers every `node.type`, `node.parent` or
// `node.childForFieldName()` with a call into wasm that marshals the node
// through a transfer buffer and allocates a fresh Node object. The rules ask
// millions of such questions; profiled, that traffic cost more than the parse
// itself. Here the tree is flattened once into typed arrays (one slot per
// visible node, in document order) and every question after that is an array
// read. `SyntaxNode` offers the part of web-tree-sitter's Node API the
// analyzer uses, with the same answers; `test/analyzer/syntax-tree.test.ts`
// compares the two node for node on the fixtures and on fuzzed input.
//
// The layouts read below are tree-sitter 0.25's C structs compiled to wasm32
// (little-endian, 4-byte pointers): `lib/subtree.h` (Subtree, SubtreeInlineData,
// SubtreeHeapData), `lib/parser.h` (TSLanguage, TSFieldMapEntry, TSMapSlice),
// `lib/tree.h` (TSTree). The traversal mirrors `lib/tree_cursor.c`: hidden
// nodes are looked through, aliases come from the parent production's alias
// sequence, and a node's field is the first non-inherited field map entry
// found walking up through its hidden ancestors. web-tree-sitter is pinned to
// an exact version for this reason, and `verifyLayout` checks the reading
// against web-tree-sitter's own answers once per process.
import type { Language, Tree } from "web-tree-sitter";

/** The parts of the wasm module the reader needs (views are replaced when memory grows). */
export interface WasmHeap {
  HEAPU8: Uint8Array;
  HEAPU16: Uint16Array;
  HEAPU32: Uint32Array;
}

const ERROR_SYMBOL = 0xffff;

const NAMED = 1;
const MISSING = 2;
const EXTRA = 4;
const HAS_ERROR = 8;

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
class GrammarTables {
  readonly typeNames: string[];
  readonly fieldIds = new Map<string, number>();
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

  constructor(heap: WasmHeap, address: number, language: Language) {
    const u8 = heap.HEAPU8;
    const u16 = heap.HEAPU16;
    const u32 = heap.HEAPU32;
    const at32 = (offset: number) => u32[(address + offset) >> 2]!;
    const symbols = at32(LANG_SYMBOL_COUNT) + at32(LANG_ALIAS_COUNT);
    const productions = at32(LANG_PRODUCTION_ID_COUNT);
    this.maxAliasLength = u16[(address + LANG_MAX_ALIAS_SEQUENCE_LENGTH) >> 1]!;

    this.typeNames = language.types.map((t) => t ?? "ERROR");
    language.fields.forEach((name, id) => {
      if (name) this.fieldIds.set(name, id);
    });

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
    const end = this.fieldSliceEnd[production]!;
    if (end === 0) return 0;
    for (let e = this.fieldSliceStart[production]!; e < end; e++) {
      if (this.fieldEntryChild[e] === index && this.fieldEntryInherited[e] === 0) return this.fieldEntryId[e]!;
    }
    return 0;
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

/** The growable per-node columns filled while flattening. */
class Columns {
  symbol: Uint16Array;
  flags: Uint8Array;
  field: Uint16Array;
  start: Uint32Array;
  end: Uint32Array;
  parent: Int32Array;
  firstChild: Int32Array;
  nextSibling: Int32Array;
  lastChild: Int32Array;
  length = 0;

  constructor(capacity: number) {
    this.symbol = new Uint16Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.field = new Uint16Array(capacity);
    this.start = new Uint32Array(capacity);
    this.end = new Uint32Array(capacity);
    this.parent = new Int32Array(capacity);
    this.firstChild = new Int32Array(capacity);
    this.nextSibling = new Int32Array(capacity);
    this.lastChild = new Int32Array(capacity);
  }

  add(symbol: number, flags: number, field: number, start: number, end: number, parent: number): number {
    if (this.length === this.symbol.length) this.grow();
    const i = this.length++;
    this.symbol[i] = symbol;
    this.flags[i] = flags;
    this.field[i] = field;
    this.start[i] = start;
    this.end[i] = end;
    this.parent[i] = parent;
    this.firstChild[i] = -1;
    this.nextSibling[i] = -1;
    this.lastChild[i] = -1;
    if (parent >= 0) {
      const last = this.lastChild[parent]!;
      if (last < 0) this.firstChild[parent] = i;
      else this.nextSibling[last] = i;
      this.lastChild[parent] = i;
    }
    return i;
  }

  private grow(): void {
    const n = this.symbol.length * 2;
    const widen = <T extends Uint16Array | Uint8Array | Uint32Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.symbol = widen(this.symbol, (k) => new Uint16Array(k));
    this.flags = widen(this.flags, (k) => new Uint8Array(k));
    this.field = widen(this.field, (k) => new Uint16Array(k));
    this.start = widen(this.start, (k) => new Uint32Array(k));
    this.end = widen(this.end, (k) => new Uint32Array(k));
    this.parent = widen(this.parent, (k) => new Int32Array(k));
    this.firstChild = widen(this.firstChild, (k) => new Int32Array(k));
    this.nextSibling = widen(this.nextSibling, (k) => new Int32Array(k));
    this.lastChild = widen(this.lastChild, (k) => new Int32Array(k));
  }
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
export function readSyntaxTree(heap: WasmHeap, tree: Tree, source: string): SyntaxTree {
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
    return new SyntaxTree(source, cols, g);
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
  return new SyntaxTree(source, cols, g);
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

export interface Point {
  row: number;
  column: number;
}

/** A parsed file: its nodes in document order (index 0 is the module). */
export class SyntaxTree {
  private readonly objects: (SyntaxNode | undefined)[] = [];
  private lineStarts: number[] | null = null;
  readonly rootNode: SyntaxNode;

  /** @internal */
  constructor(
    readonly source: string,
    /** @internal */ readonly cols: Columns,
    /** @internal */ readonly grammar: GrammarTables,
  ) {
    this.rootNode = this.node(0)!;
  }

  get nodeCount(): number {
    return this.cols.length;
  }

  /** The node at an index (document order), made once and kept. */
  node(index: number): SyntaxNode | null {
    if (index < 0 || index >= this.cols.length) return null;
    return (this.objects[index] ??= new SyntaxNode(this, index));
  }

  typeOf(index: number): string {
    const s = this.cols.symbol[index]!;
    return s === ERROR_SYMBOL ? "ERROR" : (this.grammar.typeNames[s] ?? "ERROR");
  }

  isNamed(index: number): boolean {
    return (this.cols.flags[index]! & NAMED) !== 0;
  }

  fieldId(name: string): number {
    return this.grammar.fieldIds.get(name) ?? -1;
  }

  /** A table over symbol ids: 1 where the symbol's name is one of `types`. */
  symbolsNamed(types: readonly string[]): Uint8Array {
    return this.grammar.symbolsNamed(types);
  }

  point(offset: number): Point {
    const starts = (this.lineStarts ??= lineStartsOf(this.source));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { row: lo, column: offset - starts[lo]! };
  }
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** One node of a SyntaxTree, answering as web-tree-sitter's Node does. */
export class SyntaxNode {
  private kids: SyntaxNode[] | null = null;
  private named: SyntaxNode[] | null = null;
  private cachedText: string | null = null;
  private cachedType: string | null = null;
  /** Position among the parent's children (set when the parent lists them). */
  private indexInParent = -1;

  /** @internal */
  constructor(
    readonly tree: SyntaxTree,
    /** Unique within the tree: the node's index in document order. */
    readonly id: number,
  ) {}

  get type(): string {
    return (this.cachedType ??= this.tree.typeOf(this.id));
  }

  get isNamed(): boolean {
    return this.tree.isNamed(this.id);
  }

  get isMissing(): boolean {
    return (this.tree.cols.flags[this.id]! & MISSING) !== 0;
  }

  get isExtra(): boolean {
    return (this.tree.cols.flags[this.id]! & EXTRA) !== 0;
  }

  get isError(): boolean {
    return this.tree.cols.symbol[this.id] === ERROR_SYMBOL;
  }

  get hasError(): boolean {
    return (this.tree.cols.flags[this.id]! & HAS_ERROR) !== 0;
  }

  get startIndex(): number {
    return this.tree.cols.start[this.id]!;
  }

  get endIndex(): number {
    return this.tree.cols.end[this.id]!;
  }

  get startPosition(): Point {
    return this.tree.point(this.startIndex);
  }

  get endPosition(): Point {
    return this.tree.point(this.endIndex);
  }

  get text(): string {
    return (this.cachedText ??= this.tree.source.slice(this.startIndex, this.endIndex));
  }

  get parent(): SyntaxNode | null {
    return this.tree.node(this.tree.cols.parent[this.id]!);
  }

  get children(): SyntaxNode[] {
    if (this.kids) return this.kids;
    const kids: SyntaxNode[] = [];
    const { firstChild, nextSibling } = this.tree.cols;
    for (let c = firstChild[this.id]!; c >= 0; c = nextSibling[c]!) {
      const node = this.tree.node(c)!;
      node.indexInParent = kids.length;
      kids.push(node);
    }
    return (this.kids = kids);
  }

  get namedChildren(): SyntaxNode[] {
    return (this.named ??= this.children.filter((c) => c.isNamed));
  }

  get childCount(): number {
    return this.children.length;
  }

  get namedChildCount(): number {
    return this.namedChildren.length;
  }

  child(index: number): SyntaxNode | null {
    return this.children[index] ?? null;
  }

  namedChild(index: number): SyntaxNode | null {
    return this.namedChildren[index] ?? null;
  }

  get firstChild(): SyntaxNode | null {
    return this.child(0);
  }

  get lastChild(): SyntaxNode | null {
    return this.child(this.childCount - 1);
  }

  get firstNamedChild(): SyntaxNode | null {
    return this.namedChild(0);
  }

  get lastNamedChild(): SyntaxNode | null {
    return this.namedChild(this.namedChildCount - 1);
  }

  get nextSibling(): SyntaxNode | null {
    return this.sibling(1, false);
  }

  get previousSibling(): SyntaxNode | null {
    return this.sibling(-1, false);
  }

  get nextNamedSibling(): SyntaxNode | null {
    return this.sibling(1, true);
  }

  get previousNamedSibling(): SyntaxNode | null {
    return this.sibling(-1, true);
  }

  private sibling(step: 1 | -1, named: boolean): SyntaxNode | null {
    const parent = this.parent;
    if (!parent) return null;
    const siblings = parent.children;
    for (let i = this.indexInParent + step; i >= 0 && i < siblings.length; i += step) {
      if (!named || siblings[i]!.isNamed) return siblings[i]!;
    }
    return null;
  }

  childForFieldId(fieldId: number): SyntaxNode | null {
    const { firstChild, nextSibling, field } = this.tree.cols;
    for (let c = firstChild[this.id]!; c >= 0; c = nextSibling[c]!) {
      if (field[c] === fieldId) return this.tree.node(c);
    }
    return null;
  }

  childForFieldName(name: string): SyntaxNode | null {
    const id = this.tree.fieldId(name);
    return id <= 0 ? null : this.childForFieldId(id);
  }

  childrenForFieldName(name: string): SyntaxNode[] {
    const id = this.tree.fieldId(name);
    if (id <= 0) return [];
    const { firstChild, nextSibling, field } = this.tree.cols;
    const out: SyntaxNode[] = [];
    for (let c = firstChild[this.id]!; c >= 0; c = nextSibling[c]!) {
      if (field[c] === id) out.push(this.tree.node(c)!);
    }
    return out;
  }

  /** The field name this node has under its parent, if any. */
  get fieldName(): string | null {
    const id = this.tree.cols.field[this.id]!;
    if (id === 0) return null;
    for (const [name, fid] of this.tree.grammar.fieldIds) if (fid === id) return name;
    return null;
  }

  /**
   * The smallest node (named or not) that spans [start, end], as
   * `ts_node_descendant_for_byte_range` chooses it.
   */
  descendantForIndex(start: number, end = start): SyntaxNode | null {
    if (start > end) return null;
    const { firstChild, nextSibling, start: starts, end: ends } = this.tree.cols;
    let node = this.id;
    for (;;) {
      let next = -1;
      for (let c = firstChild[node]!; c >= 0; c = nextSibling[c]!) {
        const cEnd = ends[c]!;
        if (cEnd < end) continue;
        const empty = starts[c] === cEnd;
        if (empty ? cEnd < start : cEnd <= start) continue;
        if (start < starts[c]!) break;
        next = c;
        break;
      }
      if (next < 0) return this.tree.node(node);
      node = next;
    }
  }
}

/**
 * The first place where the copy and web-tree-sitter disagree (type, range,
 * flags, parent, field, or a field lookup), or null when they agree on every node.
 */
export function firstDifference(ours: SyntaxTree, theirs: Tree): string | null {
  const cursor = theirs.walk();
  const parents: number[] = [];
  let index = 0;
  try {
    for (;;) {
      const node = ours.node(index);
      const where = `node ${index} (${cursor.nodeType} at ${cursor.startIndex})`;
      if (!node) return `${where}: missing from the copy`;
      const theirNode = cursor.currentNode;
      const expected = parents.length ? parents[parents.length - 1]! : -1;
      const checks: [string, unknown, unknown][] = [
        ["type", node.type, cursor.nodeType],
        ["start", node.startIndex, cursor.startIndex],
        ["end", node.endIndex, cursor.endIndex],
        ["named", node.isNamed, cursor.nodeIsNamed],
        ["missing", node.isMissing, cursor.nodeIsMissing],
        ["extra", node.isExtra, theirNode.isExtra],
        ["error", node.isError, theirNode.isError],
        ["hasError", node.hasError, theirNode.hasError],
        ["parent", ours.cols.parent[index], expected],
        ["field", node.fieldName, cursor.currentFieldName],
      ];
      for (const [what, mine, theirs2] of checks) {
        if (mine !== theirs2) return `${where}: ${what} ${String(mine)} instead of ${String(theirs2)}`;
      }
      for (const c of node.children) {
        const name = c.fieldName;
        if (!name) continue;
        const a = node.childForFieldName(name);
        // Under an ERROR node web-tree-sitter's childForFieldName finds no
        // field that its own cursor and childrenForFieldName report; the copy
        // answers as those two do.
        const b = node.isError ? theirNode.childrenForFieldName(name)[0] : theirNode.childForFieldName(name);
        if (a?.startIndex !== b?.startIndex || a?.type !== b?.type) return `${where}: field ${name} gives a different child`;
      }
      if (cursor.gotoFirstChild()) {
        parents.push(index);
        index++;
        continue;
      }
      index++;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) {
          return index === ours.nodeCount ? null : `the copy has ${ours.nodeCount} nodes, web-tree-sitter ${index}`;
        }
        parents.pop();
      }
    }
  } finally {
    cursor.delete();
  }
}
