import { spawnSync } from "node:child_process";
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { discoverPythonFiles, displayPath } from "../../src/cli/files.js";
import { UsageError } from "../../src/cli/io.js";
import { runCli, tempTree, writeTree } from "./run-cli.js";

const trees: { cleanup: () => void }[] = [];
function tree(files: Record<string, string>): string {
  const t = tempTree(files);
  trees.push(t);
  return t.dir;
}
afterEach(() => {
  for (const t of trees.splice(0)) t.cleanup();
  vi.unstubAllEnvs();
});

function found(dir: string, paths: string[] = ["."], exclude: string[] = []): string[] {
  return discoverPythonFiles(paths, { cwd: dir, exclude }).files.map((f) => displayPath(f, dir));
}

function git(dir: string, ...args: string[]): void {
  const r = spawnSync("git", ["-c", "user.email=test@example.com", "-c", "user.name=Test", ...args], { cwd: dir, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
}

describe("discovering Python files", () => {
  it("walks folders recursively for .py files only, sorted by path", () => {
    const dir = tree({ "b.py": "", "a/z.py": "", "a/b/c/d.py": "", "README.md": "", "a/setup.cfg": "", "a/stub.pyi": "" });
    expect(found(dir)).toEqual(["a/b/c/d.py", "a/z.py", "b.py"]);
  });

  it("skips version control, dependency, virtual environment, cache and build folders", () => {
    const dir = tree({
      "app.py": "",
      ".git/hooks/x.py": "",
      "node_modules/pkg/x.py": "",
      ".venv/lib/x.py": "",
      "venv/lib/x.py": "",
      "src/__pycache__/x.py": "",
      "build/lib/x.py": "",
      "dist/x.py": "",
      ".tox/py312/x.py": "",
      "src/builder.py": "",
      "src/distance/x.py": "",
    });
    expect(found(dir)).toEqual(["app.py", "src/builder.py", "src/distance/x.py"]);
  });

  it("analyses a file named on the command line whatever its extension or folder", () => {
    const dir = tree({ "bin/manage": "", "build/gen.py": "" });
    expect(found(dir, ["bin/manage", "build/gen.py"])).toEqual(["bin/manage", "build/gen.py"]);
  });

  it("throws a usage error for a path that does not exist", () => {
    const dir = tree({ "a.py": "" });
    expect(() => found(dir, ["a.py", "missing.py"])).toThrow(new UsageError("no such file or directory: missing.py"));
  });

  it("does not follow symlinked folders (they can loop) but reads symlinked files", () => {
    const dir = tree({ "pkg/a.py": "", "shared/b.py": "" });
    symlinkSync(join(dir, "pkg"), join(dir, "pkg/loop"));
    symlinkSync(join(dir, "shared/b.py"), join(dir, "pkg/b_link.py"));
    expect(found(dir, ["pkg"])).toEqual(["pkg/a.py", "pkg/b_link.py"]);
  });
});

describe("--exclude", () => {
  const files = { "app/main.py": "", "app/models_pb2.py": "", "app/legacy/old.py": "", "tests/test_app.py": "", "legacy/x.py": "" };

  it("matches a glob without / against file and folder names anywhere", () => {
    const dir = tree(files);
    expect(found(dir, ["."], ["*_pb2.py"])).toEqual(["app/legacy/old.py", "app/main.py", "legacy/x.py", "tests/test_app.py"]);
    expect(found(dir, ["."], ["legacy"])).toEqual(["app/main.py", "app/models_pb2.py", "tests/test_app.py"]);
  });

  it("matches a glob with / against the path from the current folder", () => {
    const dir = tree(files);
    expect(found(dir, ["."], ["legacy/**"])).toEqual(["app/legacy/old.py", "app/main.py", "app/models_pb2.py", "tests/test_app.py"]);
    expect(found(dir, ["."], ["./tests/", "app/*.py"])).toEqual(["app/legacy/old.py", "legacy/x.py"]);
    expect(found(dir, ["."], ["**/legacy/*.py"])).toEqual(["app/main.py", "app/models_pb2.py", "tests/test_app.py"]);
  });

  it("applies to files named on the command line too (pre-commit passes every changed file)", () => {
    const dir = tree(files);
    expect(found(dir, ["app/models_pb2.py", "app/main.py"], ["*_pb2.py"])).toEqual(["app/main.py"]);
  });

  it("is repeatable on the command line", async () => {
    const dir = tree({ "a.py": "import time\nasync def f():\n    time.sleep(1)\n", "b.py": "import time\nasync def f():\n    time.sleep(1)\n", "c.py": "" });
    const run = await runCli(["scan", ".", "--exclude", "a.py", "--exclude", "b.py", "--format", "json"], { cwd: dir });
    expect(JSON.parse(run.stdout)).toMatchObject({ files: 1, findings: [] });
    expect(run.code).toBe(0);
  });
});

describe("inside a git repository", () => {
  function repo(): string {
    const dir = tree({
      ".gitignore": "generated/\n*_pb2.py\n/scratch.py\n!keep_pb2.py\n",
      "app/main.py": "",
      "app/api_pb2.py": "",
      "app/keep_pb2.py": "",
      "generated/client.py": "",
      "app/generated/deep.py": "",
      "scratch.py": "",
      "app/scratch.py": "",
      "app/.gitignore": "local_*.py\n",
      "app/local_settings.py": "",
      // Untracked, with ignored and not-ignored files side by side.
      "fresh/x.py": "",
      "fresh/y_pb2.py": "",
      "fresh/only_ignored/z_pb2.py": "",
    });
    git(dir, "init", "-q");
    git(dir, "add", "app/main.py", ".gitignore");
    git(dir, "commit", "-q", "-m", "init");
    return dir;
  }

  it("skips what .gitignore ignores (folders, patterns, anchored paths, nested .gitignore files, negations)", () => {
    const dir = repo();
    expect(found(dir)).toEqual(["app/keep_pb2.py", "app/main.py", "app/scratch.py", "fresh/x.py"]);
  });

  it("applies the repository's rules when a subfolder is scanned, from wherever the command runs", () => {
    const dir = repo();
    expect(found(dir, ["app"])).toEqual(["app/keep_pb2.py", "app/main.py", "app/scratch.py"]);
    expect(found(join(dir, "app"), ["."])).toEqual(["keep_pb2.py", "main.py", "scratch.py"]);
  });

  it("still analyses an ignored file named on the command line", () => {
    const dir = repo();
    expect(found(dir, ["app/api_pb2.py"])).toEqual(["app/api_pb2.py"]);
  });

  it("applies a nested clone's own .gitignore", () => {
    const outer = tree({ "top.py": "" });
    const inner = join(outer, "vendor/lib");
    writeTree(inner, { ".gitignore": "out/\n", "lib.py": "", "out/gen.py": "" });
    git(inner, "init", "-q");
    expect(found(outer)).toEqual(["top.py", "vendor/lib/lib.py"]);
  });

  it("ignores nothing outside a repository", () => {
    const dir = tree({ ".gitignore": "*.py\n", "a.py": "" });
    expect(spawnSync("git", ["rev-parse"], { cwd: dir }).status).not.toBe(0);
    expect(found(dir)).toEqual(["a.py"]);
  });

  it("works without git installed", () => {
    const dir = repo();
    vi.stubEnv("PATH", join(dir, "no-bin-here"));
    expect(spawnSync("git", ["--version"]).error).toBeDefined();
    expect(found(dir)).toContain("generated/client.py");
  });
});
