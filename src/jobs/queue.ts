// The in-process job queue every pull-request review goes through: bounded
// concurrency, one waiting job per pull request (a newer head supersedes an
// older one), and a shutdown that leaves no job unanswered.

export interface Job {
  /** Jobs with the same key are for the same pull request (`owner/repo#12`). */
  key: string;
  /** The head SHA the job analyses. */
  sha: string;
  /** Called when the job has to wait for a free slot (show the check run as queued). */
  onQueued?: () => Promise<void> | void;
  /** The work itself. */
  run: () => Promise<void>;
  /** Called instead of `run` when a newer head for the same key arrived while this one waited. */
  onSuperseded?: (newerSha: string) => Promise<void> | void;
  /** Called instead of `run` when the process shuts down before the job started. */
  onShutdown?: () => Promise<void> | void;
  /** Called instead of `run` when the job is cancelled while it waits (the pull request was closed). */
  onCancelled?: (reason: string) => Promise<void> | void;
}

export type EnqueueOutcome = "started" | "queued" | "duplicate" | "refused";

export interface QueueStats {
  running: number;
  waiting: number;
}

/**
 * What the App needs of a queue. The in-process JobQueue is enough for one
 * instance; a queue on a shared broker can take its place behind this when
 * one instance is no longer enough.
 */
export interface WorkQueue {
  enqueue(job: Job): Promise<EnqueueOutcome>;
  /** Drops the waiting job of `key`, if any, answering it with `onCancelled`; a running job finishes. */
  cancel(key: string, reason: string): Promise<boolean>;
  /** Stops taking jobs, answers every waiting one with `onShutdown`, and waits for the running ones. */
  drain(): Promise<void>;
  readonly stats: QueueStats;
}

export class JobQueue implements WorkQueue {
  private readonly waiting: Job[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly runningShas = new Set<string>();
  private accepting = true;
  private idleWaiters: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    private readonly onError: (job: Job, err: unknown) => void = () => undefined,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be a positive integer, not ${concurrency}`);
  }

  get stats(): QueueStats {
    return { running: this.running.size, waiting: this.waiting.length };
  }

  /**
   * Adds a job. A job for a (key, sha) already running or waiting is a
   * duplicate (a redelivered webhook) and is dropped; a waiting job of the
   * same key with another SHA is superseded by this one.
   */
  async enqueue(job: Job): Promise<EnqueueOutcome> {
    if (!this.accepting) {
      await this.safely(job, () => job.onShutdown?.());
      return "refused";
    }
    const id = `${job.key}@${job.sha}`;
    if (this.runningShas.has(id) || this.waiting.some((w) => w.key === job.key && w.sha === job.sha)) return "duplicate";
    const older = this.waiting.findIndex((w) => w.key === job.key);
    if (older !== -1) {
      const [old] = this.waiting.splice(older, 1);
      await this.safely(old!, () => old!.onSuperseded?.(job.sha));
    }
    if (this.running.size < this.concurrency) {
      this.start(job);
      return "started";
    }
    this.waiting.push(job);
    await this.safely(job, () => job.onQueued?.());
    return "queued";
  }

  async cancel(key: string, reason: string): Promise<boolean> {
    const index = this.waiting.findIndex((w) => w.key === key);
    if (index === -1) return false;
    const [job] = this.waiting.splice(index, 1);
    await this.safely(job!, () => job!.onCancelled?.(reason));
    this.pump();
    return true;
  }

  async drain(): Promise<void> {
    this.accepting = false;
    const waiting = this.waiting.splice(0);
    await Promise.all(waiting.map((j) => this.safely(j, () => j.onShutdown?.())));
    await this.idle();
  }

  /** Resolves when nothing runs or waits. */
  idle(): Promise<void> {
    if (this.running.size === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private start(job: Job): void {
    const id = `${job.key}@${job.sha}`;
    this.runningShas.add(id);
    const p: Promise<void> = this.safely(job, () => job.run()).finally(() => {
      this.running.delete(p);
      this.runningShas.delete(id);
      this.pump();
    });
    this.running.add(p);
  }

  private pump(): void {
    while (this.accepting && this.running.size < this.concurrency && this.waiting.length > 0) {
      this.start(this.waiting.shift()!);
    }
    if (this.running.size === 0 && this.waiting.length === 0) {
      const waiters = this.idleWaiters.splice(0);
      for (const w of waiters) w();
    }
  }

  private async safely(job: Job, fn: () => Promise<void> | void): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.onError(job, err);
    }
  }
}

/** The concurrency from `LOOPGUARD_CONCURRENCY` (default 4); a bad value is a startup error. */
export function concurrencyFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.LOOPGUARD_CONCURRENCY;
  if (raw === undefined || raw === "") return 4;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`LOOPGUARD_CONCURRENCY must be a positive integer, got "${raw}"`);
  return n;
}
