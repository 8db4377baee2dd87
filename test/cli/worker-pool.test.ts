import { describe, expect, it } from "vitest";
import { analyzeProject } from "../../src/analyzer/analyze.js";
import { analyzeInParallel } from "../../src/cli/worker-pool.js";
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
    const threaded = await analyzeInParallel(files, {}, 2);
    const inline = analyzeProject(files);
    expect(threaded).toEqual(inline);
    expect(threaded[5]!.findings.map((f) => [f.code, f.line])).toEqual([
      ["LG101", 4],
      ["LG106", 5],
    ]);
  });
});
