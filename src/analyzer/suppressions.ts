// `# noqa` comments: a bare one silences every rule on its line, a list of
// codes (ours, our rule names, or the ruff/flake8-async aliases) only those.

export type LineSuppression = { all: true } | { all: false; codes: Set<string> };

// `# noqa`, `# noqa: LG101, blocking-sleep`, `#noqa:ASYNC251` (ruff's spelling rules, case-insensitive keyword).
const NOQA = /#\s*noqa(?::\s*([A-Za-z0-9_-]+(?:[\s,]+[A-Za-z0-9_-]+)*))?/i;

/** Parses one comment's text; null when it is not a noqa comment. */
export function parseNoqa(comment: string): LineSuppression | null {
  const m = NOQA.exec(comment);
  if (!m) return null;
  if (!m[1]) return { all: true };
  const codes = new Set(
    m[1]
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((c) => c.toUpperCase()),
  );
  return { all: false, codes };
}

export class Suppressions {
  private readonly byLine = new Map<number, LineSuppression[]>();

  add(line: number, s: LineSuppression): void {
    const list = this.byLine.get(line);
    if (list) list.push(s);
    else this.byLine.set(line, [s]);
  }

  get size(): number {
    return this.byLine.size;
  }

  /** Whether a finding of a rule is silenced on any of the given lines. `keys` are the code, name and aliases, upper-cased. */
  isSuppressed(lines: readonly number[], keys: readonly string[]): boolean {
    for (const line of lines) {
      for (const s of this.byLine.get(line) ?? []) {
        if (s.all) return true;
        if (keys.some((k) => s.codes.has(k))) return true;
      }
    }
    return false;
  }
}
