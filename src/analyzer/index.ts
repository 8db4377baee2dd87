// The library API: everything a caller needs to analyse Python source.
export {
  analyzeFiles,
  analyzeProject,
  analyzeSource,
  enabledRules,
  linkProject,
  type AnalyzeOptions,
  type FileAnalysis,
  type SourceFile,
} from "./analyze.js";
export { initParser } from "./parser.js";
export { decodeSource, checkText, MAX_FILE_BYTES, type DecodedSource } from "./source.js";
export { NO_PROJECT_FACTS, type ProjectFacts } from "./project.js";
export type { Finding, FileResult, Fix, Severity, SeveritySetting, SkippedFile, TextEdit } from "./types.js";
