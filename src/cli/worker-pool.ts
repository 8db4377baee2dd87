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

/** Files per message: large enough to amortise messaging, small enough to balance the load. */
const BATCH_FILES = 32;

/** Phase one of a scan, in `jobs` threads (in this thread when `jobs` is 1 or the work is small). */
export async function analyzeFilesInParallel(
  files: readonly SourceFile[],
  options: WorkerOptions,
  jobs: number,
): Promise<FileAnalysis[]> {
  if (jobs <= 1 || files.length < BATCH_FILES) {
    await initParser();
    return analyzeFiles(files, options);
  }
  const batches: SourceFile[][] = [];
  for (let i = 0; i < files.length; i += BATCH_FILES) batches.push(files.slice(i, i + BATCH_FILES));
  const out: FileAnalysis[][] = new Array(batches.length);
  const workers = Array.from({ length: Math.min(jobs, batches.length) }, () => startWorker());
  let next = 0;
  try {
    await Promise.all(
      workers.map(async (w) => {
        while (next < batches.length) {
          const index = next++;
          out[index] = await w.run({ files: batches[index]!, options });
        }
      }),
    );
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
  return out.flat();
}

/** A whole scan: phase one (possibly threaded), then the cross-file link. */
export async function analyzeInParallel(
  files: readonly SourceFile[],
  options: WorkerOptions,
  jobs: number,
): Promise<FileResult[]> {
  return linkProject(await analyzeFilesInParallel(files, options, jobs));
}

interface PoolWorker {
  run(request: WorkerRequest): Promise<FileAnalysis[]>;
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
    if (pending) pending.reject(new Error(`analysis worker exited with code ${code}`));
    pending = null;
  });
  return {
    run(request) {
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        worker.postMessage(request);
      });
    },
    async stop() {
      await worker.terminate();
    },
  };
}
