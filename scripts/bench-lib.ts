// Measuring a scan, in-process: the same discovery, batching and analysis
// as `loopguard scan`, timed from after the parser has loaded (a one-time
// cost per process), with the process's peak resident memory.
import { resolve } from "node:path";
import { initParser } from "../src/analyzer/parser.js";
import { readFileSync } from "node:fs";
import { analyzeFiles, type SourceFile } from "../src/analyzer/analyze.js";
import { discoverPythonFiles } from "../src/cli/files.js";
import { selectRules } from "../src/cli/options.js";
import { runScan, type ScanOptions } from "../src/cli/scan-run.js";

export interface MeasureOptions {
  /** Rules as on the command line (`--select`); default: the rules on by default. */
  select?: readonly string[];
  /** Passed through to the scan (a threaded analyzeBatch, a batch size). */
  scan?: Partial<Pick<ScanOptions, "analyzeBatch" | "batchSize">>;
}

export interface ScanMeasurement {
  dir: string;
  files: number;
  lines: number;
  bytes: number;
  findings: number;
  skipped: number;
  seconds: number;
  /** Peak resident set size of the whole process so far, in bytes. */
  peakRssBytes: number;
  /** The files analysed, absolute, for measuring the anchors on the same ones. */
  absolutePaths: string[];
}

export async function measureScan(dir: string, options: MeasureOptions = {}): Promise<ScanMeasurement> {
  await initParser();
  const selection = selectRules(options.select ?? [], []);
  const started = performance.now();
  const result = await runScan([resolve(dir)], {
    cwd: process.cwd(),
    severities: selection.severities,
    reported: selection.reported,
    ...options.scan,
  });
  const seconds = (performance.now() - started) / 1000;
  return {
    dir,
    files: result.files,
    lines: result.lines,
    bytes: result.bytes,
    findings: result.findings.length,
    skipped: result.skipped.length,
    seconds,
    peakRssBytes: peakRssBytes(),
    absolutePaths: [...result.absolutePaths.values()],
  };
}

/** Peak resident set size of the whole process (every thread) so far, in bytes; it never goes down. */
export function peakRssBytes(): number {
  // maxRSS is in kilobytes.
  return process.resourceUsage().maxRSS * 1024;
}

/** The first `count` files a scan of `dir` would read, for warming up before the clock starts. */
export function warmUpFiles(dir: string, count: number): SourceFile[] {
  const { files } = discoverPythonFiles([resolve(dir)], { cwd: process.cwd() });
  return files.slice(0, count).map((path) => ({ path, source: readFileSync(path, "utf8") }));
}

/** Runs the analysis once, untimed, on this thread. */
export async function warmUpThisThread(files: readonly SourceFile[]): Promise<void> {
  await initParser();
  analyzeFiles(files);
}
