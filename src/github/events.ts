// From a webhook to the review job: which events start a run, and which
// pull request and commit a run is for. Handlers only put the run on the
// queue (review-job.ts), so GitHub gets its answer at once.
import { readFileSync } from "node:fs";
import type { Context } from "probot";
import { rulePageUrl } from "../comments/guide-links.js";
import { CHECK_NAME } from "./check-run.js";
import { githubCheckRuns, githubHost } from "./host.js";
import type { ReviewTarget, RunEnv } from "./pull-request.js";
import { getReviewQueue } from "../jobs/review-queue.js";
import { getReviewScheduler, reviewKey, type ScheduleOutcome } from "./review-job.js";

export const PULL_REQUEST_EVENTS = [
  "pull_request.opened",
  "pull_request.synchronize",
  "pull_request.reopened",
  "pull_request.ready_for_review",
  "pull_request.edited",
] as const;

/** The package version, read once (src/ and lib/ both sit one level below package.json). */
let version: string | null = null;
function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
  return version;
}

function runEnv(context: Context): RunEnv {
  return { version: packageVersion(), now: () => new Date(), rulePage: (name) => rulePageUrl(name), log: context.log };
}

type PullRequestContext = Context<(typeof PULL_REQUEST_EVENTS)[number]>;

/** Queues the review of one pull request's head commit. */
function schedule(context: Context, target: ReviewTarget & { pullNumber: number }, fresh: boolean): Promise<ScheduleOutcome> {
  return getReviewScheduler().schedule({
    deliveryId: context.id,
    target,
    host: githubHost(context, target.pullNumber),
    checkRuns: githubCheckRuns(context),
    env: runEnv(context),
    fresh,
  });
}

/** Opened, pushed to, reopened, ready for review, or its base branch changed. Drafts are reviewed too. */
export async function onPullRequest(context: PullRequestContext): Promise<void> {
  const { payload } = context;
  // An edit of the title or body does not change the diff; a new base branch does.
  if (payload.action === "edited" && !payload.changes.base) return;
  const pr = payload.pull_request;
  const target = {
    repository: payload.repository.full_name,
    headSha: pr.head.sha,
    baseSha: pr.base.sha,
    pullNumber: pr.number,
    changedFiles: pr.changed_files ?? null,
  };
  // A new base changes what is new in the same head commit: that run gets its own check run.
  await schedule(context, target, payload.action === "edited");
}

/** A closed (or merged) pull request: a review still waiting for its turn is not worth running. */
export async function onPullRequestClosed(context: Context<"pull_request.closed">): Promise<void> {
  const { payload } = context;
  const key = reviewKey(payload.repository.full_name, payload.pull_request.number);
  const reason = payload.pull_request.merged ? "the pull request was merged" : "the pull request was closed";
  if (await getReviewQueue().cancel(key, reason)) context.log.info({ key }, `loopguard: ${reason}; its waiting review was cancelled`);
}

/** "Re-run" on loopguard's check: the same head SHA, a fresh check run. */
export async function onCheckRunRerequested(context: Context<"check_run.rerequested">): Promise<void> {
  const run = context.payload.check_run;
  if (run.name !== CHECK_NAME) return;
  // Fork pull requests come with an empty `pull_requests`: the check run's external_id has the number.
  const numbers = pullNumbers(run.external_id, run.pull_requests);
  await rerun(context, run.head_sha, numbers);
}

/** "Re-run all checks": every pull request of the suite's head SHA. */
export async function onCheckSuiteRerequested(context: Context<"check_suite.rerequested">): Promise<void> {
  const suite = context.payload.check_suite;
  let numbers = suite.pull_requests.map((p) => p.number);
  if (numbers.length === 0) {
    const { data } = await context.octokit.rest.checks.listForSuite(
      context.repo({ check_suite_id: suite.id, check_name: CHECK_NAME }),
    );
    numbers = [...new Set(data.check_runs.flatMap((r) => pullNumbers(r.external_id, [])))];
  }
  await rerun(context, suite.head_sha, numbers);
}

export function pullNumbers(externalId: string | null | undefined, pullRequests: readonly { number: number }[]): number[] {
  const fromId = externalId && /^\d+$/.test(externalId) ? [Number(externalId)] : [];
  return [...new Set([...fromId, ...pullRequests.map((p) => p.number)])];
}

async function rerun(context: Context, headSha: string, numbers: readonly number[]): Promise<void> {
  if (numbers.length === 0) {
    context.log.info({ sha: headSha }, "loopguard: re-run requested for a commit of no known pull request");
    return;
  }
  for (const number of numbers) {
    const { data: pr } = await context.octokit.rest.pulls.get(context.repo({ pull_number: number }));
    const target = { repository: pr.base.repo.full_name, headSha, baseSha: pr.base.sha, pullNumber: number, changedFiles: pr.changed_files };
    // The user asked for it: a fresh check run, as GitHub expects of a re-run.
    await schedule(context, target, true);
  }
}
