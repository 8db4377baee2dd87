// A file's project facts, found by walking up from its folder: the nearest
// pytest configuration and the nearest `requires-python`. The folders are
// handed in, so the CLI walks the disk and the App walks the files it fetched
// from a pull request's head, with the same precedence.
import { NO_PROJECT_FACTS, type ProjectFacts } from "./project.js";
import { pytestFactsFrom, requiresPythonFrom, type ConfigFile } from "./python-project.js";

export interface ConfigTree {
  /** The Python project files (PYTHON_PROJECT_FILES) present in `dir`. */
  files(dir: string): readonly ConfigFile[];
  /** The folder above `dir`, or null at the top (a repository root). */
  parent(dir: string): string | null;
}

type FolderFacts = Pick<ProjectFacts, "pytest" | "pythonVersion">;

/** Caches per folder: files of one folder share everything above them. */
export class ProjectFactsFinder {
  private readonly byFolder = new Map<string, FolderFacts>();

  constructor(
    private readonly tree: ConfigTree,
    private readonly blockingCalls: ProjectFacts["blockingCalls"] = [],
  ) {}

  forFolder(dir: string): ProjectFacts {
    return { ...NO_PROJECT_FACTS, ...this.folderFacts(dir), blockingCalls: this.blockingCalls };
  }

  private folderFacts(dir: string): FolderFacts {
    const cached = this.byFolder.get(dir);
    if (cached) return cached;
    const files = this.tree.files(dir);
    const pyproject = files.find((f) => f.name === "pyproject.toml");
    const own: FolderFacts = { pytest: pytestFactsFrom(files), pythonVersion: pyproject ? requiresPythonFrom(pyproject.text) : null };
    const parent = this.tree.parent(dir);
    const above = parent === null || (own.pytest && own.pythonVersion) ? null : this.folderFacts(parent);
    const facts: FolderFacts = {
      pytest: own.pytest ?? above?.pytest ?? null,
      pythonVersion: own.pythonVersion ?? above?.pythonVersion ?? null,
    };
    this.byFolder.set(dir, facts);
    return facts;
  }
}

/** The folder of a repository path (`a/b/c.py` → `a/b`; the root is ""). */
export function repoFolderOf(path: string): string {
  const cut = path.lastIndexOf("/");
  return cut === -1 ? "" : path.slice(0, cut);
}

/** The folder above a repository folder, or null above the root. */
export function repoParentOf(dir: string): string | null {
  return dir === "" ? null : repoFolderOf(dir);
}

/** Every folder from a repository path's own up to the root. */
export function repoFoldersAbove(path: string): string[] {
  const out: string[] = [];
  for (let dir: string | null = repoFolderOf(path); dir !== null; dir = repoParentOf(dir)) out.push(dir);
  return out;
}

/** A repository path in a folder (`""` + `pytest.ini` → `pytest.ini`). */
export function repoJoin(dir: string, name: string): string {
  return dir === "" ? name : `${dir}/${name}`;
}
