// `loopguard scan [PATH...]`: analyse Python files, print the findings, and
// exit 1 when one reaches the --fail-on severity.
import { parseArgs } from "node:util";
import { SEVERITY_RANK, type Finding, type Severity } from "../analyzer/types.js";
import { allRules } from "../checks/index.js";
import { COMMON_OPTIONS, listOption, parsingArgs, type Command } from "./command.js";
import { SCAN_FORMATS, scanRenderer } from "./formats.js";
import { EXIT_FINDINGS, EXIT_OK, UsageError, useColor, type CliIO } from "./io.js";
import { selectRules } from "./options.js";
import { readFileSync, writeFileSync } from "node:fs";
import { relative } from "node:path";
import { fixSource } from "../analyzer/autofix.js";
import { unifiedDiff } from "../analyzer/unified-diff.js";
import type { SeveritySetting } from "../analyzer/types.js";
import { projectFactsFor } from "./project-facts.js";
import type { ProjectFacts } from "../analyzer/project.js";
import { isReviewedPath, severitiesForPath } from "../config.js";
import { configPathOf, loadCliConfig } from "./config-file.js";
import { analyzeFilesInParallel, defaultJobs } from "./worker-pool.js";
import { runScan, sourceLineReader } from "./scan-run.js";
import { loopguardVersion } from "./version.js";

export type FailOn = Severity | "never";

const FAIL_ON: readonly FailOn[] = ["error", "warning", "info", "never"];

const OPTIONS = {
  ...COMMON_OPTIONS,
  format: { type: "string", short: "f", default: "text" },
  select: { type: "string", multiple: true },
  ignore: { type: "string", multiple: true },
  exclude: { type: "string", multiple: true },
  "fail-on": { type: "string" },
  config: { type: "string", short: "c" },
  jobs: { type: "string", short: "j" },
  fix: { type: "boolean" },
  diff: { type: "boolean" },
} as const;

const HELP = `Usage: loopguard scan [options] [PATH...]

Analyses the Python files under each PATH (default: the current folder) for
asyncio mistakes. Folders are searched recursively for .py files, skipping
.git, node_modules, virtual environments, caches, build and dist folders,
and what .gitignore ignores inside a git repository. A file named on the
command line is analysed whatever its extension.

Options:
  -f, --format FORMAT   ${Object.keys(SCAN_FORMATS).join(" | ")} (default: text)
      --select RULES    only these rules (codes, names or ruff/flake8-async
                        codes, comma-separated or repeated; ALL for every rule,
                        including those off by default)
      --ignore RULES    not these rules
      --exclude GLOB    skip matching files and folders (repeatable); a glob
                        with a / matches the path from the current folder,
                        one without matches a file or folder name
      --fail-on LEVEL   error | warning | info | never (default: the
                        configuration's failOn, else error)
  -c, --config FILE     read the settings from FILE (YAML, or a TOML file
                        such as pyproject.toml with [tool.loopguard])
  -j, --jobs N          analyse in N worker threads (default: the number of cores)
      --fix             apply every exact fix in place, then report what is left
      --diff            print the unified diff of the fixes instead of writing
  -h, --help            show this help
  -V, --version         show the version

Configuration: without --config, the nearest .github/loopguard.yml at or
above the first PATH, else [tool.loopguard] in the nearest pyproject.toml
that has one (the App's settings: rules, include, exclude, overrides,
failOn, guideUrl, blockingCalls). Flags win over the file.

Exit status: 0 when no finding reaches --fail-on, 1 when one does, 2 for a
usage or input error.
`;

export const scanCommand: Command = {
  name: "scan",
  summary: "analyse Python files and print the findings",
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parsingArgs(() => parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true, strict: true }));
    const render = scanRenderer(values.format);
    const jobs = parseJobs(values.jobs);
    const paths = positionals.length > 0 ? positionals : ["."];
    const loaded = loadCliConfig({ explicit: values.config, start: paths[0]!, cwd: io.cwd });
    const { config } = loaded;
    const failOn = values["fail-on"] === undefined ? config.failOn : parseFailOn(values["fail-on"]);
    const selection = selectRules(listOption(values.select), listOption(values.ignore), allRules, config);
    const fileSettings: FileSettings = {
      severities: (file) => selection.forFile(severitiesForPath(config, configPathOf(loaded, file))),
      project: (file) => projectFactsFor(file, config.blockingCalls),
    };
    const scan = () =>
      runScan(paths, {
        cwd: io.cwd,
        exclude: values.exclude ?? [],
        severities: selection.severities,
        reported: selection.reported,
        guideUrl: config.guideUrl ?? undefined,
        reviews: (file) => isReviewedPath(config, configPathOf(loaded, file)),
        severitiesFor: fileSettings.severities,
        blockingCalls: config.blockingCalls,
        analyzeBatch: (batch, options) => analyzeFilesInParallel(batch, options, jobs),
      });
    let result = await scan();
    if (values.fix || values.diff) {
      const outcome = applyFixes(result, selection.severities, fileSettings, Boolean(values.diff), io);
      // With --diff stdout carries the diff alone; the exit status still follows the findings.
      if (values.diff) return reachesThreshold(result.findings, failOn) ? EXIT_FINDINGS : EXIT_OK;
      if (outcome.changedFiles > 0) result = await scan();
    }
    const out = render({
      version: loopguardVersion(),
      files: result.files,
      findings: result.findings,
      skipped: result.skipped,
      syntaxErrors: result.syntaxErrors,
      rules: allRules.filter((r) => selection.reported.has(r.meta.code)),
      color: useColor(io),
      sourceLine: sourceLineReader(result.absolutePaths),
    });
    io.stdout.write(out.stdout);
    if (out.stderr) io.stderr.write(out.stderr);
    if (result.files === 0 && result.leftOut > 0) {
      // Nothing analysed because of the file's globs: say so, or an empty report looks like a clean one.
      const where = loaded.file ? relative(io.cwd, loaded.file) || loaded.file : "the configuration";
      io.stderr.write(`loopguard: the ${result.leftOut} Python file${result.leftOut === 1 ? "" : "s"} found ${result.leftOut === 1 ? "is" : "are"} left out by include/exclude in ${where}\n`);
    }
    return reachesThreshold(result.findings, failOn) ? EXIT_FINDINGS : EXIT_OK;
  },
};

/** What the configuration says about one file on disk. */
interface FileSettings {
  severities(absolute: string): Record<string, SeveritySetting> | undefined;
  project(absolute: string): ProjectFacts;
}

function parseJobs(value: string | undefined): number {
  if (value === undefined) return defaultJobs();
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`invalid --jobs "${value}" (a positive whole number)`);
  return n;
}

/**
 * `--fix` / `--diff`: every file with a fixable finding gets all its exact
 * fixes (re-analysed until nothing more is fixable; a fix that would add a
 * syntax error is refused). `--diff` prints instead of writing.
 */
function applyFixes(
  result: Awaited<ReturnType<typeof runScan>>,
  severities: Readonly<Record<string, SeveritySetting>>,
  settings: FileSettings,
  diffOnly: boolean,
  io: CliIO,
): { changedFiles: number } {
  const paths = [...new Set(result.findings.filter((f) => f.fix).map((f) => f.path))];
  let changedFiles = 0;
  let applied = 0;
  for (const path of paths) {
    const absolute = result.absolutePaths.get(path);
    if (!absolute) continue;
    const before = readFileSync(absolute, "utf8");
    const own = settings.severities(absolute);
    const out = fixSource(path, before, { severities: own ? { ...severities, ...own } : severities, project: settings.project(absolute) });
    if (out.output === before) continue;
    changedFiles++;
    applied += out.applied;
    if (diffOnly) io.stdout.write(unifiedDiff(path, before, out.output));
    else writeFileSync(absolute, out.output);
  }
  const verb = diffOnly ? "would fix" : "fixed";
  io.stderr.write(`loopguard: ${verb} ${applied} issue${applied === 1 ? "" : "s"} in ${changedFiles} file${changedFiles === 1 ? "" : "s"}\n`);
  return { changedFiles };
}

function parseFailOn(value: string): FailOn {
  const found = FAIL_ON.find((level) => level === value);
  if (!found) throw new UsageError(`invalid --fail-on "${value}" (choose from ${FAIL_ON.join(", ")})`);
  return found;
}

/** Whether any finding is at least as severe as the threshold. */
export function reachesThreshold(findings: readonly Finding[], failOn: FailOn): boolean {
  if (failOn === "never") return false;
  const floor = SEVERITY_RANK[failOn];
  return findings.some((f) => SEVERITY_RANK[f.severity] >= floor);
}

