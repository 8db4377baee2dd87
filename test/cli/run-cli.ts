// Runs the CLI in-process with captured streams, as the tests of src/cli/ do.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "../../src/cli/main.js";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url)).replace(/[\\/]$/, "");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  isTTY?: boolean;
  env?: Record<string, string | undefined>;
}

export async function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    cwd: options.cwd ?? REPO_ROOT,
    isTTY: options.isTTY ?? false,
    env: options.env ?? {},
  });
  return { code, stdout, stderr };
}

/** A temporary folder with the given files (path → content); removed by the returned cleanup. */
export function tempTree(files: Record<string, string | Uint8Array>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "loopguard-cli-"));
  writeTree(dir, files);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeTree(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

/** `[code, path, line]` triples, the shape scan tests assert. */
export function codesAt(json: string): [string, string, number][] {
  const doc = JSON.parse(json) as { findings: { code: string; path: string; line: number }[] };
  return doc.findings.map((f) => [f.code, f.path, f.line]);
}
