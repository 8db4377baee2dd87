// The review queue seen from GitHub: check runs of waiting jobs show
// `queued`, the concurrency limit holds across pull requests, a newer push
// supersedes a waiting run, and a shutdown leaves no check run open. Each
// pull request lives in its own repository so that several fakes can stand
// side by side.
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { getReviewQueue } from "../../src/jobs/review-queue.js";
import { FakeGitHub, type FakeFile } from "./fake-github.js";
import { fixture, startApp } from "./app.js";
import { py } from "../helpers/lint.js";

const opened = fixture("pull_request.opened");
const HEAD = opened.pull_request.head.sha;
const BASE = opened.pull_request.base.sha;
const HEAD2 = "2222222222222222222222222222222222222222";

const POLL_FILE: FakeFile = {
  path: "svc/poll.py",
  base: py("import asyncio", "", "", "async def poll(client):", "    return await client.get()"),
  head: py("import asyncio", "import time", "", "", "async def poll(client):", "    time.sleep(1)", "    return await client.get()"),
};

afterEach(() => {
  nock.cleanAll();
});

/** The opened payload for a pull request of repository `repo`, at `sha`. */
function openedIn(repo: string, sha = HEAD) {
  const p = structuredClone(opened) as ReturnType<typeof fixture> & { repository: { name: string; full_name: string } };
  p.repository.name = repo;
  p.repository.full_name = `Codertocat/${repo}`;
  p.pull_request.head.sha = sha;
  return p;
}

function fake(repo: string, journal: string[], headSha = HEAD): FakeGitHub {
  return new FakeGitHub({ repo, journal, pr: { headSha, baseSha: BASE, files: [POLL_FILE] } });
}

/** Index in the journal of the first entry of `repo` matching `pattern`. */
function at(journal: readonly string[], repo: string, pattern: RegExp): number {
  const i = journal.findIndex((line) => line.startsWith(`${repo} `) && pattern.test(line));
  expect(i, `${repo} ${pattern}`).toBeGreaterThanOrEqual(0);
  return i;
}

describe("the review queue", () => {
  it("runs at most LOOPGUARD_CONCURRENCY reviews at once; a waiting run's check shows queued until its turn", async () => {
    const app = await startApp({ concurrency: 1 });
    const journal: string[] = [];
    const repos = ["svc-a", "svc-b", "svc-c"];
    const fakes = repos.map((r) => fake(r, journal));
    for (const repo of repos) await app.receive("pull_request", openedIn(repo));
    await app.idle();

    expect(fakes[0]!.checkRunCreates).toEqual([expect.objectContaining({ status: "in_progress", head_sha: HEAD, external_id: "2" })]);
    for (const gh of fakes.slice(1)) {
      expect(gh.checkRunCreates).toEqual([{ name: "loopguard", head_sha: HEAD, status: "queued", external_id: "2" }]);
      expect(gh.checkRunUpdates[0]).toEqual({ status: "in_progress", started_at: expect.any(String) });
    }
    for (const gh of fakes) {
      expect(gh.checkRuns.map((r) => [r.status, r.conclusion])).toEqual([["completed", "failure"]]);
      expect(gh.reviews).toHaveLength(1);
    }
    // One at a time: each run fetches its files only after the one before it completed its check run.
    const lastCompletion = (repo: string) => journal.findLastIndex((l) => l.startsWith(`${repo} PATCH`));
    expect(at(journal, "svc-b", /\/files/)).toBeGreaterThan(lastCompletion("svc-a"));
    expect(at(journal, "svc-c", /\/files/)).toBeGreaterThan(lastCompletion("svc-b"));
  });

  it("starts as many runs as the limit allows and queues the rest", async () => {
    const app = await startApp({ concurrency: 2 });
    const journal: string[] = [];
    const repos = ["svc-a", "svc-b", "svc-c"];
    const fakes = repos.map((r) => fake(r, journal));
    for (const repo of repos) await app.receive("pull_request", openedIn(repo));
    expect(getReviewQueue().stats).toEqual({ running: 2, waiting: 1 });
    await app.idle();
    expect(fakes.map((gh) => gh.checkRunCreates[0]!.status)).toEqual(["in_progress", "in_progress", "queued"]);
    expect(fakes.map((gh) => gh.checkRuns[0]!.conclusion)).toEqual(["failure", "failure", "failure"]);
  });

  it("completes a waiting run as neutral when a newer push to its pull request supersedes it", async () => {
    const app = await startApp({ concurrency: 1 });
    const journal: string[] = [];
    const busy = fake("svc-a", journal);
    const held = busy.holdListFiles();
    const gh = fake("svc-b", journal, HEAD2);
    await app.receive("pull_request", openedIn("svc-a"));
    await held.reached;
    await app.receive("pull_request", openedIn("svc-b", HEAD));
    await app.receive("pull_request", { ...openedIn("svc-b", HEAD2), action: "synchronize" });
    expect(getReviewQueue().stats).toEqual({ running: 1, waiting: 1 });
    held.release();
    await app.idle();

    const [older, newer] = gh.checkRuns;
    expect(older).toMatchObject({ head_sha: HEAD, status: "completed", conclusion: "neutral", output: { title: "Superseded by 2222222" } });
    expect(older!.output.summary).toContain(`Not analysed: superseded by ${HEAD2}`);
    expect(newer).toMatchObject({ head_sha: HEAD2, status: "completed", conclusion: "failure" });
    // The superseded commit was never fetched nor analysed.
    expect(gh.blobExpressions().every((e) => !e.startsWith(HEAD))).toBe(true);
    expect(gh.reviews).toHaveLength(1);
    expect(busy.checkRuns.map((r) => r.conclusion)).toEqual(["failure"]);
  });

  it("cancels a waiting run when its pull request is closed or merged, and leaves the running one alone", async () => {
    const app = await startApp({ concurrency: 1 });
    const journal: string[] = [];
    const busy = fake("svc-a", journal);
    const held = busy.holdListFiles();
    const gh = fake("svc-b", journal);
    await app.receive("pull_request", openedIn("svc-a"));
    await held.reached;
    await app.receive("pull_request", openedIn("svc-b"));
    const merged = openedIn("svc-b") as ReturnType<typeof openedIn> & { pull_request: { state: string; merged: boolean } };
    merged.action = "closed";
    merged.pull_request.state = "closed";
    merged.pull_request.merged = true;
    await app.receive("pull_request", merged);
    expect(getReviewQueue().stats).toEqual({ running: 1, waiting: 0 });
    // Closing the running one's pull request does not stop it: it completes its check run.
    await app.receive("pull_request", { ...openedIn("svc-a"), action: "closed" });
    held.release();
    await app.idle();

    expect(gh.checkRuns).toEqual([
      expect.objectContaining({ status: "completed", conclusion: "neutral", output: expect.objectContaining({ title: "Not analysed: pull request closed" }) }),
    ]);
    expect(gh.checkRuns[0]!.output.summary).toContain("Not analysed: the pull request was merged before this commit's turn came.");
    expect(gh.blobExpressions()).toEqual([]);
    expect(gh.reviews).toEqual([]);
    expect(busy.checkRuns.map((r) => [r.status, r.conclusion])).toEqual([["completed", "failure"]]);
  });

  it("on shutdown completes the waiting runs as neutral, lets the running one finish, and closes a refused one", async () => {
    const app = await startApp({ concurrency: 1 });
    const journal: string[] = [];
    const running = fake("svc-a", journal);
    const held = running.holdListFiles();
    const waiting = fake("svc-b", journal);
    const late = fake("svc-c", journal);
    await app.receive("pull_request", openedIn("svc-a"));
    await held.reached;
    await app.receive("pull_request", openedIn("svc-b"));
    const stopped = getReviewQueue().drain();
    // A delivery that arrives while the App drains its queue is refused, its check run closed at once.
    await app.receive("pull_request", openedIn("svc-c"));
    let done = false;
    void stopped.then(() => (done = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    held.release();
    await stopped;

    expect(running.checkRuns.map((r) => [r.status, r.conclusion])).toEqual([["completed", "failure"]]);
    expect(running.reviews).toHaveLength(1);
    for (const gh of [waiting, late]) {
      expect(gh.checkRuns).toEqual([
        expect.objectContaining({ status: "completed", conclusion: "neutral", output: expect.objectContaining({ title: "Not analysed: loopguard shut down" }) }),
      ]);
      expect(gh.checkRuns[0]!.output.summary).toContain("shut down before analysis; re-run to analyse");
      expect(gh.callsTo(/\/files|graphql/)).toEqual([]);
    }
    // The refused one cost one request: created completed.
    expect(late.checkRunCreates).toEqual([expect.objectContaining({ status: "completed", conclusion: "neutral" })]);
  });
});
