// The installed command: bin/loopguard.js runs the compiled lib/. Built here
// when lib/ is missing or older than src/ (`npm ci` builds it through `prepare`).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "./run-cli.js";

const COMPILED = join(REPO_ROOT, "lib/cli/main.js");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

function loopguard(...args: string[]) {
  return spawnSync(process.execPath, [join(REPO_ROOT, "bin/loopguard.js"), ...args], { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
}

describe("bin/loopguard.js", () => {
  beforeAll(() => {
    if (existsSync(COMPILED) && statSync(COMPILED).mtimeMs >= newestSource(join(REPO_ROOT, "src"))) return;
    const tsc = spawnSync(process.execPath, [join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
    });
    if (tsc.status !== 0) throw new Error(`build failed:\n${tsc.stdout}${tsc.stderr}`);
  }, 180_000);

  it("scans the fixtures and prints the JSON document, exit 1 for an error-level finding", () => {
    const run = loopguard("scan", "test/fixtures/python", "--format", "json", "--select", "LG101");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(1);
    const doc = JSON.parse(run.stdout) as { files: number; findings: { code: string; path: string }[] };
    expect(doc.files).toBe(5);
    expect(doc.findings.map((f) => f.path)).toContain("test/fixtures/python/service/app.py");
  });

  it("exits 2 with one line and no stack trace for a usage error", () => {
    const run = loopguard("scan", "does/not/exist.py");
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe("loopguard: no such file or directory: does/not/exist.py\n");
  });

  it("prints its version", () => {
    const run = loopguard("--version");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^loopguard \d+\.\d+\.\d+/);
  });
});
