// Entry of the `loopguard` command: global flags, then one subcommand from
// the table below. A new subcommand is one module exporting a Command and
// one entry in COMMANDS.
import type { Command } from "./command.js";
import { EXIT_OK, EXIT_USAGE, processIO, UsageError, type CliIO } from "./io.js";
import { explainCommand } from "./explain.js";
import { reviewCommand } from "./review.js";
import { rulesCommand } from "./rules-command.js";
import { scanCommand } from "./scan.js";
import { loopguardVersion } from "./version.js";

const COMMANDS: readonly Command[] = [scanCommand, reviewCommand, rulesCommand, explainCommand];

export type { CliIO } from "./io.js";

export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    return reportFailure(err, io);
  }
}

async function dispatch(argv: readonly string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(overview());
    return EXIT_USAGE;
  }
  if (first === "--help" || first === "-h" || first === "help") {
    const command = first === "help" && rest[0] !== undefined ? findCommand(rest[0]) : null;
    io.stdout.write(command ? command.help : overview());
    return EXIT_OK;
  }
  if (first === "--version" || first === "-V") return printVersion(io);
  const command = findCommand(first);
  // Help and version win over any other (even invalid) option, as in most tools.
  const flags = rest.includes("--") ? rest.slice(0, rest.indexOf("--")) : rest;
  if (flags.includes("--help") || flags.includes("-h")) {
    io.stdout.write(command.help);
    return EXIT_OK;
  }
  if (flags.includes("--version") || flags.includes("-V")) return printVersion(io);
  return command.run(rest, io);
}

function findCommand(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name);
  if (command) return command;
  if (name.startsWith("-")) throw new UsageError(`unknown option '${name}' (options go after the command: loopguard scan ${name})`);
  throw new UsageError(`unknown command "${name}" (commands: ${COMMANDS.map((c) => c.name).join(", ")})`);
}

function printVersion(io: CliIO): number {
  io.stdout.write(`loopguard ${loopguardVersion()}\n`);
  return EXIT_OK;
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "Usage: loopguard <command> [options]",
    "",
    "Finds asyncio mistakes in Python code.",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `loopguard <command> --help` for a command's options; `loopguard --version` for the version.",
    "",
  ].join("\n");
}

// One line, never a stack trace: usage errors say what to change; anything
// else is a bug, reported with its message (LOOPGUARD_DEBUG=1 shows the stack).
function reportFailure(err: unknown, io: CliIO): number {
  if (err instanceof UsageError) {
    io.stderr.write(`loopguard: ${err.message}\n`);
    return EXIT_USAGE;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr.write(`loopguard: internal error: ${message.split("\n")[0]}\n`);
  if (io.env?.["LOOPGUARD_DEBUG"] && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
  return EXIT_USAGE;
}
