import { describe, expect, it } from "vitest";
import { annotationUpdates, batchAnnotations, checkRunStart, finalUpdate } from "../../src/github/check-run.js";
import type { Annotation, CheckOutput } from "../../src/comments/check-output.js";

const NOW = new Date("2025-01-02T03:04:05Z");

function output(n: number): CheckOutput {
  const annotations: Annotation[] = Array.from({ length: n }, (_, i) => ({
    path: "a.py",
    start_line: i + 1,
    end_line: i + 1,
    annotation_level: "failure",
    title: "LG101 blocking-sleep",
    message: "m",
  }));
  return { conclusion: n > 0 ? "failure" : "success", title: "t", summary: "s", annotations };
}

describe("check run bodies", () => {
  it("starts in progress on the head SHA with the PR number as external_id", () => {
    expect(checkRunStart("abc", 12, NOW)).toEqual({
      name: "loopguard",
      head_sha: "abc",
      status: "in_progress",
      started_at: "2025-01-02T03:04:05.000Z",
      external_id: "12",
    });
    expect(checkRunStart("abc", null, NOW)).not.toHaveProperty("external_id");
  });

  it("sends 120 annotations in 3 batches of at most 50, the last with the conclusion", () => {
    const out = output(120);
    const updates = annotationUpdates(out);
    const final = finalUpdate(out, NOW);
    expect(updates.map((u) => u.output.annotations?.length)).toEqual([50, 50]);
    expect(updates.every((u) => u.conclusion === undefined)).toBe(true);
    expect(updates[0]!.output.summary).toBe("Publishing annotations (50 of 120)…");
    expect(final.output.annotations).toHaveLength(20);
    expect(final.output.annotations![0]!.start_line).toBe(101);
    expect(final).toMatchObject({ status: "completed", conclusion: "failure", completed_at: "2025-01-02T03:04:05.000Z" });
  });

  it("needs no extra update up to 50 annotations, and sends none when there are none", () => {
    expect(annotationUpdates(output(50))).toEqual([]);
    expect(finalUpdate(output(50), NOW).output.annotations).toHaveLength(50);
    expect(annotationUpdates(output(0))).toEqual([]);
    expect(finalUpdate(output(0), NOW).output).toEqual({ title: "t", summary: "s" });
    expect(batchAnnotations(output(101).annotations).map((b) => b.length)).toEqual([50, 50, 1]);
  });
});
