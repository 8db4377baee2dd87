import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { effectiveEnv, startupProblem } from "../src/server.js";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "loopguard-server-"));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

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

  it("sees the secret in .env, where Probot's setup writes it and from where Probot reads it", () => {
    const dir = tempDir();
    expect(startupProblem(effectiveEnv({}, dir))).toMatch(/^WEBHOOK_SECRET is not set/);
    writeFileSync(join(dir, ".env"), "APP_ID=1\nWEBHOOK_SECRET=from-dotenv\n");
    expect(effectiveEnv({ PORT: "1" }, dir)).toEqual({ PORT: "1", APP_ID: "1", WEBHOOK_SECRET: "from-dotenv" });
    expect(startupProblem(effectiveEnv({}, dir))).toBeNull();
  });
});

describe("npm start", () => {
  const server = fileURLToPath(new URL("../src/server.ts", import.meta.url));
  const tsx = import.meta.resolve("tsx");

  it.each([
    [{}, "loopguard: WEBHOOK_SECRET is not set: refusing to accept unsigned webhooks (set it to the App's webhook secret)"],
    [{ WEBHOOK_SECRET: "development" }, 'loopguard: WEBHOOK_SECRET is "development", the well-known default: set the App\'s real webhook secret'],
  ])("exits with 1 and a one-line reason: %o", (extra, line) => {
    const child = spawnSync(process.execPath, ["--import", tsx, server], {
      cwd: tempDir(),
      env: { PATH: process.env.PATH, ...extra },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(child.status).toBe(1);
    expect(child.stderr).toBe(`${line}\n`);
    expect(child.stdout).toBe("");
  });
});
