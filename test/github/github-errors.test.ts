// GitHub failing in the ways it does, with the App's production Octokit
// (Probot's retry and throttling plugins and loopguard's rate-limit policy;
// every wait in milliseconds instead of seconds): what is retryable is
// retried once by the plugins and never again by loopguard, only the comment
// GitHub refuses is dropped (and the review says so), and the check run is
// always completed.
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { shouldWaitOut } from "../../src/github/octokit.js";
import { FakeGitHub, type FakeFile } from "./fake-github.js";
import { fixture, startApp, type TestApp } from "./app.js";
import { py } from "../helpers/lint.js";

const opened = fixture("pull_request.opened");
const HEAD = opened.pull_request.head.sha;
const BASE = opened.pull_request.base.sha;

const BEFORE = py("import asyncio", "", "", "async def poll(client):", "    return await client.get()");
const AFTER = py("import asyncio", "import time", "", "", "async def poll(client):", "    time.sleep(1)", "    return await client.get()");
const file = (path: string): FakeFile => ({ path, base: BEFORE, head: AFTER });

let app: TestApp;
beforeEach(async () => {
  app = await startApp({ githubPlugins: true });
});
afterEach(() => {
  nock.cleanAll();
});

function fake(files: FakeFile[] = [file("svc/poll.py")]): FakeGitHub {
  return new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files } });
}

const now = () => Math.floor(Date.now() / 1000);

function rateLimited(resetIn: number) {
  return {
    status: 403,
    message: "API rate limit exceeded for installation ID 1.",
    times: 1,
    headers: { "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now() + resetIn) },
  };
}

describe("rate limits", () => {
  it("waits for the reset, then goes on", async () => {
    const gh = fake();
    gh.fail("listFiles", rateLimited(30));
    await app.deliver("pull_request", opened);
    expect(gh.callsTo(/\/files/)).toHaveLength(2);
    expect(gh.lastCompletion()).toMatchObject({ conclusion: "failure", output: { title: "1 error in 1 file" } });
    // The wait is the time to the reset plus a second (milliseconds here, seconds in production).
    const warning = app.logs.find((l) => l.level === "warn" && l.message.startsWith("loopguard: rate limit"));
    expect(warning?.message).toMatch(/^loopguard: rate limit on GET https:\/\/api\.github\.com\/repos\/Codertocat\/Hello-World\/pulls\/2\/files\S*: retrying in 3[01] s$/);
  });

  it("does not wait for a reset an hour away: the check run says when to re-run", async () => {
    const gh = fake();
    const failure = rateLimited(3600);
    gh.fail("listFiles", failure);
    await app.deliver("pull_request", opened);
    expect(gh.callsTo(/\/files/)).toHaveLength(1);
    expect(app.logs).toContainEqual(expect.objectContaining({ level: "warn", message: expect.stringMatching(/: not waiting 360[01] s, giving up$/) }));
    const done = gh.lastCompletion();
    expect(done).toMatchObject({ conclusion: "failure", output: { title: "loopguard could not finish the review" } });
    const reset = new Date(Number(failure.headers["x-ratelimit-reset"]) * 1000).toISOString().slice(11, 16);
    expect(done.output.summary).toContain(
      `GitHub answered 403 to GET /repos/Codertocat/Hello-World/pulls/2/files: API rate limit exceeded for installation ID 1. (the installation's API rate limit is used up until ${reset} UTC: re-run the check after that)`,
    );
  });
});

describe("the rate-limit policy", () => {
  it("waits up to ten minutes, twice at most, for one request", () => {
    expect(shouldWaitOut(61, 0)).toBe(true);
    expect(shouldWaitOut(600, 1)).toBe(true);
    expect(shouldWaitOut(601, 0)).toBe(false);
    expect(shouldWaitOut(1, 2)).toBe(false);
    expect(shouldWaitOut(30, 0, { maxWaitSeconds: 10, maxRetries: 5 })).toBe(false);
  });
});

describe("server errors", () => {
  it("retries a content query that failed with 502 once, and goes on", async () => {
    const gh = fake();
    gh.fail("blobs", { status: 502, message: "Bad Gateway", times: 1 });
    await app.deliver("pull_request", opened);
    expect(gh.callsTo(/\(blobs\)$/)).toHaveLength(2);
    expect(gh.lastCompletion()).toMatchObject({ conclusion: "failure", output: { title: "1 error in 1 file" } });
    expect(gh.reviews).toHaveLength(1);
  });

  it("gives up on a content query GitHub keeps failing after one retry and one split, and says why", async () => {
    const gh = fake();
    gh.fail("blobs", { status: 502, message: "Bad Gateway" });
    await app.deliver("pull_request", opened);
    // The query and its retry, then each half and its retry: six, not the plugin's 4 × 7 of a split down to single files.
    expect(gh.callsTo(/\(blobs\)$/)).toHaveLength(6);
    expect(gh.lastCompletion()).toMatchObject({ conclusion: "failure", output: { title: "loopguard could not finish the review" } });
    expect(gh.lastCompletion().output.summary).toContain("GitHub answered 502 to POST /graphql: Bad Gateway");
  });

  it("never lets the retry plugin repeat a review: a 502 is reconciled by the fingerprints", async () => {
    const gh = fake();
    gh.fail("review", { status: 502, message: "Bad Gateway", times: 1 });
    await app.deliver("pull_request", opened);
    // The failed post, one look at what landed (nothing), one more post.
    expect(gh.callsTo(/\/reviews$/)).toHaveLength(2);
    expect(gh.callsTo(/\(feedback\)$/)).toHaveLength(2);
    expect(gh.reviews).toHaveLength(1);
  });

  it("never lets the retry plugin repeat a check run's creation: a 502 is followed by a look, then one more try", async () => {
    const gh = fake();
    gh.fail("checkCreate", { status: 502, message: "Bad Gateway", times: 1 });
    await app.deliver("pull_request", opened);
    expect(gh.callsTo(/\/check-runs$/).filter((c) => c.method === "POST")).toHaveLength(2);
    expect(gh.checkRuns.map((r) => [r.status, r.conclusion])).toEqual([["completed", "failure"]]);
  });
});

describe("a GraphQL answer with errors for some files", () => {
  it.each([
    // The retry plugin takes this message for a server error and asks once more.
    { message: "Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug.", queries: 2 },
    { message: "Timeout on object lookup", queries: 1 },
  ])("analyses the files that came back and names the others: $message", async ({ message, queries }) => {
    const gh = fake([file("svc/poll.py"), file("svc/slow.py")]);
    gh.failLookup("svc/slow.py", message);
    await app.deliver("pull_request", opened);
    expect(gh.callsTo(/\(blobs\)$/)).toHaveLength(queries);
    const done = gh.lastCompletion();
    expect(done).toMatchObject({ conclusion: "failure", output: { title: "1 error in 1 file" } });
    expect(done.output.summary).toContain(`**Not analysed** (1):\n- \`svc/slow.py\`: GitHub could not return it (${message})`);
    expect((gh.reviews[0] as { comments: { path: string }[] }).comments.map((c) => c.path)).toEqual(["svc/poll.py"]);
  });
});

describe("a review comment GitHub refuses (422)", () => {
  it("drops only the comment whose line left the diff, says so, and completes the check run", async () => {
    const gh = fake([file("svc/a.py"), file("svc/b.py")]);
    // The base moved while the App worked: b.py's diff now shows only its first lines.
    gh.moveDiffBeforeReview("svc/b.py", "@@ -1,3 +1,3 @@\n import asyncio\n-\n+import time\n ");
    await app.deliver("pull_request", opened);

    // One refused review, one new listing of the files, one review without b.py's comment.
    expect(gh.callsTo(/\/reviews$/)).toHaveLength(2);
    expect(gh.callsTo(/\/files/)).toHaveLength(2);
    const [review] = gh.reviews as { body: string; comments: { path: string; line: number }[] }[];
    expect(gh.reviews).toHaveLength(1);
    expect(review!.comments.map((c) => `${c.path}:${c.line}`)).toEqual(["svc/a.py:6"]);
    expect(review!.body).toContain(
      "GitHub refused 1 inline comment (Unprocessable Entity: Pull request review thread line must be part of the diff): its line is no longer in the pull request's diff, so it is listed here instead.",
    );
    expect(review!.body).toContain("GitHub did not accept these as inline comments:\n- `svc/b.py` line 6: **LG101 blocking-sleep**");
    const done = gh.lastCompletion();
    expect(done).toMatchObject({ conclusion: "failure", output: { title: "2 errors in 2 files" } });
    expect(done.output.summary).toContain(
      "GitHub refused 1 inline comment (Unprocessable Entity: Pull request review thread line must be part of the diff): its line is no longer in the pull request's diff, so the review lists it in its body.",
    );
    expect(done.output.annotations).toHaveLength(2);
  });

  it("moves every comment into the body when the fresh diff does not explain the refusal", async () => {
    const gh = fake([file("svc/a.py"), file("svc/b.py")]);
    gh.fail("review", { status: 422, message: "Unprocessable Entity", times: 1 });
    await app.deliver("pull_request", opened);
    expect(gh.callsTo(/\/reviews$/)).toHaveLength(2);
    const [review] = gh.reviews as { body: string; comments: unknown[] }[];
    expect(review!.comments).toEqual([]);
    expect(review!.body.match(/<!-- loopguard:fp=/g)).toHaveLength(2);
    expect(gh.lastCompletion().output.summary).toContain("GitHub refused the inline comments (Unprocessable Entity); the review lists the findings in its body instead.");
  });
});

describe("the check run", () => {
  it("is completed even when GitHub refuses its full output", async () => {
    const gh = fake();
    gh.fail("checkUpdate", { status: 422, message: "Invalid request.\n\nFor 'items', nil is not an object.", times: 1 });
    await app.deliver("pull_request", opened);
    expect(gh.checkRunUpdates).toHaveLength(1);
    expect(gh.checkRuns.map((r) => [r.status, r.conclusion])).toEqual([["completed", "failure"]]);
    expect(gh.lastCompletion().output.summary).toMatch(/^loopguard finished \(1 error in 1 file\) but GitHub refused the full result: GitHub answered 422 to PATCH/);
  });
});
