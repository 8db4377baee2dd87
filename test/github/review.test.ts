import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { analyzeSource } from "../../src/analyzer/analyze.js";
import { fingerprintFindings, type FingerprintedFinding } from "../../src/analyzer/fingerprint.js";
import { parsePatch, type DiffLines } from "../../src/github/changed-files.js";
import {
  fetchPostedFeedback,
  planReview,
  publishReview,
  type PostedFeedback,
  type ReviewCandidate,
  type ReviewPlanInput,
  type ReviewRequest,
  type ReviewSettings,
  type ReviewWriter,
} from "../../src/github/review.js";
import { markedFingerprints } from "../../src/comments/review-comment.js";
import { SAMPLE_PATH, SAMPLE_SOURCE } from "./sample.js";
import { API, testOctokit } from "./octokit.js";

afterEach(() => {
  nock.cleanAll();
});

const SETTINGS: ReviewSettings = {
  commentOn: "warning",
  maxComments: 25,
  version: "1.2.3",
  rulePage: (name) => `https://example.com/rules/${name}`,
};

// SAMPLE_SOURCE: LG101 line 8 (fix), LG102 lines 9-12, LG203 line 16, LG303 line 17.
const WHOLE_FILE_ADDED = `@@ -0,0 +1,18 @@\n${SAMPLE_SOURCE.split("\n").slice(0, 18).map((l) => `+${l}`).join("\n")}`;

let prints: FingerprintedFinding[];
beforeAll(() => {
  prints = fingerprintFindings(analyzeSource(SAMPLE_PATH, SAMPLE_SOURCE).findings, SAMPLE_SOURCE);
});

function candidates(diff: DiffLines | null, only?: (p: FingerprintedFinding) => boolean): ReviewCandidate[] {
  return prints.filter(only ?? (() => true)).map((print) => ({ print, source: SAMPLE_SOURCE, diff }));
}

function plan(over: Partial<ReviewPlanInput> = {}) {
  return planReview({
    headSha: "head",
    candidates: candidates(parsePatch(WHOLE_FILE_ADDED)),
    present: new Set(prints.map((p) => p.fingerprint)),
    posted: [],
    unknownPaths: new Set(),
    settings: SETTINGS,
    ...over,
  });
}

describe("planReview: placing comments", () => {
  it("comments on the added lines, most severe first, multi-line with start_line", () => {
    const p = plan();
    expect(p.review?.event).toBe("COMMENT");
    expect(p.review?.commit_id).toBe("head");
    expect(p.review?.comments.map(({ body: _body, ...where }) => where)).toEqual([
      { path: SAMPLE_PATH, line: 8, side: "RIGHT" },
      { path: SAMPLE_PATH, line: 12, side: "RIGHT", start_line: 9, start_side: "RIGHT" },
      { path: SAMPLE_PATH, line: 16, side: "RIGHT" },
      { path: SAMPLE_PATH, line: 17, side: "RIGHT" },
    ]);
    expect(p.review?.comments[0]!.body).toContain("```suggestion\n    await asyncio.sleep(0.5)\n```");
    expect(p.listed).toEqual([]);
  });

  it("lists findings on unchanged lines and in files without a patch instead of commenting", () => {
    // Only line 9 and 10 were added: LG102 starts on an added line but its range leaves the hunk.
    const diff = parsePatch("@@ -8,1 +8,3 @@\n     time.sleep(0.5)\n+    return requests.get(\n+        url,");
    const p = plan({ candidates: candidates(diff) });
    expect(p.review?.comments.map((c) => [c.line, c.start_line])).toEqual([[9, undefined]]);
    expect(p.listed.map((l) => [l.finding.code, l.reason])).toEqual([
      ["LG101", "unchanged-line"],
      ["LG203", "unchanged-line"],
      ["LG303", "unchanged-line"],
    ]);
    const noPatch = plan({ candidates: candidates(null) });
    expect(noPatch.review?.comments).toEqual([]);
    expect(noPatch.listed.every((l) => l.reason === "no-patch")).toBe(true);
    expect(noPatch.review?.body).toContain("In files whose diff GitHub did not provide");
  });

  it("keeps at most maxComments inline and lists the rest, errors first", () => {
    const p = plan({ settings: { ...SETTINGS, maxComments: 1 } });
    expect(p.review?.comments.map((c) => c.line)).toEqual([8]);
    expect(p.listed.map((l) => [l.finding.code, l.reason])).toEqual([
      ["LG102", "limit"],
      ["LG203", "limit"],
      ["LG303", "limit"],
    ]);
    expect(markedFingerprints(p.review!.body)).toEqual(p.listed.map((l) => l.fingerprint));
  });

  it("leaves findings below commentOn to the check run", () => {
    const p = plan({ settings: { ...SETTINGS, commentOn: "error" } });
    expect(p.review?.comments.map((c) => c.line)).toEqual([8, 12]);
    expect(p.listed).toEqual([]);
  });

  it("posts no review when there is nothing new", () => {
    expect(plan({ candidates: [] }).review).toBeNull();
  });
});

describe("planReview: what the App already said", () => {
  function posted(fingerprints: string[], over: Partial<PostedFeedback> = {}): PostedFeedback {
    return { nodeId: `node-${fingerprints.join("-")}`, kind: "comment", path: SAMPLE_PATH, fingerprints, minimized: false, ...over };
  }

  it("does not repeat a finding a visible comment or review body already carries", () => {
    const p = plan({
      posted: [posted([prints[0]!.fingerprint]), posted([prints[2]!.fingerprint], { kind: "review", path: null })],
    });
    expect(p.review?.comments.map((c) => c.line)).toEqual([12, 17]);
    expect(p.alreadyPosted).toBe(2);
    expect(p.minimize).toEqual([]);
  });

  it("comments again on a finding whose earlier comment was hidden", () => {
    const p = plan({ posted: [posted([prints[0]!.fingerprint], { minimized: true })] });
    expect(p.review?.comments.map((c) => c.line)).toEqual([8, 12, 16, 17]);
    expect(p.minimize).toEqual([]);
  });

  it("hides comments whose finding is gone, but not in files that could not be analysed", () => {
    const gone = "ffffffffffffffff";
    const p = plan({
      candidates: [],
      posted: [
        posted([gone], { nodeId: "PRRC_gone" }),
        posted([prints[1]!.fingerprint], { nodeId: "PRRC_still" }),
        posted([gone], { nodeId: "PRRC_unknown", path: "skipped.py" }),
        posted([gone], { nodeId: "PRR_body", kind: "review", path: null }),
        posted([gone], { nodeId: "PRRC_hidden", minimized: true }),
      ],
      unknownPaths: new Set(["skipped.py"]),
    });
    expect(p.minimize).toEqual(["PRRC_gone"]);
    const noneUnknown = plan({ candidates: [], posted: [posted([gone], { nodeId: "PRR_body", kind: "review", path: null })] });
    expect(noneUnknown.minimize).toEqual(["PRR_body"]);
  });
});

function recorder(fail: (review: ReviewRequest, attempt: number) => unknown, landed: PostedFeedback[] = []) {
  const sent: ReviewRequest[] = [];
  const minimized: string[] = [];
  const writer: ReviewWriter = {
    async createReview(review) {
      sent.push(review);
      const err = fail(review, sent.length);
      if (err) throw err;
    },
    postedFeedback: async () => landed,
    minimize: async (id) => {
      minimized.push(id);
    },
  };
  return { writer, sent, minimized };
}

function httpError(status: number, message: string, errors?: string[]) {
  return Object.assign(new Error(message), { status, response: { data: { message, errors } } });
}

describe("publishReview", () => {
  it("hides outdated comments, then posts once", async () => {
    const p = { ...plan(), minimize: ["A", "B"] };
    const r = recorder(() => null);
    expect(await publishReview(r.writer, p, "head", SETTINGS)).toEqual({ note: null });
    expect(r.minimized).toEqual(["A", "B"]);
    expect(r.sent).toHaveLength(1);
  });

  it("moves the comments into the body when GitHub refuses them (422)", async () => {
    const p = plan();
    const r = recorder((_review, attempt) =>
      attempt === 1 ? httpError(422, "Unprocessable Entity", ["Pull request review thread line must be part of the diff"]) : null,
    );
    const result = await publishReview(r.writer, p, "head", SETTINGS);
    expect(r.sent).toHaveLength(2);
    expect(r.sent[1]!.comments).toEqual([]);
    expect(markedFingerprints(r.sent[1]!.body).sort()).toEqual(prints.map((x) => x.fingerprint).sort());
    expect(r.sent[1]!.body).toContain("GitHub did not accept these as inline comments:");
    expect(result.note).toBe(
      "GitHub refused the inline comments (Unprocessable Entity: Pull request review thread line must be part of the diff); the review lists the findings in its body instead.",
    );
  });

  it("drops the comments the current diff no longer has; if GitHub refuses again, moves them all into the body", async () => {
    const p = plan();
    const refuse = httpError(422, "Unprocessable Entity", ["Pull request review thread line must be part of the diff"]);
    // The diff now ends at line 12: the comments on lines 16 and 17 left it.
    const shrunk = parsePatch(`@@ -0,0 +1,12 @@\n${SAMPLE_SOURCE.split("\n").slice(0, 12).map((l) => `+${l}`).join("\n")}`);
    const diffs = async () => new Map([[SAMPLE_PATH, shrunk]]);

    const once = recorder((_review, attempt) => (attempt === 1 ? refuse : null));
    const result = await publishReview(once.writer, p, "head", SETTINGS, diffs);
    expect(once.sent.map((r) => r.comments.map((c) => c.line))).toEqual([
      [8, 12, 16, 17],
      [8, 12],
    ]);
    expect(markedFingerprints(once.sent[1]!.body)).toHaveLength(2);
    expect(result.note).toContain("GitHub refused 2 inline comments (Unprocessable Entity: Pull request review thread line must be part of the diff): their lines are no longer");

    const twice = recorder((_review, attempt) => (attempt <= 2 ? refuse : null));
    const fallback = await publishReview(twice.writer, p, "head", SETTINGS, diffs);
    expect(twice.sent.map((r) => r.comments.length)).toEqual([4, 2, 0]);
    expect(markedFingerprints(twice.sent[2]!.body)).toHaveLength(4);
    expect(fallback.note).toMatch(/^GitHub refused the inline comments \(.*\); the review lists the findings in its body instead\.$/);
  });

  it("does not post twice when a failed request had in fact landed", async () => {
    const p = plan();
    const landed = [{ nodeId: "x", kind: "comment" as const, path: SAMPLE_PATH, fingerprints: prints.map((x) => x.fingerprint), minimized: false }];
    const r = recorder(() => httpError(502, "Bad Gateway"), landed);
    expect(await publishReview(r.writer, p, "head", SETTINGS)).toEqual({ note: null });
    expect(r.sent).toHaveLength(1);
  });

  it("posts once more when a failed request did not land", async () => {
    const r = recorder((_review, attempt) => (attempt === 1 ? httpError(502, "Bad Gateway") : null));
    await publishReview(r.writer, plan(), "head", SETTINGS);
    expect(r.sent).toHaveLength(2);
    expect(r.sent[1]).toEqual(r.sent[0]);
  });
});

describe("fetchPostedFeedback", () => {
  const marker = (fp: string) => `text <!-- loopguard:fp=${fp} -->`;

  it("keeps this App's marked comments and review bodies, across pages of threads", async () => {
    const queries: { query: string; variables: Record<string, unknown> }[] = [];
    const comment = (id: string, body: string, mine = true, isMinimized = false) => ({ id, body, isMinimized, viewerDidAuthor: mine });
    nock(API)
      .post("/graphql")
      .reply(200, (_uri, body) => {
        queries.push(body as (typeof queries)[number]);
        return {
          data: {
            repository: {
              pullRequest: {
                reviews: { nodes: [comment("R1", marker("1111111111111111")), comment("R2", "no marker"), comment("R3", marker("2222222222222222"), false)] },
                reviewThreads: {
                  pageInfo: { hasNextPage: true, endCursor: "CUR" },
                  nodes: [{ path: "a.py", comments: { nodes: [comment("C1", marker("3333333333333333"), true, true)] } }],
                },
              },
            },
          },
        };
      })
      .post("/graphql")
      .reply(200, (_uri, body) => {
        queries.push(body as (typeof queries)[number]);
        return {
          data: {
            repository: {
              pullRequest: {
                reviewThreads: {
                  pageInfo: { hasNextPage: false, endCursor: null },
                  nodes: [{ path: "b.py", comments: { nodes: [comment("C2", marker("4444444444444444"))] } }, null],
                },
              },
            },
          },
        };
      });
    const feedback = await fetchPostedFeedback(testOctokit(), { owner: "o", repo: "r", pull_number: 5 });
    expect(feedback).toEqual([
      { nodeId: "R1", kind: "review", path: null, fingerprints: ["1111111111111111"], minimized: false },
      { nodeId: "C1", kind: "comment", path: "a.py", fingerprints: ["3333333333333333"], minimized: true },
      { nodeId: "C2", kind: "comment", path: "b.py", fingerprints: ["4444444444444444"], minimized: false },
    ]);
    expect(queries[0]!.variables).toEqual({ owner: "o", name: "r", number: 5, cursor: null });
    expect(queries[1]!.variables.cursor).toBe("CUR");
    expect(queries[1]!.query).not.toContain("reviews(");
  });
});
