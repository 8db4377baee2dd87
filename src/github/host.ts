// Everything the review job asks of the outside world, behind one small
// interface: GitHub implements it here; the CLI's `loopguard review`
// implements it on a local git repository. The job itself (pull-request.ts)
// is the same code for both.
import type { Context, ProbotOctokit } from "probot";
import type { DecodedSource } from "../analyzer/source.js";
import { listChangedFiles, type ChangedFile } from "./changed-files.js";
import {
  createCheckRun,
  findCheckRun,
  updateCheckRun,
  type CheckRunCreate,
  type CheckRunStore,
  type CheckRunUpdate,
} from "./check-run.js";
import { fetchTexts, type RepoRef, type TextRequest } from "./contents.js";
import { createReview, fetchPostedFeedback, minimizeComment, type ReviewWriter } from "./review.js";

export interface ReviewHost extends ReviewWriter {
  /** Where the configuration comes from, for messages. */
  readonly configSource: string;
  /** The configuration as parsed YAML (an object) or raw text; null when there is none. */
  loadConfig(): Promise<unknown>;
  listChangedFiles(): Promise<ChangedFile[]>;
  fetchTexts(requests: readonly TextRequest[]): Promise<Map<string, DecodedSource>>;
  createCheckRun(body: CheckRunCreate): Promise<number>;
  updateCheckRun(checkRunId: number, body: CheckRunUpdate): Promise<void>;
  /** The pull request's head SHA right now (a newer push moves it). */
  currentHeadSha(): Promise<string>;
}

/** A configuration file that exists but cannot be read as YAML (not a GitHub failure). */
export class ConfigSyntaxError extends Error {}

export const CONFIG_FILE_NAME = "loopguard.yml";

/** The host for one pull request of the repository a webhook came from. */
export function githubHost(context: Context, pullNumber: number): ReviewHost {
  const octokit: ProbotOctokit = context.octokit;
  const repo: RepoRef = context.repo();
  const pr = { ...repo, pull_number: pullNumber };
  return {
    configSource: `.github/${CONFIG_FILE_NAME}`,
    // From the default branch (a pull request cannot change its own review), with
    // the organisation's `.github` repository as fallback and `_extends` honoured.
    loadConfig: async () => {
      try {
        return await context.config<unknown>(CONFIG_FILE_NAME);
      } catch (err) {
        if (err instanceof Error && err.message.includes("could not be parsed")) {
          // The YAML parser's own message (with the line) is the useful part.
          const detail = err.cause instanceof Error ? err.cause.message.split("\n")[0]!.replace(/:$/, "") : err.message;
          throw new ConfigSyntaxError(detail);
        }
        throw err;
      }
    },
    listChangedFiles: () => listChangedFiles(octokit, pr),
    fetchTexts: (requests) => fetchTexts(octokit, repo, requests),
    createCheckRun: (body) => createCheckRun(octokit, repo, body),
    updateCheckRun: (id, body) => updateCheckRun(octokit, repo, id, body),
    currentHeadSha: async () => (await octokit.rest.pulls.get(pr)).data.head.sha,
    postedFeedback: () => fetchPostedFeedback(octokit, pr),
    minimize: (nodeId) => minimizeComment(octokit, nodeId),
    createReview: (review) => createReview(octokit, pr, review),
  };
}

/** The check-run requests of the job queue, for the repository a webhook came from. */
export function githubCheckRuns(context: Context): CheckRunStore {
  const octokit: ProbotOctokit = context.octokit;
  const repo: RepoRef = context.repo();
  return {
    create: (body) => createCheckRun(octokit, repo, body),
    update: (id, body) => updateCheckRun(octokit, repo, id, body),
    find: async (headSha, pullNumber) => findCheckRun(octokit, repo, headSha, pullNumber, await appIdOf(octokit)),
  };
}

let appId: Promise<number | null> | null = null;

/**
 * This App's id, to tell its check runs from another app's of the same name
 * (a CI job called `loopguard`). The installation Octokit signs the App's JWT
 * locally, so asking costs no request.
 */
function appIdOf(octokit: ProbotOctokit): Promise<number | null> {
  appId ??= octokit
    .auth({ type: "app" })
    .then((auth) => {
      const id = (auth as { appId?: unknown }).appId;
      return typeof id === "number" ? id : typeof id === "string" && /^\d+$/.test(id) ? Number(id) : null;
    })
    .catch(() => null);
  return appId;
}
