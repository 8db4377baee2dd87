// Facts about the project a file belongs to that rules may need: found by the
// CLI or the App at the edge (I/O), passed in as data.

export type PytestMode = "strict" | "auto";

export interface ProjectFacts {
  /** The lowest Python version the project supports (`requires-python`), when known. */
  pythonVersion: readonly [number, number] | null;
  /** pytest-asyncio configuration: null when no pytest configuration was found. */
  pytest: { mode: PytestMode } | null;
  /** User-configured blocking calls (LG108): qualified-name patterns with advice. */
  blockingCalls: readonly { pattern: string; advice: string }[];
}

export const NO_PROJECT_FACTS: ProjectFacts = { pythonVersion: null, pytest: null, blockingCalls: [] };

/** Whether the project may use a feature added in Python `major.minor` (unknown versions are assumed recent). */
export function supportsPython(facts: ProjectFacts, major: number, minor: number): boolean {
  const v = facts.pythonVersion;
  if (!v) return true;
  return v[0] > major || (v[0] === major && v[1] >= minor);
}
