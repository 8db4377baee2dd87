import { beforeAll, describe, expect, it } from "vitest";
import {
  firstSentence,
  fingerprintMarker,
  markedFingerprints,
  renderReviewBody,
  renderReviewComment,
  suggestionFor,
} from "../../src/comments/review-comment.js";
import { ruleByCode } from "../../src/checks/lookup.js";
import type { Finding } from "../../src/analyzer/types.js";
import { NEEDS_IMPORT_SOURCE, SAMPLE_SOURCE, needsImportFinding, sampleFindings } from "../github/sample.js";

const FP = "0123456789abcdef";
let sleep: Finding, http: Finding, task: Finding, loop: Finding;
beforeAll(() => {
  [sleep, http, task, loop] = sampleFindings() as [Finding, Finding, Finding, Finding];
});

function comment(f: Finding, source = SAMPLE_SOURCE, range = { start: f.line, end: f.endLine }): string {
  return renderReviewComment({
    finding: f,
    fingerprint: FP,
    why: ruleByCode(f.code)!.docs.why,
    rulePage: `https://example.com/rules/${f.name}`,
    source,
    range,
  });
}

describe("review comment bodies", () => {
  it("an exact one-line fix becomes a suggestion block", () => {
    const body = comment(sleep);
    expect(body).toContain("```suggestion\n    await asyncio.sleep(0.5)\n```");
    expect(body).toMatchSnapshot();
  });

  it("a multi-line finding without a fix has no suggestion", () => {
    const body = comment(http);
    expect(body).not.toContain("```suggestion");
    expect(body).toMatchSnapshot();
  });

  it("a warning, and a fix inside the line", () => {
    expect(comment(task)).toMatchSnapshot();
    expect(comment(loop)).toContain("```suggestion\n    loop = asyncio.get_running_loop()\n```");
  });

  it("no suggestion when the fix also edits outside the commented lines (an added import)", () => {
    const f = needsImportFinding();
    expect(f.fix?.edits.length).toBe(2);
    const body = comment(f, NEEDS_IMPORT_SOURCE);
    expect(body).not.toContain("suggestion");
    expect(body).toMatchSnapshot();
  });

  it("ends with the hidden fingerprint marker, which reads back", () => {
    const body = comment(sleep);
    expect(body.endsWith(fingerprintMarker(FP))).toBe(true);
    expect(markedFingerprints(`${body}\n${fingerprintMarker("fedcba9876543210")}`)).toEqual([FP, "fedcba9876543210"]);
    expect(markedFingerprints("<!-- loopguard:fp=nothex -->")).toEqual([]);
  });

  it("carries code and name, severity, message, one sentence of why and both links", () => {
    const body = comment(sleep);
    expect(body.startsWith("**LG101 blocking-sleep** · error\n\n`time.sleep()` blocks the event loop in `async def fetch`")).toBe(true);
    expect(body).toContain("Why: `time.sleep()` parks the thread that runs the event loop");
    expect(body).toContain(`[Guide](${sleep.guide}) · [LG101 docs](https://example.com/rules/blocking-sleep)`);
  });
});

describe("suggestionFor", () => {
  it("needs every edit inside the commented lines", () => {
    expect(suggestionFor(sleep, SAMPLE_SOURCE, { start: 8, end: 8 })).toBe("    await asyncio.sleep(0.5)");
    expect(suggestionFor(sleep, SAMPLE_SOURCE, { start: 7, end: 8 })).toBe("async def fetch(url):\n    await asyncio.sleep(0.5)");
    expect(suggestionFor(sleep, SAMPLE_SOURCE, { start: 9, end: 9 })).toBeNull();
    expect(suggestionFor({ ...sleep, fix: null }, SAMPLE_SOURCE, { start: 8, end: 8 })).toBeNull();
  });

  it("keeps CRLF files' lines intact", () => {
    const crlf = SAMPLE_SOURCE.replace(/\n/g, "\r\n");
    const f = { ...sleep };
    expect(suggestionFor(f, crlf, { start: 8, end: 8 })).toBe("    await asyncio.sleep(0.5)");
    expect(suggestionFor(f, crlf, { start: 7, end: 8 })).toBe("async def fetch(url):\n    await asyncio.sleep(0.5)");
  });

  it("uses a fence longer than any backticks in the suggestion", () => {
    const source = 'x = "```"; time.sleep(1)\n';
    const f: Finding = {
      ...sleep,
      line: 1,
      endLine: 1,
      fix: { description: "Replace", edits: [{ line: 1, column: 12, endLine: 1, endColumn: 22, text: "await asyncio.sleep" }] },
    };
    const body = comment(f, source, { start: 1, end: 1 });
    expect(body).toContain('````suggestion\nx = "```"; await asyncio.sleep(1)\n````');
  });
});

describe("firstSentence", () => {
  it("stops at the first sentence end, not at dots inside code", () => {
    expect(firstSentence("`time.sleep()` parks the loop. Nothing else runs.")).toBe("`time.sleep()` parks the loop.");
    expect(firstSentence("One line only")).toBe("One line only");
    expect(firstSentence("Wraps\n  over lines. Next.")).toBe("Wraps over lines.");
  });
});

describe("review body", () => {
  it("lists what could not be commented inline, grouped by reason, with markers", () => {
    const body = renderReviewBody({
      commented: 2,
      listed: [
        { finding: http, fingerprint: "1111111111111111", reason: "unchanged-line" },
        { finding: task, fingerprint: "2222222222222222", reason: "limit" },
        { finding: sleep, fingerprint: "3333333333333333", reason: "no-patch" },
      ],
      maxComments: 2,
      version: "1.2.3",
    });
    expect(markedFingerprints(body)).toEqual(["1111111111111111", "3333333333333333", "2222222222222222"]);
    expect(body).toMatchSnapshot();
  });

  it("says why the inline comments were refused", () => {
    const body = renderReviewBody({
      commented: 0,
      listed: [{ finding: sleep, fingerprint: FP, reason: "refused" }],
      maxComments: 25,
      version: "1.2.3",
      refusal: "Pull request review thread line must be part of the diff",
    });
    expect(body).toMatchSnapshot();
  });
});
