// The package version, read from package.json: two folders up from both
// src/cli/ (tests, tsx) and lib/cli/ (the installed command).
import { readFileSync } from "node:fs";

let cached: string | null = null;

export function loopguardVersion(): string {
  if (cached === null) {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: unknown };
    cached = typeof pkg.version === "string" ? pkg.version : "0.0.0";
  }
  return cached;
}
