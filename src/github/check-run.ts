// The check run: created `in_progress` when its job starts (`queued` when the
// job has to wait for a free slot), then completed with the output. GitHub
// takes at most 50 annotations per request and appends those of each update,
// so the annotations go out in batches, the last one riding on the final
// update with the conclusion. Bodies are built by pure functions (the CLI
// prints them); the requests are the small functions at the end.
import type { ProbotOctokit } from "probot";
import type { Annotation, CheckOutput, Conclusion } from "../comments/check-output.js";
import type { RepoRef } from "./contents.js";

export const CHECK_NAME = "loopguard";
export const ANNOTATIONS_PER_REQUEST = 50;

export interface CheckRunCreate {
  name: string;
  head_sha: string;
  status: "in_progress";
  started_at: string;
  /** The pull request number: `check_run` events of fork PRs have no `pull_requests`. */
  external_id?: string;
}

/** A check run for a job that waits for a free slot. */
export interface QueuedCheckRunCreate {
  name: string;
  head_sha: string;
  status: "queued";
  external_id?: string;
}

/** A check run that is over as soon as it exists (a job refused while the App shuts down). */
export interface CompletedCheckRunCreate {
  name: string;
  head_sha: string;
  status: "completed";
  conclusion: Conclusion;
  completed_at: string;
  external_id?: string;
  output: { title: string; summary: string };
}

export type AnyCheckRunCreate = CheckRunCreate | QueuedCheckRunCreate | CompletedCheckRunCreate;

/** A queued check run whose job now starts. */
export interface CheckRunStartUpdate {
  status: "in_progress";
  started_at: string;
}

export interface CheckRunUpdate {
  status?: "completed";
  conclusion?: Conclusion;
  completed_at?: string;
  output: { title: string; summary: string; annotations?: Annotation[] };
}

export function checkRunStart(headSha: string, pullNumber: number | null, now: Date): CheckRunCreate {
  const body: CheckRunCreate = { name: CHECK_NAME, head_sha: headSha, status: "in_progress", started_at: now.toISOString() };
  if (pullNumber !== null) body.external_id = String(pullNumber);
  return body;
}

export function checkRunQueued(headSha: string, pullNumber: number | null): QueuedCheckRunCreate {
  const body: QueuedCheckRunCreate = { name: CHECK_NAME, head_sha: headSha, status: "queued" };
  if (pullNumber !== null) body.external_id = String(pullNumber);
  return body;
}

export function checkRunStarted(now: Date): CheckRunStartUpdate {
  return { status: "in_progress", started_at: now.toISOString() };
}

/** A check run created already completed, with an output that has no annotations. */
export function checkRunClosed(headSha: string, pullNumber: number | null, output: CheckOutput, now: Date): CompletedCheckRunCreate {
  const body: CompletedCheckRunCreate = {
    name: CHECK_NAME,
    head_sha: headSha,
    status: "completed",
    conclusion: output.conclusion,
    completed_at: now.toISOString(),
    output: { title: output.title, summary: output.summary },
  };
  if (pullNumber !== null) body.external_id = String(pullNumber);
  return body;
}

/** The annotation batches to send before the final update (all but the last batch). */
export function annotationUpdates(output: CheckOutput): CheckRunUpdate[] {
  const batches = batchAnnotations(output.annotations);
  return batches.slice(0, -1).map((annotations, i) => ({
    output: {
      title: output.title,
      summary: `Publishing annotations (${(i + 1) * ANNOTATIONS_PER_REQUEST} of ${output.annotations.length})…`,
      annotations,
    },
  }));
}

/** The update that completes the run: conclusion, the full output and the last annotation batch. */
export function finalUpdate(output: CheckOutput, now: Date): CheckRunUpdate {
  const last = batchAnnotations(output.annotations).at(-1);
  const body: CheckRunUpdate = {
    status: "completed",
    conclusion: output.conclusion,
    completed_at: now.toISOString(),
    output: { title: output.title, summary: output.summary },
  };
  if (last) body.output.annotations = last;
  return body;
}

export function batchAnnotations(annotations: readonly Annotation[]): Annotation[][] {
  const out: Annotation[][] = [];
  for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) out.push(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  return out;
}

/**
 * Creates a check run, never retried automatically: a retried creation that
 * had in fact succeeded would leave a second check run open for good. The
 * caller looks it up instead (`findCheckRun`) before trying again.
 */
export async function createCheckRun(octokit: ProbotOctokit, repo: RepoRef, body: AnyCheckRunCreate): Promise<number> {
  const { data } = await octokit.rest.checks.create({ ...repo, ...body, request: { retries: 0 } });
  return data.id;
}

export async function updateCheckRun(
  octokit: ProbotOctokit,
  repo: RepoRef,
  checkRunId: number,
  body: CheckRunUpdate | CheckRunStartUpdate,
): Promise<void> {
  await octokit.rest.checks.update({ ...repo, check_run_id: checkRunId, ...body });
}

export type CheckRunStatus = "queued" | "in_progress" | "completed";

export interface ExistingCheckRun {
  id: number;
  status: CheckRunStatus;
}

/** The check-run requests the job queue makes for a pull request's jobs. */
export interface CheckRunStore {
  create(body: AnyCheckRunCreate): Promise<number>;
  update(checkRunId: number, body: CheckRunUpdate | CheckRunStartUpdate): Promise<void>;
  /** This App's latest check run for the commit and pull request, or null. */
  find(headSha: string, pullNumber: number): Promise<ExistingCheckRun | null>;
}

/**
 * The latest `loopguard` check run of this App for a commit and pull request
 * (the PR number is in its `external_id`), or null. One request.
 */
export async function findCheckRun(
  octokit: ProbotOctokit,
  repo: RepoRef,
  headSha: string,
  pullNumber: number,
  appId: number | null,
): Promise<ExistingCheckRun | null> {
  const { data } = await octokit.rest.checks.listForRef({
    ...repo,
    ref: headSha,
    check_name: CHECK_NAME,
    filter: "latest",
    per_page: 100,
    ...(appId === null ? {} : { app_id: appId }),
  });
  const ours = data.check_runs.filter(
    (r) => r.external_id === String(pullNumber) && r.head_sha === headSha && (appId === null || r.app?.id === appId),
  );
  // The newest first: ids grow with time.
  const latest = ours.sort((a, b) => b.id - a.id)[0];
  return latest ? { id: latest.id, status: statusOf(latest.status) } : null;
}

/** GitHub also says `waiting`, `requested` or `pending` for a run that has not started. */
function statusOf(status: string): CheckRunStatus {
  return status === "completed" || status === "in_progress" ? status : "queued";
}
