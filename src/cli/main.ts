// Entry of the `loopguard` command.
export async function main(argv: readonly string[]): Promise<number> {
  process.stderr.write(`loopguard: not yet wired (${argv.join(" ")})\n`);
  return 2;
}
