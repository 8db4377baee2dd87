// The pull-request review: one per run, `event: COMMENT`, an inline comment
// on the added line of each new finding (most severe first, at most
// `maxComments`), the rest listed in the body. What this App already said is
// read back from the hidden fingerprint markers of its visible comments and
// review bodies: a finding already there is not posted again, and a comment
// whose finding is gone is hidden as outdated. `planReview` decides all of it
// (pure); `publishReview` sends it (and copes with GitHub refusing a
// comment); the GitHub requests are at the end.
import type { ProbotOctokit } from "probot";
import type { FingerprintedFinding } from "../analyzer/fingerprint.js";
import { SEVERITY_RANK, type Severity } from "../analyzer/types.js";
import { allRules } from "../checks/index.js";
import {
  markedFingerprints,
  renderReviewBody,
  renderReviewComment,
  type CommentRange,
  type ListedFinding,
} from "../comments/review-comment.js";
import { hunkContaining, type DiffLines } from "./changed-files.js";
import type { RepoRef } from "./contents.js";

export interface ReviewCommentRequest {
  path: string;
  body: string;
  line: number;
  side: "RIGHT";
  start_line?: number;
  start_side?: "RIGHT";
}

export interface ReviewRequest {
  commit_id: string;
  event: "COMMENT";
  body: string;
  comments: ReviewCommentRequest[];
}

/** A comment or review body of this App already on the pull request. */
export interface PostedFeedback {
  nodeId: string;
  kind: "comment" | "review";
  /** The file of an inline comment (null for a review body). */
  path: string | null;
  fingerprints: string[];
  minimized: boolean;
}

/** A new finding with what is needed to place and render its comment. */
export interface ReviewCandidate {
  print: FingerprintedFinding;
  /** The head version of its file. */
  source: string;
  /** The file's diff lines; null when GitHub gave no patch. */
  diff: DiffLines | null;
}

export interface ReviewSettings {
  commentOn: Severity;
  maxComments: number;
  version: string;
  /** URL of a rule's page, by rule name. */
  rulePage: (name: string) => string;
}

export interface ReviewPlanInput {
  headSha: string;
  candidates: readonly ReviewCandidate[];
  /** Fingerprints of every finding of the head version (new and pre-existing). */
  present: ReadonlySet<string>;
  posted: readonly PostedFeedback[];
  /** Files that could not be analysed: their comments stay, whatever happened to their findings. */
  unknownPaths: ReadonlySet<string>;
  settings: ReviewSettings;
}

export interface PlannedComment {
  request: ReviewCommentRequest;
  print: FingerprintedFinding;
}

export interface ReviewPlan {
  /** The review to post; null when there is nothing new to say. */
  review: ReviewRequest | null;
  comments: PlannedComment[];
  listed: ListedFinding[];
  /** Node ids of this App's comments whose findings are gone. */
  minimize: string[];
  /** New findings left out because a visible comment already says them. */
  alreadyPosted: number;
}

export function planReview(input: ReviewPlanInput): ReviewPlan {
  const { settings } = input;
  const visible = input.posted.filter((p) => !p.minimized);
  const said = new Set(visible.flatMap((p) => p.fingerprints));
  const eligible = input.candidates.filter(
    (c) => SEVERITY_RANK[c.print.finding.severity] >= SEVERITY_RANK[settings.commentOn],
  );
  const toSay = eligible.filter((c) => !said.has(c.print.fingerprint)).sort(mostSevereFirst);
  const comments: PlannedComment[] = [];
  const listed: ListedFinding[] = [];
  for (const c of toSay) {
    const placed = placeComment(c);
    if (typeof placed === "string") listed.push({ finding: c.print.finding, fingerprint: c.print.fingerprint, reason: placed });
    else if (comments.length >= settings.maxComments) {
      listed.push({ finding: c.print.finding, fingerprint: c.print.fingerprint, reason: "limit" });
    } else comments.push({ print: c.print, request: commentRequest(c, placed, settings) });
  }
  const review: ReviewRequest | null =
    toSay.length === 0
      ? null
      : {
          commit_id: input.headSha,
          event: "COMMENT",
          body: renderReviewBody({ commented: comments.length, listed, maxComments: settings.maxComments, version: settings.version }),
          comments: comments.map((c) => c.request),
        };
  return {
    review,
    comments,
    listed,
    minimize: outdated(visible, input.present, input.unknownPaths),
    alreadyPosted: eligible.length - toSay.length,
  };
}

/** The same review with every inline comment moved into the body (GitHub refused them). */
export function bodyOnlyReview(plan: ReviewPlan, headSha: string, reason: string, settings: ReviewSettings): ReviewRequest {
  return {
    commit_id: headSha,
    event: "COMMENT",
    body: renderReviewBody({
      commented: 0,
      listed: [...plan.comments.map(asRefused), ...plan.listed],
      maxComments: settings.maxComments,
      version: settings.version,
      refusal: reason,
    }),
    comments: [],
  };
}

/** The review without the `dropped` inline comments, which move into its body. */
export function reviewWithout(
  plan: ReviewPlan,
  dropped: ReadonlySet<PlannedComment>,
  headSha: string,
  reason: string,
  settings: ReviewSettings,
): ReviewRequest {
  const kept = plan.comments.filter((c) => !dropped.has(c));
  return {
    commit_id: headSha,
    event: "COMMENT",
    body: renderReviewBody({
      commented: kept.length,
      listed: [...[...dropped].map(asRefused), ...plan.listed],
      maxComments: settings.maxComments,
      version: settings.version,
      partialRefusal: reason,
    }),
    comments: kept.map((c) => c.request),
  };
}

function asRefused(c: PlannedComment): ListedFinding {
  return { finding: c.print.finding, fingerprint: c.print.fingerprint, reason: "refused" };
}

/** Whether GitHub accepts the comment on this diff: its lines inside one hunk (right side). */
export function fitsDiff(request: ReviewCommentRequest, diff: DiffLines | null | undefined): boolean {
  return !!diff && hunkContaining(diff, request.start_line ?? request.line, request.line) !== null;
}

function mostSevereFirst(a: ReviewCandidate, b: ReviewCandidate): number {
  const fa = a.print.finding;
  const fb = b.print.finding;
  return SEVERITY_RANK[fb.severity] - SEVERITY_RANK[fa.severity] || fa.path.localeCompare(fb.path) || fa.line - fb.line || fa.column - fb.column;
}

/**
 * Where a finding's comment goes: its lines when they lie in one hunk, else
 * its first line alone. GitHub refuses a whole review for one comment outside
 * the diff, so a finding whose first line the change did not add is listed instead.
 */
function placeComment(c: ReviewCandidate): CommentRange | "no-patch" | "unchanged-line" {
  if (!c.diff) return "no-patch";
  const f = c.print.finding;
  if (!c.diff.added.has(f.line)) return "unchanged-line";
  return hunkContaining(c.diff, f.line, f.endLine) ? { start: f.line, end: f.endLine } : { start: f.line, end: f.line };
}

const WHY = new Map(allRules.map((r) => [r.meta.code, r.docs.why]));

function commentRequest(c: ReviewCandidate, range: CommentRange, settings: ReviewSettings): ReviewCommentRequest {
  const f = c.print.finding;
  const body = renderReviewComment({
    finding: f,
    fingerprint: c.print.fingerprint,
    why: WHY.get(f.code) ?? "",
    rulePage: settings.rulePage(f.name),
    source: c.source,
    range,
  });
  const request: ReviewCommentRequest = { path: f.path, body, line: range.end, side: "RIGHT" };
  if (range.start < range.end) {
    request.start_line = range.start;
    request.start_side = "RIGHT";
  }
  return request;
}

function outdated(visible: readonly PostedFeedback[], present: ReadonlySet<string>, unknownPaths: ReadonlySet<string>): string[] {
  return visible
    .filter((p) => p.fingerprints.length > 0 && !p.fingerprints.some((fp) => present.has(fp)))
    .filter((p) => (p.path === null ? unknownPaths.size === 0 : !unknownPaths.has(p.path)))
    .map((p) => p.nodeId);
}

/** What `publishReview` needs from GitHub (or from the CLI's stand-in). */
export interface ReviewWriter {
  createReview(review: ReviewRequest): Promise<void>;
  postedFeedback(): Promise<PostedFeedback[]>;
  minimize(nodeId: string): Promise<void>;
}

export interface PublishResult {
  /** What happened, for the check summary; null when everything went as planned. */
  note: string | null;
}

/** The pull request's diff as GitHub has it now, by path (null: no patch). */
export type CurrentDiffs = () => Promise<ReadonlyMap<string, DiffLines | null>>;

/**
 * Hides outdated comments, then posts the review once (no automatic retry: a
 * retried review that in fact succeeded would appear twice). A failure other
 * than a refusal is reconciled by the fingerprints: if the review did not
 * land, it is posted once more. A 422 is GitHub refusing an inline comment,
 * see `postRefused`.
 */
export async function publishReview(
  writer: ReviewWriter,
  plan: ReviewPlan,
  headSha: string,
  settings: ReviewSettings,
  currentDiffs?: CurrentDiffs,
): Promise<PublishResult> {
  for (const id of plan.minimize) await writer.minimize(id);
  if (!plan.review) return { note: null };
  try {
    await writer.createReview(plan.review);
    return { note: null };
  } catch (err) {
    if (statusOf(err) === 422 && plan.review.comments.length > 0) {
      return postRefused(writer, plan, headSha, settings, errorMessage(err), currentDiffs);
    }
    if (await reviewLanded(writer, plan)) return { note: null };
    await writer.createReview(plan.review);
    return { note: null };
  }
}

/**
 * GitHub refused the review for an inline comment and does not say which
 * one. The comments were placed on the diff the run listed, so the usual
 * cause is a diff that changed since (a new base): read the diff again
 * (⌈files/100⌉ requests) and post the review without exactly the comments
 * whose lines left it, listed in its body instead. That is one more review
 * request, where bisecting would post several partial reviews or probe with
 * pending ones (two requests per probe). If the fresh diff explains nothing,
 * or GitHub refuses again, every comment moves into the body of a review
 * GitHub cannot refuse for its comments: nothing is lost, at most three
 * review requests in all.
 */
async function postRefused(
  writer: ReviewWriter,
  plan: ReviewPlan,
  headSha: string,
  settings: ReviewSettings,
  reason: string,
  currentDiffs?: CurrentDiffs,
): Promise<PublishResult> {
  if (currentDiffs) {
    const diffs = await currentDiffs();
    const dropped = new Set(plan.comments.filter((c) => !fitsDiff(c.request, diffs.get(c.request.path))));
    if (dropped.size > 0) {
      try {
        await writer.createReview(reviewWithout(plan, dropped, headSha, reason, settings));
        const n = dropped.size;
        return {
          note: `GitHub refused ${n === 1 ? "1 inline comment" : `${n} inline comments`} (${reason}): ${n === 1 ? "its line is" : "their lines are"} no longer in the pull request's diff, so the review lists ${n === 1 ? "it" : "them"} in its body.`,
        };
      } catch (err) {
        if (statusOf(err) !== 422) throw err;
        reason = errorMessage(err);
      }
    }
  }
  await writer.createReview(bodyOnlyReview(plan, headSha, reason, settings));
  return { note: `GitHub refused the inline comments (${reason}); the review lists the findings in its body instead.` };
}

async function reviewLanded(writer: ReviewWriter, plan: ReviewPlan): Promise<boolean> {
  const expected = [...plan.comments.map((c) => c.print.fingerprint), ...plan.listed.map((l) => l.fingerprint)];
  const posted = new Set((await writer.postedFeedback()).flatMap((p) => p.fingerprints));
  return expected.length > 0 && expected.every((fp) => posted.has(fp));
}

export function statusOf(err: unknown): number | null {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : null;
}

function errorMessage(err: unknown): string {
  const data = (err as { response?: { data?: { message?: string; errors?: unknown[] } } }).response?.data;
  const details = (data?.errors ?? []).map((e) => (typeof e === "string" ? e : JSON.stringify(e))).join("; ");
  const message = data?.message ?? (err instanceof Error ? err.message : String(err));
  return details ? `${message}: ${details}` : message;
}

export interface PullNumberRef extends RepoRef {
  pull_number: number;
}

export async function createReview(octokit: ProbotOctokit, pr: PullNumberRef, review: ReviewRequest): Promise<void> {
  await octokit.rest.pulls.createReview({ ...pr, ...review, request: { retries: 0 } });
}

const FEEDBACK_FIELDS = "id body isMinimized viewerDidAuthor";

function feedbackQuery(withReviews: boolean): string {
  return `query($owner: String!, $name: String!, $number: Int!, $cursor: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {${withReviews ? `\n      reviews(last: 100) { nodes { ${FEEDBACK_FIELDS} } }` : ""}
      reviewThreads(first: 100, after: $cursor) {
        pageInfo { hasNextPage endCursor }
        nodes { path comments(first: 1) { nodes { ${FEEDBACK_FIELDS} } } }
      }
    }
  }
}`;
}

interface FeedbackNode {
  id: string;
  body: string;
  isMinimized: boolean;
  viewerDidAuthor: boolean;
}

interface FeedbackData {
  repository: {
    pullRequest: {
      reviews?: { nodes: (FeedbackNode | null)[] };
      reviewThreads: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: ({ path: string; comments: { nodes: (FeedbackNode | null)[] } } | null)[];
      };
    } | null;
  } | null;
}

/**
 * This App's review bodies and the first comment of each review thread (a
 * thread the App opened starts with its comment; replies are people's) that
 * carry a loopguard marker. One query per 100 threads.
 */
export async function fetchPostedFeedback(octokit: ProbotOctokit, pr: PullNumberRef): Promise<PostedFeedback[]> {
  const out: PostedFeedback[] = [];
  let cursor: string | null = null;
  for (let page = 0; ; page++) {
    const data: FeedbackData = await octokit.graphql<FeedbackData>(feedbackQuery(page === 0), {
      owner: pr.owner,
      name: pr.repo,
      number: pr.pull_number,
      cursor,
    });
    const pull = data.repository?.pullRequest;
    if (!pull) return out;
    for (const r of pull.reviews?.nodes ?? []) if (r) pushFeedback(out, r, "review", null);
    for (const t of pull.reviewThreads.nodes) {
      const first = t?.comments.nodes[0];
      if (t && first) pushFeedback(out, first, "comment", t.path);
    }
    if (!pull.reviewThreads.pageInfo.hasNextPage) return out;
    cursor = pull.reviewThreads.pageInfo.endCursor;
  }
}

function pushFeedback(out: PostedFeedback[], node: FeedbackNode, kind: PostedFeedback["kind"], path: string | null): void {
  if (!node.viewerDidAuthor) return;
  const fingerprints = markedFingerprints(node.body);
  if (fingerprints.length === 0) return;
  out.push({ nodeId: node.id, kind, path, fingerprints, minimized: node.isMinimized });
}

const MINIMIZE = `mutation($id: ID!) {
  minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) { minimizedComment { isMinimized } }
}`;

export async function minimizeComment(octokit: ProbotOctokit, nodeId: string): Promise<void> {
  await octokit.graphql(MINIMIZE, { id: nodeId });
}
