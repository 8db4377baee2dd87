import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

async function run(args: string[], cwd: string) {
  let stdout = "";
  let stderr = "";
  const io = {
    stdout: { write: (s: string) => void (stdout += s) },
    stderr: { write: (s: string) => void (stderr += s) },
    cwd,
    isTTY: false,
    env: {},
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const BROKEN = "import time\n\nasync def poll():\n    time.sleep(1)\n    input()\n";

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "loopguard-fix-"));
  writeFileSync(join(dir, "poll.py"), BROKEN);
  return dir;
}

describe("scan --fix and --diff", () => {
  it("--fix rewrites the file, adds the import, and a second --fix changes nothing", async () => {
    const dir = project();
    const first = await run(["scan", ".", "--fix", "--jobs", "1"], dir);
    expect(first.stderr).toContain("loopguard: fixed 2 issues in 1 file");
    const fixed = readFileSync(join(dir, "poll.py"), "utf8");
    expect(fixed).toBe("import asyncio\nimport time\n\nasync def poll():\n    await asyncio.sleep(1)\n    await asyncio.to_thread(input)\n");
    expect(first.code).toBe(0);
    const second = await run(["scan", ".", "--fix", "--jobs", "1"], dir);
    expect(second.stderr).toContain("fixed 0 issues in 0 files");
    expect(readFileSync(join(dir, "poll.py"), "utf8")).toBe(fixed);
  });

  it("--diff prints the unified diff and writes nothing", async () => {
    const dir = project();
    const r = await run(["scan", ".", "--diff", "--jobs", "1"], dir);
    expect(r.stdout).toContain("--- a/poll.py\n+++ b/poll.py\n");
    for (const line of ["+import asyncio", "-    time.sleep(1)", "+    await asyncio.sleep(1)", "-    input()", "+    await asyncio.to_thread(input)"]) {
      expect(r.stdout.split("\n")).toContain(line);
    }
    expect(readFileSync(join(dir, "poll.py"), "utf8")).toBe(BROKEN);
    expect(r.code).toBe(1);
  });

  it("--jobs must be a positive whole number", async () => {
    const r = await run(["scan", ".", "--jobs", "0"], project());
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('loopguard: invalid --jobs "0" (a positive whole number)\n');
  });
});
