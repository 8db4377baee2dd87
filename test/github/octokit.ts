// An installation-style Octokit for module tests: Probot's own class, with a
// plain token and neither retries nor throttling (tests must not sleep).
import { ProbotOctokit } from "probot";

export function testOctokit(options: { retry?: boolean } = {}): ProbotOctokit {
  return new ProbotOctokit({
    auth: { token: "test-token" },
    retry: { enabled: options.retry ?? false },
    throttle: { enabled: false },
  });
}

export const API = "https://api.github.com";
