// Spreads the first phase of a scan (parse, walk, rules) over worker threads;
// the cross-file phase runs once on the main thread over every file's graph.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { analyzeFiles, linkProject, type FileAnalysis, type SourceFile } from "../analyzer/analyze.js";
import { initParser } from "../analyzer/parser.js";
import type { FileResult } from "../analyzer/types.js";
import type { WorkerOptions, WorkerReply, WorkerRequest } from "./analyze-worker.js";

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/** Files per message at most: large enough to amortise messaging. */
const BATCH_FILES = 32;

/**
 * Below this much source (characters) a first batch is analysed in this
 * thread: starting threads (each loads the grammar and the rules and runs
 * cold code) costs about half a second, which measured break-even at about
 * 45,000 lines on two cores. A pre-commit run on a few files stays fast.
 */
export const MIN_PARALLEL_CHARS = 1_500_000;

export interface ParallelOptions {
  /** Source size under which no thread is started (default MIN_PARALLEL_CHARS); threads already running are used anyway. */
  minChars?: number;
}

/** Phase one of a scan, in `jobs` threads (in this thread when `jobs` is 1 or the work is small). */
export async function analyzeFilesInParallel(
  files: readonly SourceFile[],
  options: WorkerOptions,
  jobs: number,
  parallel: ParallelOptions = {},
): Promise<FileAnalysis[]> {
  const small = files.length < 2 || (!poolIsWarm() && totalChars(files) < (parallel.minChars ?? MIN_PARALLEL_CHARS));
  if (jobs <= 1 || small) {
    await initParser();
    return analyzeFiles(files, options);
  }
  const out: FileAnalysis[][] = [];
  const workers = poolOf(Math.min(jobs, Math.max(2, Math.ceil(files.length / BATCH_FILES))));
  let next = 0;
  // Messages shrink as the work runs out, so that the threads finish close
  // together (the next batch of a scan waits for the slowest).
  const take = () => {
    const size = Math.max(1, Math.min(BATCH_FILES, Math.ceil((files.length - next) / (workers.length * 2))));
    const start = next;
    next += size;
    return { start, slice: files.slice(start, start + size) };
  };
  for (const w of workers) w.ref();
  try {
    await Promise.all(
      workers.map(async (w) => {
        while (next < files.length) {
          const { start, slice } = take();
          out[start] = await w.run({ files: slice, options });
        }
      }),
    );
  } catch (err) {
    // A failed worker may be in any state: the next scan starts afresh.
    await stopWorkers();
    throw err;
  } finally {
    for (const w of workers) w.unref();
  }
  // Sparse by start index: flat() keeps file order and skips the holes.
  return out.flat();
}

function totalChars(files: readonly SourceFile[]): number {
  let n = 0;
  for (const f of files) n += f.source.length;
  return n;
}

function poolIsWarm(): boolean {
  return pool.some((w) => w.alive());
}

/** How many analysis threads are running (kept between the batches of a scan). */
export function runningThreads(): number {
  return pool.filter((w) => w.alive()).length;
}

/**
 * Threads kept from one call to the next: a scan calls once per batch of
 * files, and a fresh thread pays for loading the rules and the grammar and
 * runs cold code before the JIT catches up (measured: more than the threads
 * saved on a 300k-line scan). Idle threads do not keep the process alive.
 */
let pool: PoolWorker[] = [];

function poolOf(n: number): PoolWorker[] {
  pool = pool.filter((w) => w.alive());
  while (pool.length < n) pool.push(startWorker());
  return pool.slice(0, n);
}

/** Ends the kept threads (the next parallel call starts new ones). */
export async function stopWorkers(): Promise<void> {
  const stopping = pool;
  pool = [];
  await Promise.all(stopping.map((w) => w.stop()));
}

/** A whole scan: phase one (possibly threaded), then the cross-file link. */
export async function analyzeInParallel(
  files: readonly SourceFile[],
  options: WorkerOptions,
  jobs: number,
  parallel: ParallelOptions = {},
): Promise<FileResult[]> {
  return linkProject(await analyzeFilesInParallel(files, options, jobs, parallel));
}

interface PoolWorker {
  run(request: WorkerRequest): Promise<FileAnalysis[]>;
  alive(): boolean;
  /** Whether the thread keeps the process alive (only while it has work). */
  ref(): void;
  unref(): void;
  stop(): Promise<void>;
}

function startWorker(): PoolWorker {
  // Compiled, the worker is a .js file next to this one; under the test runner
  // it is TypeScript, loaded through tsx.
  const self = new URL(import.meta.url);
  const isTs = self.pathname.endsWith(".ts");
  const file = new URL(`./analyze-worker.${isTs ? "ts" : "js"}`, self);
  const worker = isTs
    ? new Worker(
        `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(file.href)}); });`,
        { eval: true },
      )
    : new Worker(file);
  let pending: { resolve: (r: FileAnalysis[]) => void; reject: (e: Error) => void } | null = null;
  let exited = false;
  worker.on("message", (reply: WorkerReply) => {
    const p = pending;
    pending = null;
    if (!p) return;
    if (reply.ok) p.resolve(reply.analyses);
    else p.reject(new Error(reply.error));
  });
  worker.on("error", (err) => {
    pending?.reject(err);
    pending = null;
  });
  worker.on("exit", (code) => {
    exited = true;
    if (pending) pending.reject(new Error(`analysis worker exited with code ${code}`));
    pending = null;
  });
  return {
    alive: () => !exited,
    run(request) {
      return new Promise((resolve, reject) => {
        if (exited) {
          reject(new Error("analysis worker has exited"));
          return;
        }
        pending = { resolve, reject };
        worker.postMessage(request);
      });
    },
    ref: () => worker.ref(),
    unref: () => worker.unref(),
    async stop() {
      await worker.terminate();
    },
  };
}
