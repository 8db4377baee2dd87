// The project facts of a file on disk: the nearest pytest configuration and
// `requires-python` at or above it, up to the repository root (a directory
// holding `.git`) or the filesystem root. Cached per directory: a scan asks
// for every file, and files share directories.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { NO_PROJECT_FACTS, type ProjectFacts } from "../analyzer/project.js";
import { PYTHON_PROJECT_FILES, pytestFactsFrom, requiresPythonFrom, type ConfigFile } from "../analyzer/python-project.js";

type DirFacts = Pick<ProjectFacts, "pytest" | "pythonVersion">;

const byDirectory = new Map<string, DirFacts>();

export function projectFactsFor(filePath: string): ProjectFacts {
  return { ...NO_PROJECT_FACTS, ...factsForDirectory(dirname(resolve(filePath))) };
}

/** Forgets what was read (tests, or a long-running process whose files changed). */
export function clearProjectFactsCache(): void {
  byDirectory.clear();
}

function factsForDirectory(dir: string): DirFacts {
  const cached = byDirectory.get(dir);
  if (cached) return cached;
  const files = readConfigFiles(dir);
  const pyproject = files.find((f) => f.name === "pyproject.toml");
  const own: DirFacts = { pytest: pytestFactsFrom(files), pythonVersion: pyproject ? requiresPythonFrom(pyproject.text) : null };
  const parent = dirname(dir);
  const isTop = parent === dir || existsSync(join(dir, ".git"));
  const above = isTop || (own.pytest && own.pythonVersion) ? null : factsForDirectory(parent);
  const facts: DirFacts = { pytest: own.pytest ?? above?.pytest ?? null, pythonVersion: own.pythonVersion ?? above?.pythonVersion ?? null };
  byDirectory.set(dir, facts);
  return facts;
}

function readConfigFiles(dir: string): ConfigFile[] {
  const out: ConfigFile[] = [];
  for (const name of PYTHON_PROJECT_FILES) {
    try {
      out.push({ name, text: readFileSync(join(dir, name), "utf8") });
    } catch {
      // Absent or unreadable: the next file, or the directory above, decides.
    }
  }
  return out;
}
