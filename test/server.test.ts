import { describe, expect, it } from "vitest";
import { startupProblem } from "../src/server.js";

describe("startup checks", () => {
  it("refuses to start without a webhook secret, or with Probot's well-known default", () => {
    expect(startupProblem({})).toMatch(/^WEBHOOK_SECRET is not set/);
    expect(startupProblem({ WEBHOOK_SECRET: "" })).toMatch(/^WEBHOOK_SECRET is not set/);
    expect(startupProblem({ WEBHOOK_SECRET: "development" })).toMatch(/well-known default/);
  });

  it("accepts a real secret, and reports a bad LOOPGUARD_CONCURRENCY", () => {
    expect(startupProblem({ WEBHOOK_SECRET: "s3cr3t" })).toBeNull();
    expect(startupProblem({ WEBHOOK_SECRET: "s3cr3t", LOOPGUARD_CONCURRENCY: "2" })).toBeNull();
    expect(startupProblem({ WEBHOOK_SECRET: "s3cr3t", LOOPGUARD_CONCURRENCY: "lots" })).toMatch(
      /LOOPGUARD_CONCURRENCY must be a positive integer/,
    );
  });

  it("says each problem in one line", () => {
    for (const env of [{}, { WEBHOOK_SECRET: "development" }, { WEBHOOK_SECRET: "x", LOOPGUARD_CONCURRENCY: "0" }]) {
      expect(startupProblem(env)).not.toContain("\n");
    }
  });
});
