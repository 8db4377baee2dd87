// The project facts of a file on disk: the nearest pytest configuration and
// `requires-python` at or above it, up to the repository root (a folder
// holding `.git`) or the filesystem root, plus the configured blocking calls.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { ProjectFacts } from "../analyzer/project.js";
import { ProjectFactsFinder, type ConfigTree } from "../analyzer/project-facts.js";
import { PYTHON_PROJECT_FILES, type ConfigFile } from "../analyzer/python-project.js";

const diskTree: ConfigTree = {
  files: readConfigFiles,
  parent(dir) {
    const up = dirname(dir);
    return up === dir || existsSync(join(dir, ".git")) ? null : up;
  },
};

let finder = new ProjectFactsFinder(diskTree);

export function projectFactsFor(filePath: string, blockingCalls: ProjectFacts["blockingCalls"] = []): ProjectFacts {
  return { ...finder.forFolder(dirname(resolve(filePath))), blockingCalls };
}

/** Forgets what was read (tests, or a long-running process whose files changed). */
export function clearProjectFactsCache(): void {
  finder = new ProjectFactsFinder(diskTree);
}

function readConfigFiles(dir: string): ConfigFile[] {
  const out: ConfigFile[] = [];
  for (const name of PYTHON_PROJECT_FILES) {
    try {
      out.push({ name, text: readFileSync(join(dir, name), "utf8") });
    } catch {
      // Absent or unreadable: the next file, or the folder above, decides.
    }
  }
  return out;
}
