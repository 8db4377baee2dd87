// A pull request as big as GitHub lists (3,000 changed files), generated
// here: the requests grow by batches, not by files. Every request leaving
// Octokit is counted (its fetch), the installation token included.
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeGitHub, type FakeFile } from "./fake-github.js";
import { fixture, startApp, type TestApp } from "./app.js";
import { py } from "../helpers/lint.js";

const opened = fixture("pull_request.opened");

let app: TestApp;
beforeEach(async () => {
  app = await startApp();
});
afterEach(() => {
  nock.cleanAll();
});

/** `n` modified files; the first `withFinding` of them gain a blocking sleep. */
function files(n: number, withFinding: number): FakeFile[] {
  return Array.from({ length: n }, (_, i) => {
    const base = py("import asyncio", "import time", "", "", `async def handler_${i}():`, "    await asyncio.sleep(0)");
    const head = i < withFinding ? base.replace("await asyncio.sleep(0)", "time.sleep(0)") : `${base}    return ${i}\n`;
    return { path: `pkg/sub_${i % 30}/module_${i}.py`, base, head };
  });
}

function byKind(requests: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of requests) {
    const kind = r
      .replace(/\/repos\/Codertocat\/[^/]+/, "/repos/:o/:r")
      .replace(/\/commits\/[0-9a-f]{40}/, "/commits/:sha")
      .replace(/\/\d+(?=\/|$)/g, "/:n");
    out[kind] = (out[kind] ?? 0) + 1;
  }
  return out;
}

describe("a 3,000-file pull request", () => {
  it("is analysed in ⌈n/100⌉ + ⌈m/100⌉ + ⌈f/50⌉ + 8 requests, and says that the files beyond 3,000 were not reviewed", async () => {
    const n = 3000;
    const f = 120;
    const gh = new FakeGitHub({ pr: { headSha: opened.pull_request.head.sha, baseSha: opened.pull_request.base.sha, files: files(n, f) } });
    const payload = structuredClone(opened) as typeof opened & { pull_request: { changed_files: number } };
    payload.pull_request.changed_files = 3500;
    await app.deliver("pull_request", payload);

    // Head and base of every modified file, and five project files in each of 32 folders (30 subs, pkg, the root).
    const m = 2 * n + 5 * 32;
    const pages = Math.ceil(n / 100);
    const queries = Math.ceil(m / 100);
    const checkUpdates = Math.ceil(f / 50);
    expect(byKind(app.requests)).toEqual({
      "POST /app/installations/:n/access_tokens": 1,
      "GET /repos/:o/:r/commits/:sha/check-runs": 1,
      "POST /repos/:o/:r/check-runs": 1,
      "GET /repos/:o/:r/contents/.github%2Floopguard.yml": 2,
      "GET /repos/:o/:r/pulls/:n/files": pages,
      // content queries, then the one query of the App's earlier comments
      "POST /graphql": queries + 1,
      // two annotation batches, then the completion with the last one
      "PATCH /repos/:o/:r/check-runs/:n": checkUpdates,
      "GET /repos/:o/:r/pulls/:n": 1,
      "POST /repos/:o/:r/pulls/:n/reviews": 1,
    });
    expect(app.requests).toHaveLength(pages + queries + checkUpdates + 8);
    expect(app.requests).toHaveLength(103);

    const done = gh.lastCompletion();
    expect(done.conclusion).toBe("failure");
    expect(done.output.title).toBe(`${f} errors in ${f} files`);
    expect(done.output.summary).toContain("loopguard found 120 new async issues in 3000 changed Python files.");
    expect(done.output.summary).toContain("GitHub lists at most 3,000 changed files: the other 500 files of this pull request were not reviewed.");
    expect(gh.checkRunUpdates.map((u) => (u.output as { annotations?: unknown[] }).annotations?.length)).toEqual([50, 50, 20]);
    expect((gh.reviews[0] as { comments: unknown[] }).comments).toHaveLength(25);
  });
});
