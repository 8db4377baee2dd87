// `loopguard review [--base REF] [--head REF] [--config FILE] [--format text|json]`:
// the App's job on a local git repository. The changed files and added lines
// come from `git diff`, contents from `git show REF:path`, the configuration
// from `.github/loopguard.yml` (or --config); the job, the check-run and review bodies are the
// App's own code (src/github/pull-request.ts), with a host that records the
// requests instead of sending them.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { parseArgs, promisify } from "node:util";
import { decodeSource, type DecodedSource } from "../analyzer/source.js";
import { defaultRulePage } from "../comments/guide-links.js";
import { CONFIG_PATH } from "../config.js";
import { isPython, type ChangedFile, type FileStatus } from "../github/changed-files.js";
import type { CheckRunCreate, CheckRunUpdate } from "../github/check-run.js";
import type { TextRequest } from "../github/contents.js";
import type { ReviewHost } from "../github/host.js";
import { reviewPullRequest, type RunEnv, type ReviewTarget } from "../github/pull-request.js";
import type { PostedFeedback, ReviewRequest } from "../github/review.js";
import { COMMON_OPTIONS, parsingArgs, type Command } from "./command.js";
import { readConfigInput } from "./config-file.js";
import { EXIT_FINDINGS, EXIT_OK, UsageError, type CliIO } from "./io.js";
import { loopguardVersion } from "./version.js";

const run = promisify(execFile);

/** The requests the App would send for this change (owner and repo aside, which go in the URL). */
export interface ReviewRequests {
  checkRun: { create: CheckRunCreate; updates: CheckRunUpdate[] };
  review: ReviewRequest | null;
}

const FORMATS = ["text", "json"] as const;

const OPTIONS = {
  ...COMMON_OPTIONS,
  base: { type: "string" },
  head: { type: "string", default: "HEAD" },
  config: { type: "string", short: "c" },
  format: { type: "string", short: "f", default: "text" },
} as const;

const HELP = `Usage: loopguard review [options]

Runs the GitHub App's review on the local git repository of the current
folder, as if HEAD were a pull request into the base: prints the check run
and the review the App would post (nothing is sent anywhere).

Options:
      --base REF        what the change is compared with (default: the merge
                        base with origin/HEAD, origin/main, main, origin/master
                        or master, else HEAD~1)
      --head REF        the change (default: HEAD)
  -c, --config FILE     read the settings from FILE (YAML, or a TOML file /
                        pyproject.toml's [tool.loopguard]) instead of the
                        working tree's ${CONFIG_PATH}
  -f, --format FORMAT   text | json (json: the request bodies the App sends)
  -h, --help            show this help
  -V, --version         show the version

Without --config, the configuration is read from ${CONFIG_PATH} when the
repository has one (the App reads that file only).
Exit status: 0, or 1 when the check run would fail; 2 for a usage error.
`;

export const reviewCommand: Command = {
  name: "review",
  summary: "show what the GitHub App would post for the local change (check run and review)",
  help: HELP,
  async run(args, io) {
    const { values } = parsingArgs(() => parseArgs({ args: [...args], options: OPTIONS, allowPositionals: false, strict: true }));
    const format = FORMATS.find((f) => f === values.format);
    if (!format) throw new UsageError(`invalid --format "${values.format}" (choose from ${FORMATS.join(", ")})`);
    const config = values.config === undefined ? undefined : readConfigInput(resolve(io.cwd, values.config), io.cwd);
    const result = await reviewLocalChange({ cwd: io.cwd, base: values.base ?? null, head: values.head, io, config });
    io.stdout.write(format === "json" ? `${JSON.stringify(result.requests, null, 2)}\n` : renderReviewText(result));
    return result.requests.checkRun.updates.at(-1)?.conclusion === "failure" ? EXIT_FINDINGS : EXIT_OK;
  },
};

export interface LocalReview {
  root: string;
  target: ReviewTarget;
  requests: ReviewRequests;
}

export async function reviewLocalChange(options: {
  cwd: string;
  base: string | null;
  head: string;
  io?: CliIO;
  now?: () => Date;
  /** Settings given with --config (else the repository's own file is read). */
  config?: { input: unknown; shown: string };
}): Promise<LocalReview> {
  const root = await repositoryRoot(options.cwd);
  const headSha = await resolveCommit(root, options.head, "--head");
  const baseSha = await mergeBase(root, options.base ?? (await defaultBase(root, headSha)), headSha);
  const target: ReviewTarget = { repository: basename(root), headSha, baseSha, pullNumber: null, changedFiles: null };
  const host = new LocalGitHost(root, baseSha, headSha, options.config);
  const env: RunEnv = {
    version: loopguardVersion(),
    now: options.now ?? (() => new Date()),
    rulePage: defaultRulePage,
    log: {
      info: () => undefined,
      error: (fields, message) => {
        const err = fields.err instanceof Error ? `: ${fields.err.message.split("\n")[0]}` : "";
        options.io?.stderr.write(`${message}${err}\n`);
      },
    },
  };
  await reviewPullRequest(host, target, env);
  return { root, target, requests: host.requests() };
}

/**
 * The review job's host on a local repository: reads come from git, writes
 * are recorded (a check run that is never created anywhere, a review that is
 * never posted), and nothing was posted before.
 */
export class LocalGitHost implements ReviewHost {
  readonly configSource: string;
  private create: CheckRunCreate | null = null;
  private readonly updates: CheckRunUpdate[] = [];
  private review: ReviewRequest | null = null;

  constructor(
    readonly root: string,
    readonly baseSha: string,
    readonly headSha: string,
    private readonly explicitConfig?: { input: unknown; shown: string },
  ) {
    this.configSource = explicitConfig?.shown ?? CONFIG_PATH;
  }

  requests(): ReviewRequests {
    if (!this.create) throw new Error("the review job created no check run");
    return { checkRun: { create: this.create, updates: [...this.updates] }, review: this.review };
  }

  async loadConfig(): Promise<unknown> {
    if (this.explicitConfig) return this.explicitConfig.input;
    try {
      return await readFile(join(this.root, CONFIG_PATH), "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
  }

  async listChangedFiles(): Promise<ChangedFile[]> {
    const { stdout } = await git(this.root, ["diff", "--name-status", "-z", "-M", this.baseSha, this.headSha]);
    const files = parseNameStatus(stdout);
    for (const f of files) {
      // Only Python files are reviewed: their patches are all the job reads.
      if (isPython(f.path) && f.status !== "removed") f.patch = await this.patchOf(f);
    }
    return files;
  }

  private async patchOf(f: ChangedFile): Promise<string | null> {
    const paths = f.previousPath ? [f.previousPath, f.path] : [f.path];
    const { stdout } = await git(this.root, ["diff", "--no-color", "--no-ext-diff", "-U3", "-M", this.baseSha, this.headSha, "--", ...paths]);
    return patchBody(stdout);
  }

  async fetchTexts(requests: readonly TextRequest[]): Promise<Map<string, DecodedSource>> {
    const out = new Map<string, DecodedSource>();
    for (const r of requests) out.set(r.key, await this.textAt(r.ref, r.path));
    return out;
  }

  private async textAt(ref: string, path: string): Promise<DecodedSource> {
    try {
      const { stdout } = await run("git", ["show", `${ref}:${path}`], { cwd: this.root, encoding: "buffer", maxBuffer: 256 * 1024 * 1024 });
      return decodeSource(stdout);
    } catch {
      return { ok: false, reason: `not found at ${ref.slice(0, 7)}` };
    }
  }

  async createCheckRun(body: CheckRunCreate): Promise<number> {
    this.create = body;
    return 1;
  }

  async updateCheckRun(_id: number, body: CheckRunUpdate): Promise<void> {
    this.updates.push(body);
  }

  async currentHeadSha(): Promise<string> {
    return this.headSha;
  }

  async postedFeedback(): Promise<PostedFeedback[]> {
    return [];
  }

  async minimize(): Promise<void> {
    // Nothing was posted before a local review.
  }

  async createReview(review: ReviewRequest): Promise<void> {
    this.review = review;
  }
}

const STATUS: Record<string, FileStatus> = { A: "added", C: "copied", D: "removed", M: "modified", R: "renamed", T: "changed" };

/** `git diff --name-status -z`: status, path, and a second path for renames and copies. */
export function parseNameStatus(output: string): ChangedFile[] {
  const parts = output.split("\0").filter((p) => p !== "");
  const files: ChangedFile[] = [];
  for (let i = 0; i < parts.length; ) {
    const code = parts[i++]!;
    const status = STATUS[code[0]!] ?? "changed";
    const twoPaths = status === "renamed" || status === "copied";
    const first = parts[i++]!;
    const second = twoPaths ? parts[i++]! : null;
    files.push({
      path: second ?? first,
      previousPath: twoPaths ? first : null,
      status,
      patch: null,
      blobSha: null,
      additions: 0,
    });
  }
  return files;
}

/** The hunks of a one-file `git diff` (what GitHub calls the file's `patch`); null for a binary diff. */
export function patchBody(diff: string): string | null {
  const start = diff.search(/^@@ /m);
  if (start === -1) return /^Binary files /m.test(diff) ? null : "";
  return diff.slice(start).replace(/\n$/, "");
}

async function git(cwd: string, args: readonly string[]): Promise<{ stdout: string }> {
  try {
    return await run("git", [...args], { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new UsageError(`git ${args[0]} failed${stderr ? `: ${stderr.split("\n")[0]}` : ""}`);
  }
}

async function repositoryRoot(cwd: string): Promise<string> {
  try {
    return (await run("git", ["rev-parse", "--show-toplevel"], { cwd, encoding: "utf8" })).stdout.trim();
  } catch {
    throw new UsageError("not inside a git repository (loopguard review compares two commits of one)");
  }
}

async function resolveCommit(root: string, ref: string, flag: string): Promise<string> {
  try {
    return (await run("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd: root, encoding: "utf8" })).stdout.trim();
  } catch {
    throw new UsageError(`${flag} ${ref} is not a commit of this repository`);
  }
}

/** Like a pull request: the change is compared with where it branched off the base. */
async function mergeBase(root: string, base: string, headSha: string): Promise<string> {
  const baseSha = await resolveCommit(root, base, "--base");
  try {
    return (await run("git", ["merge-base", baseSha, headSha], { cwd: root, encoding: "utf8" })).stdout.trim();
  } catch {
    throw new UsageError(`--base ${base} and --head share no history`);
  }
}

const BASE_CANDIDATES = ["origin/HEAD", "origin/main", "main", "origin/master", "master"];

async function defaultBase(root: string, headSha: string): Promise<string> {
  for (const ref of BASE_CANDIDATES) {
    const sha = await resolveCommit(root, ref, "--base").catch(() => null);
    if (sha && sha !== headSha) return ref;
  }
  return "HEAD~1";
}

/** What the App would post, for a terminal: the check run, then the review comment by comment. */
export function renderReviewText(result: LocalReview): string {
  const { requests, target } = result;
  const final = requests.checkRun.updates.at(-1);
  const annotations = requests.checkRun.updates.flatMap((u) => u.output.annotations ?? []);
  const lines = [
    `loopguard review of ${target.baseSha.slice(0, 7)}..${target.headSha.slice(0, 7)} in ${result.root}`,
    "",
    `Check run "${requests.checkRun.create.name}": ${final?.output.title ?? "(not completed)"}`,
    `Conclusion: ${final?.conclusion ?? "(none)"}`,
    "",
    final?.output.summary ?? "",
    "",
  ];
  if (annotations.length > 0) {
    lines.push(`Annotations (${annotations.length}):`);
    for (const a of annotations) lines.push(`  ${a.path}:${a.start_line}  ${a.annotation_level}  ${a.title}`);
    lines.push("");
  }
  const review = requests.review;
  if (!review) {
    lines.push("Review: none (nothing new to say)", "");
    return lines.join("\n");
  }
  lines.push(`Review (${review.event}, ${review.comments.length} inline comment${review.comments.length === 1 ? "" : "s"}):`, "", review.body, "");
  for (const c of review.comments) {
    const where = c.start_line ? `lines ${c.start_line}-${c.line}` : `line ${c.line}`;
    lines.push(`── ${c.path} ${where} ${"─".repeat(Math.max(3, 60 - c.path.length - where.length))}`, "", c.body, "");
  }
  return lines.join("\n");
}
