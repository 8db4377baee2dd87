import nock from "nock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeGitHub, type FakeFile } from "./fake-github.js";
import { fixture, startApp, type TestApp } from "./app.js";
import { py } from "../helpers/lint.js";

const opened = fixture("pull_request.opened");
const HEAD = opened.pull_request.head.sha;
const BASE = opened.pull_request.base.sha;
const HEAD2 = "2222222222222222222222222222222222222222";
const HEAD3 = "3333333333333333333333333333333333333333";

let app: TestApp;
beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2025-03-04T05:06:07Z"));
  app = await startApp();
});
afterEach(() => {
  vi.useRealTimers();
  nock.cleanAll();
});

/** A webhook payload for a push of `sha` to the same pull request. */
function pushed(sha: string, name = "pull_request.synchronize") {
  const p = structuredClone(fixture(name));
  p.pull_request.head.sha = sha;
  return { ...p, after: sha };
}

const POLL_BEFORE = py("import asyncio", "", "", "async def poll(client):", "    return await client.get()");
const POLL_AFTER = py("import asyncio", "import time", "", "", "async def poll(client):", "    time.sleep(1)", "    return await client.get()");
const POLL_FILE: FakeFile = { path: "svc/poll.py", base: POLL_BEFORE, head: POLL_AFTER };

interface ReviewSent {
  commit_id: string;
  event: string;
  body: string;
  comments: { path: string; line: number; side: string; start_line?: number; body: string }[];
}

function reviews(gh: FakeGitHub): ReviewSent[] {
  return gh.reviews as unknown as ReviewSent[];
}

describe("a pull request with an error finding", () => {
  it("gets an in-progress then failed check run with annotations, and one review with a suggestion", async () => {
    const gh = new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE] } });
    await app.deliver("pull_request", opened);
    expect(gh.checkRunCreates).toEqual([
      { name: "loopguard", head_sha: HEAD, status: "in_progress", started_at: "2025-03-04T05:06:07.000Z", external_id: "2" },
    ]);
    const done = gh.lastCompletion();
    expect(done.conclusion).toBe("failure");
    expect(done.output.title).toBe("1 error in 1 file");
    expect(done.output.annotations).toEqual([
      expect.objectContaining({ path: "svc/poll.py", start_line: 6, end_line: 6, annotation_level: "failure", title: "LG101 blocking-sleep" }),
    ]);
    const [review] = reviews(gh);
    expect(reviews(gh)).toHaveLength(1);
    expect(review!.event).toBe("COMMENT");
    expect(review!.commit_id).toBe(HEAD);
    expect(review!.comments.map(({ body: _b, ...where }) => where)).toEqual([{ path: "svc/poll.py", line: 6, side: "RIGHT" }]);
    expect(review!.comments[0]!.body).toContain("```suggestion\n    await asyncio.sleep(1)\n```");
    expect({ create: gh.checkRunCreates[0], complete: done, review }).toMatchSnapshot();
  });

  it("runs the same on reopened and ready_for_review, drafts included", async () => {
    for (const name of ["pull_request.reopened", "pull_request.ready_for_review"]) {
      const gh = new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE] } });
      const payload = structuredClone(fixture(name)) as ReturnType<typeof fixture> & { pull_request: { draft: boolean } };
      payload.pull_request.draft = true;
      await app.deliver("pull_request", payload);
      expect(gh.lastCompletion().conclusion).toBe("failure");
      expect(reviews(gh)).toHaveLength(1);
      // The next round is another repository state on another process.
      nock.cleanAll();
      app.forget();
    }
  });
});

describe("a clean pull request", () => {
  it("gets a successful check and no review", async () => {
    const gh = new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [{ path: "svc/poll.py", base: POLL_BEFORE, head: `${POLL_BEFORE}# done\n` }] } });
    await app.deliver("pull_request", opened);
    expect(gh.lastCompletion()).toMatchObject({ conclusion: "success", output: { title: "No async issues found" } });
    expect(gh.lastCompletion().output.annotations).toBeUndefined();
    expect(gh.reviews).toEqual([]);
  });
});

describe("re-runs and pushes", () => {
  it("posts nothing new on a second synchronize with the same finding", async () => {
    const gh = new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE] } });
    await app.deliver("pull_request", opened);
    const moved = { ...POLL_FILE, head: POLL_AFTER.replace("import time\n", "import time\nimport os\n") };
    gh.push({ headSha: HEAD2, baseSha: BASE, files: [moved] });
    await app.deliver("pull_request", pushed(HEAD2));
    expect(gh.checkRunCreates.map((c) => c.head_sha)).toEqual([HEAD, HEAD2]);
    expect(gh.lastCompletion().conclusion).toBe("failure");
    expect(gh.lastCompletion().output.summary).toContain("1 of the new findings already have a comment from an earlier run");
    expect(gh.reviews).toHaveLength(1);
    expect(gh.minimized).toEqual([]);
  });

  it("posts nothing twice for a redelivered webhook", async () => {
    const gh = new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE] } });
    await app.deliver("pull_request", opened, "same-delivery");
    await app.deliver("pull_request", opened, "same-delivery");
    expect(gh.reviews).toHaveLength(1);
  });

  it("hides the comment of a fixed finding, and comments again when it comes back", async () => {
    const gh = new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE] } });
    await app.deliver("pull_request", opened);
    const commentId = gh.threads[0]!.comment.id;
    gh.push({ headSha: HEAD2, baseSha: BASE, files: [{ ...POLL_FILE, head: POLL_AFTER.replace("time.sleep(1)", "await asyncio.sleep(1)") }] });
    await app.deliver("pull_request", pushed(HEAD2));
    expect(gh.minimized).toEqual([commentId]);
    const minimize = gh.callsTo(/\(minimize\)$/)[0]!.body as { query: string; variables: { id: string } };
    expect(minimize.query).toContain("classifier: OUTDATED");
    expect(minimize.variables).toEqual({ id: commentId });
    expect(gh.lastCompletion().conclusion).toBe("success");
    expect(gh.reviews).toHaveLength(1);

    gh.push({ headSha: HEAD3, baseSha: BASE, files: [POLL_FILE] });
    await app.deliver("pull_request", pushed(HEAD3));
    expect(gh.reviews).toHaveLength(2);
    expect(reviews(gh)[1]!.comments.map((c) => c.line)).toEqual([6]);
  });

  it("reports the unchanged blocking call of a def made async def, in the review body", async () => {
    const before = py("import time", "", "", "def poll():", "    time.sleep(1)");
    const after = py("import time", "", "", "async def poll():", "    time.sleep(1)");
    const gh = new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [{ path: "svc/poll.py", base: before, head: after }] } });
    await app.deliver("pull_request", opened);
    const done = gh.lastCompletion();
    expect(done.conclusion).toBe("failure");
    expect(done.output.annotations).toEqual([expect.objectContaining({ start_line: 5, title: "LG101 blocking-sleep" })]);
    const [review] = reviews(gh);
    expect(review!.comments).toEqual([]);
    expect(review!.body).toContain("On lines this pull request did not change");
    expect(review!.body).toContain("`svc/poll.py` line 5: **LG101 blocking-sleep**");
  });

  it("counts findings that were already there and never fails on them", async () => {
    const before = py("import time", "", "", "async def poll():", "    time.sleep(1)");
    const after = py("import time", "", "", "async def poll():", "    time.sleep(1)", "    return 1");
    const gh = new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [{ path: "svc/new_name.py", previousPath: "svc/poll.py", base: before, head: after }] } });
    await app.deliver("pull_request", opened);
    expect(gh.pythonBlobExpressions()).toEqual([`${HEAD}:svc/new_name.py`, `${BASE}:svc/poll.py`]);
    const done = gh.lastCompletion();
    expect(done.conclusion).toBe("success");
    expect(done.output.summary).toContain("1 finding in these files was already there before this change");
    expect(gh.reviews).toEqual([]);
  });

  it("finishes the check run but posts no review when the head moved on", async () => {
    const gh = new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE], currentHead: HEAD2 } });
    await app.deliver("pull_request", opened);
    expect(gh.lastCompletion().conclusion).toBe("failure");
    expect(gh.lastCompletion().output.summary).toContain("No review comments: a newer commit (2222222) was pushed");
    expect(gh.reviews).toEqual([]);
    expect(gh.callsTo(/\(feedback\)$/)).toEqual([]);
  });
});

describe("idempotency", () => {
  it("reuses the commit's check run for a second event on the same head, and posts nothing twice", async () => {
    const gh = new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE] } });
    await app.deliver("pull_request", opened);
    const before = gh.calls.length;
    await app.deliver("pull_request", fixture("pull_request.reopened"));
    expect(gh.checkRunCreates).toHaveLength(1);
    expect(gh.checkRuns.map((r) => [r.status, r.conclusion])).toEqual([["completed", "failure"]]);
    expect(gh.reviews).toHaveLength(1);
    // Known in this process: not even a lookup.
    expect(gh.calls.slice(before)).toEqual([]);
    expect(app.logs).toContainEqual(expect.objectContaining({ message: "loopguard: this commit was already reviewed (Re-run reviews it again)" }));
  });

  it("finds the commit's check run on GitHub after a restart, for a redelivered webhook", async () => {
    const gh = new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE] } });
    await app.deliver("pull_request", opened, "delivery-42");
    app.forget();
    await app.deliver("pull_request", opened, "delivery-42");
    expect(gh.checkRunCreates).toHaveLength(1);
    expect(gh.reviews).toHaveLength(1);
    const lookups = gh.callsTo(/\/commits\/[0-9a-f]+\/check-runs/).map((c) => new URL(c.path, "https://x").searchParams);
    expect(lookups).toHaveLength(2);
    expect(Object.fromEntries(lookups[1]!)).toMatchObject({ check_name: "loopguard", app_id: "123" });
  });

  it("does nothing for a delivery it already handled, even while that run waits", async () => {
    const gh = new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE] } });
    await app.receive("pull_request", opened, "delivery-7");
    await app.receive("pull_request", opened, "delivery-7");
    // Another delivery for the same commit while its run is under way: the queue drops it.
    await app.receive("pull_request", fixture("pull_request.reopened"), "delivery-8");
    await app.idle();
    expect(gh.checkRunCreates).toHaveLength(1);
    expect(gh.callsTo(/\/files/)).toHaveLength(1);
    expect(gh.reviews).toHaveLength(1);
  });

  it("runs a redelivered re-run request once", async () => {
    const gh = new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE] } });
    await app.deliver("check_run", fixture("check_run.rerequested.fork"), "rerun-1");
    await app.deliver("check_run", fixture("check_run.rerequested.fork"), "rerun-1");
    expect(gh.checkRunCreates).toHaveLength(1);
    expect(app.logs).toContainEqual(expect.objectContaining({ message: "loopguard: delivery already handled" }));
  });

  it("mends a check run a killed process left in progress", async () => {
    const gh = new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE] } });
    const stale = gh.addCheckRun({ head_sha: HEAD, status: "in_progress" });
    await app.deliver("pull_request", fixture("pull_request.reopened"));
    expect(gh.checkRunCreates).toEqual([]);
    expect(gh.checkRuns).toEqual([expect.objectContaining({ id: stale.id, status: "completed", conclusion: "failure" })]);
    expect(gh.callsTo(new RegExp(`check-runs/${stale.id}$`)).length).toBeGreaterThan(0);
    expect(gh.reviews).toHaveLength(1);
  });

  it("mends a check run a killed process left in progress on a re-run too", async () => {
    const gh = new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE] } });
    const stale = gh.addCheckRun({ head_sha: HEAD, status: "queued" });
    await app.deliver("check_run", fixture("check_run.rerequested.fork"));
    expect(gh.checkRunCreates).toEqual([]);
    expect(gh.checkRuns).toEqual([expect.objectContaining({ id: stale.id, status: "completed", conclusion: "failure" })]);
    expect(gh.checkRunUpdates[0]).toEqual({ status: "in_progress", started_at: expect.any(String) });
  });

  it("never takes over another app's check run of the same name", async () => {
    const gh = new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE] } });
    const ci = gh.addCheckRun({ head_sha: HEAD, status: "in_progress", app: { id: 15368, slug: "github-actions" }, external_id: "" });
    await app.deliver("pull_request", opened);
    expect(gh.checkRunCreates).toHaveLength(1);
    expect(gh.checkRun(ci.id)).toMatchObject({ status: "in_progress", conclusion: null });
  });

  it("gives an explicit re-run a fresh check run, and still no duplicate comment", async () => {
    const gh = new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE] } });
    await app.deliver("pull_request", opened);
    await app.deliver("check_run", fixture("check_run.rerequested.fork"));
    expect(gh.checkRunCreates.map((c) => [c.head_sha, c.status])).toEqual([
      [HEAD, "in_progress"],
      [HEAD, "in_progress"],
    ]);
    expect(gh.checkRuns.map((r) => r.conclusion)).toEqual(["failure", "failure"]);
    expect(gh.reviews).toHaveLength(1);
    expect(gh.lastCompletion().output.summary).toContain("1 of the new findings already have a comment from an earlier run");
  });
});

describe("big and unusual changes", () => {
  it("sends 120 findings' annotations in 3 batches and at most maxComments comments", async () => {
    const lines = ["import time", "", "", "async def poll():", ...Array.from({ length: 120 }, (_, i) => `    time.sleep(${i})`)];
    const gh = new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [{ path: "svc/poll.py", head: py(...lines) }] } });
    await app.deliver("pull_request", opened);
    expect(gh.checkRunUpdates.map((u) => (u.output as { annotations?: unknown[] }).annotations?.length)).toEqual([50, 50, 20]);
    expect(gh.checkRunUpdates.map((u) => u.conclusion)).toEqual([undefined, undefined, "failure"]);
    const [review] = reviews(gh);
    expect(review!.comments).toHaveLength(25);
    expect(review!.body).toContain("Beyond the limit of 25 inline comments");
    expect(review!.body.match(/<!-- loopguard:fp=/g)).toHaveLength(95);
  });

  it("annotates a file without a patch but comments on nothing there", async () => {
    const gh = new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [{ ...POLL_FILE, patch: null }] } });
    await app.deliver("pull_request", opened);
    expect(gh.lastCompletion().output.annotations).toHaveLength(1);
    const [review] = reviews(gh);
    expect(review!.comments).toEqual([]);
    expect(review!.body).toContain("In files whose diff GitHub did not provide");
  });

  it("ignores non-Python and removed files", async () => {
    const gh = new FakeGitHub({
      pr: {
        headSha: HEAD,
        baseSha: BASE,
        files: [
          { path: "README.md", base: "old\n", head: "time.sleep(1)\n" },
          { path: "svc/gone.py", base: POLL_AFTER },
          { path: "svc/data.json", head: "{}\n" },
          POLL_FILE,
        ],
      },
    });
    await app.deliver("pull_request", opened);
    expect(gh.pythonBlobExpressions()).toEqual([`${HEAD}:svc/poll.py`, `${BASE}:svc/poll.py`]);
    expect(gh.lastCompletion().output.title).toBe("1 error in 1 file");
  });

  it("names skipped files and why", async () => {
    const gh = new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE, { path: "svc/blob.py", head: "a\u0000b" }] } });
    await app.deliver("pull_request", opened);
    expect(gh.lastCompletion().output.summary).toContain("**Not analysed** (1):\n- `svc/blob.py`: binary file (contains NUL bytes)");
  });

  it("works the same for a pull request from a fork", async () => {
    const gh = new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE] } });
    await app.deliver("pull_request", fixture("pull_request.opened.fork"));
    expect(gh.checkRunCreates[0]).toMatchObject({ head_sha: HEAD, external_id: "2" });
    expect(gh.lastCompletion().conclusion).toBe("failure");
    expect(reviews(gh)[0]!.comments).toHaveLength(1);
    // Contents are read by SHA from the base repository, never from the fork.
    expect(gh.callsTo(/octocat-fork/)).toEqual([]);
  });
});

describe("configuration", () => {
  it("fails the check of an invalid configuration, naming the key", async () => {
    const gh = new FakeGitHub({ config: "rules:\n  LG101: loud\nfailon: never\n", pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE] } });
    await app.deliver("pull_request", opened);
    const done = gh.lastCompletion();
    expect(done.conclusion).toBe("failure");
    expect(done.output.title).toBe("Invalid configuration: 2 errors in .github/loopguard.yml");
    expect(done.output.summary).toContain('- `rules.LG101` is "loud"; allowed: one of `off`, `info`, `warning`, `error`.');
    expect(done.output.summary).toContain("- `failon` is not a loopguard setting (did you mean `failOn`?)");
    expect(gh.callsTo(/\/files/)).toEqual([]);
    expect(gh.reviews).toEqual([]);
  });

  it("fails the check of a file that is not YAML", async () => {
    const gh = new FakeGitHub({ config: "rules: [unclosed\n", pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE] } });
    await app.deliver("pull_request", opened);
    expect(gh.lastCompletion()).toMatchObject({ conclusion: "failure", output: { title: "Invalid configuration: 1 error in .github/loopguard.yml" } });
    expect(gh.lastCompletion().output.summary).toContain(
      "- the file is not valid YAML (Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 1)",
    );
  });

  it("applies severities, failOn, commentOn and maxComments", async () => {
    const gh = new FakeGitHub({
      config: "rules:\n  ASYNC251: warning\nfailOn: never\nmaxComments: 0\n",
      pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE] },
    });
    await app.deliver("pull_request", opened);
    expect(gh.lastCompletion()).toMatchObject({ conclusion: "neutral", output: { title: "1 warning in 1 file" } });
    expect(reviews(gh)[0]!.comments).toEqual([]);
    expect(reviews(gh)[0]!.body).toContain("Beyond the limit of 0 inline comments");
  });

  it("reads the pytest configuration from the head commit, in the same content queries, nearest folder first", async () => {
    const test = py("async def test_poll():", "    assert True");
    const files: FakeFile[] = [
      { path: "svc/tests/test_poll.py", head: test },
      { path: "web/tests/test_page.py", head: test },
    ];
    const gh = new FakeGitHub({
      pr: {
        headSha: HEAD,
        baseSha: BASE,
        files,
        // The root runs pytest-asyncio in strict mode; svc/ has its own file in auto mode.
        unchanged: {
          "pytest.ini": "[pytest]\nasyncio_mode = strict\n",
          "svc/pyproject.toml": "[tool.pytest.ini_options]\nasyncio_mode = \"auto\"\n",
        },
      },
    });
    await app.deliver("pull_request", opened);
    const queries = gh.callsTo(/\(blobs\)$/);
    expect(queries).toHaveLength(1);
    expect(gh.blobExpressions()).toEqual(expect.arrayContaining([`${HEAD}:pytest.ini`, `${HEAD}:svc/pyproject.toml`, `${HEAD}:web/tests/setup.cfg`]));
    const annotations = gh.lastCompletion().output.annotations as { path: string; title: string }[];
    expect(annotations.map((a) => [a.path, a.title])).toEqual([["web/tests/test_page.py", "LG901 async-test-without-marker"]]);
  });

  it("stays silent on unmarked async tests when the repository has no pytest configuration", async () => {
    const gh = new FakeGitHub({
      pr: { headSha: HEAD, baseSha: BASE, files: [{ path: "tests/test_poll.py", head: py("async def test_poll():", "    assert True") }] },
    });
    await app.deliver("pull_request", opened);
    expect(gh.lastCompletion().conclusion).toBe("success");
    expect(gh.lastCompletion().output.annotations ?? []).toEqual([]);
  });

  it("follows the head's requires-python in its advice, and reports the configured blockingCalls", async () => {
    const head = py("import boto3", "import time", "", "", "async def poll():", "    time.sleep(1)", "    boto3.client('s3')");
    const gh = new FakeGitHub({
      config: "blockingCalls:\n  - pattern: boto3.client\n    advice: use aioboto3\n",
      pr: {
        headSha: HEAD,
        baseSha: BASE,
        files: [{ path: "svc/poll.py", head }],
        unchanged: { "pyproject.toml": "[project]\nname = 'svc'\nrequires-python = '>=3.8'\n" },
      },
    });
    await app.deliver("pull_request", opened);
    const annotations = gh.lastCompletion().output.annotations as { title: string; message: string }[];
    expect(annotations.map((a) => a.title)).toEqual(["LG101 blocking-sleep", "LG108 configured-blocking-call"]);
    expect(annotations[1]!.message).toContain("use aioboto3");
    // Below 3.9 there is no asyncio.to_thread: the advice must not offer it.
    expect(annotations.map((a) => a.message).join("\n")).not.toContain("to_thread");
  });

  it("links to the pages the App serves when PUBLIC_URL is set, unless the repository names its own guide", async () => {
    vi.stubEnv("PUBLIC_URL", "https://loopguard.example.com/");
    try {
      const served = new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE] } });
      await app.deliver("pull_request", opened);
      const body = reviews(served)[0]!.comments[0]!.body;
      expect(body).toContain("https://loopguard.example.com/loopguard/guide#pitfall-1-blocking-the-event-loop");
      expect(body).toContain("https://loopguard.example.com/loopguard/rules/blocking-sleep");
      nock.cleanAll();
      const own = new FakeGitHub({
        config: "guideUrl: https://docs.example.com/async.html\n",
        pr: { headSha: HEAD2, baseSha: BASE, files: [POLL_FILE] },
      });
      await app.deliver("pull_request", pushed(HEAD2));
      const ownBody = reviews(own)[0]!.comments[0]!.body;
      expect(ownBody).toContain("https://docs.example.com/async.html#pitfall-1-blocking-the-event-loop");
      expect(ownBody).not.toContain("/loopguard/guide");
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("posts no review and reads no comments with comments: false", async () => {
    const gh = new FakeGitHub({ config: "comments: false\n", pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE] } });
    await app.deliver("pull_request", opened);
    expect(gh.lastCompletion().conclusion).toBe("failure");
    expect(gh.reviews).toEqual([]);
    expect(gh.callsTo(/\(feedback\)$/)).toEqual([]);
  });
});

describe("failures", () => {
  it("ends the check run with the reason on a 500 from GitHub, and logs repository, PR and SHA", async () => {
    const gh = new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE] } });
    gh.fail("listFiles", { status: 500, message: "Internal Server Error" });
    await app.deliver("pull_request", opened);
    const done = gh.lastCompletion();
    expect(done.conclusion).toBe("failure");
    expect(done.output.title).toBe("loopguard could not finish the review");
    expect(done.output.summary).toContain("GitHub answered 500 to GET /repos/Codertocat/Hello-World/pulls/2/files: Internal Server Error");
    expect(app.logs).toContainEqual(
      expect.objectContaining({
        level: "error",
        message: "loopguard: the review failed",
        fields: expect.objectContaining({ repository: "Codertocat/Hello-World", pull: 2, sha: HEAD }),
      }),
    );
  });

  it("ends the check run with the reason when a content query fails", async () => {
    const gh = new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE] } });
    gh.fail("blobs", { status: 502, message: "Bad Gateway" });
    await app.deliver("pull_request", opened);
    expect(gh.lastCompletion()).toMatchObject({ conclusion: "failure", output: { title: "loopguard could not finish the review" } });
    expect(gh.lastCompletion().output.summary).toContain("GitHub answered 502 to POST /graphql: Bad Gateway");
    expect(gh.reviews).toEqual([]);
  });

  it("completes the run as neutral when failOn is never", async () => {
    const gh = new FakeGitHub({ config: "failOn: never\n", pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE] } });
    gh.fail("listFiles", { status: 500, message: "Internal Server Error" });
    await app.deliver("pull_request", opened);
    expect(gh.lastCompletion()).toMatchObject({ conclusion: "neutral", output: { title: "loopguard could not finish the review" } });
  });

  it("logs repository, PR and SHA when even the check run cannot be created", async () => {
    const gh = new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE] } });
    gh.fail("checkCreate", { status: 500, message: "Internal Server Error" });
    await app.deliver("pull_request", opened);
    // A 500 may hide a creation that happened: the App looks, then tries once more, and does nothing else.
    expect(gh.calls.map((c) => `${c.method} ${c.path.replace(/\?.*/, "")}`)).toEqual([
      `GET /repos/Codertocat/Hello-World/commits/${HEAD}/check-runs`,
      "POST /repos/Codertocat/Hello-World/check-runs",
      `GET /repos/Codertocat/Hello-World/commits/${HEAD}/check-runs`,
      "POST /repos/Codertocat/Hello-World/check-runs",
    ]);
    expect(gh.checkRunUpdates).toEqual([]);
    expect(app.logs).toContainEqual(
      expect.objectContaining({
        level: "error",
        message: "loopguard: could not create the check run",
        fields: expect.objectContaining({ repository: "Codertocat/Hello-World", pull: 2, sha: HEAD }),
      }),
    );
  });

  it("lists the findings in the body when GitHub refuses the inline comments (422)", async () => {
    const gh = new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE] } });
    gh.fail("review", { status: 422, message: "Unprocessable Entity", times: 1 });
    await app.deliver("pull_request", opened);
    expect(gh.callsTo(/\/reviews$/)).toHaveLength(2);
    expect(reviews(gh)).toHaveLength(1);
    expect(reviews(gh)[0]!.comments).toEqual([]);
    expect(reviews(gh)[0]!.body).toContain("GitHub did not accept these as inline comments:");
    expect(gh.lastCompletion().output.summary).toContain("GitHub refused the inline comments (Unprocessable Entity)");
  });

  it("keeps the analysis's conclusion when the review cannot be posted, and says why", async () => {
    const gh = new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE] } });
    gh.fail("review", { status: 403, message: "Resource not accessible by integration" });
    await app.deliver("pull_request", opened);
    expect(gh.lastCompletion().conclusion).toBe("failure");
    expect(gh.lastCompletion().output.title).toBe("1 error in 1 file");
    expect(gh.lastCompletion().output.summary).toContain(
      "The review could not be posted: GitHub answered 403 to POST /repos/Codertocat/Hello-World/pulls/2/reviews: Resource not accessible by integration",
    );
  });
});

describe("events", () => {
  it("ignores an edit of the title, and reviews a change of the base branch", async () => {
    const gh = new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE] } });
    await app.deliver("pull_request", fixture("pull_request.edited.title-only"));
    expect(app.requests).toEqual([]);
    await app.deliver("pull_request", fixture("pull_request.edited.base-changed"));
    expect(gh.checkRunCreates).toHaveLength(1);
    expect(gh.lastCompletion().conclusion).toBe("failure");
  });

  it("re-runs a fork PR's check from its external_id (GitHub sends no pull_requests)", async () => {
    const gh = new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE] } });
    await app.deliver("check_run", fixture("check_run.rerequested.fork"));
    expect(gh.checkRunCreates).toEqual([expect.objectContaining({ head_sha: HEAD, external_id: "2" })]);
    expect(gh.lastCompletion().conclusion).toBe("failure");
    expect(gh.reviews).toHaveLength(1);
  });

  it("leaves other apps' check runs alone", async () => {
    new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE] } });
    await app.deliver("check_run", fixture("check_run.rerequested.other-app"));
    expect(app.requests).toEqual([]);
  });

  it("re-runs every pull request of a re-requested suite, fork or not", async () => {
    for (const name of ["check_suite.rerequested", "check_suite.rerequested.fork"]) {
      const gh = new FakeGitHub({ pr: { headSha: HEAD, baseSha: BASE, files: [POLL_FILE] } });
      await app.deliver("check_suite", fixture(name));
      expect(gh.checkRunCreates).toEqual([expect.objectContaining({ head_sha: HEAD, external_id: "2" })]);
      expect(gh.lastCompletion().conclusion).toBe("failure");
      nock.cleanAll();
    }
  });
});
