import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import {
  basePathOf,
  filesToReview,
  hunkContaining,
  listChangedFiles,
  parsePatch,
  type ChangedFile,
} from "../../src/github/changed-files.js";
import { defaultConfig, parseConfig } from "../../src/config.js";
import { API, testOctokit } from "./octokit.js";

afterEach(() => {
  nock.cleanAll();
});

describe("parsePatch", () => {
  it("reads added lines and hunk ranges on the new side", () => {
    const patch = [
      "@@ -1,4 +1,5 @@",
      " import asyncio",
      "-import time",
      "+import time  # blocking",
      "+import os",
      " ",
      " async def main():",
      "@@ -20,3 +21,4 @@ async def main():",
      "     a = 1",
      "+    time.sleep(1)",
      "",
      "     return a",
      "\\ No newline at end of file",
    ].join("\n");
    const d = parsePatch(patch);
    expect([...d.added]).toEqual([2, 3, 22]);
    expect(d.hunks).toEqual([
      { start: 1, end: 5 },
      { start: 21, end: 24 },
    ]);
  });

  it("handles a new file, omitted counts and a pure deletion", () => {
    expect(parsePatch("@@ -0,0 +1,3 @@\n+a\n+b\n+c")).toEqual({ added: new Set([1, 2, 3]), hunks: [{ start: 1, end: 3 }] });
    expect(parsePatch("@@ -1 +1 @@\n-x\n+y")).toEqual({ added: new Set([1]), hunks: [{ start: 1, end: 1 }] });
    expect(parsePatch("@@ -5,2 +4,0 @@\n-x\n-y")).toEqual({ added: new Set(), hunks: [] });
  });

  it("does not count lines that only look like diff lines after a hunk ends", () => {
    const d = parsePatch("@@ -1,1 +1,2 @@\n a\n+b\n+not part of the hunk");
    expect([...d.added]).toEqual([2]);
  });

  it("finds the hunk that holds a whole comment range", () => {
    const d = parsePatch("@@ -1,2 +1,3 @@\n a\n+b\n c\n@@ -10,1 +11,2 @@\n x\n+y");
    expect(hunkContaining(d, 2, 3)).toEqual({ start: 1, end: 3 });
    expect(hunkContaining(d, 3, 11)).toBeNull();
    expect(hunkContaining(d, 12, 12)).toEqual({ start: 11, end: 12 });
    expect(hunkContaining(d, 5, 5)).toBeNull();
  });
});

function file(path: string, status: ChangedFile["status"], previousPath: string | null = null): ChangedFile {
  return { path, status, previousPath, patch: "", blobSha: null, additions: 1 };
}

describe("which files are reviewed", () => {
  const files = [
    file("app/a.py", "added"),
    file("app/b.py", "modified"),
    file("app/c.py", "removed"),
    file("app/new.py", "renamed", "app/old.py"),
    file("app/copy.py", "copied", "app/a.py"),
    file("app/mode.py", "changed"),
    file("app/same.py", "unchanged"),
    file("README.md", "modified"),
    file("app/stub.pyi", "added"),
    file("vendor/x.py", "added"),
  ];

  it("keeps changed Python files that pass the globs, never removed or non-Python ones", () => {
    expect(filesToReview(files, defaultConfig()).map((f) => f.path)).toEqual([
      "app/a.py",
      "app/b.py",
      "app/new.py",
      "app/copy.py",
      "app/mode.py",
      "vendor/x.py",
    ]);
    const c = parseConfig({ exclude: ["vendor/**"], include: ["app/**", "vendor/**"] });
    if (!c.ok) throw new Error("config");
    expect(filesToReview(files, c.config).map((f) => f.path)).not.toContain("vendor/x.py");
  });

  it("compares modified and renamed files with their base, added and copied ones with nothing", () => {
    expect(files.map(basePathOf)).toEqual([null, "app/b.py", null, "app/old.py", null, "app/mode.py", null, "README.md", null, null]);
  });
});

describe("listChangedFiles", () => {
  it("reads every page, 100 files per request, and keeps a missing patch as null", async () => {
    const page = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        filename: `f${from + i}.py`,
        status: "modified",
        sha: `sha${from + i}`,
        additions: 1,
        deletions: 0,
        changes: 1,
        patch: from + i === 150 ? undefined : "@@ -1 +1 @@\n-a\n+b",
      }));
    const scope = nock(API)
      .get("/repos/o/r/pulls/7/files")
      .query({ per_page: 100 })
      .reply(200, page(0, 100), { link: `<${API}/repos/o/r/pulls/7/files?per_page=100&page=2>; rel="next"` })
      .get("/repos/o/r/pulls/7/files")
      .query({ per_page: 100, page: 2 })
      .reply(200, page(100, 60));
    const files = await listChangedFiles(testOctokit(), { owner: "o", repo: "r", pull_number: 7 });
    expect(files).toHaveLength(160);
    expect(files[150]).toEqual({ path: "f150.py", previousPath: null, status: "modified", patch: null, blobSha: "sha150", additions: 1 });
    expect(files[0]!.patch).toBe("@@ -1 +1 @@\n-a\n+b");
    expect(scope.isDone()).toBe(true);
  });
});
