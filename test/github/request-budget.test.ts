// The README's formula: for n changed Python files (m head and base texts)
// and at most 50 new findings, a run makes at most
// ⌈n/100⌉ listFiles pages + ⌈m/100⌉ content queries + 10 other requests,
// where m counts the head and base texts and the five project files
// (pyproject.toml, pytest.ini, ...) looked up in each folder of the change.
// (9 are used: see the list below).
// Counted under Octokit (its fetch), so every request is seen, the
// installation token included, whatever the test's mocks are.
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

function files(n: number, withFinding: number): FakeFile[] {
  return Array.from({ length: n }, (_, i) => {
    const base = py("import asyncio", "import time", "", "", `async def handler_${i}():`, "    await asyncio.sleep(0)");
    const head = i < withFinding ? base.replace("await asyncio.sleep(0)", "time.sleep(0)") : `${base}    return ${i}\n`;
    return { path: `pkg/module_${i}.py`, base, head };
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

describe("request budget", () => {
  it.each([
    { n: 3, findings: 3 },
    { n: 120, findings: 50 },
    { n: 300, findings: 10 },
  ])("$n modified files with $findings new findings", async ({ n, findings }) => {
    const gh = new FakeGitHub({ pr: { headSha: opened.pull_request.head.sha, baseSha: opened.pull_request.base.sha, files: files(n, findings) } });
    await app.deliver("pull_request", opened);
    // Folders: "pkg" and the root.
    const m = 2 * n + 5 * 2;
    const pages = Math.ceil(n / 100);
    const queries = Math.ceil(m / 100);
    expect(app.requests.length).toBeLessThanOrEqual(pages + queries + 10);
    expect(byKind(app.requests)).toEqual({
      "POST /app/installations/:n/access_tokens": 1,
      "GET /repos/:o/:r/contents/.github%2Floopguard.yml": 2,
      // the commit's existing check run, if any (a redelivery reuses it)
      "GET /repos/:o/:r/commits/:sha/check-runs": 1,
      "POST /repos/:o/:r/check-runs": 1,
      "GET /repos/:o/:r/pulls/:n/files": pages,
      // content queries, then the one query of the App's earlier comments
      "POST /graphql": queries + 1,
      "GET /repos/:o/:r/pulls/:n": 1,
      "POST /repos/:o/:r/pulls/:n/reviews": 1,
      "PATCH /repos/:o/:r/check-runs/:n": 1,
    });
    expect(gh.lastCompletion().output.annotations).toHaveLength(findings);
  });
});
