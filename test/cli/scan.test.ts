import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codesAt, REPO_ROOT, runCli, tempTree } from "./run-cli.js";

const FIXTURES = "test/fixtures/python";
const version = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;

const SLEEP = "import time\n\nasync def poll():\n    time.sleep(1)\n";
const COPYTREE = "import shutil\n\nasync def archive(src, dst):\n    shutil.copytree(src, dst)\n";
const SEQUENTIAL = "async def fetch_all(urls):\n    pages = []\n    for url in urls:\n        pages.append(await fetch(url))\n    return pages\n";

describe("loopguard scan on the Python fixtures", () => {
  it("reports each blocking call of the aiohttp service, the one in the file with a syntax error, and none in the clean file", async () => {
    const run = await runCli(["scan", FIXTURES, "--select", "LG101,LG102,LG103,LG104,LG106", "--format", "json"]);
    expect(run.code).toBe(1);
    expect(codesAt(run.stdout)).toEqual([
      ["LG101", "test/fixtures/python/broken.py", 10],
      ["LG101", "test/fixtures/python/broken.py", 14],
      ["LG101", "test/fixtures/python/service/app.py", 22],
      ["LG102", "test/fixtures/python/service/app.py", 23],
      ["LG103", "test/fixtures/python/service/app.py", 24],
      // Through the import of service.storage: followed across files.
      ["LG106", "test/fixtures/python/service/app.py", 29],
    ]);
    const doc = JSON.parse(run.stdout) as { files: number; syntaxErrors: number; skipped: unknown[] };
    expect(doc).toMatchObject({ files: 5, syntaxErrors: 1, skipped: [] });
  });

  it("prints the text report (snapshot, colour off)", async () => {
    const run = await runCli(["scan", FIXTURES, "--select", "LG101"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatchSnapshot();
    expect(run.stderr).toBe("loopguard: test/fixtures/python/broken.py:5:38: 1 syntax error; the rest of the file was still analysed\n");
  });

  it("prints the JSON document (snapshot) and nothing else, on stdout only", async () => {
    const run = await runCli(["scan", FIXTURES, "--select", "LG101", "--format", "json"]);
    expect(run.stderr).toBe("");
    const doc = JSON.parse(run.stdout) as { version: string };
    expect(doc.version).toBe(version);
    // The document as printed, so the snapshot also pins the key order.
    expect(run.stdout.replace(`"version": "${version}"`, '"version": "<version>"')).toMatchSnapshot();
  });

  it("gives output that the JSON schema of the document accepts, fixes included", async () => {
    const schema = JSON.parse(readFileSync(join(REPO_ROOT, "test/fixtures/schemas/scan-output.schema.json"), "utf8")) as object;
    const validate = new Ajv({ allErrors: true }).compile(schema);
    const { dir, cleanup } = tempTree({ "bad.bin.py": new Uint8Array([0x78, 0x3d, 0xff, 0x0a]) });
    try {
      for (const args of [["scan", FIXTURES, "--select", "ALL"], ["scan", dir]]) {
        const run = await runCli([...args, "--format", "json"]);
        const doc = JSON.parse(run.stdout) as { findings: { fix: unknown }[]; skipped: unknown[] };
        expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
        expect(Object.keys(doc)).toEqual(["version", "files", "syntaxErrors", "findings", "skipped"]);
      }
      const withFix = JSON.parse((await runCli(["scan", FIXTURES, "--select", "LG101", "--format", "json"])).stdout) as {
        findings: { fix: unknown }[];
      };
      expect(withFix.findings.some((f) => f.fix !== null)).toBe(true);
    } finally {
      cleanup();
    }
  });
});

describe("exit codes and --fail-on", () => {
  let tree: ReturnType<typeof tempTree>;
  beforeAll(() => {
    tree = tempTree({ "error.py": SLEEP, "warning.py": COPYTREE, "info.py": SEQUENTIAL, "clean.py": "async def f():\n    return 1\n" });
  });
  afterAll(() => tree.cleanup());

  const SELECT = ["--select", "LG101,LG104,LG501"];
  // [file, severity of its one finding, exit code per --fail-on error/warning/info/never]
  const table: [string, string | null, [number, number, number, number]][] = [
    ["error.py", "error", [1, 1, 1, 0]],
    ["warning.py", "warning", [0, 1, 1, 0]],
    ["info.py", "info", [0, 0, 1, 0]],
    ["clean.py", null, [0, 0, 0, 0]],
  ];
  for (const [file, severity, codes] of table) {
    it(`a file whose worst finding is ${severity ?? "none"} exits ${codes.join("/")} for error/warning/info/never`, async () => {
      const json = await runCli(["scan", join(tree.dir, file), ...SELECT, "--format", "json"]);
      const doc = JSON.parse(json.stdout) as { findings: { severity: string }[] };
      expect(doc.findings.map((f) => f.severity)).toEqual(severity ? [severity] : []);
      const got: number[] = [];
      for (const level of ["error", "warning", "info", "never"]) {
        got.push((await runCli(["scan", join(tree.dir, file), ...SELECT, "--fail-on", level])).code);
      }
      expect(got).toEqual(codes);
    });
  }

  it("defaults to --fail-on error", async () => {
    expect((await runCli(["scan", join(tree.dir, "warning.py"), ...SELECT])).code).toBe(0);
    expect((await runCli(["scan", join(tree.dir, "error.py"), ...SELECT])).code).toBe(1);
  });

  it("reports info findings in the output even when they do not fail the run", async () => {
    const run = await runCli(["scan", join(tree.dir, "info.py"), ...SELECT]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("LG501 [info]");
    expect(run.stdout).toContain("1 finding (0 errors, 0 warnings, 1 info) in 1 file\n");
  });
});

describe("--select and --ignore", () => {
  let tree: ReturnType<typeof tempTree>;
  beforeAll(() => {
    tree = tempTree({
      "a.py": "import asyncio\nimport os\nimport time\n\nasync def poll(path):\n    time.sleep(1)\n    await asyncio.sleep(0)\n    return os.path.exists(path)\n",
    });
  });
  afterAll(() => tree.cleanup());

  const codes = async (...args: string[]) => {
    const run = await runCli(["scan", tree.dir, "--format", "json", ...args]);
    expect(run.code, run.stderr).not.toBe(2);
    return codesAt(run.stdout).map(([code, , line]) => `${code}:${line}`);
  };

  it("runs the rules that are on by default when nothing is selected", async () => {
    expect(await codes()).toEqual(["LG101:6"]);
  });

  it("selects by code, name and ruff/flake8-async alias, in any case", async () => {
    expect(await codes("--select", "LG101")).toEqual(["LG101:6"]);
    expect(await codes("--select", "blocking-sleep")).toEqual(["LG101:6"]);
    expect(await codes("--select", "ASYNC251")).toEqual(["LG101:6"]);
    expect(await codes("--select", "lg101")).toEqual(["LG101:6"]);
  });

  it("reports a rule that is off by default once selected, at warning", async () => {
    expect(await codes("--select", "blocking-path-metadata")).toEqual(["LG107:8"]);
    const doc = JSON.parse((await runCli(["scan", tree.dir, "--format", "json", "--select", "LG107"])).stdout) as {
      findings: { severity: string }[];
    };
    expect(doc.findings.map((f) => f.severity)).toEqual(["warning"]);
    expect(await codes("--select", "LG101", "--select", "LG107")).toEqual(["LG101:6", "LG107:8"]);
    expect(await codes("--select", "LG101,LG107")).toEqual(["LG101:6", "LG107:8"]);
  });

  it("ignores by code, name or alias, after selecting", async () => {
    expect(await codes("--ignore", "LG101")).toEqual([]);
    expect(await codes("--ignore", "ASYNC251")).toEqual([]);
    expect(await codes("--select", "ALL", "--ignore", "blocking-sleep")).toEqual(["LG107:8"]);
  });

  it("runs the rules LG106 builds on without reporting them when only LG106 is selected", async () => {
    const run = await runCli(["scan", FIXTURES, "--format", "json", "--select", "transitive-blocking-call"]);
    expect(codesAt(run.stdout)).toEqual([["LG106", "test/fixtures/python/service/app.py", 29]]);
  });

  it("exits 2 with one line naming an unknown rule", async () => {
    for (const flag of ["--select", "--ignore"]) {
      const run = await runCli(["scan", tree.dir, flag, "LG101,blocking-sleeps"]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toBe(`loopguard: unknown rule "blocking-sleeps" in ${flag} (\`loopguard rules\` lists codes and names)\n`);
    }
  });
});

describe("usage and input errors", () => {
  const oneLine = (s: string) => expect(s).toMatch(/^loopguard: [^\n]+\n$/);

  it("exits 2 for a path that does not exist, before scanning anything", async () => {
    const run = await runCli(["scan", FIXTURES, "no/such/dir"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe("loopguard: no such file or directory: no/such/dir\n");
  });

  it.each([
    [["scan", "--format", "xml"], 'loopguard: unknown format "xml" (choose from text, json, sarif, github)\n'],
    [["scan", "--fail-on", "critical"], 'loopguard: invalid --fail-on "critical" (choose from error, warning, info, never)\n'],
    [["scan", "--bogus"], "loopguard: Unknown option '--bogus'\n"],
    [["scan", "--select"], "loopguard: Option '--select <value>' argument missing\n"],
    [["lint"], 'loopguard: unknown command "lint" (commands: scan, review, rules, explain)\n'],
    [["rules", "extra"], "loopguard: Unexpected argument 'extra'\n"],
  ])("exits 2 for %j with a one-line message", async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    oneLine(run.stderr);
    expect(run.stderr).toBe(message);
  });

  it("reports an unexpected failure as one line, exit 2, with the stack only under LOOPGUARD_DEBUG", async () => {
    const { main } = await import("../../src/cli/main.js");
    const failing = (env: Record<string, string>) => {
      let stderr = "";
      const io = {
        stdout: { write: (): never => { throw new Error("disk full\nsecond line"); } },
        stderr: { write: (s: string) => (stderr += s) },
        cwd: REPO_ROOT,
        isTTY: false,
        env,
      };
      return main(["rules"], io).then((code) => ({ code, stderr }));
    };
    expect(await failing({})).toEqual({ code: 2, stderr: "loopguard: internal error: disk full\n" });
    const debug = await failing({ LOOPGUARD_DEBUG: "1" });
    expect(debug.stderr).toMatch(/^loopguard: internal error: disk full\nError: disk full\n[\s\S]*\bat\b/);
  });

  it("prints the overview on stderr and exits 2 without a command", async () => {
    const run = await runCli([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Usage: loopguard <command>");
    expect(run.stderr).toContain("  scan     analyse Python files");
  });

  it("prints help and the version, exit 0", async () => {
    for (const args of [["--help"], ["help"]]) {
      const run = await runCli(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("Commands:");
    }
    for (const args of [["scan", "--help"], ["help", "scan"], ["scan", "--fail-on", "bogus", "-h"]]) {
      const run = await runCli(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("Usage: loopguard scan [options] [PATH...]");
      expect(run.stdout).toContain("--fail-on LEVEL");
    }
    for (const args of [["--version"], ["-V"], ["scan", "--version"]]) {
      const run = await runCli(args);
      expect(run).toEqual({ code: 0, stdout: `loopguard ${version}\n`, stderr: "" });
    }
  });
});

describe("bad input files", () => {
  let tree: ReturnType<typeof tempTree>;
  beforeAll(() => {
    const big = `x = 1\n${"# padding ".repeat(220_000)}\n`;
    tree = tempTree({
      "latin1.py": new Uint8Array([...Buffer.from("name = '"), 0xe9, ...Buffer.from("'\n")]),
      "nul.py": new Uint8Array([0x78, 0x00, 0x0a]),
      "big.py": big,
      "ok.py": SLEEP,
      "nested.py": `x = ${"[".repeat(5000)}${"]".repeat(5000)}\ny = ${"(".repeat(5000)}1${")".repeat(5000)}\n\n${SLEEP}`,
      "unclosed.py": `x = ${"[".repeat(5000)}\n`,
    });
  });
  afterAll(() => tree.cleanup());

  it("skips files that are not UTF-8, contain NUL bytes or exceed 2 MB, and lists them in JSON", async () => {
    const run = await runCli(["scan", tree.dir, "--format", "json", "--select", "LG101"], { cwd: tree.dir });
    expect(run.stderr).toBe("");
    const doc = JSON.parse(run.stdout) as { files: number; skipped: { path: string; reason: string }[] };
    expect(doc.skipped).toEqual([
      { path: "big.py", reason: expect.stringMatching(/^larger than 2 MB \(\d+ bytes\)$/) as unknown },
      { path: "latin1.py", reason: "not valid UTF-8" },
      { path: "nul.py", reason: "binary file (contains NUL bytes)" },
    ]);
    expect(doc.files).toBe(3);
  });

  it("notes skipped files on stderr in text mode and counts them in the summary", async () => {
    const run = await runCli(["scan", ".", "--select", "LG101"], { cwd: tree.dir });
    expect(run.stderr).toContain("loopguard: skipped latin1.py: not valid UTF-8\n");
    expect(run.stderr).toContain("loopguard: skipped nul.py: binary file (contains NUL bytes)\n");
    expect(run.stderr).toMatch(/loopguard: skipped big\.py: larger than 2 MB/);
    expect(run.stdout).toMatch(/2 findings \(2 errors, 0 warnings, 0 info\) in 3 files; 1 file with syntax errors; 3 files skipped\n$/);
  });

  it("analyses 5,000 nested brackets without overflowing the stack, and still finds the mistake below them", async () => {
    const run = await runCli(["scan", "nested.py", "unclosed.py", "--format", "json"], { cwd: tree.dir });
    expect(run.code).toBe(1);
    expect(codesAt(run.stdout)).toEqual([["LG101", "nested.py", 7]]);
    expect((JSON.parse(run.stdout) as { syntaxErrors: number }).syntaxErrors).toBe(1);
  });
});

describe("paths in the output", () => {
  it("are relative to the current folder with / separators, also for absolute and ../ arguments", async () => {
    const { dir, cleanup } = tempTree({ "pkg/sub/a.py": SLEEP, "pkg/b.py": SLEEP });
    try {
      const fromRoot = await runCli(["scan", join(dir, "pkg"), "--format", "json"], { cwd: dir });
      expect(codesAt(fromRoot.stdout)).toEqual([
        ["LG101", "pkg/b.py", 4],
        ["LG101", "pkg/sub/a.py", 4],
      ]);
      const fromSub = await runCli(["scan", "../b.py", "."], { cwd: join(dir, "pkg/sub") });
      expect(fromSub.stdout.startsWith("../b.py:4:5: LG101 [error]")).toBe(true);
      expect(fromSub.stdout).toContain("\na.py:4:5: LG101 [error]");
    } finally {
      cleanup();
    }
  });

  it("analyses a file named twice (directly and through its folder) once", async () => {
    const { dir, cleanup } = tempTree({ "a.py": SLEEP });
    try {
      const run = await runCli(["scan", ".", "a.py", dir, "--format", "json"], { cwd: dir });
      expect(codesAt(run.stdout)).toEqual([["LG101", "a.py", 4]]);
      expect((JSON.parse(run.stdout) as { files: number }).files).toBe(1);
    } finally {
      cleanup();
    }
  });
});

describe("colour", () => {
  const args = ["scan", `${FIXTURES}/service/app.py`, "--select", "LG101"];
  // eslint-disable-next-line no-control-regex
  const ANSI = /\u001b\[/;

  it("is used only when stdout is a terminal and NO_COLOR is unset or empty", async () => {
    expect((await runCli(args, { isTTY: true })).stdout).toMatch(ANSI);
    expect((await runCli(args, { isTTY: true, env: { NO_COLOR: "" } })).stdout).toMatch(ANSI);
    expect((await runCli(args, { isTTY: true, env: { NO_COLOR: "1" } })).stdout).not.toMatch(ANSI);
    expect((await runCli(args, { isTTY: false })).stdout).not.toMatch(ANSI);
  });

  it("never reaches the JSON document", async () => {
    expect((await runCli([...args, "--format", "json"], { isTTY: true })).stdout).not.toMatch(ANSI);
  });
});

describe("loopguard rules", () => {
  it("lists every rule with code, name, default severity and summary", async () => {
    const { allRules } = await import("../../src/checks/index.js");
    const run = await runCli(["rules"]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^CODE\s+NAME\s+SEVERITY\s+SUMMARY$/);
    expect(lines).toHaveLength(allRules.length + 1);
    for (const [i, rule] of allRules.entries()) {
      const cells = lines[i + 1]!.split(/\s{2,}/);
      expect(cells.slice(0, 3)).toEqual([rule.meta.code, rule.meta.name, rule.meta.severity]);
      expect(lines[i + 1]!.endsWith(rule.docs.summary)).toBe(true);
    }
  });

  it("prints the same as JSON", async () => {
    const { allRules } = await import("../../src/checks/index.js");
    const run = await runCli(["rules", "--format", "json"]);
    const rows = JSON.parse(run.stdout) as { code: string; name: string; severity: string; summary: string; guide: string }[];
    expect(rows.map((r) => [r.code, r.name, r.severity, r.summary])).toEqual(
      allRules.map((r) => [r.meta.code, r.meta.name, r.meta.severity, r.docs.summary]),
    );
    expect(rows[0]!.guide).toMatch(/^https:\/\/.+#[a-z0-9-]+$/);
  });
});
