// A stand-in for the parts of GitHub's API the App uses, made of nock
// interceptors over one repository and one pull request. It keeps state the
// way GitHub does (posted reviews become review threads of the App; hidden
// comments stay hidden), so a second webhook sees what the first one posted.
// Every write is recorded for the tests to assert on.
import { createHash } from "node:crypto";
import nock from "nock";
import type { FileStatus } from "../../src/github/changed-files.js";
import { unifiedDiff } from "../../src/analyzer/unified-diff.js";

export const API = "https://api.github.com";

export interface FakeFile {
  path: string;
  /** Text at the head commit (absent for a removed file). */
  head?: string;
  /** Text at the base commit, under `previousPath` for a rename (absent for an added file). */
  base?: string;
  previousPath?: string;
  status?: FileStatus;
  /** The diff GitHub shows; computed from base and head unless given (null: GitHub left it out). */
  patch?: string | null;
}

export interface PullRequestState {
  headSha: string;
  baseSha: string;
  files: FakeFile[];
  /** What `pulls.get` answers as the head (a newer push moves it). */
  currentHead?: string;
  /** The PR's own count of changed files (defaults to the number of files). */
  changedFiles?: number;
  /** Files at the head that the pull request does not change (pyproject.toml, pytest.ini, ...). */
  unchanged?: Record<string, string>;
}

export type FailureKind = "listFiles" | "blobs" | "review" | "feedback" | "checkCreate" | "checkUpdate";

export interface Failure {
  status: number;
  message: string;
  /** How many requests fail before the next one succeeds (default: all). */
  times?: number;
  /** Response headers (a rate limit's `x-ratelimit-remaining` and `x-ratelimit-reset`). */
  headers?: Record<string, string>;
}

interface FeedbackNode {
  id: string;
  body: string;
  isMinimized: boolean;
  viewerDidAuthor: boolean;
}

/** A check run as GitHub keeps it. */
export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  external_id: string;
  status: string;
  conclusion: string | null;
  app: { id: number; slug: string };
  output: { title: string | null; summary: string | null };
}

/** The App id the test Probot runs as (test/github/app.ts). */
export const TEST_APP_ID = 123;

interface RecordedCall {
  method: string;
  path: string;
  body: unknown;
}

export interface FakeGitHubOptions {
  owner?: string;
  repo?: string;
  number?: number;
  installationId?: number;
  /** YAML text of `.github/loopguard.yml` on the default branch; null: no file (repo and org fallback 404). */
  config?: string | null;
  pr: PullRequestState;
  /** A log shared by several fakes: `repo METHOD path` of every recorded call, in order. */
  journal?: string[];
}

const BLOB_QUERY = /object\(expression:/;
const FEEDBACK_QUERY = /reviewThreads/;
const MINIMIZE = /minimizeComment/;

export class FakeGitHub {
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
  pr: PullRequestState;
  config: string | null;
  readonly calls: RecordedCall[] = [];
  readonly checkRunCreates: Record<string, unknown>[] = [];
  readonly checkRunUpdates: Record<string, unknown>[] = [];
  /** Every check run on the repository, in order of creation, with its current state. */
  readonly checkRuns: FakeCheckRun[] = [];
  readonly reviews: Record<string, unknown>[] = [];
  readonly minimized: string[] = [];
  readonly reviewNodes: FeedbackNode[] = [];
  readonly threads: { path: string; comment: FeedbackNode }[] = [];
  readonly failures = new Map<FailureKind, Failure>();
  private readonly journal: string[] | null;
  private listFilesGate: Promise<void> | null = null;
  /** Per path: the error GitHub's GraphQL gives for that file's lookups (a partly failed query). */
  private readonly lookupErrors = new Map<string, string>();
  /** Diffs that change just before the next review is posted (the diff moved under the run). */
  private readonly pendingPatches = new Map<string, string>();
  private readonly movedPatches = new Map<string, string>();
  private nextId = 1;

  constructor(options: FakeGitHubOptions) {
    this.owner = options.owner ?? "Codertocat";
    this.repo = options.repo ?? "Hello-World";
    this.number = options.number ?? 2;
    this.config = options.config ?? null;
    this.pr = options.pr;
    this.journal = options.journal ?? null;
    this.intercept(options.installationId ?? 1);
  }

  /** A new push: the head and the files change, the App's earlier comments stay. */
  push(pr: PullRequestState): void {
    this.pr = pr;
  }

  /** A check run that exists before the test (another app's, or one a killed process left open). */
  addCheckRun(run: Partial<FakeCheckRun> & { head_sha: string }): FakeCheckRun {
    const full: FakeCheckRun = {
      id: 3000 + this.checkRuns.length,
      name: "loopguard",
      external_id: String(this.number),
      status: "in_progress",
      conclusion: null,
      app: { id: TEST_APP_ID, slug: "loopguard" },
      output: { title: null, summary: null },
      ...run,
    };
    this.checkRuns.push(full);
    return full;
  }

  /** The check run with this id. */
  checkRun(id: number): FakeCheckRun | undefined {
    return this.checkRuns.find((r) => r.id === id);
  }

  /**
   * Holds the App's listFiles requests until released: its job stays running.
   * `reached` resolves when the first held request arrives.
   */
  holdListFiles(): { reached: Promise<void>; release: () => void } {
    let release!: () => void;
    let reached!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const arrived = new Promise<void>((r) => (reached = r));
    this.listFilesGate = gate.then(() => void (this.listFilesGate = null));
    this.onListFiles = reached;
    return { reached: arrived, release };
  }

  private onListFiles: (() => void) | null = null;

  /** GraphQL answers the lookups of `path` with an error, and the rest of the query with data. */
  failLookup(path: string, message: string): void {
    this.lookupErrors.set(path, message);
  }

  /**
   * The file's diff becomes `patch` just before the next review arrives, as
   * when a pull request's base changes while the App works on it.
   */
  moveDiffBeforeReview(path: string, patch: string): void {
    this.pendingPatches.set(path, patch);
  }

  fail(kind: FailureKind, failure: Failure): void {
    this.failures.set(kind, failure);
  }

  /** A comment or review body someone else (or another bot) wrote. */
  addForeignThread(path: string, body: string): void {
    this.threads.push({ path, comment: { id: `PRRC_foreign${this.nextId++}`, body, isMinimized: false, viewerDidAuthor: false } });
  }

  get repoPath(): string {
    return `/repos/${this.owner}/${this.repo}`;
  }

  private failing(kind: FailureKind): [number, { message: string }, Record<string, string>] | null {
    const f = this.failures.get(kind);
    if (!f) return null;
    if (f.times !== undefined) {
      if (f.times <= 0) return null;
      f.times--;
    }
    return [f.status, { message: f.message }, f.headers ?? {}];
  }

  private record(method: string, path: string, body: unknown): void {
    this.calls.push({ method, path, body });
    this.journal?.push(`${this.repo} ${method} ${path}`);
  }

  private intercept(installationId: number): void {
    const repoPath = this.repoPath;
    const scope = nock(API).persist();
    scope.post(`/app/installations/${installationId}/access_tokens`).reply(201, {
      token: "ghs_test",
      expires_at: "2999-01-01T00:00:00Z",
      permissions: { checks: "write", pull_requests: "write", contents: "read", metadata: "read" },
      repository_selection: "all",
    });
    scope
      .get(`${repoPath}/contents/.github%2Floopguard.yml`)
      .reply(() => (this.config === null ? [404, { message: "Not Found" }] : [200, this.config, { "content-type": "text/plain; charset=utf-8" }]));
    scope.get(`/repos/${this.owner}/.github/contents/.github%2Floopguard.yml`).reply(404, { message: "Not Found" });
    scope.post(`${repoPath}/check-runs`).reply((uri, body) => {
      this.record("POST", uri, body);
      const failure = this.failing("checkCreate");
      if (failure) return failure;
      this.checkRunCreates.push(body as Record<string, unknown>);
      const id = 4000 + this.checkRunCreates.length;
      const b = body as Partial<FakeCheckRun> & { head_sha: string };
      const run = this.addCheckRun({
        id,
        head_sha: b.head_sha,
        external_id: b.external_id ?? "",
        status: b.status ?? "queued",
        conclusion: b.conclusion ?? null,
        output: { title: b.output?.title ?? null, summary: b.output?.summary ?? null },
      });
      return [201, run];
    });
    scope.patch(new RegExp(`^${repoPath}/check-runs/\\d+$`)).reply((uri, body) => {
      this.record("PATCH", uri, body);
      const failure = this.failing("checkUpdate");
      if (failure) return failure;
      this.checkRunUpdates.push(body as Record<string, unknown>);
      const run = this.checkRun(Number(uri.split("/").pop()));
      if (!run) return [404, { message: "Not Found" }];
      const b = body as Partial<FakeCheckRun>;
      if (b.status) run.status = b.status;
      if (b.conclusion) {
        run.status = "completed";
        run.conclusion = b.conclusion;
      }
      if (b.output) run.output = { title: b.output.title ?? null, summary: b.output.summary ?? null };
      return [200, run];
    });
    scope
      .get(new RegExp(`^${repoPath}/commits/[0-9a-f]+/check-runs`))
      .query(true)
      .reply((uri) => this.listCheckRuns(uri));
    scope
      .get(`${repoPath}/pulls/${this.number}/files`)
      .query(true)
      .reply(async (uri) => {
        this.onListFiles?.();
        if (this.listFilesGate) await this.listFilesGate;
        return this.listFiles(uri);
      });
    scope.get(`${repoPath}/pulls/${this.number}`).reply(() => [200, this.pullRequest()]);
    scope.get(new RegExp(`^${repoPath}/check-suites/\\d+/check-runs`)).query(true).reply(() => [
      200,
      { total_count: 1, check_runs: [{ id: 4000, name: "loopguard", external_id: String(this.number) }] },
    ]);
    scope.post(`${repoPath}/pulls/${this.number}/reviews`).reply((uri, body) => {
      this.record("POST", uri, body);
      const failure = this.failing("review");
      if (failure) return failure;
      for (const [path, patch] of this.pendingPatches) this.movedPatches.set(path, patch);
      this.pendingPatches.clear();
      // Like GitHub: one comment off the diff and the whole review is refused, without saying which.
      if (!(body as ReviewBody).comments?.every((c) => this.onDiff(c))) {
        return [422, { message: "Unprocessable Entity", errors: ["Pull request review thread line must be part of the diff"] }];
      }
      this.postReview(body as ReviewBody);
      return [200, { id: this.nextId }];
    });
    scope.get(new RegExp(`^${repoPath}/git/blobs/[0-9a-f]+$`)).reply((uri) => this.blob(uri.split("/").pop()!));
    // Several fakes can stand side by side: each answers the queries about its own repository.
    scope
      .post("/graphql", (body: { variables?: Record<string, unknown> }) => this.ownsQuery(body.variables ?? {}))
      .reply((uri, body) => this.graphql(uri, body as { query: string; variables: Record<string, unknown> }));
  }

  patchOf(f: FakeFile): string | null {
    const moved = this.movedPatches.get(f.path);
    if (moved !== undefined) return moved;
    if (f.patch !== undefined) return f.patch;
    const diff = unifiedDiff(f.path, f.base ?? "", f.head ?? "");
    return diff.split("\n").slice(2).join("\n").replace(/\n$/, "");
  }

  statusOf(f: FakeFile): FileStatus {
    if (f.status) return f.status;
    if (f.head === undefined) return "removed";
    if (f.base === undefined) return "added";
    return f.previousPath ? "renamed" : "modified";
  }

  private listFiles(uri: string): nock.ReplyFnResult {
    this.record("GET", uri, null);
    const failure = this.failing("listFiles");
    if (failure) return failure;
    const url = new URL(uri, API);
    const perPage = Number(url.searchParams.get("per_page") ?? 30);
    const page = Number(url.searchParams.get("page") ?? 1);
    const all = this.pr.files.slice(0, 3000);
    const slice = all.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (page * perPage < all.length) {
      headers.link = `<${API}${url.pathname}?per_page=${perPage}&page=${page + 1}>; rel="next"`;
    }
    const body = slice.map((f) => {
      const entry: Record<string, unknown> = {
        sha: f.head === undefined ? "0000000000000000000000000000000000000000" : blobSha(f.head),
        filename: f.path,
        status: this.statusOf(f),
        additions: (f.head ?? "").split("\n").length,
        deletions: 0,
        changes: 1,
      };
      const patch = this.patchOf(f);
      if (patch !== null) entry.patch = patch;
      if (f.previousPath) entry.previous_filename = f.previousPath;
      return entry;
    });
    return [200, body, headers];
  }

  private listCheckRuns(uri: string): nock.ReplyFnResult {
    this.record("GET", uri, null);
    const url = new URL(uri, API);
    const sha = url.pathname.split("/").at(-2);
    const name = url.searchParams.get("check_name");
    const appId = url.searchParams.get("app_id");
    const runs = this.checkRuns.filter(
      (r) => r.head_sha === sha && (name === null || r.name === name) && (appId === null || String(r.app.id) === appId),
    );
    return [200, { total_count: runs.length, check_runs: runs }];
  }

  private pullRequest(): Record<string, unknown> {
    return {
      number: this.number,
      state: "open",
      changed_files: this.pr.changedFiles ?? this.pr.files.length,
      head: { sha: this.pr.currentHead ?? this.pr.headSha },
      base: { sha: this.pr.baseSha, repo: { full_name: `${this.owner}/${this.repo}` } },
    };
  }

  /** The text of `path` at `sha`, as GitHub would find it. */
  private textAt(sha: string, path: string): string | null {
    if (sha === this.pr.headSha) return this.pr.files.find((f) => f.path === path)?.head ?? this.pr.unchanged?.[path] ?? null;
    if (sha === this.pr.baseSha) return this.pr.files.find((f) => (f.previousPath ?? f.path) === path)?.base ?? null;
    return null;
  }

  private blob(oid: string): nock.ReplyFnResult {
    for (const f of this.pr.files) {
      for (const text of [f.head, f.base]) {
        if (text !== undefined && blobSha(text) === oid) {
          return [200, { sha: oid, content: Buffer.from(text).toString("base64"), encoding: "base64" }];
        }
      }
    }
    return [404, { message: "Not Found" }];
  }

  private ownsQuery(variables: Record<string, unknown>): boolean {
    if (variables.owner === this.owner && variables.name === this.repo) return true;
    const id = variables.id;
    return typeof id === "string" && [...this.reviewNodes, ...this.threads.map((t) => t.comment)].some((n) => n.id === id);
  }

  private graphql(uri: string, body: { query: string; variables: Record<string, unknown> }): nock.ReplyFnResult {
    if (BLOB_QUERY.test(body.query)) {
      this.record("POST", `${uri} (blobs)`, body);
      const failure = this.failing("blobs");
      if (failure) return failure;
      const repository: Record<string, unknown> = {};
      const errors: { message: string; path: string[]; locations: unknown[] }[] = [];
      for (const [name, value] of Object.entries(body.variables)) {
        if (!/^e\d+$/.test(name)) continue;
        const alias = `f${name.slice(1)}`;
        const [sha, ...rest] = String(value).split(":");
        const path = rest.join(":");
        const error = this.lookupErrors.get(path);
        if (error) {
          repository[alias] = null;
          errors.push({ message: error, path: ["repository", alias], locations: [] });
          continue;
        }
        const text = this.textAt(sha!, path);
        repository[alias] =
          text === null
            ? null
            : { oid: blobSha(text), text, byteSize: Buffer.byteLength(text), isBinary: false, isTruncated: false };
      }
      return [200, errors.length > 0 ? { data: { repository }, errors } : { data: { repository } }];
    }
    if (FEEDBACK_QUERY.test(body.query)) {
      this.record("POST", `${uri} (feedback)`, body);
      const failure = this.failing("feedback");
      if (failure) return failure;
      return [200, { data: { repository: { pullRequest: this.feedback(body.query.includes("reviews(")) } } }];
    }
    if (MINIMIZE.test(body.query)) {
      this.record("POST", `${uri} (minimize)`, body);
      const id = String(body.variables.id);
      this.minimized.push(id);
      for (const node of [...this.reviewNodes, ...this.threads.map((t) => t.comment)]) if (node.id === id) node.isMinimized = true;
      return [200, { data: { minimizeComment: { minimizedComment: { isMinimized: true } } } }];
    }
    return [400, { message: `unexpected GraphQL query: ${body.query.slice(0, 60)}` }];
  }

  private feedback(withReviews: boolean): Record<string, unknown> {
    const pull: Record<string, unknown> = {
      reviewThreads: {
        pageInfo: { hasNextPage: false, endCursor: null },
        nodes: this.threads.map((t) => ({ path: t.path, comments: { nodes: [t.comment] } })),
      },
    };
    if (withReviews) pull.reviews = { nodes: this.reviewNodes };
    return pull;
  }

  /** Whether a review comment's lines lie in one hunk of its file's diff (new side), read from the patch here. */
  private onDiff(c: { path: string; line: number; start_line?: number }): boolean {
    const file = this.pr.files.find((f) => f.path === c.path);
    const patch = file ? this.patchOf(file) : null;
    if (!patch) return false;
    const start = c.start_line ?? c.line;
    return [...patch.matchAll(/^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/gm)].some((h) => {
      const first = Number(h[1]);
      const last = first + (h[2] === undefined ? 1 : Number(h[2])) - 1;
      return first <= start && c.line <= last;
    });
  }

  private postReview(review: ReviewBody): void {
    this.reviews.push(review as unknown as Record<string, unknown>);
    this.reviewNodes.push({ id: `PRR_${this.repo}_${this.nextId++}`, body: review.body, isMinimized: false, viewerDidAuthor: true });
    for (const c of review.comments ?? []) {
      this.threads.push({ path: c.path, comment: { id: `PRRC_${this.repo}_${this.nextId++}`, body: c.body, isMinimized: false, viewerDidAuthor: true } });
    }
  }

  /** Requests the App made to a path (for "nothing was fetched" assertions). */
  callsTo(pattern: RegExp): RecordedCall[] {
    return this.calls.filter((c) => pattern.test(c.path));
  }

  /** The expressions the App asked GraphQL for. */
  /** The Python files' lookups (the project files asked for beside them are left out). */
  pythonBlobExpressions(): string[] {
    return this.blobExpressions().filter((e) => e.endsWith(".py"));
  }

  blobExpressions(): string[] {
    return this.callsTo(/\(blobs\)$/).flatMap((c) =>
      Object.entries((c.body as { variables: Record<string, string> }).variables)
        .filter(([k]) => /^e\d+$/.test(k))
        .map(([, v]) => v),
    );
  }

  /** The final update of the last check run (the one with a conclusion). */
  lastCompletion(): Record<string, unknown> & { conclusion: string; output: { title: string; summary: string; annotations?: unknown[] } } {
    const done = this.checkRunUpdates.filter((u) => "conclusion" in u);
    return done[done.length - 1] as ReturnType<FakeGitHub["lastCompletion"]>;
  }
}

interface ReviewBody {
  body: string;
  comments?: { path: string; body: string; line: number; start_line?: number }[];
}

function blobSha(text: string): string {
  return createHash("sha1").update(`blob ${Buffer.byteLength(text)}\0${text}`).digest("hex");
}
