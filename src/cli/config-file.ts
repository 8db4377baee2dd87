// The CLI's configuration: the same settings the App reads, found the way a
// linter's users expect. `--config FILE` wins; else the nearest
// `.github/loopguard.yml` at or above the scanned path; else the
// `[tool.loopguard]` table of the nearest `pyproject.toml` that has one.
// Paths in the file (`include`, `exclude`, `overrides`) are relative to the
// project root the file belongs to.
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { parse as parseToml, TomlError } from "smol-toml";
import { CONFIG_PATH, defaultConfig, parseConfig, type ConfigError, type LoopguardConfig } from "../config.js";
import { UsageError } from "./io.js";

export interface LoadedConfig {
  config: LoopguardConfig;
  /** The file the settings came from (absolute), or null for the defaults. */
  file: string | null;
  /** The folder the file's globs are relative to. */
  root: string;
}

const PYPROJECT = "pyproject.toml";

/**
 * The configuration for a scan of `start` (a file or folder). Throws a
 * UsageError naming the file and every bad key when the file is unreadable
 * or invalid: a scan with half a configuration would report the wrong things.
 */
export function loadCliConfig(options: { explicit?: string; start: string; cwd: string }): LoadedConfig {
  if (options.explicit !== undefined) return readConfigFile(resolve(options.cwd, options.explicit), options.cwd);
  const from = folderOf(resolve(options.cwd, options.start));
  const yml = findUp(from, (dir) => existsSync(join(dir, CONFIG_PATH)) && join(dir, CONFIG_PATH));
  if (yml) return readConfigFile(yml, options.cwd);
  const pyproject = findUp(from, (dir) => {
    const file = join(dir, PYPROJECT);
    return existsSync(file) && hasLoopguardTable(file) && file;
  });
  if (pyproject) return readConfigFile(pyproject, options.cwd);
  return { config: defaultConfig(), file: null, root: from };
}

/** The path of a file as the configuration's globs see it: relative to the root, with `/`. */
export function configPathOf(loaded: LoadedConfig, absolute: string): string {
  const rel = relative(loaded.root, absolute);
  // A file outside the root (scanned by path from elsewhere) is matched by its path as given.
  return (rel.startsWith("..") || isAbsolute(rel) ? absolute : rel).split(sep).join("/");
}

function readConfigFile(file: string, cwd: string): LoadedConfig {
  const { input, shown } = readConfigInput(file, cwd);
  const parsed = parseConfig(input);
  if (!parsed.ok) throw new UsageError(invalidMessage(shown, parsed.errors, basename(file) === PYPROJECT));
  return { config: parsed.config, file, root: rootOf(file, cwd) };
}

/**
 * What `parseConfig` takes from a configuration file: a YAML file's text (so
 * that errors can name lines), or the settings table of a TOML file (the
 * `[tool.loopguard]` table of a pyproject.toml). `shown` is the file as the
 * user named it. Throws a UsageError when the file cannot be read or is not
 * TOML where it should be.
 */
export function readConfigInput(file: string, cwd: string): { input: unknown; shown: string } {
  const shown = relative(cwd, file) || file;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read the configuration ${shown} (${code ?? String(err)})`);
  }
  const isToml = basename(file) === PYPROJECT || file.endsWith(".toml");
  return { input: isToml ? tomlTable(text, shown, basename(file) === PYPROJECT) : text, shown };
}

/**
 * A file in `.github` belongs to the folder holding it, a pyproject.toml to
 * its own folder; any other file named by --config (`ci/strict.yml`) speaks
 * of paths from where the command runs.
 */
function rootOf(file: string, cwd: string): string {
  const dir = dirname(file);
  if (basename(dir) === ".github") return dirname(dir);
  return basename(file) === PYPROJECT ? dir : cwd;
}

function tomlTable(text: string, shown: string, pyproject: boolean): unknown {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (err) {
    const detail = err instanceof TomlError ? `line ${err.line}: ${err.message.split("\n")[0]}` : String(err);
    throw new UsageError(`the configuration ${shown} is not valid TOML (${detail})`);
  }
  if (!pyproject) return doc;
  const tool = doc["tool"];
  return typeof tool === "object" && tool !== null ? (tool as Record<string, unknown>)["loopguard"] ?? null : null;
}

function invalidMessage(shown: string, errors: readonly ConfigError[], pyproject: boolean): string {
  const where = pyproject ? `${shown} [tool.loopguard]` : shown;
  const lines = errors.map((e) => `  - ${e.message}`);
  return `invalid configuration in ${where}:\n${lines.join("\n")}`;
}

/** Whether a pyproject.toml has a `[tool.loopguard]` table (a cheap look before parsing it all). */
function hasLoopguardTable(file: string): boolean {
  try {
    return /^\s*\[\[?\s*tool\s*\.\s*"?loopguard"?\s*[\].]/m.test(readFileSync(file, "utf8"));
  } catch {
    return false;
  }
}

function folderOf(path: string): string {
  try {
    return statSync(path).isDirectory() ? path : dirname(path);
  } catch {
    // A path that does not exist is the scan's error to report; look from where it would be.
    return dirname(path);
  }
}

function findUp(from: string, found: (dir: string) => string | false): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    const hit = found(dir);
    if (hit) return hit;
    if (dirname(dir) === dir) return null;
  }
}
