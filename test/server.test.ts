import { afterEach, describe, expect, it } from "vitest";
import { startupProblem } from "../src/server.js";
import { resetReviewQueue } from "../src/jobs/review-queue.js";

afterEach(() => resetReviewQueue());

describe("startup checks", () => {
  it("refuses to start without a webhook secret, or with Probot's well-known default", () => {
    expect(startupProblem({})).toMatch(/^WEBHOOK_SECRET is not set/);
    expect(startupProblem({ WEBHOOK_SECRET: "" })).toMatch(/^WEBHOOK_SECRET is not set/);
    expect(startupProblem({ WEBHOOK_SECRET: "development" })).toMatch(/well-known default/);
  });

  it("accepts a real secret, and reports a bad LOOPGUARD_CONCURRENCY", () => {
    expect(startupProblem({ WEBHOOK_SECRET: "s3cr3t" })).toBeNull();
    resetReviewQueue();
    const saved = process.env.LOOPGUARD_CONCURRENCY;
    process.env.LOOPGUARD_CONCURRENCY = "lots";
    try {
      expect(startupProblem({ WEBHOOK_SECRET: "s3cr3t" })).toMatch(/LOOPGUARD_CONCURRENCY must be a positive integer/);
    } finally {
      if (saved === undefined) delete process.env.LOOPGUARD_CONCURRENCY;
      else process.env.LOOPGUARD_CONCURRENCY = saved;
    }
  });
});
