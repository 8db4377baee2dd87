// The CLI reads the App's configuration: --config, the nearest
// .github/loopguard.yml, else [tool.loopguard] in the nearest pyproject.toml.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { codesAt, REPO_ROOT, runCli, tempTree } from "./run-cli.js";

const SLEEP = "import time\n\nasync def poll():\n    time.sleep(1)\n";
const BOTO = "import boto3\n\nasync def upload(data):\n    boto3.client('s3').put_object(Body=data)\n";

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

function tree(files: Record<string, string>): string {
  const t = tempTree(files);
  cleanups.push(t.cleanup);
  return t.dir;
}

async function scanJson(cwd: string, ...args: string[]) {
  const run = await runCli(["scan", "--format", "json", ...args], { cwd });
  return { ...run, findings: run.code === 2 ? [] : codesAt(run.stdout) };
}

describe("loopguard scan: where the configuration comes from", () => {
  it("finds .github/loopguard.yml at or above the scanned path, and its globs are from the repository root", async () => {
    const dir = tree({
      ".github/loopguard.yml": "overrides:\n  - files: ['pkg/tests/**']\n    rules: { blocking-sleep: off }\n",
      "pkg/app.py": SLEEP,
      "pkg/tests/test_app.py": SLEEP,
    });
    const run = await scanJson(join(dir, "pkg"), ".");
    expect(run.findings).toEqual([["LG101", "app.py", 4]]);
  });

  it("falls back to [tool.loopguard] in the nearest pyproject.toml that has one", async () => {
    const dir = tree({
      "pyproject.toml": "[project]\nname = 'x'\n\n[tool.loopguard]\nexclude = ['legacy/**']\n\n[tool.loopguard.rules]\nblocking-sleep = 'info'\n",
      "sub/pyproject.toml": "[project]\nname = 'sub'\n",
      "sub/a.py": SLEEP,
      "legacy/old.py": SLEEP,
    });
    const run = await scanJson(dir, ".");
    expect(run.findings).toEqual([["LG101", "sub/a.py", 4]]);
    const doc = JSON.parse(run.stdout) as { findings: { severity: string }[] };
    expect(doc.findings[0]!.severity).toBe("info");
    // An info finding does not reach the default failOn (error).
    expect(run.code).toBe(0);
  });

  it("reads overrides written as TOML arrays of tables", async () => {
    const dir = tree({
      "pyproject.toml": "[[tool.loopguard.overrides]]\nfiles = ['tests/**']\nrules = { LG101 = 'off' }\n",
      "app.py": SLEEP,
      "tests/t.py": SLEEP,
    });
    expect((await scanJson(dir, ".")).findings).toEqual([["LG101", "app.py", 4]]);
  });

  it("prefers .github/loopguard.yml over pyproject.toml, and --config over both", async () => {
    const dir = tree({
      ".github/loopguard.yml": "rules: { blocking-sleep: warning }\n",
      "pyproject.toml": "[tool.loopguard]\nrules = { blocking-sleep = 'off' }\n",
      "ci/strict.yml": "rules: { blocking-sleep: error }\nfailOn: warning\n",
      "a.py": SLEEP,
    });
    const fromYml = await scanJson(dir, ".");
    expect(fromYml.findings).toEqual([["LG101", "a.py", 4]]);
    expect(fromYml.code).toBe(0);
    const fromFlag = await scanJson(dir, "--config", "ci/strict.yml", ".");
    expect(fromFlag.code).toBe(1);
    const fromPyproject = await scanJson(dir, "--config", "pyproject.toml", ".");
    expect(fromPyproject.findings).toEqual([]);
  });

  it("applies include and exclude to files named on the command line too (as pre-commit passes them)", async () => {
    const dir = tree({
      ".github/loopguard.yml": "include: ['src/**']\nexclude: ['src/generated/**']\n",
      "src/a.py": SLEEP,
      "src/generated/b.py": SLEEP,
      "scripts/c.py": SLEEP,
    });
    const run = await scanJson(dir, "src/a.py", "src/generated/b.py", "scripts/c.py");
    expect(run.findings).toEqual([["LG101", "src/a.py", 4]]);
    expect((JSON.parse(run.stdout) as { files: number }).files).toBe(1);
  });

  it("says so when include/exclude leave out every file found", async () => {
    const dir = tree({ ".github/loopguard.yml": "include: ['src/**']\n", "scripts/a.py": SLEEP, "scripts/b.py": SLEEP });
    const run = await runCli(["scan", "scripts"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("loopguard: the 2 Python files found are left out by include/exclude in .github/loopguard.yml\n");
  });

  it("takes failOn from the file unless --fail-on is given", async () => {
    const dir = tree({ ".github/loopguard.yml": "failOn: never\n", "a.py": SLEEP });
    expect((await scanJson(dir, ".")).code).toBe(0);
    expect((await scanJson(dir, "--fail-on", "error", ".")).code).toBe(1);
  });

  it("links findings to the configured guideUrl", async () => {
    const dir = tree({ ".github/loopguard.yml": "guideUrl: https://docs.example.com/async.html\n", "a.py": SLEEP });
    const run = await scanJson(dir, ".");
    const doc = JSON.parse(run.stdout) as { findings: { guide: string }[] };
    expect(doc.findings[0]!.guide).toBe("https://docs.example.com/async.html#pitfall-1-blocking-the-event-loop");
  });

  it("reports the project's blockingCalls (LG108), with the configured advice", async () => {
    const dir = tree({
      ".github/loopguard.yml": "blockingCalls:\n  - pattern: boto3.client\n    advice: use aioboto3\n",
      "up.py": BOTO,
    });
    const run = await scanJson(dir, ".");
    expect(run.findings).toEqual([["LG108", "up.py", 4]]);
    expect(run.stdout).toContain("use aioboto3");
    const none = await scanJson(tree({ "up.py": BOTO }), ".");
    expect(none.findings).toEqual([]);
  });

  it("lets --select run a rule the file turns off, and --ignore drop one the file turns on", async () => {
    const dir = tree({ ".github/loopguard.yml": "rules: { blocking-sleep: off, async-without-await: warning }\n", "a.py": SLEEP });
    expect((await scanJson(dir, ".")).findings).toEqual([["LG403", "a.py", 3]]);
    expect((await scanJson(dir, "--select", "LG101", ".")).findings).toEqual([["LG101", "a.py", 4]]);
    expect((await scanJson(dir, "--ignore", "LG403", ".")).findings).toEqual([]);
  });

  it("does not follow, under LG106, a blocking call whose rule the file turns off", async () => {
    const source = "import time\n\ndef pause():\n    time.sleep(1)\n\nasync def run():\n    pause()\n";
    expect((await scanJson(tree({ "a.py": source }), ".")).findings).toEqual([["LG106", "a.py", 7]]);
    const off = tree({ ".github/loopguard.yml": "rules: { LG101: off }\n", "a.py": source });
    expect((await scanJson(off, ".")).findings).toEqual([]);
  });

  it("--fix leaves alone what an override turns off", async () => {
    const dir = tree({
      ".github/loopguard.yml": "overrides:\n  - files: ['tests/**']\n    rules: { LG101: off }\n",
      "app.py": SLEEP,
      "tests/t.py": SLEEP,
    });
    const run = await runCli(["scan", "--fix", "."], { cwd: dir });
    expect(run.stderr).toContain("fixed 1 issue in 1 file");
    expect(readFileSync(join(dir, "app.py"), "utf8")).toContain("await asyncio.sleep(1)");
    expect(readFileSync(join(dir, "tests/t.py"), "utf8")).toBe(SLEEP);
  });
});

describe("loopguard scan: a broken configuration stops the scan with exit 2", () => {
  it("names each bad key of .github/loopguard.yml with its line", async () => {
    const dir = tree({ ".github/loopguard.yml": "failon: warning\nrules:\n  blocking-slep: off\n", "a.py": SLEEP });
    const run = await runCli(["scan", "."], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("loopguard: invalid configuration in .github/loopguard.yml:");
    expect(run.stderr).toContain("line 1: `failon` is not a loopguard setting (did you mean `failOn`?)");
    expect(run.stderr).toContain("line 3: `rules.blocking-slep` is not a loopguard rule (did you mean `blocking-sleep`?)");
  });

  it("names the bad keys of [tool.loopguard]", async () => {
    const dir = tree({ "pyproject.toml": "[tool.loopguard]\nmaxComments = 'lots'\nblockingCalls = [{ pattern = 'a..b' }]\n", "a.py": SLEEP });
    const run = await runCli(["scan", "."], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("invalid configuration in pyproject.toml [tool.loopguard]:");
    expect(run.stderr).toContain('`maxComments` is "lots"');
    expect(run.stderr).toContain('`blockingCalls[0].pattern` is "a..b"');
  });

  it("says where a file is not valid YAML or TOML", async () => {
    const yml = tree({ ".github/loopguard.yml": "rules: [unclosed\n", "a.py": SLEEP });
    const a = await runCli(["scan", "."], { cwd: yml });
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/loopguard: invalid configuration in \.github\/loopguard\.yml:\n {2}- line \d+: the file is not valid YAML/);
    const toml = tree({ "pyproject.toml": "[tool.loopguard]\nfailOn = \n", "a.py": SLEEP });
    const b = await runCli(["scan", "."], { cwd: toml });
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/^loopguard: the configuration pyproject\.toml is not valid TOML \(line 2: /);
  });

  it("says when --config names a file that is not there", async () => {
    const dir = tree({ "a.py": SLEEP });
    const run = await runCli(["scan", "--config", "nope.yml", "."], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("loopguard: cannot read the configuration nope.yml (ENOENT)\n");
  });
});

describe("the README's configuration examples", () => {
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("<!-- /section:config -->"));
  const block = (lang: string) => new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(section)![1]!;

  it("are valid, in YAML and in pyproject.toml", async () => {
    const yml = tree({ ".github/loopguard.yml": block("yaml"), "a.py": SLEEP });
    const fromYml = await scanJson(yml, ".");
    // ASYNC251 (LG101) is set to warning there, under failOn: error.
    expect(fromYml.findings).toEqual([["LG101", "a.py", 4]]);
    expect(fromYml.code).toBe(0);
    const toml = tree({ "pyproject.toml": block("toml"), "tests/t.py": SLEEP, "up.py": BOTO });
    const run = await scanJson(toml, ".");
    expect(run.findings).toEqual([["LG108", "up.py", 4]]);
    // failOn = "warning" in the example: the LG108 warning fails the run.
    expect(run.code).toBe(1);
  });
});
