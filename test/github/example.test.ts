// The offline demo is the App's job: `loopguard review --format json` on the
// bundled example prints exactly the check-run and review bodies the App
// sends for the same change as a pull request.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { LocalGitHost, type ReviewRequests } from "../../src/cli/review.js";
import { createDemoRepo, type DemoRepo } from "../../scripts/demo.js";
import { FakeGitHub, type FakeFile } from "./fake-github.js";
import { fixture, startApp } from "./app.js";

const run = promisify(execFile);

let parent: string;
let repo: DemoRepo;
beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), "loopguard-example-"));
  repo = await createDemoRepo(parent);
});
afterAll(async () => {
  await rm(parent, { recursive: true, force: true });
});

async function cli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    cwd,
    isTTY: false,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

async function show(ref: string, path: string): Promise<string> {
  return (await run("git", ["show", `${ref}:${path}`], { cwd: repo.dir, encoding: "utf8" })).stdout;
}

/** The example as GitHub would present the pull request: the same files, patches and texts. */
async function exampleFiles(): Promise<FakeFile[]> {
  const host = new LocalGitHost(repo.dir, repo.base, repo.head);
  const files: FakeFile[] = [];
  for (const f of await host.listChangedFiles()) {
    const file: FakeFile = { path: f.path, status: f.status, patch: f.patch };
    if (f.status !== "removed") file.head = await show(repo.head, f.path);
    if (f.status !== "added") file.base = await show(repo.base, f.previousPath ?? f.path);
    if (f.previousPath) file.previousPath = f.previousPath;
    files.push(file);
  }
  return files;
}

describe("the bundled example", () => {
  it("gives the same check-run and review bodies from `loopguard review --format json` and from the App", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2025-06-01T10:00:00Z"));
    try {
      const local = await cli(["review", "--base", "main", "--format", "json"], repo.dir);
      expect(local.stderr).toBe("");
      expect(local.code).toBe(1);
      const sent = JSON.parse(local.stdout) as ReviewRequests;

      const app = await startApp();
      const payload = structuredClone(fixture("pull_request.opened"));
      payload.pull_request.head.sha = repo.head;
      payload.pull_request.base.sha = repo.base;
      const gh = new FakeGitHub({ pr: { headSha: repo.head, baseSha: repo.base, files: await exampleFiles() } });
      await app.deliver("pull_request", payload);

      const { external_id, ...create } = gh.checkRunCreates[0]!;
      expect(external_id).toBe("2");
      expect(sent.checkRun.create).toEqual(create);
      expect(sent.checkRun.updates).toEqual(gh.checkRunUpdates);
      expect(sent.review).toEqual(gh.reviews[0]);
      expect(gh.reviews).toHaveLength(1);
    } finally {
      vi.useRealTimers();
      nock.cleanAll();
    }
  });

  it("introduces the anti-patterns the demo is about, one comment each where the line was added", async () => {
    const { stdout } = await cli(["review", "--base", "main", "--format", "json"], repo.dir);
    const sent = JSON.parse(stdout) as ReviewRequests;
    const final = sent.checkRun.updates.at(-1)!;
    expect(final.conclusion).toBe("failure");
    expect(final.output.title).toBe("5 errors, 4 warnings in 3 files");
    expect(final.output.annotations?.map((a) => `${a.path}:${a.start_line} ${a.title.split(" ")[0]}`)).toEqual([
      "shop/main.py:9 LG303",
      "shop/main.py:20 LG401",
      "shop/orders.py:15 LG104",
      "shop/orders.py:20 LG103",
      "shop/orders.py:30 LG201",
      "shop/orders.py:31 LG203",
      "shop/orders.py:36 LG104",
      "shop/payments.py:27 LG101",
      "shop/payments.py:32 LG102",
    ]);
    // export_report became `async def` on line 35: its unchanged open() on line 36 goes in the body.
    expect(sent.review?.comments.map((c) => `${c.path}:${c.line}`)).toEqual([
      "shop/main.py:20",
      "shop/orders.py:20",
      "shop/orders.py:30",
      "shop/payments.py:27",
      "shop/payments.py:32",
      "shop/main.py:9",
      "shop/orders.py:15",
      "shop/orders.py:31",
    ]);
    expect(sent.review?.body).toContain("`shop/orders.py` line 36: **LG104 blocking-file-io**");
    expect(sent.review?.comments.filter((c) => c.body.includes("```suggestion")).map((c) => c.line)).toEqual([30, 27, 9]);
  });

  it("is built the same on every run (fixed identity and dates)", async () => {
    const again = await createDemoRepo(parent);
    expect([again.base, again.head]).toEqual([repo.base, repo.head]);
  });
});
