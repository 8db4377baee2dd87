// A worker thread of the scan pool: its own parser, the registry's rules,
// plain data in and out (rules are code and cannot cross threads; options
// select them by code).
import { parentPort } from "node:worker_threads";
import { analyzeFiles, type AnalyzeOptions, type FileAnalysis, type SourceFile } from "../analyzer/analyze.js";
import { initParser } from "../analyzer/parser.js";

export type WorkerOptions = Omit<AnalyzeOptions, "rules">;

export interface WorkerRequest {
  files: SourceFile[];
  options: WorkerOptions;
}

export type WorkerReply = { ok: true; analyses: FileAnalysis[] } | { ok: false; error: string };

if (parentPort) {
  const port = parentPort;
  const ready = initParser();
  port.on("message", (request: WorkerRequest) => {
    ready
      .then(() => port.postMessage({ ok: true, analyses: analyzeFiles(request.files, request.options) } satisfies WorkerReply))
      .catch((err: unknown) =>
        port.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) } satisfies WorkerReply),
      );
  });
}
