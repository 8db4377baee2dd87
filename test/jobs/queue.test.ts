import { describe, expect, it } from "vitest";
import { concurrencyFromEnv, JobQueue, type Job } from "../../src/jobs/queue.js";

/** A job whose run waits until released, recording what happened to it. */
function job(key: string, sha: string, log: string[]) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const j: Job = {
    key,
    sha,
    onQueued: () => void log.push(`queued ${key}@${sha}`),
    run: async () => {
      log.push(`start ${key}@${sha}`);
      await gate;
      log.push(`done ${key}@${sha}`);
    },
    onSuperseded: (newer) => void log.push(`superseded ${key}@${sha} by ${newer}`),
    onShutdown: () => void log.push(`shutdown ${key}@${sha}`),
    onCancelled: (reason) => void log.push(`cancelled ${key}@${sha}: ${reason}`),
  };
  return { job: j, release };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("JobQueue", () => {
  it("never runs more jobs at once than its limit", async () => {
    const q = new JobQueue(2);
    let now = 0;
    let peak = 0;
    const jobs = Array.from({ length: 10 }, (_, i) => ({
      key: `r#${i}`,
      sha: "a",
      run: async () => {
        now++;
        peak = Math.max(peak, now);
        await tick();
        now--;
      },
    }));
    const outcomes = await Promise.all(jobs.map((j) => q.enqueue(j)));
    expect(outcomes.filter((o) => o === "started")).toHaveLength(2);
    expect(outcomes.filter((o) => o === "queued")).toHaveLength(8);
    await q.idle();
    expect(peak).toBe(2);
  });

  it("a newer head supersedes the waiting job of the same pull request", async () => {
    const log: string[] = [];
    const q = new JobQueue(1);
    const busy = job("r#1", "a", log);
    const older = job("r#2", "b1", log);
    const newer = job("r#2", "b2", log);
    await q.enqueue(busy.job);
    expect(await q.enqueue(older.job)).toBe("queued");
    expect(await q.enqueue(newer.job)).toBe("queued");
    expect(q.stats).toEqual({ running: 1, waiting: 1 });
    busy.release();
    newer.release();
    await q.idle();
    expect(log).toEqual([
      "start r#1@a",
      "queued r#2@b1",
      "superseded r#2@b1 by b2",
      "queued r#2@b2",
      "done r#1@a",
      "start r#2@b2",
      "done r#2@b2",
    ]);
  });

  it("drops a redelivered job for a SHA already running or waiting", async () => {
    const log: string[] = [];
    const q = new JobQueue(1);
    const a = job("r#1", "a", log);
    await q.enqueue(a.job);
    expect(await q.enqueue(job("r#1", "a", log).job)).toBe("duplicate");
    a.release();
    await q.idle();
  });

  it("on shutdown answers the waiting jobs, lets the running finish, refuses new ones", async () => {
    const log: string[] = [];
    const q = new JobQueue(1);
    const a = job("r#1", "a", log);
    const b = job("r#2", "b", log);
    await q.enqueue(a.job);
    await q.enqueue(b.job);
    const stopped = q.drain();
    await tick();
    expect(await q.enqueue(job("r#3", "c", log).job)).toBe("refused");
    a.release();
    await stopped;
    expect(log).toEqual(["start r#1@a", "queued r#2@b", "shutdown r#2@b", "shutdown r#3@c", "done r#1@a"]);
  });

  it("cancels the waiting job of a key, leaves a running one alone, and says whether there was one", async () => {
    const log: string[] = [];
    const q = new JobQueue(1);
    const a = job("r#1", "a", log);
    const b = job("r#2", "b", log);
    const c = job("r#3", "c", log);
    await q.enqueue(a.job);
    await q.enqueue(b.job);
    await q.enqueue(c.job);
    expect(await q.cancel("r#2", "closed")).toBe(true);
    expect(await q.cancel("r#2", "closed")).toBe(false);
    // The running job is not the queue's to stop: it finishes.
    expect(await q.cancel("r#1", "closed")).toBe(false);
    expect(q.stats).toEqual({ running: 1, waiting: 1 });
    a.release();
    c.release();
    await q.idle();
    expect(log).toEqual(["start r#1@a", "queued r#2@b", "queued r#3@c", "cancelled r#2@b: closed", "done r#1@a", "start r#3@c", "done r#3@c"]);
  });

  it("a failing job frees its slot and is reported", async () => {
    const errors: string[] = [];
    const q = new JobQueue(1, (j, e) => errors.push(`${j.key}: ${(e as Error).message}`));
    await q.enqueue({ key: "r#1", sha: "a", run: async () => Promise.reject(new Error("boom")) });
    let ran = false;
    await q.enqueue({ key: "r#2", sha: "b", run: async () => void (ran = true) });
    await q.idle();
    expect(errors).toEqual(["r#1: boom"]);
    expect(ran).toBe(true);
  });

  it("reads LOOPGUARD_CONCURRENCY", () => {
    expect(concurrencyFromEnv({})).toBe(4);
    expect(concurrencyFromEnv({ LOOPGUARD_CONCURRENCY: "8" })).toBe(8);
    expect(() => concurrencyFromEnv({ LOOPGUARD_CONCURRENCY: "zero" })).toThrow(/positive integer/);
  });
});
