// A unified diff of two texts (for `--fix --diff`), line-based, with three
// lines of context, from Myers' shortest edit script (cheap when fixes change few lines).

type Op = { kind: "same" | "del" | "add"; line: string };

function editScript(a: string[], b: string[]): Op[] {
  // Trim the common head and tail first: fixes touch few lines of big files.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const am = a.slice(head, a.length - tail);
  const bm = b.slice(head, b.length - tail);
  const ops: Op[] = a.slice(0, head).map((line) => ({ kind: "same", line }));
  ops.push(...myers(am, bm));
  for (const line of a.slice(a.length - tail)) ops.push({ kind: "same", line });
  return ops;
}

export function unifiedDiff(path: string, before: string, after: string, context = 3): string {
  if (before === after) return "";
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = editScript(a, b);
  const out = [`--- a/${path}`, `+++ b/${path}`];
  let k = 0;
  while (k < ops.length) {
    if (ops[k]!.kind === "same") {
      k++;
      continue;
    }
    const start = Math.max(0, k - context);
    let end = k;
    // Extend the hunk while changes are within 2*context lines of each other.
    for (let x = k; x < ops.length; x++) {
      if (ops[x]!.kind !== "same") end = x;
      else if (x - end > 2 * context) break;
    }
    const stop = Math.min(ops.length, end + context + 1);
    let aLine = 1;
    let bLine = 1;
    for (let x = 0; x < start; x++) {
      if (ops[x]!.kind !== "add") aLine++;
      if (ops[x]!.kind !== "del") bLine++;
    }
    const hunk = ops.slice(start, stop);
    const aCount = hunk.filter((o) => o.kind !== "add").length;
    const bCount = hunk.filter((o) => o.kind !== "del").length;
    out.push(`@@ -${aLine},${aCount} +${bLine},${bCount} @@`);
    for (const o of hunk) out.push(`${o.kind === "same" ? " " : o.kind === "del" ? "-" : "+"}${o.line}`);
    k = stop;
  }
  return `${out.join("\n")}\n`;
}

/** Myers' O((N+M)·D) diff: D is tiny for fixes, so even long files cost little. */
function myers(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  let v = new Array<number>(2 * max + 3).fill(0);
  const trace: number[][] = [];
  outer: for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) break outer;
    }
  }
  // Walk the trace back from the end to recover the script.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    v = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = v[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: "same", line: a[--x]! });
      y--;
    }
    if (d > 0) {
      if (x === prevX) ops.push({ kind: "add", line: b[--y]! });
      else ops.push({ kind: "del", line: a[--x]! });
    }
  }
  return ops.reverse();
}

/** Lines without the empty string a final newline would leave. */
function splitLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}
