// Which files a scan reads: the Python files under the given paths, minus
// tool and environment folders, `--exclude` globs, and what git ignores.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync, type Dirent } from "node:fs";
import { basename, isAbsolute, join, relative, resolve, sep } from "node:path";
import picomatch from "picomatch";
import type { SkippedFile } from "../analyzer/types.js";
import { UsageError } from "./io.js";

/** Folders never walked into: version control, caches, virtual environments, build output. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set([
  ".git",
  ".hg",
  ".svn",
  "node_modules",
  ".venv",
  "venv",
  ".tox",
  ".nox",
  "__pycache__",
  ".mypy_cache",
  ".pytest_cache",
  ".ruff_cache",
  "build",
  "dist",
]);

export interface DiscoverOptions {
  cwd: string;
  /** Globs (picomatch): with a `/` matched against the path relative to cwd, without one against a file or folder name. */
  exclude?: readonly string[];
  /** Skip what git ignores when a folder is in a git repository (default true). */
  gitignore?: boolean;
}

export interface Discovery {
  /** Absolute paths, sorted by the path users see. */
  files: string[];
  /** Folders that could not be read. */
  skipped: SkippedFile[];
}

/** The path as printed: relative to cwd, with `/` separators. */
export function displayPath(absolute: string, cwd: string): string {
  const rel = relative(cwd, absolute);
  return (rel === "" ? "." : rel).split(sep).join("/");
}

/**
 * The files a scan of `paths` analyses. A file named on the command line is
 * analysed whatever its extension (only `--exclude` can drop it); inside
 * folders only `.py` files are.
 */
export function discoverPythonFiles(paths: readonly string[], options: DiscoverOptions): Discovery {
  const { cwd } = options;
  const excluded = excludeMatcher(options.exclude ?? [], cwd);
  const ignored = options.gitignore === false ? null : new GitIgnored();
  const found = new Set<string>();
  const skipped: SkippedFile[] = [];
  for (const given of paths) {
    const root = resolve(cwd, given);
    const stat = statSync(root, { throwIfNoEntry: false });
    if (!stat) throw new UsageError(`no such file or directory: ${given}`);
    if (excluded(root)) continue;
    if (stat.isDirectory()) walk(root, { excluded, ignored, found, skipped, cwd });
    else if (stat.isFile()) found.add(root);
  }
  const files = [...found].map((f) => ({ f, shown: displayPath(f, cwd) }));
  files.sort((a, b) => (a.shown < b.shown ? -1 : a.shown > b.shown ? 1 : 0));
  return { files: files.map((x) => x.f), skipped };
}

interface WalkState {
  excluded: (path: string) => boolean;
  ignored: GitIgnored | null;
  found: Set<string>;
  skipped: SkippedFile[];
  cwd: string;
}

// An explicit stack: deep trees must not grow the call stack.
function walk(root: string, state: WalkState): void {
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      state.skipped.push({ path: displayPath(dir, state.cwd), reason: `cannot read folder (${errorCode(err)})` });
      continue;
    }
    if (state.ignored && (dir === root || entries.some((e) => e.name === ".git"))) state.ignored.addRepositoryFolder(dir);
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const kind = entryKind(entry, path);
      if (kind === "other" || state.excluded(path) || state.ignored?.has(path)) continue;
      if (kind === "dir") {
        if (!SKIPPED_DIRS.has(entry.name)) stack.push(path);
      } else if (entry.name.endsWith(".py")) {
        state.found.add(path);
      }
    }
  }
}

// Symlinked files are followed; symlinked folders are not (they can form cycles).
function entryKind(entry: Dirent, path: string): "file" | "dir" | "other" {
  if (entry.isDirectory()) return "dir";
  if (entry.isFile()) return "file";
  if (entry.isSymbolicLink()) return statSync(path, { throwIfNoEntry: false })?.isFile() ? "file" : "other";
  return "other";
}

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : String(err);
}

function excludeMatcher(globs: readonly string[], cwd: string): (path: string) => boolean {
  const cleaned = globs.map((g) => g.replace(/^\.\//, "").replace(/\/+$/, "")).filter((g) => g !== "");
  const pathGlobs = cleaned.filter((g) => g.includes("/"));
  const nameGlobs = cleaned.filter((g) => !g.includes("/"));
  const byPath = pathGlobs.length > 0 ? picomatch(pathGlobs, { dot: true }) : null;
  const byName = nameGlobs.length > 0 ? picomatch(nameGlobs, { dot: true }) : null;
  if (!byPath && !byName) return () => false;
  return (path) => {
    if (byName?.(basename(path))) return true;
    if (!byPath) return false;
    const posix = path.split(sep).join("/");
    return byPath(displayPath(path, cwd)) || (pathGlobs.some((g) => isAbsolute(g)) && byPath(posix));
  };
}

/**
 * What git ignores, asked once per repository folder the walk enters (the
 * scanned folder, and any nested clone). Outside a repository, or without
 * git installed, nothing is ignored.
 */
class GitIgnored {
  private readonly paths = new Set<string>();

  addRepositoryFolder(dir: string): void {
    // Run in the folder itself, git lists paths under it, relative to it;
    // `--directory` names an ignored folder once instead of every file in it.
    const out = spawnSync("git", ["ls-files", "--others", "--ignored", "--exclude-standard", "--directory", "-z"], {
      cwd: dir,
      encoding: "utf8",
      maxBuffer: 512 * 1024 * 1024,
      stdio: ["ignore", "pipe", "ignore"],
    });
    if (out.error || out.status !== 0) return;
    for (const rel of out.stdout.split("\0")) {
      if (rel !== "") this.paths.add(resolve(dir, rel));
    }
  }

  has(path: string): boolean {
    return this.paths.has(path);
  }
}
