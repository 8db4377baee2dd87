// The job: review one head commit of a pull request. It reads as the steps of
// the App issue; every request goes through the host (GitHub, or a local git
// repository for `loopguard review`), every body comes from a pure function.
import { analyzeProject, type SourceFile } from "../analyzer/analyze.js";
import { classifyFindings, type FingerprintedFinding } from "../analyzer/fingerprint.js";
import { initParser } from "../analyzer/parser.js";
import { guideBaseUrl } from "../comments/guide-links.js";
import { ProjectFactsFinder, repoFolderOf, repoFoldersAbove, repoJoin, repoParentOf, type ConfigTree } from "../analyzer/project-facts.js";
import { PYTHON_PROJECT_FILES, type ConfigFile } from "../analyzer/python-project.js";
import type { DecodedSource } from "../analyzer/source.js";
import type { SkippedFile } from "../analyzer/types.js";
import {
  renderCheckOutput,
  renderConfigErrors,
  renderRunFailure,
  type CheckOutput,
  type CheckReport,
  type Conclusion,
} from "../comments/check-output.js";
import {
  parseConfig,
  severitiesForPath,
  severitiesFromConfig,
  type LoopguardConfig,
  type ParseConfigResult,
} from "../config.js";
import {
  basePathOf,
  filesToReview,
  MAX_LISTED_FILES,
  parsePatch,
  type ChangedFile,
  type DiffLines,
} from "./changed-files.js";
import { annotationUpdates, checkRunStart, finalUpdate } from "./check-run.js";
import type { TextRequest } from "./contents.js";
import { ConfigSyntaxError, type ReviewHost } from "./host.js";
import { planReview, publishReview, statusOf, type ReviewCandidate, type ReviewSettings } from "./review.js";

export interface ReviewTarget {
  /** `owner/name`, for log lines. */
  repository: string;
  headSha: string;
  baseSha: string;
  /** Null for a local review (no pull request). */
  pullNumber: number | null;
  /** The pull request's own count of changed files, when known (GitHub lists at most 3,000). */
  changedFiles: number | null;
}

export interface RunLog {
  info(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface RunEnv {
  version: string;
  now: () => Date;
  rulePage: (name: string) => string;
  log: RunLog;
}

export interface RunOutcome {
  conclusion: Conclusion;
  title: string;
  /** Whether a review was posted. */
  reviewed: boolean;
}

export interface RunOptions {
  /** The check run the job queue already opened for this run; without it the run creates one. */
  checkRunId?: number;
}

export async function reviewPullRequest(
  host: ReviewHost,
  target: ReviewTarget,
  env: RunEnv,
  options: RunOptions = {},
): Promise<RunOutcome> {
  const where = logFields(target);
  // 1. The check run shows at once that the review is under way.
  let checkRunId: number;
  try {
    checkRunId = options.checkRunId ?? (await host.createCheckRun(checkRunStart(target.headSha, target.pullNumber, env.now())));
  } catch (err) {
    env.log.error({ ...where, err }, "loopguard: could not create the check run");
    throw err;
  }
  let config: LoopguardConfig | null = null;
  try {
    // 2. The configuration, from the default branch.
    const parsed = await loadConfiguration(host);
    if (!parsed.ok) {
      return await complete(host, checkRunId, renderConfigErrors(parsed.errors, host.configSource, env.version), env);
    }
    config = parsed.config;
    // 3. The changed Python files and the lines each change added.
    const listed = await host.listChangedFiles();
    const files = filesToReview(listed, config);
    // 4. Head texts, and base texts of modified and renamed files, in few requests.
    const texts = await host.fetchTexts(textRequests(files, target));
    // 5. Analyse head and base; a head finding is new when the base does not have it.
    await initParser();
    const change = analyzeChange(files, texts, config);
    // 6. Publish: annotations, then the review, then the conclusion.
    const report: CheckReport = {
      fresh: change.files.flatMap((f) => f.fresh.map((p) => p.finding)),
      preexisting: change.files.reduce((n, f) => n + f.preexisting.length, 0),
      reviewed: change.files.length,
      skipped: change.skipped,
      notListed: notListed(listed.length, target.changedFiles),
      failOn: config.failOn,
      version: env.version,
    };
    const output = renderCheckOutput(report);
    for (const update of annotationUpdates(output)) await host.updateCheckRun(checkRunId, update);
    const review = config.comments ? await postReview(host, change, target, config, env) : { notes: [], posted: false };
    const outcome = await complete(host, checkRunId, renderCheckOutput({ ...report, notes: review.notes }), env);
    env.log.info({ ...where, conclusion: outcome.conclusion, findings: report.fresh.length }, `loopguard: ${outcome.title}`);
    return { ...outcome, reviewed: review.posted };
  } catch (err) {
    // 7. Any failure still completes the check run, with the reason.
    env.log.error({ ...where, err }, "loopguard: the review failed");
    const conclusion: Conclusion = config?.failOn === "never" ? "neutral" : "failure";
    return complete(host, checkRunId, renderRunFailure(describeError(err), conclusion, env.version), env);
  }
}

/** What every log line of a run carries. */
export function logFields(target: ReviewTarget): Record<string, unknown> {
  return { repository: target.repository, pull: target.pullNumber, sha: target.headSha };
}

async function loadConfiguration(host: ReviewHost): Promise<ParseConfigResult> {
  try {
    return parseConfig(await host.loadConfig());
  } catch (err) {
    if (!(err instanceof ConfigSyntaxError)) throw err;
    return {
      ok: false,
      errors: [{ key: "(file)", value: null, allowed: "valid YAML", line: null, message: `the file is not valid YAML (${err.message})` }],
    };
  }
}

/**
 * Completes the check run. If GitHub refuses the body itself (a 4xx: say an
 * annotation it will not take), the run is still completed, with the same
 * conclusion and the reason instead of the full output. A 5xx was already
 * retried by Octokit's retry plugin and is not retried again here.
 */
async function complete(host: ReviewHost, checkRunId: number, output: CheckOutput, env: RunEnv): Promise<RunOutcome> {
  try {
    await host.updateCheckRun(checkRunId, finalUpdate(output, env.now()));
  } catch (err) {
    const status = statusOf(err);
    if (status === null || status >= 500) throw err;
    env.log.error({ checkRun: checkRunId, err }, "loopguard: GitHub refused the check run's output");
    const summary = `loopguard finished (${output.title}) but GitHub refused the full result: ${describeError(err)}`;
    await host.updateCheckRun(checkRunId, finalUpdate({ ...output, summary, annotations: [] }, env.now()));
  }
  return { conclusion: output.conclusion, title: output.title, reviewed: false };
}

/**
 * The texts the run needs: the head of every reviewed file, the base of each
 * modified or renamed one, and the pytest and project files (`pyproject.toml`,
 * `pytest.ini`, ...) that may exist at the head in their folders and above,
 * for the testing rules' `asyncio_mode` and `requires-python`. One batched
 * fetch asks for all: a file that is not there costs an alias, not a request.
 */
export function textRequests(files: readonly ChangedFile[], target: ReviewTarget): TextRequest[] {
  const out: TextRequest[] = [];
  const folders = new Set<string>();
  for (const f of files) for (const dir of repoFoldersAbove(f.path)) folders.add(dir);
  for (const dir of [...folders].sort()) {
    for (const name of PYTHON_PROJECT_FILES) out.push({ key: projectKey(repoJoin(dir, name)), ref: target.headSha, path: repoJoin(dir, name) });
  }
  for (const f of files) {
    // An added file's size is about its added lines; that spreads big new files over more queries.
    const head: TextRequest = { key: headKey(f.path), ref: target.headSha, path: f.path };
    if (f.status === "added") head.sizeHint = f.additions * 40;
    out.push(head);
    const basePath = basePathOf(f);
    if (basePath) out.push({ key: baseKey(f.path), ref: target.baseSha, path: basePath });
  }
  return out;
}

const headKey = (path: string) => `head:${path}`;
const projectKey = (path: string) => `project:${path}`;
const baseKey = (path: string) => `base:${path}`;

export interface AnalyzedFile {
  file: ChangedFile;
  source: string;
  diff: DiffLines | null;
  fresh: FingerprintedFinding[];
  preexisting: FingerprintedFinding[];
}

export interface AnalyzedChange {
  files: AnalyzedFile[];
  skipped: SkippedFile[];
}

/**
 * Runs the core on the head versions together (cross-file rules see the
 * whole change) and on the base versions together, then splits new from
 * pre-existing findings file by file.
 */
export function analyzeChange(
  files: readonly ChangedFile[],
  texts: ReadonlyMap<string, DecodedSource>,
  config: LoopguardConfig,
): AnalyzedChange {
  const skipped: SkippedFile[] = [];
  const heads: { file: ChangedFile; source: string }[] = [];
  for (const file of files) {
    const text = texts.get(headKey(file.path)) ?? { ok: false, reason: "not fetched" };
    if (text.ok) heads.push({ file, source: text.text });
    else skipped.push({ path: file.path, reason: text.reason });
  }
  const bases = heads.flatMap(({ file }) => {
    const basePath = basePathOf(file);
    const text = texts.get(baseKey(file.path));
    return basePath && text?.ok ? [{ file, basePath, source: text.text }] : [];
  });
  const options = { severities: severitiesFromConfig(config), guideUrl: guideBaseUrl(config.guideUrl) };
  const projects = new ProjectFactsFinder(fetchedConfigTree(texts), config.blockingCalls);
  // Base versions are judged by the head's project files too, so a finding is new because the code changed.
  const asSource = (path: string, source: string, headPath: string): SourceFile => ({
    path,
    source,
    severities: severitiesForPath(config, headPath),
    project: projects.forFolder(repoFolderOf(headPath)),
  });
  const headResults = analyzeProject(heads.map((h) => asSource(h.file.path, h.source, h.file.path)), options);
  const baseResults = analyzeProject(bases.map((b) => asSource(b.basePath, b.source, b.file.path)), options);
  const analyzed = heads.map(({ file, source }, i): AnalyzedFile => {
    const baseIndex = bases.findIndex((b) => b.file === file);
    const base = baseIndex === -1 ? null : { findings: baseResults[baseIndex]!.findings, source: bases[baseIndex]!.source };
    const diff = file.patch === null ? null : parsePatch(file.patch);
    const split = classifyFindings({ path: file.path, source, findings: headResults[i]!.findings }, base, diff?.added);
    return { file, source, diff, ...split };
  });
  return { files: analyzed, skipped };
}

/** The project files fetched from the head, as folders to walk up. */
function fetchedConfigTree(texts: ReadonlyMap<string, DecodedSource>): ConfigTree {
  return {
    files(dir) {
      const out: ConfigFile[] = [];
      for (const name of PYTHON_PROJECT_FILES) {
        const text = texts.get(projectKey(repoJoin(dir, name)));
        if (text?.ok) out.push({ name, text: text.text });
      }
      return out;
    },
    parent: repoParentOf,
  };
}

function notListed(listed: number, changedFiles: number | null): number {
  if (changedFiles === null || listed < MAX_LISTED_FILES) return 0;
  return Math.max(0, changedFiles - listed);
}

/** Step 6b: re-read the head, reconcile with what the App already said, post one review. */
async function postReview(
  host: ReviewHost,
  change: AnalyzedChange,
  target: ReviewTarget,
  config: LoopguardConfig,
  env: RunEnv,
): Promise<{ notes: string[]; posted: boolean }> {
  const head = await host.currentHeadSha();
  if (head !== target.headSha) {
    return {
      notes: [`No review comments: a newer commit (${head.slice(0, 7)}) was pushed while this one was analysed; its own run reviews it.`],
      posted: false,
    };
  }
  const settings: ReviewSettings = {
    commentOn: config.commentOn,
    maxComments: config.maxComments,
    version: env.version,
    rulePage: env.rulePage,
  };
  const plan = planReview({
    headSha: target.headSha,
    candidates: change.files.flatMap((f) => f.fresh.map((print): ReviewCandidate => ({ print, source: f.source, diff: f.diff }))),
    present: new Set(change.files.flatMap((f) => [...f.fresh, ...f.preexisting].map((p) => p.fingerprint))),
    posted: await host.postedFeedback(),
    unknownPaths: new Set(change.skipped.map((s) => s.path)),
    settings,
  });
  const notes: string[] = [];
  if (plan.alreadyPosted > 0) {
    notes.push(`${plan.alreadyPosted} of the new findings already have a comment from an earlier run of loopguard; they are not posted again.`);
  }
  try {
    const result = await publishReview(host, plan, target.headSha, settings, () => currentDiffs(host));
    if (result.note) notes.push(result.note);
    return { notes, posted: plan.review !== null };
  } catch (err) {
    env.log.error(
      { repository: target.repository, pull: target.pullNumber, sha: target.headSha, err },
      "loopguard: the review could not be posted",
    );
    notes.push(`The review could not be posted: ${describeError(err)}`);
    return { notes, posted: false };
  }
}

async function currentDiffs(host: ReviewHost): Promise<Map<string, DiffLines | null>> {
  const files = await host.listChangedFiles();
  return new Map(files.map((f) => [f.path, f.patch === null ? null : parsePatch(f.patch)]));
}

/** A one-line reason for the check summary: the GitHub request and its answer when there is one. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const e = err as Error & { status?: number; request?: { method?: string; url?: string } };
  if (typeof e.status === "number" && e.request?.url) {
    const url = e.request.url.replace(/^https?:\/\/[^/]+/, "").replace(/\?.*$/, "");
    const answer = `GitHub answered ${e.status} to ${e.request.method ?? "a request"} ${url}: ${e.message}`;
    const reset = rateLimitReset(err);
    return reset
      ? `${answer} (the installation's API rate limit is used up until ${reset.toISOString().slice(11, 16)} UTC: re-run the check after that)`
      : answer;
  }
  return `${e.name}: ${e.message}`;
}

/** When a rate-limited answer's limit resets, or null for another answer. */
function rateLimitReset(err: unknown): Date | null {
  const headers = (err as { response?: { headers?: Record<string, unknown> } }).response?.headers;
  if (headers?.["x-ratelimit-remaining"] !== "0") return null;
  const reset = Number(headers["x-ratelimit-reset"]);
  return Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : null;
}
