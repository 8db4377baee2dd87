// Which findings a change introduced. A finding is identified by its rule, its
// file, the trimmed text of its line and how many identical (rule, text) pairs
// came before it in the file: not by its line number, so a finding keeps its
// identity when lines above it are added or removed, and a renamed file keeps
// its findings' identities when the base is fingerprinted under the new path.
import { createHash } from "node:crypto";
import { LineIndex } from "./positions.js";
import type { Finding } from "./types.js";

export interface FingerprintedFinding {
  finding: Finding;
  /** 16 hex digits, stable across line shifts. */
  fingerprint: string;
  /** The grouping key without the occurrence (code, path, line text). */
  key: string;
  /** 0-based index among the file's findings with the same key. */
  occurrence: number;
}

/**
 * Fingerprints a file's findings. `path` is the path to identify them under
 * (pass the head path when fingerprinting a renamed file's base version).
 */
export function fingerprintFindings(
  findings: readonly Finding[],
  source: string,
  path?: string,
): FingerprintedFinding[] {
  const lines = new LineIndex(source);
  const seen = new Map<string, number>();
  return [...findings].sort(byPosition).map((finding) => {
    const key = [finding.code, path ?? finding.path, lines.lineText(finding.line).trim()].join("\u0000");
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return { finding, key, occurrence, fingerprint: hash(`${key}\u0000${occurrence}`) };
  });
}

function hash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

function byPosition(a: Finding, b: Finding): number {
  return a.line - b.line || a.column - b.column || a.code.localeCompare(b.code);
}

export interface VersionFindings {
  findings: readonly Finding[];
  source: string;
}

export interface Classified {
  /** Findings the change introduced: they decide the check. */
  fresh: FingerprintedFinding[];
  /** Findings the base version already had: only counted. */
  preexisting: FingerprintedFinding[];
}

/**
 * Splits the head version's findings into new and pre-existing against the
 * base version (null for an added file: everything is new). When the head has
 * more findings of one key than the base, the extra ones are taken from the
 * added lines first: those are the ones the change wrote.
 */
export function classifyFindings(
  head: VersionFindings & { path: string },
  base: VersionFindings | null,
  addedLines: ReadonlySet<number> = new Set(),
): Classified {
  const headPrints = fingerprintFindings(head.findings, head.source, head.path);
  if (!base) return { fresh: headPrints, preexisting: [] };
  const baseCount = new Map<string, number>();
  for (const b of fingerprintFindings(base.findings, base.source, head.path)) {
    baseCount.set(b.key, (baseCount.get(b.key) ?? 0) + 1);
  }
  const freshSet = new Set<FingerprintedFinding>();
  for (const group of groupByKey(headPrints)) {
    let extra = group.length - (baseCount.get(group[0]!.key) ?? 0);
    if (extra <= 0) continue;
    // Added lines first, then the latest positions: a line the change wrote is the likelier newcomer.
    const ranked = [...group].sort(
      (a, b) => Number(addedLines.has(b.finding.line)) - Number(addedLines.has(a.finding.line)) || b.occurrence - a.occurrence,
    );
    for (const f of ranked) {
      if (extra-- <= 0) break;
      freshSet.add(f);
    }
  }
  return {
    fresh: headPrints.filter((f) => freshSet.has(f)),
    preexisting: headPrints.filter((f) => !freshSet.has(f)),
  };
}

function groupByKey(prints: readonly FingerprintedFinding[]): FingerprintedFinding[][] {
  const groups = new Map<string, FingerprintedFinding[]>();
  for (const p of prints) {
    const g = groups.get(p.key);
    if (g) g.push(p);
    else groups.set(p.key, [p]);
  }
  return [...groups.values()];
}
