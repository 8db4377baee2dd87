// The shape of a subcommand, and argument parsing that turns node's parse
// errors into usage errors (exit 2, one line).
import type { ParseArgsConfig } from "node:util";
import { UsageError, type CliIO } from "./io.js";

export interface Command {
  name: string;
  /** One line for `loopguard --help`. */
  summary: string;
  /** The full `loopguard <name> --help` text. */
  help: string;
  /** Runs the command; returns the exit code. Throws UsageError for bad input. */
  run(args: readonly string[], io: CliIO): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Options every command accepts. */
export const COMMON_OPTIONS = {
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
} as const satisfies Options;

/** Runs node's `parseArgs`, turning its errors into usage errors. */
export function parsingArgs<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (isParseArgsError(err)) throw new UsageError(firstSentence(err.message));
    throw err;
  }
}

function isParseArgsError(err: unknown): err is Error & { code: string } {
  const code: unknown = err instanceof Error ? (err as Error & { code?: unknown }).code : undefined;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}

// Node appends advice about `--` to some messages; the first sentence says what is wrong.
function firstSentence(message: string): string {
  const cut = message.search(/\.\s/);
  return (cut === -1 ? message : message.slice(0, cut)).replace(/\.$/, "");
}

/** The values of a repeatable, comma-separable option (`--select A,B --select C`). */
export function listOption(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v !== "");
}
