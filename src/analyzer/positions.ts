// Offsets to 1-based lines and UTF-16 columns. JavaScript strings and
// web-tree-sitter both count UTF-16 code units, so offsets carry over as-is.

export interface Position {
  line: number;
  column: number;
}

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly source: string) {
    for (let i = source.indexOf("\n"); i !== -1; i = source.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }

  get lineCount(): number {
    const n = this.starts.length;
    // A final newline does not start a line of its own.
    return this.source.endsWith("\n") ? n - 1 : n;
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }

  offset(line: number, column: number): number {
    const start = this.starts[Math.min(Math.max(line, 1), this.starts.length) - 1]!;
    return start + column - 1;
  }

  /** The text of a 1-based line, without its line ending. */
  lineText(line: number): string {
    const start = this.starts[line - 1];
    if (start === undefined) return "";
    const next = this.starts[line];
    const raw = this.source.slice(start, next === undefined ? undefined : next - 1);
    return raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  }
}
