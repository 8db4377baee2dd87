import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clearProjectFactsCache, projectFactsFor } from "../../src/cli/project-facts.js";

describe("projectFactsFor", () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "loopguard-facts-"));
    clearProjectFactsCache();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function write(path: string, text: string): void {
    const full = join(root, path);
    mkdirSync(join(full, ".."), { recursive: true });
    writeFileSync(full, text);
  }

  it("finds the nearest pytest configuration and requires-python at or above the file", () => {
    mkdirSync(join(root, ".git"));
    write("pyproject.toml", '[project]\nrequires-python = ">=3.10"\n\n[tool.pytest.ini_options]\nasyncio_mode = "auto"\n');
    write("tests/unit/test_a.py", "");
    const facts = projectFactsFor(join(root, "tests/unit/test_a.py"));
    expect(facts.pytest).toEqual({ mode: "auto" });
    expect(facts.pythonVersion).toEqual([3, 10]);
    expect(facts.blockingCalls).toEqual([]);
  });

  it("takes the nearer file for pytest, and still finds requires-python further up", () => {
    mkdirSync(join(root, ".git"));
    write("pyproject.toml", '[project]\nrequires-python = "~=3.11"\n\n[tool.pytest.ini_options]\nasyncio_mode = "auto"\n');
    write("sub/pytest.ini", "[pytest]\n");
    const facts = projectFactsFor(join(root, "sub/test_b.py"));
    expect(facts.pytest).toEqual({ mode: "strict" });
    expect(facts.pythonVersion).toEqual([3, 11]);
  });

  it("stops at the directory holding .git", () => {
    write("pytest.ini", "[pytest]\nasyncio_mode = auto\n");
    mkdirSync(join(root, "repo/.git"), { recursive: true });
    write("repo/tests/test_c.py", "");
    const facts = projectFactsFor(join(root, "repo/tests/test_c.py"));
    expect(facts.pytest).toBeNull();
    expect(facts.pythonVersion).toBeNull();
  });

  it("ignores files that do not configure pytest", () => {
    mkdirSync(join(root, ".git"));
    write("setup.cfg", "[metadata]\nname = x\n");
    write("tox.ini", "[pytest]\nasyncio_mode = auto\n");
    expect(projectFactsFor(join(root, "test_d.py")).pytest).toEqual({ mode: "auto" });
  });

  it("caches per directory until cleared", () => {
    mkdirSync(join(root, ".git"));
    write("pytest.ini", "[pytest]\nasyncio_mode = auto\n");
    expect(projectFactsFor(join(root, "test_e.py")).pytest).toEqual({ mode: "auto" });
    write("pytest.ini", "[pytest]\nasyncio_mode = strict\n");
    expect(projectFactsFor(join(root, "test_f.py")).pytest).toEqual({ mode: "auto" });
    clearProjectFactsCache();
    expect(projectFactsFor(join(root, "test_f.py")).pytest).toEqual({ mode: "strict" });
  });
});
