// Reading a Python project's configuration files (pure: text in, facts out):
// the pytest-asyncio mode the testing rules need, and the lowest Python
// version `requires-python` allows. Never throws on odd input.
import type { PytestMode } from "./project.js";

export interface ConfigFile {
  /** The file's base name (`pyproject.toml`). */
  name: string;
  text: string;
}

/**
 * pytest's precedence among the files of one directory: `pytest.ini` (even
 * empty), `.pytest.ini`, then `pyproject.toml`, `tox.ini`, `setup.cfg` when
 * they hold a pytest section.
 */
const PYTEST_FILES: readonly { name: string; sections: readonly string[]; always?: boolean; toml?: boolean }[] = [
  { name: "pytest.ini", sections: ["pytest"], always: true },
  { name: ".pytest.ini", sections: ["pytest"], always: true },
  { name: "pyproject.toml", sections: ["tool.pytest.ini_options", "tool.pytest"], toml: true },
  { name: "tox.ini", sections: ["pytest"] },
  { name: "setup.cfg", sections: ["tool:pytest"] },
];

/** The file names `pytestFactsFrom` and `requiresPythonFrom` read. */
export const PYTHON_PROJECT_FILES: readonly string[] = PYTEST_FILES.map((f) => f.name);

/** The pytest configuration among one directory's files, or null when none of them configures pytest. */
export function pytestFactsFrom(files: readonly ConfigFile[]): { mode: PytestMode } | null {
  for (const kind of PYTEST_FILES) {
    const file = files.find((f) => f.name === kind.name);
    if (!file) continue;
    const body = kind.sections.map((s) => sectionBody(file.text, s)).find((b) => b !== null) ?? null;
    if (body === null && !kind.always) continue;
    const mode = body === null ? null : settingValue(body, "asyncio_mode");
    // pytest-asyncio's default is strict.
    return { mode: mode?.toLowerCase() === "auto" ? "auto" : "strict" };
  }
  return null;
}

/** The lowest `[major, minor]` that `[project] requires-python` allows, or null when absent or unreadable. */
export function requiresPythonFrom(pyprojectText: string): [number, number] | null {
  const body = sectionBody(pyprojectText, "project");
  const spec = body === null ? null : settingValue(body, "requires-python");
  if (!spec) return null;
  let lowest: [number, number] | null = null;
  for (const clause of spec.split(",")) {
    const bound = lowerBound(clause.trim());
    if (bound && (!lowest || compare(bound, lowest) > 0)) lowest = bound;
  }
  return lowest;
}

/** The lowest version one specifier clause allows (`>=3.9`, `>3.8`, `~=3.10`, `==3.11.*`), or null for an upper bound. */
function lowerBound(clause: string): [number, number] | null {
  const m = /^(>=|>|~=|===|==)\s*(\d+)(?:\.(\d+|\*))?/.exec(clause);
  if (!m) return null;
  const major = Number(m[2]);
  const minor = m[3] === undefined || m[3] === "*" ? 0 : Number(m[3]);
  // `>3.8` is read as "newer than the 3.8 series": the lowest minor it allows is 3.9.
  if (m[1] === ">") return m[3] === undefined ? [major + 1, 0] : [major, minor + 1];
  return [major, minor];
}

function compare(a: readonly [number, number], b: readonly [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

/** The lines of an INI or TOML section (`[pytest]`, `[tool.pytest.ini_options]`), or null when absent. */
function sectionBody(text: string, section: string): string | null {
  const lines = text.split(/\r?\n/);
  let inside = false;
  let found = false;
  const body: string[] = [];
  for (const line of lines) {
    const header = /^\s*\[\s*([^\]]+?)\s*\]\s*(?:[#;].*)?$/.exec(line);
    if (header && !line.trimStart().startsWith("[[")) {
      inside = header[1]!.replace(/["']/g, "") === section;
      found ||= inside;
      continue;
    }
    if (inside) body.push(line);
  }
  return found ? body.join("\n") : null;
}

/** A `key = value` (or INI `key: value`) setting's value, quotes and trailing comments removed. */
function settingValue(body: string, key: string): string | null {
  for (const line of body.split("\n")) {
    const m = /^\s*([A-Za-z0-9_.-]+)\s*[=:]\s*(.*)$/.exec(line);
    if (!m || m[1] !== key) continue;
    const raw = m[2]!.trim();
    const quoted = /^(["'])(.*?)\1/.exec(raw);
    return quoted ? quoted[2]! : raw.replace(/\s[#;].*$/, "").trim();
  }
  return null;
}
