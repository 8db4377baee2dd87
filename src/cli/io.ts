// What a command may touch of the outside world, passed in so tests run the
// CLI in-process with their own streams, directory and environment.

export interface OutputStream {
  write(chunk: string): unknown;
}

export interface CliIO {
  stdout: OutputStream;
  stderr: OutputStream;
  /** The directory relative paths are resolved against and printed relative to. */
  cwd: string;
  /** Whether stdout is a terminal (colour is only used then). */
  isTTY: boolean;
  /** Environment variables the CLI reads (NO_COLOR, LOOPGUARD_DEBUG); none when left out. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** A mistake in how the command was called or in its input: exit 2 with a one-line message. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export function processIO(): CliIO {
  // A reader that stops early (`loopguard scan | head`) closes the pipe: that is
  // not an error worth a stack trace.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? EXIT_OK);
    throw err;
  });
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    isTTY: process.stdout.isTTY === true,
    env: process.env,
  };
}

/** Colour only on a terminal, and never when the user set NO_COLOR (https://no-color.org). */
export function useColor(io: CliIO): boolean {
  const noColor = io.env?.["NO_COLOR"];
  return io.isTTY && (noColor === undefined || noColor === "");
}
