// `npm run bench -- DIR [--select RULES] [--jobs N] [--runs N]`: in one run,
// on the same files, loopguard on one thread and on the default number of
// worker threads, tree-sitter parsing alone, and ruff's WebAssembly build;
// prints seconds, lines per second, the ratios the README quotes and the
// process's peak memory. Each figure is the best of `--runs` (default 3): on
// a shared virtual machine the same step varies by a third from run to run,
// and the best run is the one least disturbed. A script, not a test: timings
// belong to the machine they ran on.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { listOption } from "../src/cli/command.js";
import { loopguardVersion } from "../src/cli/version.js";
import { analyzeFilesInParallel, defaultJobs } from "../src/cli/worker-pool.js";
import { measureParseOnly, measureRuff, ruffVersion, RUFF_SELECT, type BenchFile } from "./bench-anchors.js";
import { measureScan, peakRssBytes, warmUpFiles, warmUpThisThread, type ScanMeasurement } from "./bench-lib.js";

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  options: { select: { type: "string", multiple: true }, jobs: { type: "string" }, runs: { type: "string" } },
  allowPositionals: true,
});
const dir = positionals[0];
if (!dir) {
  process.stderr.write("usage: npm run bench -- DIR [--select RULES] [--jobs N] [--runs N]\n");
  process.exit(2);
}
const jobs = values.jobs === undefined ? defaultJobs() : Number(values.jobs);
if (!Number.isInteger(jobs) || jobs < 1) {
  process.stderr.write(`invalid --jobs "${values.jobs}"\n`);
  process.exit(2);
}
const runs = values.runs === undefined ? 3 : Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write(`invalid --runs "${values.runs}"\n`);
  process.exit(2);
}
const select = listOption(values.select);

/** The fastest of `n` runs of a measurement (results are otherwise the same run to run). */
async function best<T extends { seconds: number }>(n: number, measure: () => T | Promise<T>): Promise<T> {
  let fastest = await measure();
  for (let i = 1; i < n; i++) {
    const m = await measure();
    if (m.seconds < fastest.seconds) fastest = m;
  }
  return fastest;
}
const WARM_UP_FILES = 64;

interface Row {
  what: string;
  seconds: number;
  /** The process's peak RSS once this step was done (cumulative: it never goes down). */
  rss: number;
  note?: string;
}

// Untimed warm-up on a few files, for both figures alike: the threads start
// and load the rules (under tsx they also compile the TypeScript, seconds
// that a built CLI does not spend), and the code has run once.
const warm = warmUpFiles(dir, WARM_UP_FILES);
await warmUpThisThread(warm);

// One thread first, so the peak memory after it is the one-thread scan's own.
const single = await best(runs, () => measureScan(dir, { select }));
const rows: Row[] = [{ what: "loopguard --jobs 1", seconds: single.seconds, rss: single.peakRssBytes, note: `${single.findings} findings` }];

let threaded: ScanMeasurement | null = null;
if (jobs > 1) {
  // Started only now, so that the peak memory above is the one-thread scan's.
  await analyzeFilesInParallel(warm, {}, jobs);
  threaded = await best(runs, () =>
    measureScan(dir, {
      select,
      scan: { analyzeBatch: (batch, options) => analyzeFilesInParallel(batch, options, jobs) },
    }),
  );
  if (threaded.findings !== single.findings) {
    process.stderr.write(`bench: --jobs ${jobs} found ${threaded.findings} findings, --jobs 1 found ${single.findings}\n`);
    process.exitCode = 1;
  }
  rows.push({ what: `loopguard --jobs ${jobs} (default)`, seconds: threaded.seconds, rss: threaded.peakRssBytes, note: `${threaded.findings} findings` });
}

// ruff last: its wasm memory grows large and would hide the scans' own peaks.
const files: BenchFile[] = single.absolutePaths.map((path) => ({ path, source: readFileSync(path, "utf8") }));
const parse = await best(runs, () => measureParseOnly(files));
rows.push({ what: "tree-sitter parse only", seconds: parse.seconds, rss: peakRssBytes() });
// ruff's wasm module is large and V8 compiles it lazily, function by function,
// then again optimised in the background: the first pass pays for that, a
// second pass on the same files shows its steady speed (the anchor).
const ruffCold = measureRuff(files);
rows.push({ what: `ruff ${ruffVersion()} wasm, first pass`, seconds: ruffCold.seconds, rss: peakRssBytes(), note: "includes compiling its wasm" });
const ruff = await best(Math.max(1, runs - 1), () => measureRuff(files));
rows.push({ what: `ruff ${ruffVersion()} wasm, later passes`, seconds: ruff.seconds, rss: peakRssBytes(), note: `${ruff.findings ?? 0} findings` });

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const lines = single.lines;
process.stdout.write(
  `loopguard ${loopguardVersion()}, Node ${process.version}, ${defaultJobs()} cores: ${dir}\n` +
    `${int(single.files)} files, ${int(lines)} lines, ${(single.bytes / 1e6).toFixed(2)} MB; best of ${runs} run${runs === 1 ? "" : "s"} each` +
    (single.skipped ? `, ${single.skipped} skipped` : "") +
    `; ruff rules ${RUFF_SELECT.join(", ")}; every figure on one thread unless it says --jobs\n\n`,
);
process.stdout.write(
  table(
    ["what", "seconds", "lines/s", "peak RSS MB", ""],
    rows.map((r) => [r.what, r.seconds.toFixed(2), int(lines / r.seconds), (r.rss / 1e6).toFixed(0), r.note ?? ""]),
  ),
);
const fastest = threaded ?? single;
const overhead = (single.seconds / parse.seconds - 1) * 100;
process.stdout.write(
  "\n" +
    table(
      ["ratio", "value"],
      [
        [`loopguard (--jobs ${jobs}) speed / ruff one-thread speed (later passes)`, (ruff.seconds / fastest.seconds).toFixed(2)],
        ["rules' overhead over parse only (one thread)", `${overhead.toFixed(0)}%`],
        ...(threaded ? [[`speed-up of --jobs ${jobs} over --jobs 1`, `${(single.seconds / threaded.seconds).toFixed(2)}x`]] : []),
      ],
    ) +
    "\npeak RSS is the whole process's (main thread, worker threads, ruff), read after each step; it never goes down.\n" +
    `Both loopguard figures follow an untimed warm-up on ${WARM_UP_FILES} files (threads started, code run once).\n`,
);

function table(header: string[], body: string[][]): string {
  const all = [header, ...body];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  // Text left, figures right.
  const textColumn = (i: number) => i === 0 || header[i] === "";
  const cell = (s: string, i: number) => (textColumn(i) ? s.padEnd(widths[i]!) : s.padStart(widths[i]!));
  return all.map((r) => r.map(cell).join("  ").trimEnd()).join("\n") + "\n";
}
