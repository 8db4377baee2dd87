// `loopguard review` on local repositories: git plumbing, options, exit codes
// and the text a terminal shows.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { parseNameStatus, patchBody, reviewLocalChange, renderReviewText } from "../../src/cli/review.js";
import { createDemoRepo, type DemoRepo } from "../../scripts/demo.js";

const run = promisify(execFile);

let parent: string;
let repo: DemoRepo;
beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), "loopguard-review-"));
  repo = await createDemoRepo(parent);
});
afterAll(async () => {
  await rm(parent, { recursive: true, force: true });
});

async function cli(args: string[], cwd: string) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    cwd,
    isTTY: false,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

const GIT = ["-c", "user.name=t", "-c", "user.email=t@t.invalid", "-c", "commit.gpgsign=false"];

async function commitAll(dir: string, message: string): Promise<void> {
  await run("git", [...GIT, "add", "-A"], { cwd: dir });
  await run("git", [...GIT, "commit", "-q", "--allow-empty", "-m", message], { cwd: dir });
}

/** A clone of the demo repository on its change branch, with `.github/loopguard.yml` set to `config`. */
async function cloneWithConfig(prefix: string, config: string): Promise<string> {
  const dir = await mkdtemp(join(parent, prefix));
  await run("git", ["clone", "-q", repo.dir, dir]);
  await run("git", ["checkout", "-q", "change"], { cwd: dir });
  await mkdir(join(dir, ".github"));
  await writeFile(join(dir, ".github", "loopguard.yml"), config);
  return dir;
}

describe("git plumbing", () => {
  it("reads name-status output with renames, copies and removals", () => {
    const out = ["M", "a.py", "R087", "old.py", "new.py", "C100", "src.py", "copy.py", "D", "gone.py", "A", "dir/é.py", "T", "mode.py", ""].join("\0");
    expect(parseNameStatus(out).map((f) => [f.status, f.path, f.previousPath])).toEqual([
      ["modified", "a.py", null],
      ["renamed", "new.py", "old.py"],
      ["copied", "copy.py", "src.py"],
      ["removed", "gone.py", null],
      ["added", "dir/é.py", null],
      ["changed", "mode.py", null],
    ]);
  });

  it("keeps the hunks of a diff as GitHub's patch", () => {
    const diff = "diff --git a/a.py b/a.py\nindex 1..2 100644\n--- a/a.py\n+++ b/a.py\n@@ -1 +1 @@\n-x\n+y\n";
    expect(patchBody(diff)).toBe("@@ -1 +1 @@\n-x\n+y");
    expect(patchBody("diff --git a/b.py b/b.py\nBinary files a/b.py and b/b.py differ\n")).toBeNull();
    expect(patchBody("diff --git a/o.py b/n.py\nsimilarity index 100%\nrename from o.py\nrename to n.py\n")).toBe("");
  });
});

describe("loopguard review", () => {
  it("prints the check run and each review comment, and exits 1 when the check would fail", async () => {
    const r = await cli(["review"], repo.dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Check run "loopguard": 5 errors, 4 warnings in 3 files\nConclusion: failure');
    expect(r.stdout).toContain("── shop/payments.py line 27 ");
    expect(r.stdout).toContain("Review (COMMENT, 8 inline comments):");
  });

  it("renders the terminal text (snapshot)", async () => {
    const result = await reviewLocalChange({ cwd: repo.dir, base: "main", head: "HEAD", now: () => new Date(0) });
    expect(renderReviewText({ ...result, root: "/tmp/demo" })).toMatchSnapshot();
  });

  it("compares with HEAD~1 when there is no other base, and says when there is nothing new", async () => {
    const dir = await mkdtemp(join(parent, "single-"));
    await run("git", ["init", "-q", "-b", "main"], { cwd: dir });
    await writeFile(join(dir, "a.py"), "import asyncio\n\n\nasync def f():\n    await asyncio.sleep(1)\n");
    await commitAll(dir, "one");
    await writeFile(join(dir, "a.py"), "import asyncio\n\n\nasync def f():\n    await asyncio.sleep(2)\n");
    await commitAll(dir, "two");
    const r = await cli(["review"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Check run "loopguard": No async issues found\nConclusion: success');
    expect(r.stdout).toContain("Review: none (nothing new to say)");
  });

  it("reads .github/loopguard.yml from the working tree, and fails the check when it is invalid", async () => {
    const dir = await cloneWithConfig("config-", "failOn: never\ncommentOn: error\n");
    const relaxed = await cli(["review", "--base", "origin/main", "--format", "json"], dir);
    expect(relaxed.code).toBe(0);
    const sent = JSON.parse(relaxed.stdout);
    expect(sent.checkRun.updates.at(-1).conclusion).toBe("neutral");
    expect(sent.review.comments).toHaveLength(5);
    await writeFile(join(dir, ".github", "loopguard.yml"), "maxComments: many\n");
    const invalid = await cli(["review", "--base", "origin/main"], dir);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toContain("Invalid configuration: 1 error in .github/loopguard.yml");
    expect(invalid.stdout).toContain('- line 1: `maxComments` is "many"; allowed: a whole number from 0 to 100.');
  });

  it("takes the settings from --config instead: YAML, or pyproject.toml's [tool.loopguard]", async () => {
    // The repository's own file would fail the check: --config must win over it.
    const dir = await cloneWithConfig("explicit-", "failOn: warning\n");
    const outside = await mkdtemp(join(parent, "settings-"));
    await writeFile(join(outside, "relaxed.yml"), "failOn: never\ncommentOn: error\n");
    const yaml = await cli(["review", "--base", "origin/main", "-f", "json", "--config", join(outside, "relaxed.yml")], dir);
    expect(yaml.code).toBe(0);
    const sent = JSON.parse(yaml.stdout);
    expect(sent.checkRun.updates.at(-1).conclusion).toBe("neutral");
    expect(sent.review.comments).toHaveLength(5);

    await writeFile(join(outside, "pyproject.toml"), '[project]\nname = "x"\n\n[tool.loopguard]\nfailOn = "never"\ncommentOn = "error"\n');
    const toml = await cli(["review", "--base", "origin/main", "-f", "json", "-c", join(outside, "pyproject.toml")], dir);
    expect(toml.code).toBe(0);
    expect(JSON.parse(toml.stdout).review.comments).toHaveLength(5);

    // Bad contents are reported as the App reports them, in the check run, naming the file given.
    await writeFile(join(outside, "bad.yml"), "maxComments: many\n");
    const bad = await cli(["review", "--base", "origin/main", "--config", join(outside, "bad.yml")], dir);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/Invalid configuration: 1 error in .*bad\.yml/);
    // A file that cannot be read, or TOML that is not TOML, is a usage error.
    expect(await cli(["review", "--config", join(outside, "missing.yml")], dir)).toMatchObject({ code: 2 });
    await writeFile(join(outside, "broken.toml"), "failOn = \n");
    const broken = await cli(["review", "--config", join(outside, "broken.toml")], dir);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^loopguard: the configuration .*broken\.toml is not valid TOML \(line 1/);
  });

  it("reports usage errors in one line with exit 2", async () => {
    expect(await cli(["review", "--format", "xml"], repo.dir)).toMatchObject({
      code: 2,
      stderr: 'loopguard: invalid --format "xml" (choose from text, json)\n',
    });
    expect(await cli(["review", "--base", "no-such-branch"], repo.dir)).toMatchObject({
      code: 2,
      stderr: "loopguard: --base no-such-branch is not a commit of this repository\n",
    });
    const notRepo = await mkdtemp(join(tmpdir(), "loopguard-not-a-repo-"));
    try {
      expect(await cli(["review"], notRepo)).toMatchObject({
        code: 2,
        stderr: "loopguard: not inside a git repository (loopguard review compares two commits of one)\n",
      });
    } finally {
      await rm(notRepo, { recursive: true, force: true });
    }
  });

  it("has help", async () => {
    const r = await cli(["review", "--help"], repo.dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: loopguard review [options]");
  });
});
