import { describe, expect, it } from "vitest";
import { analyzeProject } from "../../src/analyzer/analyze.js";
import { analyzeInParallel, runningThreads, stopWorkers } from "../../src/cli/worker-pool.js";
import { py } from "../helpers/lint.js";

describe("worker pool", () => {
  it("gives the same results in 2 threads as in one, cross-file findings included", async () => {
    const files = [
      { path: "pkg/io_helpers.py", source: py("import time", "def pause():", "    time.sleep(1)") },
      ...Array.from({ length: 80 }, (_, i) => ({
        path: `pkg/mod${i}.py`,
        source: py("import time", "from pkg.io_helpers import pause", `async def f${i}():`, "    time.sleep(1)", "    pause()"),
      })),
    ];
    await stopWorkers();
    const threaded = await analyzeInParallel(files, {}, 2, { minChars: 0 });
    expect(runningThreads()).toBe(2);
    const inline = analyzeProject(files);
    expect(threaded).toEqual(inline);
    expect(threaded[5]!.findings.map((f) => [f.code, f.line])).toEqual([
      ["LG101", 4],
      ["LG106", 5],
    ]);
    await stopWorkers();
  });

  it("starts no thread for a small scan (a pre-commit run), and uses threads already running for any size", async () => {
    await stopWorkers();
    const files = Array.from({ length: 40 }, (_, i) => ({ path: `m${i}.py`, source: py("import time", "async def f():", "    time.sleep(1)") }));
    const small = await analyzeInParallel(files, {}, 2);
    expect(runningThreads()).toBe(0);
    expect(small.flatMap((r) => r.findings.map((f) => f.code))).toEqual(Array(40).fill("LG101"));
    await analyzeInParallel(files, {}, 2, { minChars: 0 });
    expect(runningThreads()).toBe(2);
    // Warm threads are cheap: a small batch later in the same scan uses them.
    const again = await analyzeInParallel(files.slice(0, 4), {}, 2);
    expect(again).toEqual(small.slice(0, 4));
    await stopWorkers();
    expect(runningThreads()).toBe(0);
  });
});
