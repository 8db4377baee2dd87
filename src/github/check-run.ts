// The check run: created `in_progress` at once, then completed with the
// output. GitHub takes at most 50 annotations per request and appends those
// of each update, so the annotations go out in batches, the last one riding
// on the final update with the conclusion. Bodies are built by pure functions
// (the CLI prints them); the requests are the two small functions at the end.
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

export async function createCheckRun(octokit: ProbotOctokit, repo: RepoRef, body: CheckRunCreate): Promise<number> {
  const { data } = await octokit.rest.checks.create({ ...repo, ...body });
  return data.id;
}

export async function updateCheckRun(
  octokit: ProbotOctokit,
  repo: RepoRef,
  checkRunId: number,
  body: CheckRunUpdate,
): Promise<void> {
  await octokit.rest.checks.update({ ...repo, check_run_id: checkRunId, ...body });
}
