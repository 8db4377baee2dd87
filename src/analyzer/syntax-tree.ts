// A JavaScript copy of a parsed file's syntax tree: its nodes in typed
// arrays (one slot per visible node, in document order), filled by
// tree-reader.ts straight from the parser's wasm memory.
//
// Why: web-tree-sitter answers every `node.type`, `node.parent` or
// `node.childForFieldName()` with a call into wasm that marshals the node
// through a transfer buffer and allocates a fresh Node object. The rules ask
// millions of such questions; profiled, that traffic cost more than the parse
// itself. Here every question is an array read. `SyntaxNode` offers the part
// of web-tree-sitter's Node API the analyzer uses, with the same answers
// (tree-check.ts compares the two node for node).

import { LineIndex } from "./positions.js";

export const ERROR_SYMBOL = 0xffff;

/** Bits of `Columns.flags`. */
export const NAMED = 1;
export const MISSING = 2;
export const EXTRA = 4;
export const HAS_ERROR = 8;

/** What a tree needs to know of its grammar. */
export interface Grammar {
  /** Node type names by public symbol id. */
  readonly typeNames: readonly string[];
  /** Field names by id (index 0 unused). */
  readonly fieldNames: readonly (string | null)[];
  /** A table over symbol ids: 1 where the symbol's name is one of `types`. */
  symbolsNamed(types: readonly string[]): Uint8Array;
}

/** The growable per-node columns, filled in document order. */
export class Columns {
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

export interface Point {
  row: number;
  column: number;
}

/** A parsed file: its nodes in document order (index 0 is the module). */
export class SyntaxTree {
  private readonly objects: (SyntaxNode | undefined)[] = [];
  readonly rootNode: SyntaxNode;

  /** @internal */
  constructor(
    readonly source: string,
    /** @internal */ readonly cols: Columns,
    /** @internal */ readonly grammar: Grammar,
    /** The source's line starts, shared with whoever made them already (else made when first asked). */
    private lines: LineIndex | null = null,
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

  /** A table over symbol ids: 1 where the symbol's name is one of `types`. */
  symbolsNamed(types: readonly string[]): Uint8Array {
    return this.grammar.symbolsNamed(types);
  }

  point(offset: number): Point {
    const p = (this.lines ??= new LineIndex(this.source)).position(offset);
    return { row: p.line - 1, column: p.column - 1 };
  }

}

/** One node of a SyntaxTree, answering as web-tree-sitter's Node does. */
export class SyntaxNode {
  private kids: SyntaxNode[] | null = null;
  private named: SyntaxNode[] | null = null;
  private cachedText: string | null = null;
  /** Position among the parent's children (set when the parent lists them). */
  private indexInParent = -1;

  /** @internal */
  constructor(
    readonly tree: SyntaxTree,
    /** Unique within the tree: the node's index in document order. */
    readonly id: number,
  ) {}

  get type(): string {
    return this.tree.typeOf(this.id);
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

  childForFieldName(name: string): SyntaxNode | null {
    const c = this.nextInField(this.tree.cols.firstChild[this.id]!, name);
    return c < 0 ? null : this.tree.node(c);
  }

  childrenForFieldName(name: string): SyntaxNode[] {
    const { nextSibling } = this.tree.cols;
    const out: SyntaxNode[] = [];
    for (let c = this.nextInField(this.tree.cols.firstChild[this.id]!, name); c >= 0; c = this.nextInField(nextSibling[c]!, name)) {
      out.push(this.tree.node(c)!);
    }
    return out;
  }

  /**
   * The first child from `c` on (following siblings) in the named field, or -1.
   * Compared by name: the names are interned strings, so this is cheaper than
   * looking the field's id up first (profiled: a tenth of the rules' time).
   */
  private nextInField(c: number, name: string): number {
    const { nextSibling, field } = this.tree.cols;
    const names = this.tree.grammar.fieldNames;
    for (; c >= 0; c = nextSibling[c]!) {
      const f = field[c]!;
      if (f !== 0 && names[f] === name) return c;
    }
    return -1;
  }

  /** The field name this node has under its parent, if any. */
  get fieldName(): string | null {
    const id = this.tree.cols.field[this.id]!;
    return id === 0 ? null : (this.tree.grammar.fieldNames[id] ?? null);
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
