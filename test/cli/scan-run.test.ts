import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeFiles } from "../../src/analyzer/analyze.js";
import { runScan, sourceLineReader } from "../../src/cli/scan-run.js";
import { REPO_ROOT, tempTree } from "./run-cli.js";

describe("runScan", () => {
  let tree: ReturnType<typeof tempTree>;
  beforeAll(() => {
    tree = tempTree({
      "pkg/__init__.py": "",
      "pkg/io_helpers.py": "import time\n\ndef pause():\n    time.sleep(1)\n",
      ...Object.fromEntries(
        Array.from({ length: 7 }, (_, i) => [
          `pkg/mod${i}.py`,
          `from pkg.io_helpers import pause\n\nasync def f${i}():\n    pause()\n`,
        ]),
      ),
      "pkg/crlf.py": "import time\r\n\r\nasync def f():\r\n    time.sleep(1)\r\n",
    });
  });
  afterAll(() => tree.cleanup());

  it("finds the same cross-file findings whatever the batch size (batches are linked together)", async () => {
    const one = await runScan(["."], { cwd: tree.dir, batchSize: 1 });
    const all = await runScan(["."], { cwd: tree.dir });
    expect(one.findings).toEqual(all.findings);
    expect(all.findings.map((f) => [f.code, f.path, f.line])).toEqual([
      ["LG101", "pkg/crlf.py", 4],
      ...Array.from({ length: 7 }, (_, i) => ["LG106", `pkg/mod${i}.py`, 4]),
    ]);
    expect(all.files).toBe(10);
  });

  it("analyses each batch through the given function (where a threaded one plugs in)", async () => {
    const sizes: number[] = [];
    await runScan(["."], {
      cwd: tree.dir,
      batchSize: 4,
      analyzeBatch: (files, options) => {
        sizes.push(files.length);
        return analyzeFiles(files, options);
      },
    });
    expect(sizes).toEqual([4, 4, 2]);
  });

  it("counts lines and bytes of the analysed files", async () => {
    const r = await runScan(["pkg/io_helpers.py"], { cwd: tree.dir });
    expect(r).toMatchObject({ files: 1, lines: 4, bytes: Buffer.byteLength("import time\n\ndef pause():\n    time.sleep(1)\n") });
  });

  it("reads the lines of reported files again on demand, without their line endings", async () => {
    const r = await runScan(["."], { cwd: tree.dir });
    const line = sourceLineReader(r.absolutePaths);
    expect(line("pkg/crlf.py", 4)).toBe("    time.sleep(1)");
    expect(line("pkg/mod0.py", 4)).toBe("    pause()");
    expect(line("pkg/mod0.py", 99)).toBeUndefined();
    expect(line("elsewhere.py", 1)).toBeUndefined();
  });

  it("scans the repository's own fixtures from the repository root", async () => {
    const r = await runScan([join(REPO_ROOT, "test/fixtures/python")], { cwd: REPO_ROOT, reported: new Set(["LG101"]) });
    expect(r.findings.every((f) => f.code === "LG101")).toBe(true);
    expect(r.syntaxErrors).toEqual([{ path: "test/fixtures/python/broken.py", count: 1, line: 5, column: 38 }]);
  });
});
