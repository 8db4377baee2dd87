// The pull request's changed files (`pulls.listFiles`, every page) and, from
// each file's `patch`, the lines a review comment may go on.
import type { ProbotOctokit } from "probot";
import { isReviewedPath, type LoopguardConfig } from "../config.js";

export type FileStatus = "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";

export interface ChangedFile {
  path: string;
  /** The path in the base, for a renamed or copied file. */
  previousPath: string | null;
  status: FileStatus;
  /** The unified diff of the file; null when GitHub left it out (binary or very large diffs). */
  patch: string | null;
  /** Blob SHA of the head version, when known. */
  blobSha: string | null;
  additions: number;
}

/** An inclusive range of new-side line numbers. */
export interface LineRange {
  start: number;
  end: number;
}

export interface DiffLines {
  /** New-side lines the change added (`+`). */
  added: ReadonlySet<number>;
  /** New-side line ranges of each hunk (added and context lines): a comment must stay inside one. */
  hunks: readonly LineRange[];
}

/** GitHub lists at most this many files of a pull request. */
export const MAX_LISTED_FILES = 3000;

const HUNK_HEADER = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Reads the added lines and hunk ranges (new side) of one file's unified diff. */
export function parsePatch(patch: string): DiffLines {
  const added = new Set<number>();
  const hunks: LineRange[] = [];
  let line = 0;
  let oldLeft = 0;
  let newLeft = 0;
  for (const raw of patch.split("\n")) {
    const header = HUNK_HEADER.exec(raw);
    if (header) {
      oldLeft = header[1] === undefined ? 1 : Number(header[1]);
      line = Number(header[2]);
      newLeft = header[3] === undefined ? 1 : Number(header[3]);
      if (newLeft > 0) hunks.push({ start: line, end: line + newLeft - 1 });
      continue;
    }
    if (oldLeft === 0 && newLeft === 0) continue;
    const kind = raw[0];
    if (kind === "+") {
      added.add(line++);
      newLeft--;
    } else if (kind === "-") {
      oldLeft--;
    } else if (kind === " " || raw === "") {
      // A context line; an empty one is a blank context line whose space was trimmed.
      line++;
      newLeft--;
      oldLeft--;
    }
    // `\ No newline at end of file` is not a line.
  }
  return { added, hunks };
}

/** The hunk containing both lines, if one does: a review comment's range must lie in one hunk. */
export function hunkContaining(diff: DiffLines, start: number, end: number): LineRange | null {
  return diff.hunks.find((h) => h.start <= start && end <= h.end) ?? null;
}

const REVIEWED_STATUSES: ReadonlySet<FileStatus> = new Set(["added", "modified", "renamed", "copied", "changed"]);
/** Statuses whose base version is the same file (under `previousPath` for a rename). */
const HAS_BASE: ReadonlySet<FileStatus> = new Set(["modified", "renamed", "changed"]);

export function isPython(path: string): boolean {
  return path.endsWith(".py");
}

/** The changed files loopguard reviews: Python, not removed, passing `include`/`exclude`. */
export function filesToReview(files: readonly ChangedFile[], config: LoopguardConfig): ChangedFile[] {
  return files.filter((f) => REVIEWED_STATUSES.has(f.status) && isPython(f.path) && isReviewedPath(config, f.path));
}

/** The path of the file's base version, or null when the change created it (a copy counts as new). */
export function basePathOf(file: ChangedFile): string | null {
  if (!HAS_BASE.has(file.status)) return null;
  return file.status === "renamed" ? (file.previousPath ?? file.path) : file.path;
}

export interface PullRef {
  owner: string;
  repo: string;
  pull_number: number;
}

/** Every changed file, 100 per request (GitHub stops at 3,000). */
export async function listChangedFiles(octokit: ProbotOctokit, pr: PullRef): Promise<ChangedFile[]> {
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, { ...pr, per_page: 100 });
  return files.map((f) => ({
    path: f.filename,
    previousPath: f.previous_filename ?? null,
    status: f.status,
    patch: f.patch ?? null,
    blobSha: f.sha || null,
    additions: f.additions,
  }));
}
