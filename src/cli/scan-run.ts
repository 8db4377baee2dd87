// The work of a scan, apart from its arguments and output: find the files,
// read and analyse them in batches (at most two batches of sources in memory:
// the one being analysed and the next), then link the batches so LG106 follows calls across all files.
import { readFileSync, statSync } from "node:fs";
import { projectFactsFor } from "./project-facts.js";
import { analyzeFiles, linkProject, type AnalyzeOptions, type FileAnalysis, type SourceFile } from "../analyzer/analyze.js";
import { initParser } from "../analyzer/parser.js";
import { decodeSource, MAX_FILE_BYTES } from "../analyzer/source.js";
import type { ProjectFacts } from "../analyzer/project.js";
import type { Finding, SkippedFile } from "../analyzer/types.js";
import type { SyntaxErrorNote } from "../comments/text.js";
import { discoverPythonFiles, displayPath } from "./files.js";

/** Phase one over a batch of files; a threaded version can stand in for the default. */
export type AnalyzeBatch = (files: SourceFile[], options: Omit<AnalyzeOptions, "rules">) => Promise<FileAnalysis[]> | FileAnalysis[];

export interface ScanOptions {
  cwd: string;
  exclude?: readonly string[];
  gitignore?: boolean;
  severities?: AnalyzeOptions["severities"];
  /** Codes whose findings are kept (default: all that ran). */
  reported?: ReadonlySet<string>;
  guideUrl?: string;
  /** Whether the configuration reviews a found file (its `include`/`exclude`); default: every file. */
  reviews?: (absolute: string) => boolean;
  /** Severity settings for one file (the configuration's `overrides`). */
  severitiesFor?: (absolute: string) => SourceFile["severities"];
  /** The configured blocking calls LG108 reports. */
  blockingCalls?: ProjectFacts["blockingCalls"];
  batchSize?: number;
  analyzeBatch?: AnalyzeBatch;
}

export interface ScanResult {
  /** Files analysed. */
  files: number;
  lines: number;
  bytes: number;
  /** Reported findings, by path, then position. */
  findings: Finding[];
  skipped: SkippedFile[];
  syntaxErrors: SyntaxErrorNote[];
  /** The absolute path of each analysed file, by the path its findings carry. */
  absolutePaths: Map<string, string>;
  /** Files found but left out by the configuration's include/exclude. */
  leftOut: number;
}

export const DEFAULT_BATCH_SIZE = 200;

export async function runScan(paths: readonly string[], options: ScanOptions): Promise<ScanResult> {
  const { cwd } = options;
  const discovery = discoverPythonFiles(paths, { cwd, exclude: options.exclude, gitignore: options.gitignore });
  const files = options.reviews ? discovery.files.filter(options.reviews) : discovery.files;
  const leftOut = discovery.files.length - files.length;
  await initParser();
  const analyzeBatch = options.analyzeBatch ?? analyzeFiles;
  const analyzeOptions = { severities: options.severities, guideUrl: options.guideUrl };
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;

  const skipped = [...discovery.skipped];
  const absolutePaths = new Map<string, string>();
  const analyses: FileAnalysis[] = [];
  let bytes = 0;
  const readBatch = (start: number): SourceFile[] => {
    const batch: SourceFile[] = [];
    for (const file of files.slice(start, start + batchSize)) {
      const path = displayPath(file, cwd);
      const read = readSource(file);
      if (!read.ok) {
        skipped.push({ path, reason: read.reason });
        continue;
      }
      bytes += read.bytes;
      absolutePaths.set(path, file);
      const source: SourceFile = { path, source: read.text, project: projectFactsFor(file, options.blockingCalls) };
      const severities = options.severitiesFor?.(file);
      if (severities) source.severities = severities;
      batch.push(source);
    }
    return batch;
  };
  // While worker threads analyse one batch, this thread reads the next: two batches of sources in memory at most.
  let batch = readBatch(0);
  for (let i = 0; i < files.length; i += batchSize) {
    const pending = batch.length > 0 ? analyzeBatch(batch, analyzeOptions) : [];
    batch = i + batchSize < files.length ? readBatch(i + batchSize) : [];
    analyses.push(...(await pending));
  }

  const results = linkProject(analyses);
  const keep = options.reported;
  return {
    files: results.length,
    lines: results.reduce((n, r) => n + r.lines, 0),
    bytes,
    findings: results.flatMap((r) => (keep ? r.findings.filter((f) => keep.has(f.code)) : r.findings)),
    skipped,
    syntaxErrors: results.flatMap((r) =>
      r.syntaxErrors.count > 0
        ? [{ path: r.path, count: r.syntaxErrors.count, line: r.syntaxErrors.first?.line ?? 1, column: r.syntaxErrors.first?.column ?? 1 }]
        : [],
    ),
    absolutePaths,
    leftOut,
  };
}

type ReadSource = { ok: true; text: string; bytes: number } | { ok: false; reason: string };

function readSource(file: string): ReadSource {
  let bytes: Buffer;
  try {
    // Too large to analyse: say so without reading it all into memory.
    const size = statSync(file).size;
    if (size > MAX_FILE_BYTES) return { ok: false, reason: `larger than 2 MB (${size} bytes)` };
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return { ok: false, reason: `cannot read file (${typeof code === "string" ? code : String(err)})` };
  }
  const decoded = decodeSource(bytes);
  return decoded.ok ? { ok: true, text: decoded.text, bytes: bytes.byteLength } : decoded;
}

/**
 * Lines of reported files, read again when a renderer asks: findings come in
 * path order, so one file is held at a time.
 */
export function sourceLineReader(absolutePaths: ReadonlyMap<string, string>): (path: string, line: number) => string | undefined {
  let current: { path: string; lines: string[] | null } | null = null;
  return (path, line) => {
    if (current?.path !== path) {
      const file = absolutePaths.get(path);
      const read = file ? readSource(file) : null;
      current = { path, lines: read?.ok ? read.text.split("\n") : null };
    }
    return current.lines?.[line - 1]?.replace(/\r$/, "");
  };
}
