// From a review request to a job on the in-process queue. Each job owns one
// check run: opened `in_progress` when the job starts, or `queued` when it
// has to wait for a free slot, and always completed, whether the job runs, a
// newer push supersedes it, or the App shuts down first. A redelivered
// webhook, or a second event for a commit already under review or reviewed,
// reuses that commit's check run instead of opening another (GitHub would
// show both); a user's explicit re-run gets a fresh one.
import { renderCancelled, renderShutDown, renderSuperseded, type CheckOutput } from "../comments/check-output.js";
import type { EnqueueOutcome } from "../jobs/queue.js";
import { getReviewQueue } from "../jobs/review-queue.js";
import {
  checkRunClosed,
  checkRunQueued,
  checkRunStart,
  checkRunStarted,
  finalUpdate,
  type CheckRunStore,
  type ExistingCheckRun,
} from "./check-run.js";
import type { ReviewHost } from "./host.js";
import { logFields, reviewPullRequest, type ReviewTarget, type RunEnv } from "./pull-request.js";
import { statusOf } from "./review.js";

export interface ScheduledReview {
  /** The webhook delivery that asked for the run (`X-GitHub-Delivery`). */
  deliveryId: string;
  target: ReviewTarget & { pullNumber: number };
  host: ReviewHost;
  checkRuns: CheckRunStore;
  env: RunEnv;
  /** A user asked for this run ("Re-run"): a fresh check run, whatever exists for the commit. */
  fresh: boolean;
}

export type ScheduleOutcome = EnqueueOutcome | "redelivered";

/** How many deliveries and check runs the process remembers (a few hours of a busy installation). */
const MEMORY = 10_000;

/** A Map that forgets its least recently written entries beyond a size. */
class RecentMap<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly limit: number) {}

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value!);
  }
}

export class ReviewScheduler {
  private readonly deliveries = new RecentMap<string, true>(MEMORY);
  private readonly checkRuns = new RecentMap<string, ExistingCheckRun>(MEMORY);

  /** Puts the review on the process's queue, unless this delivery was handled already. */
  async schedule(review: ScheduledReview): Promise<ScheduleOutcome> {
    const { target, env } = review;
    // One delivery can ask for several pull requests (a re-run check suite).
    const delivery = `${review.deliveryId}#${target.pullNumber}`;
    if (this.deliveries.get(delivery)) {
      env.log.info({ ...logFields(target), delivery: review.deliveryId }, "loopguard: delivery already handled");
      return "redelivered";
    }
    this.deliveries.set(delivery, true);
    const slot = new CheckRunSlot(review, this.checkRuns);
    const outcome = await getReviewQueue().enqueue({
      key: reviewKey(target.repository, target.pullNumber),
      sha: target.headSha,
      onQueued: () => slot.openQuietly("queued"),
      run: () => slot.run(),
      onSuperseded: (newer) => slot.close(renderSuperseded(newer, env.version)),
      onShutdown: () => slot.close(renderShutDown(env.version)),
      onCancelled: (reason) => slot.close(renderCancelled(reason, env.version)),
    });
    if (outcome === "duplicate") env.log.info(logFields(target), "loopguard: this commit is already queued or under review");
    return outcome;
  }
}

/** The queue key of a pull request's reviews: one waiting review per pull request. */
export function reviewKey(repository: string, pullNumber: number): string {
  return `${repository}#${pullNumber}`;
}

let scheduler: ReviewScheduler | null = null;

export function getReviewScheduler(): ReviewScheduler {
  scheduler ??= new ReviewScheduler();
  return scheduler;
}

/** Tests start each case with a process that remembers nothing. */
export function resetReviewScheduler(): void {
  scheduler = null;
}

type Settled<T> = { ok: true; value: T } | { ok: false };

async function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await p };
  } catch {
    return { ok: false };
  }
}

/** The check run of one job, from its opening (or reuse) to its completion. */
class CheckRunSlot {
  /** The check run once asked for; it resolves to null when the commit was already reviewed. */
  private opening: Promise<ExistingCheckRun | null> | null = null;

  constructor(
    private readonly review: ScheduledReview,
    private readonly known: RecentMap<string, ExistingCheckRun>,
  ) {}

  private get key(): string {
    const t = this.review.target;
    return `${t.repository}@${t.headSha}#${t.pullNumber}`;
  }

  private remember(run: ExistingCheckRun): ExistingCheckRun {
    this.known.set(this.key, { ...run });
    return run;
  }

  /** The job's check run, opened with `status` or reused; null when the commit needs no run. */
  async open(status: "queued" | "in_progress"): Promise<ExistingCheckRun | null> {
    this.opening ??= this.acquire(status);
    let run: ExistingCheckRun | null;
    try {
      run = await this.opening;
    } catch (err) {
      // Let the job's start (or its completion) try again.
      this.opening = null;
      throw err;
    }
    if (run && status === "in_progress" && run.status !== "in_progress") {
      await this.review.checkRuns.update(run.id, checkRunStarted(this.review.env.now()));
      this.remember((run = { ...run, status: "in_progress" }));
    }
    return run;
  }

  /** `open` for a waiting job: a failure is logged, and the job's start tries again. */
  async openQuietly(status: "queued"): Promise<void> {
    try {
      await this.open(status);
    } catch (err) {
      this.review.env.log.error({ ...logFields(this.review.target), err }, "loopguard: could not create the queued check run");
    }
  }

  async run(): Promise<void> {
    const { host, target, env } = this.review;
    let run: ExistingCheckRun | null;
    try {
      run = await this.open("in_progress");
    } catch (err) {
      env.log.error({ ...logFields(target), err }, "loopguard: could not create the check run");
      return;
    }
    if (!run) return;
    try {
      await reviewPullRequest(host, target, env, { checkRunId: run.id });
      this.remember({ id: run.id, status: "completed" });
    } catch (err) {
      // The run could not even complete its check run: a later event for this commit reuses and mends it.
      env.log.error({ ...logFields(target), err, checkRun: run.id }, "loopguard: the check run could not be completed");
    }
  }

  /** Completes the job's check run without analysis (superseded, or shutting down). */
  async close(output: CheckOutput): Promise<void> {
    const { checkRuns, target, env } = this.review;
    try {
      const opened: Settled<ExistingCheckRun | null> = this.opening ? await settle(this.opening) : { ok: false };
      // The commit was reviewed before: nothing of this job's to close.
      if (opened.ok && opened.value === null) return;
      const run = opened.ok ? opened.value : this.review.fresh ? null : await this.lookup();
      if (run?.status === "completed") return;
      if (run) await checkRuns.update(run.id, finalUpdate(output, env.now()));
      else {
        // Never opened (refused at shutdown, or its creation failed): one request creates it completed.
        const id = await checkRuns.create(checkRunClosed(target.headSha, target.pullNumber, output, env.now()));
        this.remember({ id, status: "completed" });
        return;
      }
      this.remember({ id: run.id, status: "completed" });
    } catch (err) {
      env.log.error({ ...logFields(target), err }, "loopguard: could not complete the check run of a job that did not run");
    }
  }

  /** This process's memory of the commit's check run, else GitHub's. */
  private async lookup(): Promise<ExistingCheckRun | null> {
    const t = this.review.target;
    return this.known.get(this.key) ?? (await this.review.checkRuns.find(t.headSha, t.pullNumber));
  }

  /**
   * An open check run of the commit (one a killed process left) is reused,
   * and so mended, even by a re-run; a completed one means the commit was
   * reviewed, unless the user asked for a re-run, which gets a fresh one.
   */
  private async acquire(status: "queued" | "in_progress"): Promise<ExistingCheckRun | null> {
    const { target, env } = this.review;
    const existing = await this.lookup();
    if (existing && existing.status !== "completed") {
      env.log.info({ ...logFields(target), checkRun: existing.id }, "loopguard: reusing the commit's open check run");
      return this.remember({ ...existing });
    }
    if (existing && !this.review.fresh) {
      env.log.info({ ...logFields(target), checkRun: existing.id }, "loopguard: this commit was already reviewed (Re-run reviews it again)");
      return null;
    }
    return this.remember({ id: await this.create(status), status });
  }

  /**
   * Creates the check run. GitHub may have created it even though the answer
   * was lost (a 5xx or a dropped connection): look before trying once more,
   * or a second run would stay open for good.
   */
  private async create(status: "queued" | "in_progress"): Promise<number> {
    const { checkRuns, target, env } = this.review;
    const body = status === "queued" ? checkRunQueued(target.headSha, target.pullNumber) : checkRunStart(target.headSha, target.pullNumber, env.now());
    try {
      return await checkRuns.create(body);
    } catch (err) {
      const code = statusOf(err);
      if (code !== null && code < 500) throw err;
      const landed = await checkRuns.find(target.headSha, target.pullNumber);
      if (landed && landed.status !== "completed") return landed.id;
      return checkRuns.create(body);
    }
  }
}
